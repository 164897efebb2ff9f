// `npm run bench:http [-- options]`: POST /api/predict under load, salescast next to the
// reference stack (FastAPI + uvicorn + PyTorch, bench/http_reference.py) serving the same
// model shape (window 14, conv 32, hidden 64; random weights, fixed seed) and the same body.
//
//   --connections N   concurrent connections (default 64)
//   --duration S      measured seconds per server and round (default 10)
//   --rounds N        the servers take turns N times; the median round is reported (default 3)
//   --warmup S        unmeasured seconds before each measurement (default 2)
//   --python PATH     interpreter with fastapi, uvicorn and torch (default /usr/bin/python3)
//   --skip-reference  salescast only
//   --inference PATH  salescast's prediction path: fast (the fastest of native and WebAssembly SIMD,
//                     src/forecaster/inference-path.ts; default) or reference (the engine)
//   --json            machine-readable output
//   --cold-start-only only the cold-start rounds (below); --no-cold-start: none
//   --warm-up-requests N  the cold-start servers' app.warm_up_requests (default: the configuration's;
//                     0 = no warm-up, the server as it was before issue 18)
//
// Cold start (bench/http-cold-start.ts): after the rounds above, each of --rounds rounds starts
// a new `salescast serve` process and loads it from the moment its port accepts connections;
// the p99 of the first 5 s is compared with the same process's warm p99.
//
// The salescast server runs in this process; autocannon runs as a child process, so load
// generation and serving do not share an event loop. Both servers log no per-request lines.
// The servers take turns in rounds so that other work on the machine disturbs them alike.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configSchema, type Config } from "../src/config/schema.js";
import { saveCheckpoint } from "../src/engine/checkpoint.js";
import { activeBackend } from "../src/engine/backend.js";
import { CnnLstmModel, type ModelShape } from "../src/engine/model.js";
import { choosePredictor, type PredictorKind } from "../src/forecaster/inference-path.js";
import { LocalRegistry } from "../src/registry/index.js";
import { buildApp } from "../src/server/app.js";
import { listen } from "../src/server/listen.js";
import { loadResult, runAutocannon, type LoadResult } from "./autocannon.js";
import { freePort } from "./free-port.js";
import { COLD_HEADER, coldStartRound, formatColdRound, medianColdRound, type ColdStartRound } from "./http-cold-start.js";

interface Options {
  connections: number;
  duration: number;
  rounds: number;
  warmup: number;
  python: string;
  skipReference: boolean;
  inference: "fast" | "reference";
  json: boolean;
  coldStart: "also" | "only" | "none";
  warmUpRequests?: number;
}

const SHAPE: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 32, lstmHidden: 64, lstmLayers: 1, outputSize: 1 };
const NORMALIZATION = { mean: 120, std: 30 };
const SERIES = Array.from({ length: SHAPE.windowSize }, (_, i) => Math.round((120 + 25 * Math.sin(i)) * 100) / 100);
const BODY = JSON.stringify({ series: SERIES });

function parseOptions(argv: string[]): Options {
  const o: Options = { connections: 64, duration: 10, rounds: 3, warmup: 2, python: "/usr/bin/python3", skipReference: false, inference: "fast", json: false, coldStart: "also" };
  const positive = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${value ?? "nothing"}.`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--connections") o.connections = positive(flag, argv[++i]);
    else if (flag === "--duration") o.duration = positive(flag, argv[++i]);
    else if (flag === "--rounds") o.rounds = positive(flag, argv[++i]);
    else if (flag === "--warmup") o.warmup = Number(argv[++i] ?? "2");
    else if (flag === "--python") o.python = argv[++i] ?? o.python;
    else if (flag === "--skip-reference") o.skipReference = true;
    else if (flag === "--json") o.json = true;
    else if (flag === "--cold-start-only") o.coldStart = "only";
    else if (flag === "--no-cold-start") o.coldStart = "none";
    else if (flag === "--warm-up-requests") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--warm-up-requests needs a whole number (0 for none), got ${argv[i] ?? "nothing"}.`);
      o.warmUpRequests = n;
    }
    else if (flag === "--inference") {
      const value = argv[++i];
      if (value !== "fast" && value !== "reference") throw new Error(`--inference needs fast or reference, got ${value ?? "nothing"}.`);
      o.inference = value;
    } else throw new Error(`Unknown option ${flag}. Options: --connections N --duration S --rounds N --warmup S --python PATH --skip-reference --inference fast|reference --json --cold-start-only --no-cold-start --warm-up-requests N`);
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

/** A server under test: where to send the load, and how to stop it. */
interface Target {
  label: string;
  url: string;
  stop(): Promise<void>;
}

async function checkAnswer(target: Target): Promise<void> {
  // The load is meaningless if the answer is wrong.
  const check = await fetch(target.url, { method: "POST", headers: { "content-type": "application/json" }, body: BODY });
  const answer = (await check.json()) as { predicted_sales?: unknown };
  if (check.status !== 200 || typeof answer.predicted_sales !== "number") {
    throw new Error(`${target.label}: POST ${target.url} answered ${check.status} ${JSON.stringify(answer)}`);
  }
}

async function measure(target: Target, o: Options): Promise<LoadResult> {
  if (o.warmup > 0) await runAutocannon(target.url, o.connections, o.warmup, BODY);
  return loadResult(target.label, await runAutocannon(target.url, o.connections, o.duration, BODY));
}

/** --rounds cold starts of a new server process on the bench's model (bench/http-cold-start.ts). */
async function coldStartRounds(o: Options, log: (line: string) => void): Promise<ColdStartRound[]> {
  const root = mkdtempSync(join(tmpdir(), "salescast-bench-cold-"));
  try {
    await registerModel(new LocalRegistry(join(root, "checkpoints")));
    const setting = o.warmUpRequests === undefined ? "the configured default" : String(o.warmUpRequests);
    log(`cold start: a new \`salescast serve\` per round (app.warm_up_requests: ${setting}), loaded from the moment its port accepts connections; ms:`);
    log(COLD_HEADER);
    const rounds: ColdStartRound[] = [];
    for (let round = 0; round < o.rounds; round++) {
      const result = await coldStartRound({ root, connections: o.connections, duration: o.duration, warmup: o.warmup, body: BODY, warmUpRequests: o.warmUpRequests });
      rounds.push(result);
      log(formatColdRound(result, `round ${round + 1}`));
    }
    const median = medianColdRound(rounds);
    log(formatColdRound(median, "median"));
    log(`first 5 s p99 ${median.first.p99.toFixed(1)} ms against warm p99 ${median.warm.p99.toFixed(1)} ms: ${(median.first.p99 / median.warm.p99).toFixed(2)}x (goal: within 2x)`);
    return rounds;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** What answers in the server: the same choice SalesForecaster makes for the registered model. */
function servingLabel(inference: Options["inference"]): string {
  const names: Record<PredictorKind, string> = { native: "native backend", wasm: "WebAssembly SIMD", engine: `engine, ${activeBackend().name} backend` };
  return names[choosePredictor(new CnnLstmModel(SHAPE, 42), { inference }).kind];
}

async function startSalescast(o: Options): Promise<Target> {
  const root = mkdtempSync(join(tmpdir(), "salescast-bench-http-"));
  try {
    const config = benchConfig(root);
    const registry = new LocalRegistry(join(root, "checkpoints"));
    await registerModel(registry);
    const app = await buildApp({ config, registry, logger: { level: "warn" }, env: {}, inference: o.inference });
    const server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
    return {
      label: `salescast (Fastify + ${servingLabel(o.inference)})`,
      url: `${server.address}/api/predict`,
      stop: async () => {
        await server.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
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

async function startReference(o: Options, mode: "async" | "sync"): Promise<Target> {
  const port = await freePort();
  const script = fileURLToPath(new URL("../../bench/http_reference.py", import.meta.url));
  const args = [script, "--port", String(port), "--mean", String(NORMALIZATION.mean), "--std", String(NORMALIZATION.std)];
  if (mode === "sync") args.push("--sync");
  const child = spawn(o.python, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((r) => child.once("close", r));
  };
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`the reference server exited: ${stderr.trim()}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 600) {
      await stop();
      throw new Error(`the reference server did not start within 60 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { label: `reference (FastAPI ${mode} def + PyTorch)`, url: `${base}/api/predict`, stop };
}

function formatRow(r: LoadResult): string {
  const flags = r.non2xx + r.errors + r.timeouts > 0 ? `  (non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})` : "";
  return `${r.server.padEnd(42)} ${r.requestsPerSecond.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}${flags}`;
}

/** The round with the median throughput (robust to a round disturbed by other work on the machine). */
function medianRound(rounds: LoadResult[]): LoadResult {
  const sorted = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const log = (line: string) => {
    if (!o.json) console.log(line);
  };
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${loadavg()[0].toFixed(2)}`;
  log(
    `POST /api/predict {"series": [14 values]}, ${o.connections} connections, ${o.rounds} rounds of ${o.duration} s per server ` +
      `(each after ${o.warmup} s warm-up, servers taking turns); ${machine}`,
  );

  const targets: Target[] = [];
  let skipped: string | undefined;
  try {
    if (o.coldStart === "only") {
      const cold = await coldStartRounds(o, log);
      if (o.json) console.log(JSON.stringify({ options: o, machine, coldStart: cold }, null, 2));
      return;
    }
    targets.push(await startSalescast(o));
    skipped = o.skipReference ? "--skip-reference" : await referenceProblem(o.python);
    if (skipped === undefined) for (const mode of ["async", "sync"] as const) targets.push(await startReference(o, mode));
    for (const target of targets) await checkAnswer(target);

    log(`${"server".padEnd(42)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`);
    const rounds = targets.map(() => [] as LoadResult[]);
    for (let round = 0; round < o.rounds; round++) {
      for (const [i, target] of targets.entries()) {
        const result = await measure(target, o);
        rounds[i].push(result);
        log(`${formatRow(result)}  [round ${round + 1}]`);
      }
    }
    const medians = rounds.map(medianRound);
    log("median round per server:");
    for (const m of medians) log(formatRow(m));
    if (skipped !== undefined) log(`reference skipped: ${skipped}`);

    const [ours, ...theirs] = medians;
    const best = [...theirs].sort((a, b) => b.requestsPerSecond - a.requestsPerSecond)[0];
    const ratio = best ? ours.requestsPerSecond / best.requestsPerSecond : undefined;
    if (ratio !== undefined) log(`throughput ratio salescast / best reference: ${ratio.toFixed(2)}x; salescast p99 ${ours.p99.toFixed(2)} ms`);
    // The servers measured above stop first: the cold starts get the machine to themselves.
    for (const target of targets.splice(0)) await target.stop();
    const cold = o.coldStart === "also" ? await coldStartRounds(o, log) : undefined;
    log(`load average after: ${loadavg()[0].toFixed(2)}`);
    if (o.json) {
      console.log(JSON.stringify({ options: o, machine, rounds, medians, referenceSkipped: skipped ?? null, ratio: ratio ?? null, coldStart: cold ?? null }, null, 2));
    }
  } finally {
    for (const target of targets) await target.stop().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(`bench:http failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
