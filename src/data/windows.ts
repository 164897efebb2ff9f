// The layout of the windows a network reads, shared by training (building its datasets) and
// serving (building a request's input), so the inputs a network is trained on and the inputs
// it is served are laid out by one piece of code.
//
// Input layout [batch, inputSize, windowSize]: channel 0 is the normalised sales value,
// channels 1.. the calendar features (src/data/features.ts: position k describes the period
// after value k, so the last position describes the first period forecast).
import type { CalendarEncoder } from "./features.js";

/**
 * Mean and z-score divisor of a series' values: z = (x − mean) / std. `std` is stored exactly as
 * the divisor (training stores the population std of the training part + 1e-6); nobody adds an
 * epsilon again. The network's checkpoints carry it (src/engine/checkpoint.ts).
 */
export interface NormalizationStats {
  /** Mean of the training part, in sales units. */
  mean: number;
  /** The z-score divisor, epsilon included: z = (x - mean) / std. */
  std: number;
}

export interface WindowLayout {
  windowSize: number;
  /** 1 + encoder channels. */
  inputSize: number;
  /** Periods the network predicts per call (model.horizon). */
  outputSize: number;
  stats: NormalizationStats;
  /** Present when the model reads calendar features. */
  encoder?: CalendarEncoder;
}

/**
 * Writes the feature channels of one window into x at `sampleOffset` (start of the sample's
 * [F, T] block). `lastDay` is the epoch day starting the period of the window's last value.
 */
export function fillWindowFeatures(layout: WindowLayout, x: Float32Array, sampleOffset: number, lastDay: number): void {
  const { encoder, windowSize: T } = layout;
  if (!encoder) return;
  for (let k = 0; k < T; k++) encoder.encode(encoder.shift(lastDay, k - T + 2), x, sampleOffset + T + k, T);
}

/** Normalises `count` sales values from values[from] into z[offset ..]. */
export function normaliseWindow(stats: NormalizationStats, values: ArrayLike<number>, from: number, count: number, z: Float32Array, offset: number): void {
  for (let k = 0; k < count; k++) z[offset + k] = (values[from + k] - stats.mean) / stats.std;
}
