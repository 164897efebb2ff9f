// How the CNN+LSTM turns windows into forecasts of any horizon, for training (validation,
// intervals, backtest) and serving alike; the windows themselves are laid out by
// src/data/windows.ts.
//
// Horizon: a model with outputSize O predicts O periods at once ("direct"; O = 1 is the
// reference's single-step network). Longer forecasts are block-recursive: the O predictions
// are appended to the window (in normalised units, nothing rounded twice), the window slides
// by O, its features move O periods on, and the network is asked again.
import { fillWindowFeatures, type WindowLayout } from "../../data/windows.js";

export type { WindowLayout };

/** predict(x [batch, F, T], batch) -> [batch, O] in normalised units. */
export type NormalisedPredict = (x: Float32Array, batch: number) => ArrayLike<number>;

/**
 * Forecast paths of `horizon` periods for `batch` windows. `zWindows` holds each window's T
 * normalised values [batch, T]; `lastDays[b]` the epoch day of window b's last period (needed
 * only with features). Returns normalised forecasts [batch, horizon].
 */
export function forecastNormalisedPaths(
  predict: NormalisedPredict,
  layout: WindowLayout,
  zWindows: Float32Array,
  lastDays: readonly number[] | undefined,
  batch: number,
  horizon: number,
): Float32Array {
  const { windowSize: T, inputSize: F, outputSize: O, encoder } = layout;
  if (encoder && (!lastDays || lastDays.length < batch)) throw new Error("a model with calendar features needs the date of each window's last value");
  const x = new Float32Array(batch * F * T);
  const days = lastDays ? [...lastDays] : [];
  for (let b = 0; b < batch; b++) {
    x.set(zWindows.subarray(b * T, (b + 1) * T), b * F * T);
    if (encoder) fillWindowFeatures(layout, x, b * F * T, days[b]);
  }
  const out = new Float32Array(batch * horizon);
  const extended = new Float32Array(T + O);
  for (let produced = 0; produced < horizon; produced += O) {
    const y = predict(x, batch);
    const take = Math.min(O, horizon - produced);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < take; j++) out[b * horizon + produced + j] = y[b * O + j];
    }
    if (produced + O >= horizon) break;
    for (let b = 0; b < batch; b++) {
      // Slide by O: the window becomes the last T of (window, O predictions).
      const row = b * F * T;
      extended.set(x.subarray(row, row + T));
      for (let j = 0; j < O; j++) extended[T + j] = y[b * O + j];
      x.set(extended.subarray(O, O + T), row);
      if (encoder) {
        days[b] = encoder.shift(days[b], O);
        fillWindowFeatures(layout, x, row, days[b]);
      }
    }
  }
  return out;
}
