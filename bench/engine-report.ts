// The engine benchmark's figures, derived ratios and tables (terminal text or README Markdown).
//   ×PyTorch  this path's figure ÷ the best PyTorch figure over the thread counts tried
//             (for latency a time ratio: 0.1× means ten times faster)
//   GFLOP/s   items per second × FLOPs per item (bench/engine-flops.ts)
//   % peak    GFLOP/s ÷ the large-sgemm GFLOP/s at the same thread count
import { formatTextTable } from "../src/util/text-table.js";
import type { InferenceRun } from "./engine-infer.js";
import type { TorchRun } from "./engine-torch.js";
import type { TrainRun } from "./engine-train.js";

export interface BenchResults {
  config: Record<string, unknown> & {
    windowSize: number;
    convChannels: number;
    lstmHidden: number;
    lstmLayers: number;
    batches: number[];
    lr: number;
    windows: number;
    epochs: number;
    infer_batch: number;
    latency_calls: number;
  };
  node: string;
  /** 1, 5 and 15-minute load averages when the run started and when it ended. */
  load_average: { start: number[]; end: number[] };
  flops: { forward: number; training_per_sample: number };
  backends: Array<{ name: string; description?: string; threads?: number; train?: TrainRun[]; skipped?: string }>;
  inference: InferenceRun[];
  /** What engine.backend: auto (the default) takes in this process, and why native is not it when it is not. */
  auto_backend: { name: string; native_unavailable?: string };
  onnx: { version: string } | { skipped: string };
  pytorch: { torch_version: string; blas: string | null; runs: TorchRun[] } | { skipped: string };
}

interface TrainRow {
  path: string;
  threads: number;
  cells: Array<{ batch: number; samples_per_second: number; vs_pytorch?: number; gflops: number; peak_fraction?: number }>;
}

interface InferRow {
  path: string;
  threads: number;
  p50_us: number;
  p99_us: number;
  p50_vs_pytorch?: number;
  p99_vs_pytorch?: number;
  windows_per_second: number;
  throughput_vs_pytorch?: number;
  gflops: number;
  peak_fraction?: number;
  max_abs_difference?: number;
}

export interface Summary {
  peak_gflops: Record<number, number>;
  training: TrainRow[];
  inference: InferRow[];
}

export function summarise(r: BenchResults): Summary {
  const torchRuns = "runs" in r.pytorch ? r.pytorch.runs : [];
  const peak: Record<number, number> = {};
  for (const run of torchRuns) if (run.peak) peak[run.threads] = run.peak.gflops;
  const fraction = (gflops: number, threads: number) => (peak[threads] ? gflops / peak[threads] : undefined);
  const ratio = (ours: number, theirs: number | undefined) => (theirs ? ours / theirs : undefined);

  const bestTrain = (batch: number) => Math.max(0, ...torchRuns.map((t) => t.train.find((x) => x.batch === batch)?.samples_per_second ?? 0));
  const trainCells = (runs: TrainRun[], threads: number, compare: boolean) =>
    runs.map((run) => {
      const gflops = (run.samples_per_second * r.flops.training_per_sample) / 1e9;
      return {
        batch: run.batch,
        samples_per_second: run.samples_per_second,
        vs_pytorch: compare ? ratio(run.samples_per_second, bestTrain(run.batch)) : undefined,
        gflops,
        peak_fraction: fraction(gflops, threads),
      };
    });
  const training: TrainRow[] = [
    ...r.backends
      .filter((b) => b.train)
      .map((b) => ({ path: `engine, ${b.name} backend`, threads: b.threads ?? 1, cells: trainCells(b.train!, b.threads ?? 1, true) })),
    ...torchRuns.map((t) => ({ path: "PyTorch", threads: t.threads, cells: trainCells(t.train, t.threads, false) })),
  ];

  const bestP50 = torchRuns.length ? Math.min(...torchRuns.map((t) => t.latency_us.p50)) : undefined;
  const bestP99 = torchRuns.length ? Math.min(...torchRuns.map((t) => t.latency_us.p99)) : undefined;
  const bestBatched = torchRuns.length ? Math.max(...torchRuns.map((t) => t.batched.windows_per_second)) : undefined;
  const inferRow = (path: string, threads: number, latency: { p50: number; p99: number }, perSecond: number, compare: boolean, diff?: number): InferRow => {
    const gflops = (perSecond * r.flops.forward) / 1e9;
    return {
      path,
      threads,
      p50_us: latency.p50,
      p99_us: latency.p99,
      p50_vs_pytorch: compare ? ratio(latency.p50, bestP50) : undefined,
      p99_vs_pytorch: compare ? ratio(latency.p99, bestP99) : undefined,
      windows_per_second: perSecond,
      throughput_vs_pytorch: compare ? ratio(perSecond, bestBatched) : undefined,
      gflops,
      peak_fraction: fraction(gflops, threads),
      max_abs_difference: diff,
    };
  };
  const inference: InferRow[] = [
    ...r.inference.map((i) => inferRow(i.path, i.threads, i.latency_us, i.batched.windows_per_second, true, i.max_abs_difference)),
    ...torchRuns.map((t) => inferRow("PyTorch", t.threads, t.latency_us, t.batched.windows_per_second, false)),
  ];
  return { peak_gflops: peak, training, inference };
}

const num = (v: number, digits = 0) => v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const times = (v: number | undefined) => (v === undefined ? "" : `${v < 0.1 ? v.toFixed(3) : v.toFixed(2)}×`);
const percent = (v: number | undefined) => (v === undefined ? "" : `${(100 * v).toFixed(1)}%`);
const threadLabel = (n: number) => `${n}`;

function headerLines(r: BenchResults, s: Summary): string[] {
  const c = r.config;
  const lines = [
    `CNN+LSTM window ${c.windowSize}, conv ${c.convChannels}, LSTM ${c.lstmHidden}×${c.lstmLayers}, Adam lr ${c.lr}; node ${r.node}; ` +
      `load average ${r.load_average.start.map((l) => l.toFixed(2)).join(" ")} at the start, ${r.load_average.end.map((l) => l.toFixed(2)).join(" ")} at the end`,
    `work from the shape (bench/engine-flops.ts): ${num(r.flops.forward)} FLOP per forecast, ${num(r.flops.training_per_sample)} FLOP per training sample`,
  ];
  if ("runs" in r.pytorch) {
    const peaks = Object.entries(s.peak_gflops).map(([t, g]) => `${t} thread${t === "1" ? "" : "s"} ${num(g, 1)} GFLOP/s`);
    const size = r.pytorch.runs.find((t) => t.peak)?.peak?.size;
    if (peaks.length)
      lines.push(
        `machine peak, float32 ${size}×${size} matrix product (PyTorch ${r.pytorch.torch_version}, ${r.pytorch.blas ?? "BLAS library unknown"}): ${peaks.join(", ")}`,
      );
  } else {
    lines.push(`PyTorch skipped: ${r.pytorch.skipped}`);
  }
  for (const b of r.backends) lines.push(b.skipped ? `backend ${b.name} skipped: ${b.skipped}` : `backend ${b.name}: ${b.description ?? b.name}`);
  if ("skipped" in r.onnx) lines.push(`ONNX Runtime skipped: ${r.onnx.skipped}`);
  else lines.push(`ONNX Runtime ${r.onnx.version} (onnxruntime-node) on the model's ONNX export`);
  const why = r.auto_backend.native_unavailable ? ` (native unavailable: ${r.auto_backend.native_unavailable})` : "";
  lines.push(`training and serving use engine.backend; its default, auto, is ${r.auto_backend.name} here${why}`);
  return lines;
}

function trainTable(r: BenchResults, s: Summary): { header: string[]; rows: string[][] } {
  const header = ["path", "threads"];
  for (const batch of r.config.batches) header.push(`batch ${batch} samples/s`, "×PyTorch", "GFLOP/s", "% peak");
  const rows = s.training.map((row) => [
    row.path,
    threadLabel(row.threads),
    ...row.cells.flatMap((c) => [num(c.samples_per_second), times(c.vs_pytorch), num(c.gflops, 2), percent(c.peak_fraction)]),
  ]);
  return { header, rows };
}

function inferTable(r: BenchResults, s: Summary): { header: string[]; rows: string[][] } {
  const header = [
    "path",
    "threads",
    "p50 µs",
    "p99 µs",
    "p50 ×PyTorch",
    "p99 ×PyTorch",
    `windows/s (batch ${r.config.infer_batch})`,
    "×PyTorch",
    "GFLOP/s",
    "% peak",
    "max |Δ|",
  ];
  const rows = s.inference.map((i) => [
    i.path,
    threadLabel(i.threads),
    num(i.p50_us, 1),
    num(i.p99_us, 1),
    times(i.p50_vs_pytorch),
    times(i.p99_vs_pytorch),
    num(i.windows_per_second),
    times(i.throughput_vs_pytorch),
    num(i.gflops, 2),
    percent(i.peak_fraction),
    i.max_abs_difference === undefined ? "" : i.max_abs_difference.toExponential(1),
  ]);
  return { header, rows };
}

/** Issue 9's goals: training at least 2× PyTorch, single-window latency at most 0.1× PyTorch's. */
function goalLines(s: Summary): string[] {
  const lines: string[] = [];
  for (const row of s.training) {
    if (row.path === "PyTorch") continue;
    const cells = row.cells.filter((c) => c.vs_pytorch !== undefined);
    if (cells.length)
      lines.push(
        `training ≥ 2× PyTorch, ${row.path}: ${cells.map((c) => `batch ${c.batch} ${times(c.vs_pytorch)} ${c.vs_pytorch! >= 2 ? "met" : "not met"}`).join(", ")}`,
      );
  }
  for (const row of s.inference) {
    if (row.p50_vs_pytorch === undefined || row.p99_vs_pytorch === undefined) continue;
    const met = row.p50_vs_pytorch <= 0.1 && row.p99_vs_pytorch <= 0.1;
    lines.push(
      `latency ≤ 0.1× PyTorch, ${row.path}${row.path === "ONNX Runtime" ? ` ${row.threads}t` : ""}: p50 ${times(row.p50_vs_pytorch)}, p99 ${times(row.p99_vs_pytorch)} ${met ? "met" : "not met"}`,
    );
  }
  return lines;
}

export function printText(r: BenchResults): void {
  const s = summarise(r);
  console.log(`salescast engine benchmark: ${headerLines(r, s).join("\n")}`);
  const c = r.config;
  console.log(`\nTraining: ${num(c.windows)} windows × ${c.epochs} epoch${c.epochs === 1 ? "" : "s"} per batch size (the trainer's loop: shuffle, MSE, Adam)`);
  const t = trainTable(r, s);
  console.log(formatTextTable(t.header, t.rows, { textColumns: 1 }));
  console.log(`\nInference: ${num(c.latency_calls)} single-window calls timed one by one; batched throughput at ${c.infer_batch} windows per call`);
  const i = inferTable(r, s);
  console.log(formatTextTable(i.header, i.rows, { textColumns: 1 }));
  const goals = goalLines(s);
  if (goals.length) console.log(`\nGoals (issue 9):\n${goals.map((g) => `  ${g}`).join("\n")}`);
  console.log(
    "\n×PyTorch: ÷ the best PyTorch figure over its thread counts (latency: time ratio, lower is faster). " +
      "% peak: of the sgemm peak at the same thread count. max |Δ|: largest difference from the reference engine's answer (normalised units).",
  );
}

function markdownTable(header: string[], rows: string[][]): string {
  const align = header.map((_, i) => (i === 0 ? "---" : "---:"));
  const escape = (cell: string) => cell.replaceAll("|", "\\|");
  return [header, align, ...rows].map((cells) => `| ${cells.map(escape).join(" | ")} |`).join("\n");
}

export function printMarkdown(r: BenchResults): void {
  const s = summarise(r);
  for (const line of headerLines(r, s)) console.log(`${line}  `);
  const t = trainTable(r, s);
  console.log(`\n${markdownTable(t.header, t.rows)}\n`);
  const i = inferTable(r, s);
  console.log(markdownTable(i.header, i.rows));
}
