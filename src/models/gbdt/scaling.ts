// Per-series target scaling: one (center, scale) pair per series, computed from the history
// before the cutoff only (the values passed in), applied to every value of that series before
// its features are built, and undone on the forecasts. Trees are fitted across series in these
// units, so a store selling 10 a day and one selling 10,000 share one model.
import type { GbdtScaling } from "./types.js";

export interface SeriesScaling {
  center: number;
  /** Never 0 (see seriesScaling). */
  scale: number;
}

/**
 * The scaling of `values` (the history) by `method`, over its last `window` periods (0 = all).
 * When those periods give no spread (all zero, or constant) the whole history is used, and
 * when it has none either, the scale is 1.
 */
export function seriesScaling(values: Float64Array, method: GbdtScaling, window: number): SeriesScaling {
  let s = scalingFrom(values, method, window > 0 ? Math.max(0, values.length - window) : 0);
  if (s.scale === 0 && window > 0) s = scalingFrom(values, method, 0);
  return s.scale === 0 ? { ...s, scale: 1 } : s;
}

/** center and scale over values[from ..]; scale 0 when there is no spread. */
function scalingFrom(values: Float64Array, method: GbdtScaling, from: number): SeriesScaling {
  if (method === "none" || values.length === 0) return { center: 0, scale: 1 };
  const n = values.length - from;
  if (method === "mean_abs") {
    let sum = 0;
    for (let t = from; t < values.length; t++) sum += Math.abs(values[t]);
    const scale = sum / n;
    return { center: 0, scale: scale > 0 && Number.isFinite(scale) ? scale : 0 };
  }
  let mean = 0;
  for (let t = from; t < values.length; t++) mean += values[t];
  mean /= n;
  let squares = 0;
  for (let t = from; t < values.length; t++) squares += (values[t] - mean) ** 2;
  const std = Math.sqrt(squares / n); // ddof 0, as mlforecast's LocalStandardScaler
  // A spread below rounding noise of the level is a constant series: dividing by it would blow noise up.
  const constant = !(std > 1e-12 * Math.max(1, Math.abs(mean)));
  return { center: mean, scale: constant ? 0 : std };
}

/** values scaled into `out` (which may be longer: the rest is left as it is). */
export function scaleInto(values: Float64Array, s: SeriesScaling, out: Float64Array): void {
  for (let t = 0; t < values.length; t++) out[t] = (values[t] - s.center) / s.scale;
}

export function unscale(value: number, s: SeriesScaling): number {
  return value * s.scale + s.center;
}
