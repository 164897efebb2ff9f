// The feature row of one target period t of one series, the single definition training and
// forecasting share. Every value is read from the scaled series `z` at periods before t (lags
// and lagged windows), from the calendar of period t, from the series itself (code, scale), or
// from covariates at period t (known in advance). A lag or window that reaches before the
// series' first period is missing (NaN): the trees send it down a learnt side.
import { calendarValue } from "./calendar.js";
import type { CalendarFeature, RollingFeature } from "./types.js";

/** The features one model reads; columns in this order: series code and scale, lags, windows, calendar, covariates (mlforecast's order: static features first). */
export interface ModelFeatures {
  lags: number[];
  rolling: RollingFeature[];
  calendar: CalendarFeature[];
  seriesCode: boolean;
  seriesScale: boolean;
  covariates: string[];
}

/** One series while its rows are built: its scaled values and what else its features read. */
export interface SeriesContext {
  /** Scaled values; recursive forecasting appends its forecasts here as it goes. */
  z: Float64Array;
  /** Epoch day of period 0, and days per period (1 or 7). */
  startDay: number;
  periodDays: number;
  /** The series' code feature. */
  code: number;
  /** The series' scale feature. */
  scale: number;
  /** Covariate values by period, in ModelFeatures.covariates order (undefined: not given). */
  covariates: (Float64Array | undefined)[];
}

export function featureNames(f: ModelFeatures): string[] {
  return [
    ...(f.seriesCode ? ["series_code"] : []),
    ...(f.seriesScale ? ["series_scale"] : []),
    ...f.lags.map((l) => `lag${l}`),
    ...f.rolling.map((r) => `rolling_${r.stat}_lag${r.lag}_window_size${r.window}`),
    ...f.calendar,
    ...f.covariates.map((name) => `cov_${name}`),
  ];
}

export const featureCount = (f: ModelFeatures): number =>
  f.lags.length + f.rolling.length + f.calendar.length + (f.seriesCode ? 1 : 0) + (f.seriesScale ? 1 : 0) + f.covariates.length;

/** Mean (or sample std) of z[from .. to], or NaN when the window starts before period 0. */
function windowStat(z: Float64Array, from: number, to: number, stat: RollingFeature["stat"]): number {
  if (from < 0) return Number.NaN;
  const n = to - from + 1;
  let sum = 0;
  for (let i = from; i <= to; i++) sum += z[i];
  const mean = sum / n;
  if (stat === "mean") return mean;
  let squares = 0;
  for (let i = from; i <= to; i++) squares += (z[i] - mean) ** 2;
  return Math.sqrt(squares / (n - 1));
}

/** Writes the features of target period t into out[offset .. offset + featureCount(f)). */
export function fillRow(f: ModelFeatures, s: SeriesContext, t: number, out: Float32Array, offset: number): void {
  let c = offset;
  if (f.seriesCode) out[c++] = s.code;
  if (f.seriesScale) out[c++] = s.scale;
  for (const lag of f.lags) out[c++] = t - lag >= 0 ? s.z[t - lag] : Number.NaN;
  for (const r of f.rolling) out[c++] = windowStat(s.z, t - r.lag - r.window + 1, t - r.lag, r.stat);
  const day = s.startDay + t * s.periodDays;
  for (const name of f.calendar) out[c++] = calendarValue(name, day);
  for (const values of s.covariates) out[c++] = values && t < values.length ? values[t] : Number.NaN;
}

/** True when every lag and window of target period t lies inside the series (no NaN from them). */
export function historyComplete(f: ModelFeatures, t: number): boolean {
  for (const lag of f.lags) if (t - lag < 0) return false;
  for (const r of f.rolling) if (t - r.lag - r.window + 1 < 0) return false;
  return true;
}
