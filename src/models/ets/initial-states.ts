// R's heuristic for the initial states that the optimiser starts from (forecast:::initstate):
// seasonal states from a classical decomposition (or, for fewer than three seasons, from the
// residuals of a line plus one Fourier pair), then level and growth from a line through the first
// max(10, 2m) seasonally adjusted values. Returned in R's layout [l, b?, s_1 .. s_{m-1}]: the
// last seasonal state is not free (it is set so the seasonal states sum to 0, or m).
import { ModelInputError } from "../errors.js";
import { leastSquares, lineFit } from "./least-squares.js";
import type { SeasonType, TrendType } from "./spec.js";

/**
 * stats::decompose's seasonal component of y (period m, n ≥ 2m): a centred moving average as the
 * trend, the mean detrended value of each position in the season as the figure (centred to sum
 * 0, or to average 1), repeated over the series.
 */
export function classicalSeasonal(y: Float64Array, m: number, multiplicative: boolean): Float64Array {
  const n = y.length;
  const weights = m % 2 === 0 ? m + 1 : m;
  const half = Math.floor(weights / 2);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let i = half; i < n - (weights - 1 - half); i++) {
    let trend = 0;
    for (let k = 0; k < weights; k++) {
      const w = m % 2 === 0 && (k === 0 || k === weights - 1) ? 0.5 : 1;
      trend += w * y[i - half + k];
    }
    trend /= m;
    const detrended = multiplicative ? y[i] / trend : y[i] - trend;
    sums[i % m] += detrended;
    counts[i % m] += 1;
  }
  const figure = new Float64Array(m);
  let mean = 0;
  for (let j = 0; j < m; j++) {
    figure[j] = sums[j] / counts[j];
    mean += figure[j] / m;
  }
  for (let j = 0; j < m; j++) figure[j] = multiplicative ? figure[j] / mean : figure[j] - mean;
  const seasonal = new Float64Array(n);
  for (let i = 0; i < n; i++) seasonal[i] = figure[i % m];
  return seasonal;
}

/** y minus (or divided by) a line plus one Fourier pair fitted to it: R's stand-in for a
 *  decomposition when there are fewer than three seasons of data. */
function shortSeriesSeasonal(y: Float64Array, m: number, multiplicative: boolean): Float64Array {
  const n = y.length;
  const intercept = new Float64Array(n).fill(1);
  const trend = Float64Array.from({ length: n }, (_, i) => i + 1);
  const columns = [intercept, trend];
  // forecast::fourier(y, 1): sin and cos of 2πt/m; the sine is dropped when it is zero (m = 2)
  if (Math.abs(2 / m - Math.round(2 / m)) > Number.EPSILON) {
    columns.push(Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * (i + 1)) / m)));
  }
  columns.push(Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * (i + 1)) / m)));
  const beta = leastSquares(columns, y);
  return Float64Array.from(y, (v, i) => {
    const line = beta[0] + beta[1] * (i + 1);
    return multiplicative ? v / line : v - line;
  });
}

/** The initial states [l, b?, s_1 .. s_{m-1}] R starts the optimiser from. */
export function initialStates(y: Float64Array, trend: TrendType, season: SeasonType, m: number): Float64Array {
  const n = y.length;
  let adjusted = y;
  let seasons: Float64Array | null = null;
  const period = season === "N" ? 1 : m;
  if (season !== "N") {
    if (n < 4) throw new ModelInputError(`a seasonal ETS model needs at least 4 values, got ${n}`, "use a non-seasonal model");
    const multiplicative = season === "M";
    const seasonal = n < 3 * m ? shortSeriesSeasonal(y, m, multiplicative) : classicalSeasonal(y, m, multiplicative);
    // s_1 .. s_{m-1}: the seasonal values of periods m, m-1, …, 2 (the first period's is implied)
    seasons = new Float64Array(m - 1);
    for (let k = 0; k < m - 1; k++) seasons[k] = seasonal[m - 1 - k];
    if (multiplicative) {
      let sum = 0;
      for (let k = 0; k < m - 1; k++) {
        seasons[k] = Math.max(seasons[k], 0.01);
        sum += seasons[k];
      }
      if (sum > m) {
        const divisor = sum + 0.01 * (m - 1);
        for (let k = 0; k < m - 1; k++) seasons[k] /= divisor;
      }
      adjusted = Float64Array.from(y, (v, i) => v / Math.max(seasonal[i], 0.01));
    } else {
      adjusted = Float64Array.from(y, (v, i) => v - seasonal[i]);
    }
  }
  const maxn = Math.min(Math.max(10, 2 * period), n);
  const head = adjusted.subarray(0, maxn);
  const out = new Float64Array(1 + (trend === "N" ? 0 : 1) + (seasons ? seasons.length : 0));
  if (trend === "N") {
    let sum = 0;
    for (let i = 0; i < maxn; i++) sum += head[i];
    out[0] = sum / maxn;
  } else {
    let { intercept: l0, slope: b0 } = lineFit(head);
    if (Math.abs(l0 + b0) < 1e-8) {
      l0 *= 1 + 0.001;
      b0 *= 1 - 0.001;
    }
    out[0] = l0;
    out[1] = b0;
  }
  if (seasons) out.set(seasons, trend === "N" ? 1 : 2);
  return out;
}
