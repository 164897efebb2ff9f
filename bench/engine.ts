// `npm run bench:engine [-- options]`: training throughput and single-window inference latency
// of the salescast engine against PyTorch on the same synthetic windows.
//
//   --epochs N         epochs over the windows, both sides (default 2)
//   --windows N        number of training windows (default 4096)
//   --latency-calls N  single-window predictions timed per side (default 2000)
//   --threads LIST     PyTorch thread counts to try, best reported (default 1,2)
//   --python PATH      interpreter with torch (default /usr/bin/python3)
//   --skip-torch       salescast side only
//   --json             machine-readable output

import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Adam, CnnLstmModel, mseLoss, Random, type ModelShape } from "../src/engine/index.js";
import { syntheticWindows, writeWindowFile, type WindowData } from "./engine-data.js";
import { runTorchReference, type TorchOutcome, type TorchRun } from "./engine-torch.js";

interface Options {
  epochs: number;
  windows: number;
  latencyCalls: number;
  threads: string;
  python: string;
  skipTorch: boolean;
  json: boolean;
}

const SHAPE: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 32, lstmHidden: 64, lstmLayers: 1, outputSize: 1 };
const BATCH = 32;
const LR = 1e-3;
const SEED = 42;

function parseOptions(argv: string[]): Options {
  const o: Options = { epochs: 2, windows: 4096, latencyCalls: 2000, threads: "1,2", python: "/usr/bin/python3", skipTorch: false, json: false };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${value ?? "nothing"}.`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--epochs") o.epochs = positive(flag, argv[++i]);
    else if (flag === "--windows") o.windows = positive(flag, argv[++i]);
    else if (flag === "--latency-calls") o.latencyCalls = positive(flag, argv[++i]);
    else if (flag === "--threads") o.threads = argv[++i] ?? o.threads;
    else if (flag === "--python") o.python = argv[++i] ?? o.python;
    else if (flag === "--skip-torch") o.skipTorch = true;
    else if (flag === "--json") o.json = true;
    else throw new Error(`Unknown option ${flag}. Options: --epochs N --windows N --latency-calls N --threads 1,2 --python PATH --skip-torch --json`);
  }
  if (o.windows < BATCH) throw new Error(`--windows must be at least the batch size ${BATCH}.`);
  return o;
}

/** Trains like the trainer does: seeded shuffle each epoch, batches of 32, MSE, Adam. */
function trainEpochs(model: CnnLstmModel, adam: Adam, data: WindowData, epochs: number, rng: Random): number {
  const W = data.windowSize;
  const order = Uint32Array.from({ length: data.count }, (_, i) => i);
  const xb = new Float32Array(BATCH * W);
  const yb = new Float32Array(BATCH);
  const dOut = new Float32Array(BATCH);
  let lastEpochLoss = Number.NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    let total = 0;
    let batches = 0;
    for (let start = 0; start < data.count; start += BATCH) {
      const B = Math.min(BATCH, data.count - start);
      for (let b = 0; b < B; b++) {
        const i = order[start + b];
        xb.set(data.inputs.subarray(i * W, (i + 1) * W), b * W);
        yb[b] = data.targets[i];
      }
      const x = B === BATCH ? xb : xb.subarray(0, B * W);
      model.params.zeroGrad();
      const pred = model.forward(x, B);
      total += mseLoss(pred, B === BATCH ? yb : yb.subarray(0, B), B === BATCH ? dOut : dOut.subarray(0, B));
      model.backward(B === BATCH ? dOut : dOut.subarray(0, B));
      adam.step();
      batches++;
    }
    lastEpochLoss = total / batches;
  }
  return lastEpochLoss;
}

function latencyMicros(model: CnnLstmModel, window: Float32Array, calls: number): { p50: number; p99: number; calls: number } {
  for (let i = 0; i < 200; i++) model.predict(window, 1);
  const times = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    model.predict(window, 1);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  times.sort();
  const pick = (q: number) => times[Math.min(calls - 1, Math.floor(q * calls))];
  return { p50: pick(0.5), p99: pick(0.99), calls };
}

function runSalescast(data: WindowData, o: Options) {
  // Warm-up on a throwaway model so the JIT has compiled the kernels before timing.
  const warm = new CnnLstmModel(SHAPE, SEED + 1);
  trainEpochs(warm, new Adam(warm.params, { lr: LR }), { ...data, count: Math.min(data.count, BATCH * 20) }, 1, new Random(SEED));
  const model = new CnnLstmModel(SHAPE, SEED);
  const adam = new Adam(model.params, { lr: LR });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const finalLoss = trainEpochs(model, adam, data, o.epochs, new Random(SEED));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    backend: model.backend.name,
    train_seconds: seconds,
    samples_per_second: (o.epochs * data.count) / seconds,
    train_cpu_seconds: cpuSeconds,
    samples_per_cpu_second: (o.epochs * data.count) / cpuSeconds,
    final_loss: finalLoss,
    latency_us: latencyMicros(model, data.inputs.slice(0, data.windowSize), o.latencyCalls),
  };
}

function best(results: TorchRun[]): { train: TorchRun; latency: TorchRun } {
  const train = results.reduce((a, b) => (b.samples_per_second > a.samples_per_second ? b : a));
  const latency = results.reduce((a, b) => (b.latency_us.p50 < a.latency_us.p50 ? b : a));
  return { train, latency };
}

function printTable(o: Options, ts: ReturnType<typeof runSalescast>, torch: TorchOutcome): void {
  const fmt = (v: number, digits = 0) => v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(`salescast engine benchmark: CNN+LSTM window ${SHAPE.windowSize}, conv ${SHAPE.convChannels}, LSTM ${SHAPE.lstmHidden}×${SHAPE.lstmLayers}, batch ${BATCH}, Adam lr ${LR}`);
  console.log(`${o.windows} windows × ${o.epochs} epochs = ${o.windows * o.epochs} training samples per side; ${o.latencyCalls} single-window predictions`);
  console.log(`salescast backend: ${ts.backend}, node ${process.version}; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const rows: [string, string, string, string][] = [["", "salescast", "PyTorch", "salescast ÷ PyTorch"]];
  if (torch.ran) {
    const { train, latency } = best(torch.results);
    console.log(`PyTorch ${torch.torchVersion}: ${torch.results.map((r) => `${r.threads} thread(s) ${fmt(r.samples_per_second)} samples/s, p50 ${fmt(r.latency_us.p50, 1)} µs`).join("; ")} (best shown)`);
    rows.push(
      ["train samples/s", fmt(ts.samples_per_second), `${fmt(train.samples_per_second)} (${train.threads}t)`, `${(ts.samples_per_second / train.samples_per_second).toFixed(2)}×`],
      ["train samples/CPU-s", fmt(ts.samples_per_cpu_second), `${fmt(train.samples_per_cpu_second)} (${train.threads}t)`, `${(ts.samples_per_cpu_second / train.samples_per_cpu_second).toFixed(2)}×`],
      ["inference p50 µs", fmt(ts.latency_us.p50, 1), `${fmt(latency.latency_us.p50, 1)} (${latency.threads}t)`, `${(ts.latency_us.p50 / latency.latency_us.p50).toFixed(2)}×`],
      ["inference p99 µs", fmt(ts.latency_us.p99, 1), `${fmt(latency.latency_us.p99, 1)} (${latency.threads}t)`, `${(ts.latency_us.p99 / latency.latency_us.p99).toFixed(2)}×`],
      ["last-epoch train loss", ts.final_loss.toFixed(4), train.final_loss.toFixed(4), "(sanity: similar)"],
    );
  } else {
    rows.push(
      ["train samples/s", fmt(ts.samples_per_second), "skipped", ""],
      ["train samples/CPU-s", fmt(ts.samples_per_cpu_second), "skipped", ""],
      ["inference p50 µs", fmt(ts.latency_us.p50, 1), "skipped", ""],
      ["inference p99 µs", fmt(ts.latency_us.p99, 1), "skipped", ""],
      ["last-epoch train loss", ts.final_loss.toFixed(4), "skipped", ""],
    );
  }
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  console.log("");
  for (const r of rows) console.log(`  ${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3].padStart(widths[3])}`);
  console.log("\nsamples/CPU-s divides by the process CPU time (all threads), which a busy machine disturbs less than wall time.");
  if (!torch.ran) console.log(`PyTorch reference skipped: ${torch.reason}`);
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const data = syntheticWindows(o.windows, SHAPE.windowSize, SEED);
  const ts = runSalescast(data, o);
  let torch: TorchOutcome = { ran: false, reason: "--skip-torch given" };
  if (!o.skipTorch) {
    const dir = mkdtempSync(join(tmpdir(), "salescast-bench-"));
    try {
      const file = join(dir, "windows.json");
      writeWindowFile(file, data);
      torch = runTorchReference(o.python, ["--data", file, "--epochs", String(o.epochs), "--batch", String(BATCH),
        "--lr", String(LR), "--conv", String(SHAPE.convChannels), "--hidden", String(SHAPE.lstmHidden),
        "--layers", String(SHAPE.lstmLayers), "--threads", o.threads, "--latency-calls", String(o.latencyCalls), "--seed", String(SEED)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (o.json) {
    const summary = torch.ran ? best(torch.results) : null;
    console.log(JSON.stringify({
      config: { ...SHAPE, batch: BATCH, lr: LR, windows: o.windows, epochs: o.epochs },
      load_average: loadavg(),
      salescast: ts,
      pytorch: torch.ran ? { torch_version: torch.torchVersion, runs: torch.results } : { skipped: torch.reason },
      ratios: summary ? {
        train_samples_per_second: ts.samples_per_second / summary.train.samples_per_second,
        train_samples_per_cpu_second: ts.samples_per_cpu_second / summary.train.samples_per_cpu_second,
        latency_p50: ts.latency_us.p50 / summary.latency.latency_us.p50,
        latency_p99: ts.latency_us.p99 / summary.latency.latency_us.p99,
      } : null,
    }, null, 2));
  } else {
    printTable(o, ts, torch);
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(`bench:engine: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
