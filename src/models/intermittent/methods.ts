// Croston's method and its descendants. Each splits the series into the sizes of the non-zero
// demands and a second series, smooths both with simple exponential smoothing started at their
// first value (numeric/ses.ts), and forecasts the same rate for every future period:
//   Croston (1972):   ẑ / p̂, p the intervals between demands (the first counted from the start)
//   SBA (Syntetos & Boylan 2005): (1 − α/2) ẑ / p̂, removing Croston's upward bias
//   Croston optimised: Croston with each α chosen in [0.1, 0.3] by the least squares of its own
//                      series (golden section), as statsforecast's CrostonOptimized
//   TSB (Teunter, Syntetos & Babai 2011): d̂ ẑ, d the 0/1 demand-occurred series smoothed every
//                      period, so the forecast decays through a run of zeros (obsolescence)
import { optimiseSesAlpha, sesForecast } from "../numeric/ses.js";

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

export function demandOccurrence(y: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: y.length }, (_, t) => (y[t] > 0 ? 1 : 0));
}

/** Croston's rate ẑ/p̂ (times `debias`) with the given smoothing constants. */
export function crostonRate(y: ArrayLike<number>, alphaDemand: number, alphaInterval: number, debias = 1): number {
  const sizes = demandSizes(y);
  if (sizes.length === 0) return 0;
  const size = sesForecast(sizes, alphaDemand);
  const interval = sesForecast(demandIntervals(y), alphaInterval);
  return (debias * size) / interval;
}

/** TSB's rate d̂ ẑ with the given smoothing constants. */
export function tsbRate(y: ArrayLike<number>, alphaDemand: number, alphaProbability: number): number {
  const sizes = demandSizes(y);
  if (sizes.length === 0) return 0;
  return sesForecast(demandOccurrence(y), alphaProbability) * sesForecast(sizes, alphaDemand);
}

/** Least-squares α for each series Croston smooths, searched in [lower, upper]. */
export function optimisedCrostonAlphas(y: ArrayLike<number>, lower: number, upper: number): { demand: number; interval: number } {
  return {
    demand: optimiseSesAlpha(demandSizes(y), lower, upper),
    interval: optimiseSesAlpha(demandIntervals(y), lower, upper),
  };
}
