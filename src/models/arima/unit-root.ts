/**
 * How many differences a series needs, as forecast::auto.arima decides it:
 * - non-seasonal d by repeated KPSS tests for level stationarity (urca::ur.kpss, type "mu",
 *   lag trunc(3 sqrt(n) / 13)), differencing while the test rejects at alpha (ndiffs);
 * - seasonal D by the seasonal strength of an STL decomposition (s.window 11, the MSTL
 *   family's STL with R's defaults): one seasonal
 *   difference when it exceeds 0.64 (nsdiffs with test "seas", R's default).
 */

import { difference } from "./polynomials.js";
import { stl, stlOptions } from "../mstl/stl.js";

/** KPSS critical values (10%, 5%, 2.5%, 1%) for the level test, from urca. */
const KPSS_CRITICAL = [0.347, 0.463, 0.574, 0.739];
const KPSS_LEVELS = [0.1, 0.05, 0.025, 0.01];

/** KPSS statistic for level stationarity with a Bartlett-weighted long-run variance. */
export function kpssStatistic(y: ArrayLike<number>, lags = Math.trunc((3 * Math.sqrt(y.length)) / 13)): number {
  const n = y.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += y[t];
  mean /= n;
  const res = Float64Array.from({ length: n }, (_, t) => y[t] - mean);
  let cum = 0;
  let numerator = 0;
  let s2 = 0;
  for (let t = 0; t < n; t++) {
    cum += res[t];
    numerator += cum * cum;
    s2 += res[t] * res[t];
  }
  numerator /= n * n;
  s2 /= n;
  let longRun = s2;
  for (let k = 1; k <= lags; k++) {
    let cov = 0;
    for (let t = k; t < n; t++) cov += res[t] * res[t - k];
    longRun += (2 / n) * (1 - k / (lags + 1)) * cov;
  }
  return numerator / longRun;
}

/** The p-value urca's table gives a KPSS statistic, interpolated linearly and clamped to 0.01-0.10. */
export function kpssPValue(stat: number): number {
  if (stat <= KPSS_CRITICAL[0]) return KPSS_LEVELS[0];
  if (stat >= KPSS_CRITICAL[3]) return KPSS_LEVELS[3];
  for (let i = 0; i < 3; i++) {
    if (stat <= KPSS_CRITICAL[i + 1]) {
      const f = (stat - KPSS_CRITICAL[i]) / (KPSS_CRITICAL[i + 1] - KPSS_CRITICAL[i]);
      return KPSS_LEVELS[i] + f * (KPSS_LEVELS[i + 1] - KPSS_LEVELS[i]);
    }
  }
  return KPSS_LEVELS[3];
}

/**
 * R's is.constant: every value equal to the first within all.equal's tolerance 1.5e-8 (mean
 * absolute difference relative to the mean absolute value, absolute when that is tiny).
 */
export function isConstant(y: ArrayLike<number>): boolean {
  const n = y.length;
  if (n === 0) return true;
  let diff = 0;
  let size = 0;
  for (let t = 0; t < n; t++) {
    diff += Math.abs(y[t] - y[0]);
    size += Math.abs(y[t]);
  }
  diff /= n;
  size /= n;
  const tolerance = 1.5e-8;
  return (Number.isFinite(size) && size > tolerance ? diff / size : diff) <= tolerance;
}

/** forecast::ndiffs with the KPSS test: d in 0..maxD, and the statistic of each series tested. */
export function ndiffs(y: ArrayLike<number>, alpha = 0.05, maxD = 2): { d: number; statistics: number[] } {
  const statistics: number[] = [];
  let x: Float64Array = Float64Array.from(y as ArrayLike<number>);
  let d = 0;
  if (isConstant(x)) return { d, statistics };
  const rejects = (series: Float64Array) => {
    const stat = kpssStatistic(series);
    statistics.push(stat);
    // A non-finite statistic (R's test errors) means no further difference.
    return Number.isFinite(stat) && kpssPValue(stat) < alpha;
  };
  let dodiff = rejects(x);
  while (dodiff && d < maxD) {
    d++;
    x = difference(x, 1, 0, 1);
    if (x.length < 2 || isConstant(x)) return { d, statistics };
    dodiff = rejects(x);
  }
  return { d, statistics };
}

/**
 * forecast's seas.heuristic: 1 - var(remainder) / var(remainder + seasonal) of an STL fit with
 * s.window 11, clamped to [0, 1]. Needs more than two full periods.
 */
export function seasonalStrength(y: Float64Array, period: number): number {
  const { seasonal, remainder } = stl(y, stlOptions(period, 11, "r"));
  const detrended = Float64Array.from(remainder, (v, i) => v + seasonal[i]);
  const ratio = variance(remainder) / variance(detrended);
  return Math.max(0, Math.min(1, 1 - ratio));
}

/** forecast::nsdiffs with test "seas": D in 0..maxD, and the strength of each series tested. */
export function nsdiffs(y: ArrayLike<number>, period: number, threshold = 0.64, maxD = 1): { D: number; strengths: number[] } {
  const strengths: number[] = [];
  let x: Float64Array = Float64Array.from(y as ArrayLike<number>);
  let D = 0;
  if (isConstant(x) || period >= x.length) return { D, strengths };
  const strong = (series: Float64Array) => {
    // stl needs more than two periods; R's test then errors and nsdiffs takes no difference.
    if (series.length <= 2 * period) return false;
    const s = seasonalStrength(series, period);
    strengths.push(s);
    return Number.isFinite(s) && s > threshold;
  };
  let dodiff = strong(x);
  while (dodiff && D < maxD) {
    D++;
    x = difference(x, 0, 1, period);
    if (isConstant(x)) return { D, strengths };
    dodiff = x.length >= 2 * period && D < maxD ? strong(x) : false;
  }
  return { D, strengths };
}

function variance(x: Float64Array): number {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let s = 0;
  for (const v of x) s += (v - mean) ** 2;
  return s / (x.length - 1);
}
