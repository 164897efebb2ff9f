// STL: seasonal-trend decomposition by loess (Cleveland et al. 1990), y = seasonal + trend +
// remainder, for one period. Each inner-loop pass:
//   1. detrend: y − trend
//   2. cycle-subseries smoothing: for each position in the cycle, loess over that position's
//      values (window ns), extended by one cycle at both ends
//   3. low-pass filter of the result: moving averages of np, np and 3, then loess (window nl)
//   4. seasonal = step 2 − step 3 (the low-pass removes what leaked from the trend)
//   5. deseasonalise and smooth with loess (window nt): the new trend
// The outer loop (robust mode) reweights every point by the bisquare of its remainder over six
// median absolute remainders, so outliers stop pulling the fit.
import { loessAt, loessSmooth } from "./loess.js";

export interface StlOptions {
  period: number;
  /** Seasonal smoothing window ns (odd, ≥ 3; made so). */
  seasonalWindow: number;
  seasonalDegree: 0 | 1;
  trendWindow: number;
  trendDegree: 0 | 1;
  lowPassWindow: number;
  lowPassDegree: 0 | 1;
  seasonalJump: number;
  trendJump: number;
  lowPassJump: number;
  /** Inner-loop passes per outer iteration. */
  inner: number;
  /** Robustness iterations (0: none). */
  outer: number;
}

/**
 * "r": R's stats::stl defaults (s.degree 0, t.window nextodd(ceiling(1.5 np / (1 − 1.5/ns))),
 * l.window nextodd(np), jumps ceiling(window/10), 2 inner passes, or 1 inner and 15 outer
 * when robust). "statsmodels": the defaults statsforecast's MSTL gets from statsmodels' STL
 * (same trend window, low-pass window the smallest odd number above np, every jump 1, 5 inner
 * passes, or 2 inner and 15 outer when robust).
 */
export type StlStyle = "r" | "statsmodels";

export function stlOptions(period: number, seasonalWindow: number, style: StlStyle = "r", robust = false): StlOptions {
  const trendWindow = nextOdd(Math.ceil((1.5 * period) / (1 - 1.5 / seasonalWindow)));
  const lowPassWindow = style === "r" ? nextOdd(period) : nextOdd(Math.floor(period) + 1);
  const jump = (window: number) => (style === "r" ? Math.ceil(window / 10) : 1);
  return {
    period: Math.floor(period),
    seasonalWindow,
    seasonalDegree: 0,
    trendWindow,
    trendDegree: 1,
    lowPassWindow,
    lowPassDegree: 1,
    seasonalJump: jump(seasonalWindow),
    trendJump: jump(trendWindow),
    lowPassJump: jump(lowPassWindow),
    inner: style === "r" ? (robust ? 1 : 2) : robust ? 2 : 5,
    outer: robust ? 15 : 0,
  };
}

export interface StlResult {
  seasonal: Float64Array;
  trend: Float64Array;
  remainder: Float64Array;
  /** Robustness weights (all 1 without outer iterations). */
  weights: Float64Array;
}

/** Decomposes y (at least two full periods and a point). */
export function stl(y: Float64Array, options: StlOptions): StlResult {
  const n = y.length;
  const np = Math.max(2, options.period);
  const ns = oddAtLeast3(options.seasonalWindow);
  const nt = oddAtLeast3(options.trendWindow);
  const nl = oddAtLeast3(options.lowPassWindow);
  const seasonal = new Float64Array(n);
  const trend = new Float64Array(n);
  const weights = new Float64Array(n).fill(1);
  const work = new StlWork(n, np);
  let robustness: Float64Array | null = null;
  for (let k = 0; ; k++) {
    for (let pass = 0; pass < options.inner; pass++) {
      innerPass(y, np, ns, nt, nl, options, robustness, seasonal, trend, work);
    }
    if (k + 1 > options.outer) break;
    const fit = new Float64Array(n);
    for (let i = 0; i < n; i++) fit[i] = trend[i] + seasonal[i];
    robustnessWeights(y, fit, weights);
    robustness = weights;
  }
  const remainder = new Float64Array(n);
  for (let i = 0; i < n; i++) remainder[i] = y[i] - seasonal[i] - trend[i];
  return { seasonal, trend, remainder, weights };
}

/** Scratch buffers one decomposition reuses across passes. */
class StlWork {
  readonly detrended: Float64Array;
  readonly cycles: Float64Array; // n + 2 np: the cycle-subseries smooths, one cycle added at each end
  readonly lowPass: Float64Array;
  readonly smoothed: Float64Array;
  readonly subseries: Float64Array;
  readonly subseriesWeights: Float64Array;
  readonly subseriesSmooth: Float64Array;
  readonly loessWeights: Float64Array;
  readonly averages: Float64Array;

  constructor(n: number, np: number) {
    const cycleLength = Math.ceil(n / np) + 2;
    this.detrended = new Float64Array(n);
    this.cycles = new Float64Array(n + 2 * np);
    this.lowPass = new Float64Array(n + 2 * np);
    this.smoothed = new Float64Array(n);
    this.subseries = new Float64Array(cycleLength);
    this.subseriesWeights = new Float64Array(cycleLength);
    this.subseriesSmooth = new Float64Array(cycleLength);
    this.loessWeights = new Float64Array(n + 2 * np);
    this.averages = new Float64Array(n + 2 * np);
  }
}

function innerPass(
  y: Float64Array,
  np: number,
  ns: number,
  nt: number,
  nl: number,
  options: StlOptions,
  robustness: Float64Array | null,
  seasonal: Float64Array,
  trend: Float64Array,
  work: StlWork,
): void {
  const n = y.length;
  for (let i = 0; i < n; i++) work.detrended[i] = y[i] - trend[i];
  cycleSubseriesSmooth(work.detrended, n, np, ns, options.seasonalDegree, options.seasonalJump, robustness, work);
  lowPassFilter(work.cycles, n, np, work);
  loessSmooth(work.lowPass, n, nl, options.lowPassDegree, options.lowPassJump, null, work.smoothed, 0, work.loessWeights);
  for (let i = 0; i < n; i++) {
    seasonal[i] = work.cycles[np + i] - work.smoothed[i];
    work.detrended[i] = y[i] - seasonal[i];
  }
  loessSmooth(work.detrended, n, nt, options.trendDegree, options.trendJump, robustness, trend, 0, work.loessWeights);
}

/**
 * Smooths each cycle-subseries (the values at one position of the cycle) and evaluates it one
 * step before and after its ends, into work.cycles (n + 2 np values, position j of cycle c at
 * c·np + j, cycle 0 being the one before the series).
 */
function cycleSubseriesSmooth(
  x: Float64Array,
  n: number,
  np: number,
  ns: number,
  degree: number,
  jump: number,
  robustness: Float64Array | null,
  work: StlWork,
): void {
  const { subseries, subseriesWeights, subseriesSmooth, loessWeights } = work;
  for (let j = 0; j < np; j++) {
    const k = Math.floor((n - 1 - j) / np) + 1;
    for (let i = 0; i < k; i++) {
      subseries[i] = x[i * np + j];
      if (robustness) subseriesWeights[i] = robustness[i * np + j];
    }
    const weights = robustness ? subseriesWeights : null;
    loessSmooth(subseries, k, ns, degree, jump, weights, subseriesSmooth, 1, loessWeights);
    // One cycle before the start (x = 0) and one after the end (x = k + 1); where no point has
    // weight the nearest smoothed value stands in.
    const before = loessAt(subseries, k, ns, degree, 0, 1, Math.min(ns, k), loessWeights, weights);
    subseriesSmooth[0] = before.ok ? before.value : subseriesSmooth[1];
    const after = loessAt(subseries, k, ns, degree, k + 1, Math.max(1, k - ns + 1), k, loessWeights, weights);
    subseriesSmooth[k + 1] = after.ok ? after.value : subseriesSmooth[k];
    for (let m = 0; m < k + 2; m++) work.cycles[m * np + j] = subseriesSmooth[m];
  }
}

/**
 * Low-pass filter of the extended cycle series (n + 2 np values) down to n values: moving
 * averages of length np, np and 3, into work.lowPass.
 */
function lowPassFilter(x: Float64Array, n: number, np: number, work: StlWork): void {
  movingAverage(x, n + 2 * np, np, work.averages);
  movingAverage(work.averages, n + np + 1, np, work.lowPass);
  movingAverage(work.lowPass, n + 2, 3, work.averages);
  work.lowPass.set(work.averages.subarray(0, n));
}

/** out[j] = mean(x[j .. j + len)) for j < n − len + 1, by a running sum. */
function movingAverage(x: Float64Array, n: number, len: number, out: Float64Array): void {
  const count = n - len + 1;
  let sum = 0;
  for (let i = 0; i < len; i++) sum += x[i];
  out[0] = sum / len;
  for (let j = 1; j < count; j++) {
    sum = sum - x[j - 1] + x[j + len - 1];
    out[j] = sum / len;
  }
}

/** Bisquare weights of |y − fit| over 6 × their median. */
function robustnessWeights(y: Float64Array, fit: Float64Array, out: Float64Array): void {
  const n = y.length;
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = Math.abs(y[i] - fit[i]);
  const sorted = Float64Array.from(residuals).sort();
  const mid1 = Math.floor(n / 2) + 1;
  const mid2 = n - mid1 + 1;
  const cmad = 3 * (sorted[mid1 - 1] + sorted[mid2 - 1]);
  const c9 = 0.999 * cmad;
  const c1 = 0.001 * cmad;
  for (let i = 0; i < n; i++) {
    const r = residuals[i];
    if (r <= c1) out[i] = 1;
    else if (r <= c9) {
      const u = r / cmad;
      out[i] = (1 - u * u) * (1 - u * u);
    } else out[i] = 0;
  }
}

function nextOdd(x: number): number {
  const rounded = Math.round(x);
  return rounded % 2 === 0 ? rounded + 1 : rounded;
}

function oddAtLeast3(window: number): number {
  const w = Math.max(3, Math.floor(window));
  return w % 2 === 0 ? w + 1 : w;
}
