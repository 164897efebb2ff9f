// `npm run bench:engine [-- options]`: the engine on each of its backends (reference, native),
// ONNX Runtime on the model's export and PyTorch on the same synthetic windows:
// training samples/s per batch size, single-window latency, batched inference throughput, each
// as GFLOP/s and as a fraction of the machine's peak (a large sgemm through PyTorch's BLAS).
//
//   --epochs N         epochs over the windows per batch size, every side (default 2)
//   --windows N        number of training windows (default 4096)
//   --batches LIST     training batch sizes (default 32,128)
//   --latency-calls N  single-window predictions timed per path (default 2000)
//   --infer-batch N    windows per call for batched inference (default 256)
//   --min-seconds S    shortest timing of batched inference and of the peak sgemm (default 1)
//   --threads LIST     PyTorch and ONNX Runtime thread counts (default 1,2)
//   --peak-size N      n of the n×n sgemm measuring peak GFLOP/s, 0 to skip (default 2048)
//   --backends LIST    engine backends to run: reference, native (default: both)
//   --python PATH      interpreter with torch (default /usr/bin/python3)
//   --skip-torch       no PyTorch (and no peak)
//   --skip-onnx        no ONNX Runtime
//   --markdown         the tables as Markdown (for the README)
//   --json             machine-readable output

import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  availableBackends,
  CnnLstmModel,
  describeNativeBackend,
  getBackend,
  nativeBackendProblem,
  resolveBackendName,
  type Backend,
  type BackendName,
  type ModelShape,
} from "../src/engine/index.js";
import { syntheticWindows, writeWindowFile } from "./engine-data.js";
import { forwardFlops, trainingFlopsPerSample } from "./engine-flops.js";
import { timeOnnxRuntime, timeSync, type InferenceRun, type InferenceSettings } from "./engine-infer.js";
import { printMarkdown, printText, summarise, type BenchResults } from "./engine-report.js";
import { runTorchReference, type TorchOutcome } from "./engine-torch.js";
import { timeTraining } from "./engine-train.js";

export interface Options {
  epochs: number;
  windows: number;
  batches: number[];
  latencyCalls: number;
  inferBatch: number;
  minSeconds: number;
  threads: number[];
  peakSize: number;
  backends: BackendName[] | undefined;
  python: string;
  skipTorch: boolean;
  skipOnnx: boolean;
  markdown: boolean;
  json: boolean;
}

const SHAPE: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 32, lstmHidden: 64, lstmLayers: 1, outputSize: 1 };
const LR = 1e-3;
const SEED = 42;
const USAGE =
  "Options: --epochs N --windows N --batches 32,128 --latency-calls N --infer-batch N --min-seconds S " +
  "--threads 1,2 --peak-size N --backends a,b --python PATH --skip-torch --skip-onnx --markdown --json";

function parseOptions(argv: string[]): Options {
  const o: Options = {
    epochs: 2,
    windows: 4096,
    batches: [32, 128],
    latencyCalls: 2000,
    inferBatch: 256,
    minSeconds: 1,
    threads: [1, 2],
    peakSize: 2048,
    backends: undefined,
    python: "/usr/bin/python3",
    skipTorch: false,
    skipOnnx: false,
    markdown: false,
    json: false,
  };
  const integer = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer of at least ${min}, got ${value ?? "nothing"}.`);
    return n;
  };
  const list = (flag: string, value: string | undefined): number[] => {
    const items = (value ?? "").split(",").filter((s) => s.trim() !== "");
    if (items.length === 0) throw new Error(`${flag} needs a comma-separated list of positive integers, got ${value ?? "nothing"}.`);
    return items.map((s) => integer(flag, s.trim(), 1));
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--epochs") o.epochs = integer(flag, argv[++i], 1);
    else if (flag === "--windows") o.windows = integer(flag, argv[++i], 1);
    else if (flag === "--batches") o.batches = list(flag, argv[++i]);
    else if (flag === "--latency-calls") o.latencyCalls = integer(flag, argv[++i], 1);
    else if (flag === "--infer-batch") o.inferBatch = integer(flag, argv[++i], 1);
    else if (flag === "--min-seconds") {
      o.minSeconds = Number(argv[++i]);
      if (!(o.minSeconds > 0)) throw new Error(`--min-seconds needs a positive number of seconds, got ${argv[i] ?? "nothing"}.`);
    } else if (flag === "--threads") o.threads = list(flag, argv[++i]);
    else if (flag === "--peak-size") o.peakSize = integer(flag, argv[++i], 0);
    else if (flag === "--backends")
      o.backends = (argv[++i] ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean) as BackendName[];
    else if (flag === "--python") o.python = argv[++i] ?? o.python;
    else if (flag === "--skip-torch") o.skipTorch = true;
    else if (flag === "--skip-onnx") o.skipOnnx = true;
    else if (flag === "--markdown") o.markdown = true;
    else if (flag === "--json") o.json = true;
    else throw new Error(`Unknown option ${flag}. ${USAGE}`);
  }
  const largest = Math.max(...o.batches, o.inferBatch);
  if (o.windows < largest) throw new Error(`--windows (${o.windows}) must be at least the largest batch size (${largest}).`);
  for (const name of o.backends ?? []) {
    if (!availableBackends().includes(name)) throw new Error(`--backends: no backend "${name}"; the engine has ${availableBackends().join(", ")}.`);
  }
  return o;
}

/**
 * Threads a backend computes on, for its "% peak": the native backend names them in its
 * description ("C++ addon, AVX2+FMA kernels, 2 threads"); the reference backend uses one.
 */
function backendThreads(backend: Backend): number {
  if (backend.name !== "native") return 1;
  const match = /(\d+) threads?/.exec(describeNativeBackend());
  return match ? Number(match[1]) : 1;
}

function torchArgs(o: Options, file: string): string[] {
  return [
    "--data",
    file,
    "--epochs",
    String(o.epochs),
    "--batches",
    o.batches.join(","),
    "--lr",
    String(LR),
    "--conv",
    String(SHAPE.convChannels),
    "--hidden",
    String(SHAPE.lstmHidden),
    "--layers",
    String(SHAPE.lstmLayers),
    "--threads",
    o.threads.join(","),
    "--latency-calls",
    String(o.latencyCalls),
    "--infer-batch",
    String(o.inferBatch),
    "--min-seconds",
    String(o.minSeconds),
    "--peak-size",
    String(o.peakSize),
    "--seed",
    String(SEED),
  ];
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const loadAtStart = loadavg();
  const data = syntheticWindows(o.windows, SHAPE.windowSize, SEED);
  const trainSettings = { shape: SHAPE, epochs: o.epochs, lr: LR, seed: SEED };
  const inferSettings: InferenceSettings = { latencyCalls: o.latencyCalls, batch: o.inferBatch, minSeconds: o.minSeconds };
  const T = SHAPE.windowSize;
  const window = data.inputs.slice(0, T);
  const inputs = data.inputs.slice(0, o.inferBatch * T);

  // Every backend and ONNX Runtime run the same weights (a model on the reference backend), so
  // their answers can be compared with the reference engine's.
  const weights = new CnnLstmModel(SHAPE, SEED, { backend: getBackend("reference") });
  const expected = weights.predict(inputs, o.inferBatch);

  const backends: BenchResults["backends"] = [];
  const inference: InferenceRun[] = [];
  for (const name of o.backends ?? availableBackends()) {
    let backend;
    try {
      backend = getBackend(name);
    } catch (error) {
      backends.push({ name, skipped: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const description = name === "native" ? describeNativeBackend() : "TypeScript";
    backends.push({ name, description, threads: backendThreads(backend), train: timeTraining(backend, data, o.batches, trainSettings).runs });
    const model = new CnnLstmModel(SHAPE, 0, { backend });
    model.params.data.set(weights.params.data);
    inference.push(timeSync(`engine, ${name} backend`, backendThreads(backend), (x, b) => model.predict(x, b), window, inputs, expected, inferSettings));
  }

  let onnx: BenchResults["onnx"] = { skipped: "--skip-onnx given" };
  if (!o.skipOnnx) {
    const ort = await timeOnnxRuntime(weights, o.threads, window, inputs, expected, inferSettings);
    inference.push(...ort.runs);
    onnx = ort.skipped === undefined ? { version: ort.version ?? "?" } : { skipped: ort.skipped };
  }

  let torch: TorchOutcome = { ran: false, reason: "--skip-torch given" };
  if (!o.skipTorch) {
    const dir = mkdtempSync(join(tmpdir(), "salescast-bench-"));
    try {
      const file = join(dir, "windows.json");
      writeWindowFile(file, data);
      torch = runTorchReference(o.python, torchArgs(o, file));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const results: BenchResults = {
    config: { ...SHAPE, batches: o.batches, lr: LR, windows: o.windows, epochs: o.epochs, infer_batch: o.inferBatch, latency_calls: o.latencyCalls },
    node: process.version,
    load_average: { start: loadAtStart, end: loadavg() },
    flops: { forward: forwardFlops(SHAPE), training_per_sample: trainingFlopsPerSample(SHAPE) },
    backends,
    inference,
    auto_backend: { name: resolveBackendName("auto"), ...(nativeBackendProblem() === undefined ? {} : { native_unavailable: nativeBackendProblem() }) },
    onnx,
    pytorch: torch.ran ? { torch_version: torch.torchVersion, blas: torch.blas, runs: torch.results } : { skipped: torch.reason },
  };
  if (o.json) console.log(JSON.stringify({ ...results, summary: summarise(results) }, null, 2));
  else if (o.markdown) printMarkdown(results);
  else printText(results);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`bench:engine: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
