// MSTL: multiple seasonal decomposition by loess (Bandara, Hyndman & Bergmeir 2021), as R's
// forecast::mstl does it: periods in increasing order, each seasonal component estimated by STL
// on the series with the other components removed, the whole round repeated `iterate` times so
// each component sees the others' latest estimates; the trend is the last STL's.
import { stl, stlOptions, type StlStyle } from "./stl.js";

export interface MstlDecomposition {
  /** The periods decomposed, increasing. */
  periods: number[];
  /** One seasonal component per period, in the order of `periods`. */
  seasonals: Float64Array[];
  trend: Float64Array;
  remainder: Float64Array;
}

export interface DecomposeOptions {
  /** Seasonal windows by period (in increasing period order); default 11, 15, 19, ... (R's 7 + 4i). */
  seasonalWindows?: number[];
  /** Rounds of the back-fitting loop; default 2 (1 when there is one period, where more change nothing). */
  iterate?: number;
  style?: StlStyle;
  robust?: boolean;
}

export function defaultSeasonalWindows(count: number): number[] {
  return Array.from({ length: count }, (_, i) => 7 + 4 * (i + 1));
}

/**
 * Decomposes y by the given whole periods (each ≥ 2, increasing, with y longer than two of
 * each: the caller drops the others). Without periods the trend is y itself and there is no
 * seasonal component.
 */
export function mstlDecompose(y: Float64Array, periods: number[], options: DecomposeOptions = {}): MstlDecomposition {
  const n = y.length;
  const windows = options.seasonalWindows ?? defaultSeasonalWindows(periods.length);
  const seasonals = periods.map(() => new Float64Array(n));
  if (periods.length === 0) return { periods, seasonals, trend: Float64Array.from(y), remainder: new Float64Array(n) };
  const rounds = periods.length === 1 ? 1 : Math.max(1, options.iterate ?? 2);
  const deseasonalised = Float64Array.from(y);
  let trend: Float64Array = new Float64Array(n);
  for (let round = 0; round < rounds; round++) {
    periods.forEach((period, i) => {
      const seasonal = seasonals[i];
      for (let t = 0; t < n; t++) deseasonalised[t] += seasonal[t];
      const fit = stl(deseasonalised, stlOptions(period, windows[i], options.style, options.robust));
      seasonal.set(fit.seasonal);
      for (let t = 0; t < n; t++) deseasonalised[t] -= seasonal[t];
      trend = fit.trend;
    });
  }
  const remainder = new Float64Array(n);
  for (let t = 0; t < n; t++) remainder[t] = deseasonalised[t] - trend[t];
  return { periods, seasonals, trend, remainder };
}
