// How the CNN+LSTM turns windows into forecasts of any horizon, shared by training
// (datasets, validation, intervals, backtest) and serving (SalesForecaster), so the inputs the
// network is trained on and the inputs it is served are built by one piece of code.
//
// Input layout [batch, inputSize, windowSize]: channel 0 is the normalised sales value,
// channels 1.. the calendar features (src/data/features.ts: position k describes the period
// after value k, so the last position describes the first period forecast).
//
// Horizon: a model with outputSize O predicts O periods at once ("direct"; O = 1 is the
// reference's single-step network). Longer forecasts are block-recursive: the O predictions
// are appended to the window (in normalised units, nothing rounded twice), the window slides
// by O, its features move O periods on, and the network is asked again.
import type { CalendarEncoder } from "../data/features.js";
import type { NormalizationStats } from "../engine/checkpoint.js";

export interface NetworkLayout {
  windowSize: number;
  /** 1 + encoder channels. */
  inputSize: number;
  /** Periods the network predicts per call (model.horizon). */
  outputSize: number;
  stats: NormalizationStats;
  /** Present when the model reads calendar features. */
  encoder?: CalendarEncoder;
}

/** predict(x [batch, F, T], batch) -> [batch, O] in normalised units. */
export type NormalisedPredict = (x: Float32Array, batch: number) => ArrayLike<number>;

/**
 * Writes the feature channels of one window into x at `sampleOffset` (start of the sample's
 * [F, T] block). `lastDay` is the epoch day starting the period of the window's last value.
 */
export function fillWindowFeatures(layout: NetworkLayout, x: Float32Array, sampleOffset: number, lastDay: number): void {
  const { encoder, windowSize: T } = layout;
  if (!encoder) return;
  for (let k = 0; k < T; k++) encoder.encode(encoder.shift(lastDay, k - T + 2), x, sampleOffset + T + k, T);
}

/**
 * Forecast paths of `horizon` periods for `batch` windows. `zWindows` holds each window's T
 * normalised values [batch, T]; `lastDays[b]` the epoch day of window b's last period (needed
 * only with features). Returns normalised forecasts [batch, horizon].
 */
export function forecastNormalisedPaths(
  predict: NormalisedPredict,
  layout: NetworkLayout,
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

/** Normalises a window of sales values into z[offset .. offset + T). */
export function normaliseWindow(stats: NormalizationStats, values: ArrayLike<number>, from: number, count: number, z: Float32Array, offset: number): void {
  for (let k = 0; k < count; k++) z[offset + k] = (values[from + k] - stats.mean) / stats.std;
}
