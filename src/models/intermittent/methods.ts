// Croston's method and its descendants. Each splits the series into the sizes of the non-zero
// demands and a second series, smooths both with simple exponential smoothing started at their
// first value (numeric/ses.ts), and forecasts the same rate for every future period:
//   Croston (1972):   ẑ / p̂, p the intervals between demands (the first counted from the start)
//   SBA (Syntetos & Boylan 2005): (1 − α/2) ẑ / p̂, removing Croston's upward bias
//   Croston optimised: Croston with each α chosen in [0.1, 0.3] by the least squares of its own
//                      series (golden section), as statsforecast's CrostonOptimized
//   TSB (Teunter, Syntetos & Babai 2011): d̂ ẑ, d the 0/1 demand-occurred series smoothed every
//                      period, so the forecast decays through a run of zeros (obsolescence)
import { optimiseSesAlphaPair } from "../numeric/ses.js";

/** Non-zero demand sizes, in order. */
export function demandSizes(y: ArrayLike<number>): Float64Array {
  const sizes = new Float64Array(countDemands(y));
  let k = 0;
  for (let t = 0; t < y.length; t++) if (y[t] > 0) sizes[k++] = y[t];
  return sizes;
}

/** Periods between demands: the first is the position (from 1) of the first demand. */
export function demandIntervals(y: ArrayLike<number>): Float64Array {
  const intervals = new Float64Array(countDemands(y));
  let previous = 0;
  let k = 0;
  for (let t = 0; t < y.length; t++) {
    if (y[t] > 0) {
      intervals[k++] = t + 1 - previous;
      previous = t + 1;
    }
  }
  return intervals;
}

function countDemands(y: ArrayLike<number>): number {
  let count = 0;
  for (let t = 0; t < y.length; t++) if (y[t] > 0) count++;
  return count;
}

/** 1 where a demand occurred, else 0. */
export function demandOccurrence(y: ArrayLike<number>): Float64Array {
  const occurred = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) if (y[t] > 0) occurred[t] = 1;
  return occurred;
}

/** Where Croston's two SES runs stand after a series: the smoothed size and interval (NaN before any demand). */
export interface CrostonState {
  size: number;
  interval: number;
  /** Periods since the last demand (the series' length when there was none). */
  sinceDemand: number;
}

/** The state of crostonRate's two SES runs after y: one pass over y without building the two series. */
export function crostonState(y: Float64Array, alphaDemand: number, alphaInterval: number): CrostonState {
  let size = Number.NaN;
  let interval = Number.NaN;
  let previous = 0;
  for (let t = 0; t < y.length; t++) {
    const value = y[t];
    if (!(value > 0)) continue;
    const gap = t + 1 - previous;
    previous = t + 1;
    if (Number.isNaN(size)) {
      size = value;
      interval = gap;
    } else {
      size = alphaDemand * value + (1 - alphaDemand) * size;
      interval = alphaInterval * gap + (1 - alphaInterval) * interval;
    }
  }
  return { size, interval, sinceDemand: y.length - previous };
}

/**
 * Croston's rate ẑ/p̂ (times `debias`) with the given smoothing constants: the two SES runs of
 * sesForecast over the sizes and the intervals (crostonState).
 */
export function crostonRate(y: Float64Array, alphaDemand: number, alphaInterval: number, debias = 1): number {
  const { size, interval } = crostonState(y, alphaDemand, alphaInterval);
  return Number.isNaN(size) ? 0 : (debias * size) / interval;
}

/** Where TSB's two SES runs stand after y: the smoothed size (NaN before any demand) and probability. */
export interface TsbState {
  size: number;
  probability: number;
}

/** The state of tsbRate's two SES runs after y (both in one pass over y). */
export function tsbState(y: Float64Array, alphaDemand: number, alphaProbability: number): TsbState {
  let size = Number.NaN;
  let probability = y[0] > 0 ? 1 : 0;
  for (let t = 0; t < y.length; t++) {
    const occurred = y[t] > 0;
    if (t > 0) probability = alphaProbability * (occurred ? 1 : 0) + (1 - alphaProbability) * probability;
    if (occurred) size = Number.isNaN(size) ? y[t] : alphaDemand * y[t] + (1 - alphaDemand) * size;
  }
  return { size, probability };
}

/** TSB's rate d̂ ẑ with the given smoothing constants. */
export function tsbRate(y: Float64Array, alphaDemand: number, alphaProbability: number): number {
  const { size, probability } = tsbState(y, alphaDemand, alphaProbability);
  return Number.isNaN(size) ? 0 : probability * size;
}

/** Least-squares α for each series Croston smooths, searched in [lower, upper]. */
export function optimisedCrostonAlphas(y: ArrayLike<number>, lower: number, upper: number): { demand: number; interval: number } {
  const { x: demand, y: interval } = optimiseSesAlphaPair(demandSizes(y), demandIntervals(y), [lower, upper], [lower, upper]);
  return { demand, interval };
}
