// Global families (scope "global": one model fitted on every series at once) in the backtest.
// backtest() fits each global candidate ONCE per cutoff date, on every series of the dataset
// cut at that date (no series contributes a period after it: nothing leaks across series),
// before the categories are backtested; each category then forecasts from its own history with
// the model of its cutoff, in this thread or on a worker thread (which gets the saved model and
// loads it: the same forecasts either way). Fitting follows fitCalibrated's rule for every kind:
// the model that forecasts is fitted on all periods up to the cutoff; the configured model's
// intervals come from a second fit on each series' training part (splitBounds of the periods
// before the cutoff), checked on its validation part. So a global candidate costs one fit per
// cutoff (two with intervals), however many series there are.
//
// backtestSeries alone (one series, no global fits given) fits a global family on that series
// only, like a local one.
import type { Config } from "../config/schema.js";
import { splitBounds } from "../data/split.js";
import { ModelInputError } from "../models/errors.js";
import { familyOf } from "../models/families.js";
import { calibrateModelIntervals, type IntervalCalibration } from "../models/intervals.js";
import { headOf, type FittedModel, type SavedModel, type SeriesInput } from "../models/model.js";
import type { BacktestCandidate } from "./candidates.js";
import type { BacktestOptions } from "./types.js";
import { backtestCutoffs, BacktestError } from "./windows.js";

/** One global candidate's model at one cutoff, for one category (its intervals are that category's). */
export interface GlobalFit {
  /** The candidate's row name. */
  candidate: string;
  /** ISO date of the last period the model saw. */
  cutoff: string;
  model: FittedModel;
  intervals?: IntervalCalibration;
}

/** The same, as it crosses to a worker thread. */
export interface SavedGlobalFit {
  candidate: string;
  cutoff: string;
  saved: SavedModel;
  intervals?: IntervalCalibration;
}

/** A series of the backtest: all of the dataset's, with the ISO date of every period. */
export interface GlobalSeries {
  input: SeriesInput;
  dates: readonly string[];
}

export const isGlobal = (candidate: BacktestCandidate): boolean => candidate.family.scope === "global";

/** The shortest history a category's first cutoff may leave (the same rule for every family in the backtest). */
export function backtestMinHistory(config: Config, candidates: readonly BacktestCandidate[], frequency: SeriesInput["frequency"]): number {
  return Math.max(...candidates.map((c) => c.family.minHistory(c.config, frequency)), config.data.window_size, 3);
}

/** The index just past the last period dated on or before `date` (dates are ISO: they sort as text). */
function periodsUpTo(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid] <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Every global candidate fitted once per cutoff date the selected categories need, on every
 * series of the dataset up to that date; per category, the models of its cutoffs (and the
 * configured model's intervals). Empty when no candidate is global.
 */
export async function fitGlobalCandidates(
  config: Config,
  candidates: readonly BacktestCandidate[],
  all: readonly GlobalSeries[],
  selected: readonly string[],
  options: BacktestOptions,
): Promise<{ fits: Map<string, GlobalFit[]>; errors: Map<string, BacktestError> }> {
  const byCategory = new Map<string, GlobalFit[]>(selected.map((category) => [category, []]));
  // A fit that fails at one date (a cutoff so early that no series is long enough) fails only the categories cut there.
  const errors = new Map<string, BacktestError>();
  const globals = candidates.filter(isGlobal);
  if (globals.length === 0 || all.length === 0) return { fits: byCategory, errors };
  const frequency = all[0].input.frequency;
  const minHistory = backtestMinHistory(config, candidates, frequency);

  // The cutoff dates each selected category's fits end at (refit once: its first cutoff only).
  const fitDates = new Map<string, string[]>();
  for (const category of selected) {
    const series = all.find((s) => s.input.name === category);
    if (!series) continue;
    let cutoffs: number[];
    try {
      cutoffs = backtestCutoffs(series.input.values.length, options, minHistory);
    } catch (error) {
      if (error instanceof BacktestError) continue; // said by the category's own backtest
      throw error;
    }
    const ends = options.refit === "every" ? cutoffs : [cutoffs[0]];
    fitDates.set(
      category,
      ends.map((end) => series.dates[end - 1]),
    );
  }
  const dates = [...new Set([...fitDates.values()].flat())].sort();

  for (const candidate of globals) {
    for (const date of dates) {
      const parts = all.map((s) => headOf(s.input, periodsUpTo(s.dates, date))).filter((s) => s.values.length > 0);
      const users = selected.filter((category) => fitDates.get(category)?.includes(date) && !errors.has(category));
      if (users.length === 0) continue;
      let fitted: Awaited<ReturnType<typeof fitAtCutoff>>;
      try {
        fitted = await fitAtCutoff(candidate, parts, date, options);
      } catch (error) {
        if (!(error instanceof BacktestError)) throw error;
        for (const category of users) errors.set(category, new BacktestError(`category "${category}": ${error.message}`));
        continue;
      }
      for (const category of users) {
        try {
          const intervals =
            fitted.evaluated &&
            calibrateFor(
              fitted.evaluated,
              parts.find((s) => s.name === category)!,
              candidate.config,
              options,
            );
          byCategory.get(category)!.push({ candidate: candidate.name, cutoff: date, model: fitted.final, ...(intervals ? { intervals } : {}) });
        } catch (error) {
          if (!(error instanceof BacktestError)) throw error;
          errors.set(category, error);
        }
      }
    }
  }
  return { fits: byCategory, errors };
}

async function fitAtCutoff(
  candidate: BacktestCandidate,
  parts: SeriesInput[],
  date: string,
  options: BacktestOptions,
): Promise<{ final: FittedModel; evaluated?: FittedModel }> {
  const { family, config, name } = candidate;
  const context = { config, signal: options.signal, name };
  if (candidate.report) options.onProgress?.(`all ${parts.length} series: training ${name} (global) on the periods up to ${date}`);
  try {
    const final = await family.fit(parts, context);
    if (!candidate.calibrate) return { final };
    const trainingParts = parts.map((s) => headOf(s, splitBounds(s.values.length, config.data.val_fraction, 0).trainEnd)).filter((s) => s.values.length > 0);
    return { final, evaluated: await family.fit(trainingParts, context) };
  } catch (error) {
    if (error instanceof ModelInputError) throw new BacktestError(`backtest of the global ${family.kind} model at cutoff ${date}: ${error.message}`);
    throw error;
  }
}

/** The configured global model's intervals for one series: from the model fitted before its validation part. */
function calibrateFor(evaluated: FittedModel, series: SeriesInput, config: Config, options: BacktestOptions): IntervalCalibration {
  const split = splitBounds(series.values.length, config.data.val_fraction, 0);
  try {
    return calibrateModelIntervals(evaluated, series, {
      start: split.trainEnd,
      end: split.validationEnd,
      horizon: options.horizon,
      levels: config.model.interval_levels,
      source: "validation",
    });
  } catch (error) {
    if (error instanceof ModelInputError)
      throw new BacktestError(`backtest of category "${series.name}": intervals of the global ${evaluated.kind} model: ${error.message}`);
    throw error;
  }
}

/** What a worker thread gets: the saved models of the cutoffs it runs. */
export function savedGlobalFits(fits: readonly GlobalFit[], cutoffs?: readonly string[]): SavedGlobalFit[] {
  return fits
    .filter((fit) => cutoffs === undefined || cutoffs.includes(fit.cutoff))
    .map((fit) => ({ candidate: fit.candidate, cutoff: fit.cutoff, saved: fit.model.save(), ...(fit.intervals ? { intervals: fit.intervals } : {}) }));
}

/** The worker's side: each saved model loaded by its family. */
export function loadedGlobalFits(saved: readonly SavedGlobalFit[]): GlobalFit[] {
  return saved.map((fit) => ({
    candidate: fit.candidate,
    cutoff: fit.cutoff,
    model: familyOf(fit.saved.kind).load(fit.saved),
    ...(fit.intervals ? { intervals: fit.intervals } : {}),
  }));
}

/** The global candidate's model fitted up to `cutoff`, or undefined (backtestSeries alone: fit it on this series). */
export function globalFitAt(fits: readonly GlobalFit[] | undefined, candidate: string, cutoff: string): GlobalFit | undefined {
  return fits?.find((fit) => fit.candidate === candidate && fit.cutoff === cutoff);
}
