// Turns one category's series into what the trainer and the evaluators consume:
// a chronological split, normalisation statistics, and one-step-ahead windows.
//
// Two deliberate departures from the reference implementation:
// 1. Normalisation statistics come from the TRAINING part only (the reference uses the
//    whole series, which leaks validation information into training).
// 2. Validation and test windows take their inputs from the periods before the split
//    point, so every validation/test period is a target (the reference builds windows
//    inside each part and never forecasts its first window_size validation days).
//
// Split sizes follow the reference (sklearn train_test_split, shuffle=False): the held-out
// parts get ceil(n * fraction) periods, the training part keeps the rest.
//
// Calendar features (model.features) and a direct horizon (model.horizon = H > 1) extend the
// windows: inputs become [N, 1 + features, T] (layout and date alignment in
// src/data/windows.ts) and each window has H consecutive targets [N, H]. A window
// is built only when all H targets lie inside its part, so with H > 1 the last H - 1 periods of
// each part are a target of some window, but never the first target (one-step metrics skip them).
import type { CalendarEncoder } from "../../data/features.js";
import { epochDayFromIso } from "../../data/dates.js";
import type { NormalizationStats } from "../../data/windows.js";
import { fillWindowFeatures } from "../../data/windows.js";
import { ModelInputError } from "../errors.js";
import { splitBounds, type SplitBounds } from "../../data/split.js";

export { splitBounds, type SplitBounds };

// The stats travel with the checkpoint, so they share its type: std is the z-score divisor,
// the training part's population std + 1e-6 (the reference's epsilon).
export type { NormalizationStats };

/** Windows ready for the engine. Inputs [N, F, T] and targets [N, H], both normalised. */
export interface WindowSet {
  /** Number of windows. */
  count: number;
  windowSize: number;
  /** Channels per time step: 1 (sales) + calendar features. */
  inputSize: number;
  /** Targets per window (model.horizon); 1 for the reference's single-step network. */
  horizon: number;
  /** Normalised inputs laid out [N, inputSize, T]. */
  inputs: Float32Array;
  /** Normalised targets [N, horizon]: periods t, t+1, ..., t+H-1 of each window. */
  targets: Float32Array;
  /** Index in the full series of each window's first target period. */
  targetIndices: Int32Array;
  /** ISO date of each first target period. */
  dates: string[];
  /** First targets in sales units (not normalised), for one-step metrics. */
  actual: Float64Array;
}

/** How windows are shaped beyond the window length: targets per window and feature channels. */
export interface WindowShape {
  /** Targets per window; default 1. */
  horizon?: number;
  /** Calendar features; none when undefined. */
  encoder?: CalendarEncoder;
}

export interface CategoryDataset {
  category: string;
  split: SplitBounds;
  stats: NormalizationStats;
  /** The full series in sales units. */
  series: Float64Array;
  /** The training part in sales units (what baselines are fitted on and MASE is scaled by). */
  trainPart: Float64Array;
  train: WindowSet;
  validation: WindowSet;
  /** Present only when test_fraction > 0. */
  test?: WindowSet;
}

export interface DatasetOptions extends WindowShape {
  windowSize: number;
  valFraction: number;
  testFraction: number;
  /** The parts when the caller has chosen them (a fit given its held-out part); default: from the fractions. */
  split?: SplitBounds;
}

/** A series too short (or otherwise unusable) for the configured split and window: input the network cannot use. */
export class DatasetError extends ModelInputError {
  constructor(message: string) {
    super(message);
    this.name = "DatasetError";
  }
}

export const STD_EPSILON = 1e-6;

/**
 * Throws a DatasetError saying what is missing and how to fix it when the split leaves a
 * part too short: training needs at least one full window plus a target, and validation
 * (and test, when configured) needs at least one period.
 */
export function checkSplit(category: string, bounds: SplitBounds, options: DatasetOptions): void {
  const { trainEnd, validationEnd, length } = bounds;
  const w = options.windowSize;
  const h = options.horizon ?? 1;
  const fixes =
    `Use a longer series, a smaller data.window_size (now ${w})${h > 1 ? `, a smaller model.horizon (now ${h})` : ""} ` +
    `or smaller data.val_fraction/data.test_fraction.`;
  if (trainEnd < w + h) {
    throw new DatasetError(
      `category "${category}": the training part has ${Math.max(trainEnd, 0)} periods of ${length}, ` +
        `but at least ${w + h} are needed (window_size ${w} inputs + ${h} target${h === 1 ? "" : "s"}). ${fixes}`,
    );
  }
  if (validationEnd - trainEnd < h) {
    throw new DatasetError(
      h === 1
        ? `category "${category}": the validation part is empty (${length} periods, val_fraction ${options.valFraction}). ${fixes}`
        : `category "${category}": the validation part has ${validationEnd - trainEnd} periods, fewer than model.horizon ${h} ` +
            `(${length} periods, val_fraction ${options.valFraction}). ${fixes}`,
    );
  }
  if (options.testFraction > 0 && length - validationEnd < h) {
    throw new DatasetError(`category "${category}": the test part is empty (${length} periods, test_fraction ${options.testFraction}). ${fixes}`);
  }
}

/** Population mean and std of a slice, std shifted by the reference's 1e-6. */
export function normalizationStats(trainPart: Float64Array): NormalizationStats {
  const n = trainPart.length;
  if (n === 0) throw new DatasetError("cannot compute normalisation statistics of an empty training part");
  let sum = 0;
  for (let i = 0; i < n; i++) sum += trainPart[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (trainPart[i] - mean) ** 2;
  const std = Math.sqrt(squares / n);
  return { mean, std: std + STD_EPSILON };
}

/**
 * Builds one window per first target index t in [firstTarget, endTarget - H]: inputs
 * series[t - T .. t) (plus the feature channels of dates t-T+1 .. t), targets series[t .. t+H).
 * Inputs may reach back before the part the target belongs to (that is the point: they are
 * observed values, available at forecast time); targets never reach past endTarget.
 */
export function buildWindows(
  series: Float64Array,
  dates: readonly string[],
  firstTarget: number,
  endTarget: number,
  windowSize: number,
  stats: NormalizationStats,
  shape: WindowShape = {},
): WindowSet {
  if (firstTarget < windowSize) {
    throw new DatasetError(`the first target (period ${firstTarget}) has fewer than window_size ${windowSize} periods before it`);
  }
  const horizon = shape.horizon ?? 1;
  const encoder = shape.encoder;
  const T = windowSize;
  const F = 1 + (encoder?.channels ?? 0);
  const count = Math.max(0, endTarget - horizon + 1 - firstTarget);
  const inputs = new Float32Array(count * F * T);
  const targets = new Float32Array(count * horizon);
  const targetIndices = new Int32Array(count);
  const actual = new Float64Array(count);
  const targetDates: string[] = new Array(count);
  const layout = { windowSize: T, inputSize: F, outputSize: horizon, stats, encoder };
  for (let n = 0; n < count; n++) {
    const t = firstTarget + n;
    const row = n * F * T;
    for (let k = 0; k < T; k++) inputs[row + k] = (series[t - T + k] - stats.mean) / stats.std;
    if (encoder) fillWindowFeatures(layout, inputs, row, dayOf(dates, t - 1));
    for (let j = 0; j < horizon; j++) targets[n * horizon + j] = (series[t + j] - stats.mean) / stats.std;
    targetIndices[n] = t;
    actual[n] = series[t];
    targetDates[n] = dates[t];
  }
  return { count, windowSize, inputSize: F, horizon, inputs, targets, targetIndices, dates: targetDates, actual };
}

function dayOf(dates: readonly string[], index: number): number {
  const day = epochDayFromIso(dates[index]);
  if (day === undefined) throw new DatasetError(`period ${index} has the date ${JSON.stringify(dates[index])}, not a YYYY-MM-DD date`);
  return day;
}

/**
 * Splits one category's series chronologically and builds train / validation / (test)
 * windows. `dates` holds the ISO date of every period (same length as `series`).
 */
export function buildCategoryDataset(category: string, series: Float64Array, dates: readonly string[], options: DatasetOptions): CategoryDataset {
  const split = options.split ?? splitBounds(series.length, options.valFraction, options.testFraction);
  const { trainPart, stats } = checkWindowSeries(category, series, dates, split, options);
  const w = options.windowSize;
  const shape: WindowShape = { horizon: options.horizon, encoder: options.encoder };
  const train = buildWindows(series, dates, w, split.trainEnd, w, stats, shape);
  const validation = buildWindows(series, dates, split.trainEnd, split.validationEnd, w, stats, shape);
  const test = split.length > split.validationEnd ? buildWindows(series, dates, split.validationEnd, split.length, w, stats, shape) : undefined;
  return { category, split, stats, series, trainPart, train, validation, test };
}

/**
 * Throws the DatasetError a user can act on unless windows can be built from `series` with this
 * split: as many dates as values, finite values, parts long enough (checkSplit), a training
 * part that is not constant. Returns the training part and its statistics.
 */
export function checkWindowSeries(
  category: string,
  series: Float64Array,
  dates: readonly string[],
  split: SplitBounds,
  options: Omit<DatasetOptions, "split">,
): { trainPart: Float64Array; stats: NormalizationStats } {
  if (dates.length !== series.length) {
    throw new DatasetError(`category "${category}": ${series.length} values but ${dates.length} dates`);
  }
  for (let i = 0; i < series.length; i++) {
    if (!Number.isFinite(series[i])) {
      throw new DatasetError(`category "${category}": value at ${dates[i]} is ${series[i]}; the series must be finite numbers`);
    }
  }
  checkSplit(category, split, options);
  const trainPart = series.slice(0, split.trainEnd);
  const stats = normalizationStats(trainPart);
  if (stats.std <= STD_EPSILON) {
    // A z-score by 1e-6 would blow every later value up to millions: refuse instead.
    throw new DatasetError(
      `category "${category}": every value of the training part (${dates[0]} .. ${dates[split.trainEnd - 1]}) is ${trainPart[0]}; ` +
        `there is nothing to learn. Check the category's data or the date range.`,
    );
  }
  return { trainPart, stats };
}
