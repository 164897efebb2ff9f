// Prediction intervals by split conformal calibration, per horizon step.
//
// After fitting, the model forecasts from every origin of a held-out part (the validation part:
// no parameter is fitted on it; the network's early stopping only picks its epoch by it) and
// the absolute error of the h-step-ahead forecast is collected for h = 1..H. For a level L (percent) the half-width at
// step h is the conformal quantile of those n residuals: the ceil((n+1)·L/100)-th smallest.
// With exchangeable errors, forecast ± that half-width covers the truth with probability at
// least L/100. When ceil((n+1)·L/100) > n the quantile is infinite: that step gets no interval
// for that level (null), rather than a band that only looks finite.
//
// Caveat (said honestly): early stopping picks the epoch with the lowest validation loss, so
// the validation part is not perfectly unseen; its residuals can be slightly optimistic. The
// backtest reports empirical coverage on windows the model never saw.
//
// The calibration is stored with the model (model.json extra.intervals) in sales units and read
// back by the forecaster with parseIntervalCalibration. It is the same for every model kind.
import type { Config } from "../config/schema.js";
import type { SplitBounds } from "../data/split.js";
import { forecastAll } from "./forecast-at.js";
import { headOf, type FittedModel, type SeriesInput } from "./model.js";

export const INTERVAL_METHOD = "split-conformal";
export const DEFAULT_INTERVAL_LEVELS: readonly number[] = [80, 95];
export const DEFAULT_INTERVAL_HORIZON = 14;

/**
 * Forecasts of series[o], series[o+1], ..., series[o+horizon-1] for each origin o, made from
 * series[0 .. o) only (recursive or otherwise). One row of `horizon` values per origin.
 */
export type PathForecaster = (series: Float64Array, origins: readonly number[], horizon: number) => number[][];

export interface IntervalStep {
  /** Steps ahead, 1-based. */
  step: number;
  /** Number of residuals the half-widths come from. */
  n: number;
  /** Half-width in sales units by level ("80", "95"); null when n is too small for that level. */
  halfWidth: Record<string, number | null>;
}

export interface IntervalCalibration {
  method: typeof INTERVAL_METHOD;
  levels: number[];
  /** Which part of the series the residuals came from (e.g. "validation"). */
  source: string;
  steps: IntervalStep[];
}

/** The key a level is stored under: 80 -> "80", 97.5 -> "97.5". */
export const levelKey = (level: number): string => String(level);

/** Throws a RangeError naming the bad level unless every level is a number in (0, 100). */
export function checkLevels(levels: readonly number[]): void {
  for (const level of levels) {
    if (typeof level !== "number" || !Number.isFinite(level) || level <= 0 || level >= 100) {
      throw new RangeError(`interval level ${String(level)} is not a percentage strictly between 0 and 100 (e.g. 80 or 95)`);
    }
  }
}

/**
 * The split conformal quantile of `residuals` (absolute errors) for `level` percent: the
 * ceil((n+1)·level/100)-th smallest. null when that rank exceeds n (too few residuals).
 */
export function conformalQuantile(residuals: readonly number[], level: number): number | null {
  checkLevels([level]);
  const n = residuals.length;
  // The tiny tolerance keeps e.g. (19+1)*0.95 = 19.000000000000004 at rank 19.
  const rank = Math.ceil(((n + 1) * level) / 100 - 1e-9);
  if (rank > n || n === 0) return null;
  const sorted = Float64Array.from(residuals).sort();
  return sorted[Math.max(rank, 1) - 1];
}

/**
 * The quantile of `residuals` (absolute errors) at rank (n+1)·level/100, interpolated linearly
 * between the two order statistics around it (Hyndman & Fan's type 6); null when that rank
 * exceeds n (too few residuals, the same minimum as conformalQuantile). For exchangeable
 * continuous residuals a new one falls below the k-th smallest with probability k/(n+1), so this
 * half-width covers with expected probability level/100 exactly, where conformalQuantile's
 * rounded-up rank covers with ceil((n+1)·level/100)/(n+1): 14/17 = 82% for 80% on 16 residuals.
 * The tournament calibrates from few residuals per step, where that rounding is most of the gap.
 */
export function interpolatedQuantile(residuals: readonly number[], level: number): number | null {
  checkLevels([level]);
  const n = residuals.length;
  const rank = ((n + 1) * level) / 100;
  // The tolerance keeps e.g. (19+1)*0.95 = 19.000000000000004 at rank 19 (finite).
  if (n === 0 || rank > n + 1e-9) return null;
  const sorted = Float64Array.from(residuals).sort();
  if (rank <= 1) return sorted[0];
  const below = Math.min(Math.floor(rank + 1e-9), n);
  const weight = Math.max(0, rank - below);
  return below >= n ? sorted[n - 1] : sorted[below - 1] + weight * (sorted[below] - sorted[below - 1]);
}

/** The smallest number of residuals that gives `level` a finite half-width. */
export function minimumResiduals(level: number): number {
  checkLevels([level]);
  // Smallest n with ceil((n+1)L/100) <= n, i.e. (n+1)L/100 <= n.
  return Math.ceil(level / (100 - level) - 1e-9);
}

export interface CalibrationOptions {
  /** The whole series in sales units (history before `start` is used as forecast input). */
  series: Float64Array;
  /** Periods [start, end) are the calibration part: origins and targets both lie in it. */
  start: number;
  end: number;
  /** Steps ahead to calibrate (1..horizon). */
  horizon: number;
  levels: readonly number[];
  forecast: PathForecaster;
  /** Earliest allowed origin (the forecaster needs that many periods of history); default 0. */
  minHistory?: number;
  source?: string;
}

/**
 * Absolute residuals per step: residuals[h-1] holds |series[o+h-1] - forecast| for every
 * origin o in [start, end) whose h-step target o+h-1 is still before `end`.
 */
export function stepResiduals(options: Omit<CalibrationOptions, "levels">): number[][] {
  const { series, end, horizon, forecast } = options;
  const start = Math.max(options.start, options.minHistory ?? 0);
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`interval horizon must be a positive integer, got ${horizon}`);
  if (start < 0 || end > series.length || start > end) {
    throw new RangeError(`calibration part [${start}, ${end}) does not lie inside a series of ${series.length} periods`);
  }
  const origins: number[] = [];
  for (let o = start; o < end; o++) origins.push(o);
  const residuals: number[][] = Array.from({ length: horizon }, () => []);
  if (origins.length === 0) return residuals;
  const paths = forecast(series, origins, horizon);
  origins.forEach((o, i) => {
    for (let h = 1; h <= horizon && o + h - 1 < end; h++) {
      residuals[h - 1].push(Math.abs(series[o + h - 1] - paths[i][h - 1]));
    }
  });
  return residuals;
}

/** Residuals per step -> half-widths per step and level. */
export function calibrateIntervals(options: CalibrationOptions): IntervalCalibration {
  checkLevels(options.levels);
  const levels = [...new Set(options.levels)].sort((a, b) => a - b);
  const residuals = stepResiduals(options);
  return {
    method: INTERVAL_METHOD,
    levels,
    source: options.source ?? "validation",
    steps: residuals.map((r, i) => ({
      step: i + 1,
      n: r.length,
      halfWidth: Object.fromEntries(levels.map((level) => [levelKey(level), conformalQuantile(r, level)])),
    })),
  };
}

/** How many leading steps have a finite half-width for `level` (0 when not calibrated). */
export function calibratedSteps(calibration: IntervalCalibration, level: number): number {
  let count = 0;
  for (const step of calibration.steps) {
    const width = step.halfWidth[levelKey(level)];
    if (typeof width !== "number" || !Number.isFinite(width)) break;
    count++;
  }
  return count;
}

/**
 * The calibration stored in a model's extra field, checked; undefined when absent or not in
 * this shape (a model trained before intervals existed answers without them).
 */
export function parseIntervalCalibration(value: unknown): IntervalCalibration | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Partial<IntervalCalibration>;
  if (v.method !== INTERVAL_METHOD || !Array.isArray(v.levels) || !Array.isArray(v.steps)) return undefined;
  if (!v.levels.every((l) => typeof l === "number" && l > 0 && l < 100)) return undefined;
  const steps: IntervalStep[] = [];
  for (const [i, step] of v.steps.entries()) {
    if (typeof step !== "object" || step === null || step.step !== i + 1 || typeof step.halfWidth !== "object" || step.halfWidth === null) return undefined;
    const halfWidth: Record<string, number | null> = {};
    for (const level of v.levels) {
      const w = (step.halfWidth as Record<string, unknown>)[levelKey(level)];
      halfWidth[levelKey(level)] = typeof w === "number" && Number.isFinite(w) && w >= 0 ? w : null;
    }
    steps.push({ step: step.step, n: typeof step.n === "number" ? step.n : 0, halfWidth });
  }
  return { method: INTERVAL_METHOD, levels: [...v.levels], source: typeof v.source === "string" ? v.source : "validation", steps };
}

export interface IntervalBand {
  level: number;
  lower: number[];
  upper: number[];
}

/**
 * forecast ± half-width for each level, over the forecast's steps. Every level must be
 * calibrated for every step (check with calibratedSteps first); throws a RangeError otherwise.
 */
export function intervalBands(calibration: IntervalCalibration, forecast: readonly number[], levels: readonly number[]): IntervalBand[] {
  return levels.map((level) => {
    const lower: number[] = [];
    const upper: number[] = [];
    forecast.forEach((value, i) => {
      const width = calibration.steps[i]?.halfWidth[levelKey(level)];
      if (typeof width !== "number") throw new RangeError(`level ${level} has no calibrated half-width for step ${i + 1}`);
      lower.push(value - width);
      upper.push(value + width);
    });
    return { level, lower, upper };
  });
}

/**
 * Split conformal intervals of a fitted model, from its forecasts at every origin of
 * [start, end) of `series` (parameters as fitted, each forecast reading only the periods before
 * its origin). A path stops at the series' end: steps past it have no target to score, and
 * forecasting them would need covariates nobody has.
 */
export function calibrateModelIntervals(
  model: FittedModel,
  series: SeriesInput,
  options: Omit<CalibrationOptions, "series" | "forecast">,
): IntervalCalibration {
  const n = series.values.length;
  const forecast: PathForecaster = (_values, origins, horizon) => {
    const rows: number[][] = new Array(origins.length);
    const byLength = new Map<number, number[]>();
    origins.forEach((o, i) => {
      const steps = Math.max(1, Math.min(horizon, n - o));
      byLength.set(steps, [...(byLength.get(steps) ?? []), i]);
    });
    for (const [steps, indices] of byLength) {
      const paths = forecastAll(
        model,
        indices.map((i) => headOf(series, origins[i])),
        steps,
      );
      indices.forEach((i, k) => (rows[i] = Array.from(paths[k])));
    }
    return rows;
  };
  return calibrateIntervals({ ...options, series: series.values, forecast });
}

/**
 * Throws when model.interval_horizon asks for more steps than the validation part has periods:
 * step h is calibrated from the forecasts whose h-th step still lands in the validation part, so
 * steps beyond its length would have no residual at all (and computing their forecasts took
 * minutes for interval_horizon=100000 on 220 validation periods).
 */
export function checkIntervalHorizon(config: Config, category: string, split: SplitBounds): void {
  const periods = split.validationEnd - split.trainEnd;
  const horizon = config.model.interval_horizon;
  if (horizon <= periods) return;
  throw new Error(
    `model.interval_horizon is ${horizon}, but the validation part of "${category}" has ${periods} periods: prediction intervals ` +
      `are calibrated on it, and steps beyond ${periods} would have no forecast error to calibrate from. ` +
      `Set model.interval_horizon to at most ${periods} (or raise data.val_fraction, now ${config.data.val_fraction}).`,
  );
}

export interface LevelCoverage {
  level: number;
  /** Held-out forecasts whose actual fell inside forecast ± half-width. */
  covered: number;
  /** Held-out forecasts that had an interval for this level (steps without one are left out). */
  total: number;
  /** covered / total; NaN when total is 0. */
  coverage: number;
}

/**
 * Empirical coverage of each calibrated level on held-out forecasts (e.g. backtest rows):
 * the share whose actual lies within forecast ± the half-width of its step. This is the
 * number to compare with the nominal level.
 */
export function intervalCoverage(calibration: IntervalCalibration, points: ReadonlyArray<{ step: number; actual: number; forecast: number }>): LevelCoverage[] {
  return calibration.levels.map((level) => {
    let covered = 0;
    let total = 0;
    for (const { step, actual, forecast } of points) {
      const width = calibration.steps[step - 1]?.halfWidth[levelKey(level)];
      if (typeof width !== "number") continue;
      total++;
      if (Math.abs(actual - forecast) <= width) covered++;
    }
    return { level, covered, total, coverage: total === 0 ? Number.NaN : covered / total };
  });
}

/** One line for progress output: residual counts and step-1 half-widths. */
export function describeCalibration(calibration: IntervalCalibration): string {
  const first = calibration.steps[0];
  const last = calibration.steps[calibration.steps.length - 1];
  if (!first) return "intervals: not calibrated (no steps)";
  const widths = calibration.levels
    .map((l) => `${l}%: ${first.halfWidth[levelKey(l)] === null ? "n/a (too few residuals)" : `±${first.halfWidth[levelKey(l)]!.toPrecision(4)}`}`)
    .join(", ");
  return `intervals: split conformal on the ${calibration.source} part, ${first.n} residuals at step 1 ` + `(${last.n} at step ${last.step}); step 1 ${widths}`;
}
