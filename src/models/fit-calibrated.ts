// The one fitting pipeline training and the backtest share: fit -> calibrate intervals -> the
// model to keep. For every kind alike:
//
//   1. fit on the series up to the end of its validation part, that part held out (the network
//      stops early by it; every other family fits on the training part only);
//   2. calibrate split conformal intervals from that model's forecasts at every origin of the
//      validation part (intervals.ts), parameters as fitted;
//   3. keep that model, or, for a family cheap to fit (refitOnAllData), fit it again on every
//      period: the kept model serves, so it should have seen the latest data.
//
// Metrics on held-out periods always come from the model of step 1 (`evaluated`): it never saw
// them. For the network the two are the same model.
import type { Config } from "../config/schema.js";
import type { SplitBounds } from "../data/split.js";
import { ModelInputError } from "./errors.js";
import { calibrateModelIntervals, type IntervalCalibration } from "./intervals.js";
import { headOf, type FitContext, type FittedModel, type ModelFamily, type SeriesInput } from "./model.js";

export interface FitPlan {
  /** The parts of the series: [trainEnd, validationEnd) is held out; periods after validationEnd (a test part) are never fitted by `evaluated`. */
  split: SplitBounds;
  /** Calibrate intervals on the validation part for these steps and levels. */
  intervals?: { horizon: number; levels: readonly number[] };
  /** The model fitted before the held-out part is needed (held-out metrics), also for a family refitted on all the data. */
  evaluate?: boolean;
}

export interface CalibratedFit {
  /** Fitted before the held-out part: what held-out metrics and the intervals come from. */
  evaluated: FittedModel;
  /** What is kept (stored, served, forecast from the backtest's cutoff). */
  final: FittedModel;
  intervals?: IntervalCalibration;
}

/**
 * Throws the ModelInputError a user can act on unless `family` can fit `series` with this split:
 * the family's own check, else a training part of at least minHistory periods.
 */
export function checkFitInput(family: ModelFamily, series: SeriesInput, config: Config, split: SplitBounds): void {
  if (family.checkSeries) return family.checkSeries(series, config, split);
  checkTrainingLength(family.kind, family.minHistory(config, series.frequency), series, config, split);
}

/** Throws the ModelInputError training skips with unless the training part has `needed` periods (for a kind's checkSeries too). */
export function checkTrainingLength(kind: string, needed: number, series: SeriesInput, config: Config, split: SplitBounds): void {
  if (split.trainEnd < needed) {
    throw new ModelInputError(
      `category "${series.name}": the training part has ${Math.max(split.trainEnd, 0)} periods of ${split.length}, but a ${kind} model needs at least ${needed}`,
      `use a longer series or smaller data.val_fraction/data.test_fraction (now ${config.data.val_fraction}/${config.data.test_fraction})`,
    );
  }
}

export async function fitCalibrated(family: ModelFamily, series: SeriesInput, context: FitContext, plan: FitPlan): Promise<CalibratedFit> {
  const { split } = plan;
  const withHoldout = plan.intervals !== undefined || plan.evaluate === true || !family.refitOnAllData;
  const evaluated = withHoldout ? await family.fit([headOf(series, split.validationEnd)], { ...context, holdoutStart: split.trainEnd }) : undefined;
  const intervals =
    evaluated && plan.intervals
      ? calibrateModelIntervals(evaluated, series, {
          start: split.trainEnd,
          end: split.validationEnd,
          horizon: plan.intervals.horizon,
          levels: plan.intervals.levels,
          source: "validation",
        })
      : undefined;
  const final = family.refitOnAllData || !evaluated ? await family.fit([series], { ...context, holdoutStart: undefined }) : evaluated;
  return { evaluated: evaluated ?? final, final, ...(intervals ? { intervals } : {}) };
}
