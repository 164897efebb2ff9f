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
//   --backend B       salescast's engine.backend: auto (default: native when its addon loads), native or reference
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
import { BACKEND_CHOICES, type BackendChoice } from "../src/config/engine-backend.js";
import { configFromDefaults } from "../src/config/from-defaults.js";
import { withOverrides } from "../src/config/overrides.js";
import type { Config } from "../src/config/schema.js";
import { saveCheckpoint } from "../src/engine/checkpoint.js";
import { CnnLstmModel, type ModelShape } from "../src/engine/model.js";
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
  backend: BackendChoice;
  json: boolean;
  coldStart: "also" | "only" | "none";
  warmUpRequests?: number;
}

const SHAPE: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 32, lstmHidden: 64, lstmLayers: 1, outputSize: 1 };
const NORMALIZATION = { mean: 120, std: 30 };
const SERIES = Array.from({ length: SHAPE.windowSize }, (_, i) => Math.round((120 + 25 * Math.sin(i)) * 100) / 100);
const BODY = JSON.stringify({ series: SERIES });

function parseOptions(argv: string[]): Options {
  const o: Options = {
    connections: 64,
    duration: 10,
    rounds: 3,
    warmup: 2,
    python: "/usr/bin/python3",
    skipReference: false,
    backend: "auto",
    json: false,
    coldStart: "also",
  };
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
    } else if (flag === "--backend") {
      const value = argv[++i];
      if (!(BACKEND_CHOICES as readonly (string | undefined)[]).includes(value))
        throw new Error(`--backend needs one of ${BACKEND_CHOICES.join(", ")}, got ${value ?? "nothing"}.`);
      o.backend = value as BackendChoice;
    } else {
      throw new Error(
        `Unknown option ${flag}. Options: --connections N --duration S --rounds N --warmup S --python PATH --skip-reference --backend auto|native|reference --json --cold-start-only --no-cold-start --warm-up-requests N`,
      );
    }
  }
  if (!(o.warmup >= 0)) throw new Error("--warmup needs a number of seconds (0 for none).");
  return o;
}

/** The reference shape's configuration, its files in `root` (the defaults for everything else). */
function benchConfig(root: string): Config {
  return configFromDefaults(
    {
      data: { window_size: SHAPE.windowSize },
      model: { conv_channels: SHAPE.convChannels, lstm_hidden: SHAPE.lstmHidden },
      train: { max_epochs: 1, patience: 1, mlflow_tracking_uri: "", experiment_name: "bench" },
      app: { port: 0, api_url: "" },
    },
    { folder: root },
  );
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
    log(
      `cold start: a new \`salescast serve\` per round (engine.backend: ${o.backend}, app.warm_up_requests: ${setting}), loaded from the moment its port accepts connections; ms:`,
    );
    log(COLD_HEADER);
    const rounds: ColdStartRound[] = [];
    for (let round = 0; round < o.rounds; round++) {
      const result = await coldStartRound({
        root,
        connections: o.connections,
        duration: o.duration,
        warmup: o.warmup,
        body: BODY,
        warmUpRequests: o.warmUpRequests,
        backend: o.backend,
      });
      rounds.push(result);
      log(formatColdRound(result, `round ${round + 1}`));
    }
    const median = medianColdRound(rounds);
    log(formatColdRound(median, "median"));
    log(
      `first 5 s p99 ${median.first.p99.toFixed(1)} ms against warm p99 ${median.warm.p99.toFixed(1)} ms: ${(median.first.p99 / median.warm.p99).toFixed(2)}x (goal: within 2x)`,
    );
    return rounds;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function startSalescast(o: Options): Promise<Target> {
  const root = mkdtempSync(join(tmpdir(), "salescast-bench-http-"));
  try {
    const config = withOverrides(benchConfig(root), { engine: { backend: o.backend } });
    const registry = new LocalRegistry(join(root, "checkpoints"));
    await registerModel(registry);
    const app = await buildApp({ config, registry, logger: { level: "warn" }, env: {} });
    const server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
    return {
      label: `salescast (Fastify + ${app.salescast.options.backend.name} backend)`,
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
      console.log(
        JSON.stringify({ options: o, machine, rounds, medians, referenceSkipped: skipped ?? null, ratio: ratio ?? null, coldStart: cold ?? null }, null, 2),
      );
    }
  } finally {
    for (const target of targets) await target.stop().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(`bench:http failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
