// `npm run bench:http [-- options]`: POST /api/predict under load, salescast next to the
// reference stack (FastAPI + uvicorn + PyTorch, bench/http_reference.py) serving the same
// model shape (window 14, conv 32, hidden 64; random weights, fixed seed) and the same body.
//
//   --connections N   concurrent connections (default 64)
//   --duration S      measured seconds per server (default 10)
//   --warmup S        unmeasured seconds before each measurement (default 2)
//   --python PATH     interpreter with fastapi, uvicorn and torch (default /usr/bin/python3)
//   --skip-reference  salescast only
//   --json            machine-readable output
//
// The salescast server runs in this process; autocannon runs as a child process, so load
// generation and serving do not share an event loop. Both servers log no per-request lines.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configSchema, type Config } from "../src/config/schema.js";
import { saveCheckpoint } from "../src/engine/checkpoint.js";
import { CnnLstmModel, type ModelShape } from "../src/engine/model.js";
import { LocalRegistry } from "../src/registry/index.js";
import { buildApp } from "../src/server/app.js";
import { listen } from "../src/server/listen.js";

interface Options {
  connections: number;
  duration: number;
  warmup: number;
  python: string;
  skipReference: boolean;
  json: boolean;
}

interface LoadResult {
  server: string;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const SHAPE: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 32, lstmHidden: 64, lstmLayers: 1, outputSize: 1 };
const NORMALIZATION = { mean: 120, std: 30 };
const SERIES = Array.from({ length: SHAPE.windowSize }, (_, i) => Math.round((120 + 25 * Math.sin(i)) * 100) / 100);
const BODY = JSON.stringify({ series: SERIES });

function parseOptions(argv: string[]): Options {
  const o: Options = { connections: 64, duration: 10, warmup: 2, python: "/usr/bin/python3", skipReference: false, json: false };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${value ?? "nothing"}.`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--connections") o.connections = positive(flag, argv[++i]);
    else if (flag === "--duration") o.duration = positive(flag, argv[++i]);
    else if (flag === "--warmup") o.warmup = Number(argv[++i] ?? "2");
    else if (flag === "--python") o.python = argv[++i] ?? o.python;
    else if (flag === "--skip-reference") o.skipReference = true;
    else if (flag === "--json") o.json = true;
    else throw new Error(`Unknown option ${flag}. Options: --connections N --duration S --warmup S --python PATH --skip-reference --json`);
  }
  if (!(o.warmup >= 0)) throw new Error("--warmup needs a number of seconds (0 for none).");
  return o;
}

function benchConfig(root: string): Config {
  return configSchema.parse({
    data: {
      csv_path: join(root, "unused.csv"),
      layout: "long",
      date_column: "Date",
      category_column: "Product Category",
      value_column: "Total Amount",
      series_columns: [],
      frequency: "D",
      fill: "zero",
      available_categories: [],
      item_id: "Beauty",
      window_size: SHAPE.windowSize,
      batch_size: 32,
      val_fraction: 0.2,
      test_fraction: 0,
    },
    model: { architecture: "CNNLSTM", input_size: 1, conv_channels: SHAPE.convChannels, lstm_hidden: SHAPE.lstmHidden, lstm_layers: 1, lr: 0.001 },
    train: {
      max_epochs: 1,
      gpus: 0,
      seed: 42,
      patience: 1,
      grad_clip: 0,
      weight_decay: 0,
      mlflow_tracking_uri: "",
      experiment_name: "bench",
      checkpoint_path: join(root, "checkpoints", "model.ckpt"),
      normalization_path: join(root, "checkpoints", "normalization.json"),
    },
    app: { host: "127.0.0.1", port: 0, api_url: "" },
    tracking: { uri: join(root, "mlruns") },
  });
}

/** Registers a randomly initialised model of the reference shape (throughput does not depend on the weights). */
async function registerModel(registry: LocalRegistry): Promise<void> {
  const model = new CnnLstmModel(SHAPE, 42);
  const staging = await registry.stage("Beauty");
  await saveCheckpoint(staging, model, {
    normalization: NORMALIZATION,
    data: { file: "bench", sha256: "0".repeat(64), category: "Beauty", start: "2023-01-01", end: "2023-12-31", frequency: "D" },
  });
  await registry.commit("Beauty", staging, { windowSize: SHAPE.windowSize });
}

function autocannonPath(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve("autocannon/package.json"), "..", "autocannon.js");
}

/** Runs autocannon in a child process against url; resolves with its JSON summary. */
function runAutocannon(url: string, connections: number, seconds: number): Promise<Record<string, any>> {
  const args = [autocannonPath(), "-c", String(connections), "-d", String(seconds), "-m", "POST", "-H", "content-type=application/json", "-b", BODY, "-j", url];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`autocannon printed no JSON: ${out.slice(0, 200)} ${err.slice(0, 200)}`));
      }
    });
  });
}

async function measure(server: string, url: string, o: Options): Promise<LoadResult> {
  // One request first: the load is meaningless if the answer is wrong.
  const check = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: BODY });
  const answer = (await check.json()) as { predicted_sales?: unknown };
  if (check.status !== 200 || typeof answer.predicted_sales !== "number") {
    throw new Error(`${server}: POST ${url} answered ${check.status} ${JSON.stringify(answer)}`);
  }
  if (o.warmup > 0) await runAutocannon(url, o.connections, o.warmup);
  const r = await runAutocannon(url, o.connections, o.duration);
  return {
    server,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function salescast(o: Options): Promise<LoadResult> {
  const root = mkdtempSync(join(tmpdir(), "salescast-bench-http-"));
  try {
    const config = benchConfig(root);
    const registry = new LocalRegistry(join(root, "checkpoints"));
    await registerModel(registry);
    const app = await buildApp({ config, registry, logger: { level: "warn" }, env: {} });
    const server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
    try {
      return await measure("salescast (Fastify, TypeScript engine)", `${server.address}/api/predict`, o);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Why the reference cannot run here, or undefined when it can. */
async function referenceProblem(python: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(python, ["-c", "import fastapi, uvicorn, torch"], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", (error) => resolve(`${python} cannot run (${error.message})`));
    child.on("close", (code) =>
      resolve(
        code === 0
          ? undefined
          : `${python} lacks fastapi, uvicorn or torch (${err.trim().split("\n").pop()}); on Debian: apt-get install python3-fastapi python3-uvicorn python3-torch`,
      ),
    );
  });
}

async function reference(o: Options, mode: "async" | "sync"): Promise<LoadResult> {
  const port = await freePort();
  const script = fileURLToPath(new URL("../../bench/http_reference.py", import.meta.url));
  const args = [script, "--port", String(port), "--mean", String(NORMALIZATION.mean), "--std", String(NORMALIZATION.std)];
  if (mode === "sync") args.push("--sync");
  const child = spawn(o.python, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`the reference server exited: ${stderr.trim()}`);
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      if (attempt > 600) throw new Error(`the reference server did not start within 60 s: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return await measure(`reference (FastAPI ${mode} def + PyTorch)`, `${base}/api/predict`, o);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once("close", r)));
  }
}

function formatRow(r: LoadResult): string {
  const flags = r.non2xx + r.errors + r.timeouts > 0 ? `  (non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})` : "";
  return `${r.server.padEnd(42)} ${r.requestsPerSecond.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}${flags}`;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const log = (line: string) => {
    if (!o.json) console.log(line);
  };
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${loadavg()[0].toFixed(2)}`;
  log(`POST /api/predict {"series": [14 values]}, ${o.connections} connections, ${o.duration} s (after ${o.warmup} s warm-up); ${machine}`);

  log(`${"server".padEnd(42)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`);
  const results: LoadResult[] = [await salescast(o)];
  log(formatRow(results[0]));
  let skipped: string | undefined;
  if (o.skipReference) skipped = "--skip-reference";
  else skipped = await referenceProblem(o.python);
  const referenceResults: LoadResult[] = [];
  if (skipped === undefined) {
    for (const mode of ["async", "sync"] as const) {
      const r = await reference(o, mode);
      referenceResults.push(r);
      log(formatRow(r));
    }
  } else {
    log(`reference skipped: ${skipped}`);
  }

  const best = referenceResults.sort((a, b) => b.requestsPerSecond - a.requestsPerSecond)[0];
  const ratio = best ? results[0].requestsPerSecond / best.requestsPerSecond : undefined;
  if (ratio !== undefined) {
    log(`throughput ratio salescast / best reference: ${ratio.toFixed(2)}x; salescast p99 ${results[0].p99.toFixed(2)} ms`);
  }
  log(`load average after: ${loadavg()[0].toFixed(2)}`);
  if (o.json) {
    console.log(JSON.stringify({ options: o, machine, salescast: results[0], reference: referenceResults, referenceSkipped: skipped ?? null, ratio: ratio ?? null }, null, 2));
  }
}

main().catch((error: unknown) => {
  console.error(`bench:http failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
