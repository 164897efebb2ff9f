// Deterministic synthetic data for the engine benchmark: a daily sales-like series (weekly and
// yearly seasonality, trend, noise), z-scored, cut into one-step-ahead windows. The same
// windows go to salescast and to the PyTorch reference through one file.

import { randomBytes } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import { Random } from "../src/engine/index.js";

export interface WindowData {
  windowSize: number;
  count: number;
  /** [count, windowSize] */
  inputs: Float32Array;
  /** [count] */
  targets: Float32Array;
}

export function syntheticWindows(count: number, windowSize: number, seed: number): WindowData {
  const rng = new Random(seed);
  const length = count + windowSize;
  const series = new Float64Array(length);
  for (let t = 0; t < length; t++) {
    series[t] = 100 + 0.01 * t + 20 * Math.sin((2 * Math.PI * t) / 7) + 10 * Math.sin((2 * Math.PI * t) / 365.25) + rng.normal(0, 5);
  }
  let mean = 0;
  for (const v of series) mean += v / length;
  let variance = 0;
  for (const v of series) variance += (v - mean) ** 2 / length;
  const std = Math.sqrt(variance) + 1e-6;
  const inputs = new Float32Array(count * windowSize);
  const targets = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < windowSize; k++) inputs[i * windowSize + k] = (series[i + k] - mean) / std;
    targets[i] = (series[i + windowSize] - mean) / std;
  }
  return { windowSize, count, inputs, targets };
}

/** Writes the windows as JSON with base64 little-endian float32 arrays (what torch_reference.py reads). */
export function writeWindowFile(path: string, data: WindowData): void {
  const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
  const body = JSON.stringify({ format_version: 1, window_size: data.windowSize, count: data.count, inputs: b64(data.inputs), targets: b64(data.targets) });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  writeFileSync(tmp, body);
  renameSync(tmp, path);
}
