// Training a global kind (scope "global": one model fitted on every series at once). The model
// is fitted ONCE for a training run, on every series of the data file, whichever categories are
// registered:
//   evaluated  fitted on each series' training part (splitBounds: the periods before its
//              validation part), so every category's held-out metrics and intervals come from
//              a model that never saw them, as fitCalibrated does for a local kind;
//   final      fitted on every period of every series (refitOnAllData), what is served.
// Each category then gets its own registry version: the same fit narrowed to that series
// (FittedModel.forSeries: its identity and history), evaluated, plotted, tracked and registered
// as any kind's (train-category.ts). One version per category keeps every reader of the
// registry unchanged (serving, promote, champion aliases); the fit is stored once per version,
// which a catalogue of thousands of series would want stored once (a later issue).
//
// Series a category check refuses (too short, negative values for a log-link loss) are left out
// of the fit, and skipped with that reason.
import type { Config } from "../config/schema.js";
import type { TrainingData } from "../data/model-data.js";
import { splitBounds, type SplitBounds } from "../data/split.js";
import { ModelInputError } from "../models/errors.js";
import { checkFitInput, type CalibratedFit } from "../models/fit-calibrated.js";
import { calibrateModelIntervals } from "../models/intervals.js";
import { headOf, type FittedModel, type ModelFamily, type SeriesInput } from "../models/model.js";
import { configuredSeries } from "../models/series-input.js";

export interface GlobalTraining {
  family: ModelFamily;
  /** Fitted on every series' training part. */
  evaluated: FittedModel;
  /** Fitted on every period of every series. */
  final: FittedModel;
  /** The series fitted on, by name. */
  fittedOn: readonly string[];
  /** Series left out of the fit, with the reason (their categories are skipped with it). */
  leftOut: ReadonlyMap<string, string>;
  seconds: number;
}

/** Fits `family` once on every usable series of `data` (see the top of this file). */
export async function fitGlobal(family: ModelFamily, config: Config, data: TrainingData, signal?: AbortSignal): Promise<GlobalTraining> {
  const started = performance.now();
  const usable: { input: SeriesInput; split: SplitBounds }[] = [];
  const leftOut = new Map<string, string>();
  for (const series of data.series) {
    const input = configuredSeries(config, data, series);
    const split = splitBounds(input.values.length, config.data.val_fraction, config.data.test_fraction);
    try {
      checkFitInput(family, input, config, split);
      usable.push({ input, split });
    } catch (error) {
      if (!(error instanceof ModelInputError)) throw error;
      leftOut.set(series.category, error.message);
    }
  }
  if (usable.length === 0) {
    throw new ModelInputError(`no series of the data can be fitted by the ${family.kind} model: ${[...leftOut.values()][0] ?? "the data has no series"}`);
  }
  const context = { config, signal };
  const evaluated = await family.fit(
    usable.map(({ input, split }) => headOf(input, split.trainEnd)),
    context,
  );
  const final = family.refitOnAllData
    ? await family.fit(
        usable.map(({ input }) => input),
        context,
      )
    : evaluated;
  return { family, evaluated, final, fittedOn: usable.map(({ input }) => input.name), leftOut, seconds: (performance.now() - started) / 1000 };
}

/** One category's share of a global fit: the models narrowed to its series, its intervals calibrated on its validation part. */
export function calibratedFromGlobal(global: GlobalTraining, input: SeriesInput, split: SplitBounds, config: Config): CalibratedFit {
  const evaluated = global.evaluated.forSeries?.(headOf(input, split.trainEnd)) ?? global.evaluated;
  const final = global.final.forSeries?.(input) ?? global.final;
  const intervals = calibrateModelIntervals(evaluated, input, {
    start: split.trainEnd,
    end: split.validationEnd,
    horizon: config.model.interval_horizon,
    levels: config.model.interval_levels,
    source: "validation",
  });
  return { evaluated, final, intervals };
}

/** The line a category's training prints about the shared fit (`alone`: train --category, which registers that category only). */
export function describeGlobalFit(global: GlobalTraining, category: string, alone: boolean): string {
  const n = global.fittedOn.length;
  const fitted = `${global.family.kind} is a global model: fitted once on ${n} series of the file${global.leftOut.size ? ` (${global.leftOut.size} left out)` : ""} in ${global.seconds.toFixed(1)}s`;
  return alone ? `${fitted}; registered for ${category} only (train --all registers a version for every series)` : `${fitted}; this version serves ${category}`;
}
