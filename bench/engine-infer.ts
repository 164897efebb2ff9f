// Inference speed of every path that can answer a forecast: single-window latency (p50/p99 of
// many individually timed calls) and batched throughput (windows/s at one batch size), plus the
// largest difference from the engine's reference answer, so a fast path that is wrong shows.
import type { CnnLstmModel } from "../src/engine/index.js";
import { exportOnnx, ONNX_INPUT_NAME, ONNX_OUTPUT_NAME } from "../src/engine/onnx.js";

export interface Latency {
  p50: number;
  p99: number;
  calls: number;
}

/** Batched throughput: `calls` calls of `batch` windows in `seconds`. */
export interface BatchedRun {
  batch: number;
  calls: number;
  seconds: number;
  windows_per_second: number;
}

export interface InferenceRun {
  path: string;
  /** Threads the path computes on (its GFLOP/s is compared with the peak at this count). */
  threads: number;
  latency_us: Latency;
  batched: BatchedRun;
  /** Largest |this path - reference engine| over the batched input (normalised units). */
  max_abs_difference: number;
}

export interface InferenceSettings {
  latencyCalls: number;
  batch: number;
  minSeconds: number;
}

type SyncPredict = (x: Float32Array, batch: number) => Float32Array;
type AsyncPredict = (x: Float32Array, batch: number) => Promise<Float32Array>;

const WARMUP_CALLS = 200;

function percentiles(times: Float64Array): Latency {
  times.sort();
  const pick = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: pick(0.5), p99: pick(0.99), calls: times.length };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

/** Times a synchronous path. `expected` is the reference engine's answer for `inputs`. */
export function timeSync(
  path: string,
  threads: number,
  predict: SyncPredict,
  window: Float32Array,
  inputs: Float32Array,
  expected: Float32Array,
  s: InferenceSettings,
): InferenceRun {
  for (let i = 0; i < WARMUP_CALLS; i++) predict(window, 1);
  const times = new Float64Array(s.latencyCalls);
  for (let i = 0; i < s.latencyCalls; i++) {
    const t0 = process.hrtime.bigint();
    predict(window, 1);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const answer = predict(inputs, s.batch);
  let calls = 0;
  const t0 = performance.now();
  let seconds = 0;
  while (calls < 5 || seconds < s.minSeconds) {
    predict(inputs, s.batch);
    calls++;
    seconds = (performance.now() - t0) / 1000;
  }
  return {
    path,
    threads,
    latency_us: percentiles(times),
    batched: { batch: s.batch, calls, seconds, windows_per_second: (calls * s.batch) / seconds },
    max_abs_difference: maxDifference(answer, expected),
  };
}

/** The same measurement for a path that answers through a Promise (ONNX Runtime). */
export async function timeAsync(
  path: string,
  threads: number,
  predict: AsyncPredict,
  window: Float32Array,
  inputs: Float32Array,
  expected: Float32Array,
  s: InferenceSettings,
): Promise<InferenceRun> {
  for (let i = 0; i < WARMUP_CALLS; i++) await predict(window, 1);
  const times = new Float64Array(s.latencyCalls);
  for (let i = 0; i < s.latencyCalls; i++) {
    const t0 = process.hrtime.bigint();
    await predict(window, 1);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const answer = await predict(inputs, s.batch);
  let calls = 0;
  const t0 = performance.now();
  let seconds = 0;
  while (calls < 5 || seconds < s.minSeconds) {
    await predict(inputs, s.batch);
    calls++;
    seconds = (performance.now() - t0) / 1000;
  }
  return {
    path,
    threads,
    latency_us: percentiles(times),
    batched: { batch: s.batch, calls, seconds, windows_per_second: (calls * s.batch) / seconds },
    max_abs_difference: maxDifference(answer, expected),
  };
}

/**
 * ONNX Runtime (onnxruntime-node, a devDependency) on the model's ONNX export, once per thread
 * count. The export works in sales units; mean 0 and std 1 make it the normalised function the
 * other paths compute. Returns why it was skipped when the package cannot load.
 */
export async function timeOnnxRuntime(
  model: CnnLstmModel,
  threads: number[],
  window: Float32Array,
  inputs: Float32Array,
  expected: Float32Array,
  s: InferenceSettings,
): Promise<{ runs: InferenceRun[]; version?: string; skipped?: string }> {
  let ort: typeof import("onnxruntime-node");
  try {
    ort = await import("onnxruntime-node");
  } catch (error) {
    return {
      runs: [],
      skipped: `onnxruntime-node cannot load (${error instanceof Error ? error.message : String(error)}); npm install --save-dev onnxruntime-node`,
    };
  }
  const bytes = exportOnnx(model, { mean: 0, std: 1 });
  const T = model.shape.windowSize;
  const runs: InferenceRun[] = [];
  for (const n of threads) {
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: n,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    });
    try {
      const predict = async (x: Float32Array, batch: number) => {
        const result = await session.run({ [ONNX_INPUT_NAME]: new ort.Tensor("float32", x, [batch, T]) });
        return result[ONNX_OUTPUT_NAME].data as Float32Array;
      };
      runs.push(await timeAsync("ONNX Runtime", n, predict, window, inputs, expected, s));
    } finally {
      await session.release();
    }
  }
  return { runs, version: ort.env.versions.common };
}
