// Reads the PyTorch reference fixtures written by tools/torch_fixtures.py (format_version 1)
// and compares tensors the way the parity tests report them.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ModelShape } from "../../src/engine/index.js";

export const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/engine/", import.meta.url));
export const SUPPORTED_FORMAT_VERSION = 1;

export interface FixtureTensor {
  shape: number[];
  data: Float32Array;
}

export interface TorchFixture {
  file: string;
  config: {
    name: string;
    window_size: number;
    input_size: number;
    conv_channels: number;
    lstm_hidden: number;
    lstm_layers: number;
    output_size: number;
    batch: number;
    seed: number;
  };
  optimizer: { lr: number; beta1: number; beta2: number; eps: number; weight_decay: number; clip_norm: number | null; steps: number };
  tensors: Map<string, FixtureTensor>;
}

export function listFixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

export function loadFixture(file: string): TorchFixture {
  const raw = JSON.parse(readFileSync(join(FIXTURE_DIR, file), "utf8"));
  if (raw.format_version !== SUPPORTED_FORMAT_VERSION) {
    throw new Error(
      `${file}: format_version ${raw.format_version}, this reader understands ${SUPPORTED_FORMAT_VERSION}. Regenerate with /usr/bin/python3 tools/torch_fixtures.py.`,
    );
  }
  const tensors = new Map<string, FixtureTensor>();
  for (const [key, t] of Object.entries<{ shape: number[]; dtype: string; data: string }>(raw.tensors)) {
    if (t.dtype !== "float32") throw new Error(`${file}: tensor ${key} has dtype ${t.dtype}, expected float32.`);
    const bytes = Buffer.from(t.data, "base64");
    // Copy into a fresh, aligned buffer (base64 Buffers may sit at any offset of a pool).
    const data = new Float32Array(new Uint8Array(bytes).buffer);
    const expected = t.shape.reduce((p, d) => p * d, 1);
    if (data.length !== expected) throw new Error(`${file}: tensor ${key} has ${data.length} values, shape says ${expected}.`);
    tensors.set(key, { shape: t.shape, data });
  }
  return { file, config: raw.config, optimizer: raw.optimizer, tensors };
}

export function fixtureShape(f: TorchFixture): ModelShape {
  const c = f.config;
  return {
    windowSize: c.window_size,
    inputSize: c.input_size,
    convChannels: c.conv_channels,
    lstmHidden: c.lstm_hidden,
    lstmLayers: c.lstm_layers,
    outputSize: c.output_size,
  };
}

export function tensor(f: TorchFixture, key: string): Float32Array {
  const t = f.tensors.get(key);
  if (!t) throw new Error(`${f.file}: no tensor "${key}"`);
  return t.data;
}

export interface Comparison {
  name: string;
  maxAbs: number;
  relative: number;
  tolerance: number;
  ok: boolean;
}

/** relative = max|a-b| / max(max|b|, 1e-8) over the tensor (b is the reference). */
export function compare(name: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): Comparison {
  if (actual.length !== expected.length) {
    return { name, maxAbs: Infinity, relative: Infinity, tolerance, ok: false };
  }
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= maxAbs)) maxAbs = diff; // NaN propagates as a failure
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  const relative = maxAbs / Math.max(scale, 1e-8);
  return { name, maxAbs, relative, tolerance, ok: relative <= tolerance };
}

export function formatTable(title: string, rows: Comparison[]): string {
  const width = Math.max(...rows.map((r) => r.name.length), 6);
  const lines = [title, `  ${"tensor".padEnd(width)}  ${"max|a-b|".padStart(10)}  ${"relative".padStart(10)}  ${"tol".padStart(7)}`];
  for (const r of rows) {
    lines.push(
      `  ${r.name.padEnd(width)}  ${r.maxAbs.toExponential(2).padStart(10)}  ${r.relative.toExponential(2).padStart(10)}  ${r.tolerance.toExponential(0).padStart(7)}${r.ok ? "" : "  FAIL"}`,
    );
  }
  return lines.join("\n");
}
