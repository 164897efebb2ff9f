// bench:http's cold-start round (issue 18: a just-started server answered its first 5 s with a
// p99 23 times its warm one). Each round starts a new `salescast serve` process on a registry
// holding the bench's model, waits until its port accepts a TCP connection (what a deploy
// waits for before sending traffic; nothing in the server is exercised by it), then loads it
// at once with the same POST /api/predict from the same number of connections:
//   first 5 s   the window the goal is about (autocannon itself starts within a few tenths of a second);
//   next 5 s    to see how long any tail lasts;
//   warm        after the usual unmeasured warm-up, the usual measured duration: the reference figure.
// The server's app.warm_up_requests can be set (--warm-up-requests 0 gives the server as it was
// before warming existed), and how long the process took to accept connections is reported.
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import type { BackendChoice } from "../src/config/engine-backend.js";
import { packageRoot } from "../src/version.js";
import { loadResult, runAutocannon, type LoadResult } from "./autocannon.js";
import { freePort } from "./free-port.js";

export interface ColdStartOptions {
  /** Folder whose checkpoints/ holds the registered model (data.item_id = Beauty). */
  root: string;
  connections: number;
  /** Seconds of the warm measurement, and of unmeasured load before it. */
  duration: number;
  warmup: number;
  body: string;
  /** The server's app.warm_up_requests; undefined = the configuration's default. */
  warmUpRequests?: number;
  /** The server's engine.backend (bench:http --backend). */
  backend: BackendChoice;
}

export interface ColdStartRound {
  /** From spawning the process to its port accepting a connection. */
  listeningSeconds: number;
  first: LoadResult;
  next: LoadResult;
  warm: LoadResult;
}

export const FIRST_WINDOW_SECONDS = 5;

/** Resolves once 127.0.0.1:port accepts a TCP connection (rejects when `exited` says the process died). */
async function acceptingConnections(port: number, exited: () => string | undefined, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = exited();
    if (problem !== undefined) throw new Error(problem);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`salescast serve did not accept connections on port ${port} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function coldStartRound(o: ColdStartOptions): Promise<ColdStartRound> {
  const port = await freePort();
  const root = packageRoot();
  const overrides = [
    `train.checkpoint_path=${join(o.root, "checkpoints", "model.ckpt")}`,
    `train.normalization_path=${join(o.root, "checkpoints", "normalization.json")}`,
    `tracking.uri=${join(o.root, "mlruns")}`,
    `data.csv_path=${join(o.root, "unused.csv")}`,
    "data.item_id=Beauty",
    "app.log_level=warn",
    `engine.backend=${o.backend}`,
    ...(o.warmUpRequests === undefined ? [] : [`app.warm_up_requests=${o.warmUpRequests}`]),
  ];
  // The bench's own settings only: nothing of the caller's deployment (key, profile, MLflow).
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(SALESCAST_API_KEY|SALESCAST_PROFILE|MLFLOW_ENV|MLFLOW_TRACKING_URI|SALESCAST__)/.test(name)) delete env[name];
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [join(root, "bin", "salescast.js"), "serve", "--port", String(port), "--config", join(root, "config", "config.yaml"), ...overrides],
    {
      cwd: o.root,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  try {
    await acceptingConnections(port, () => (child.exitCode === null ? undefined : `salescast serve exited (${child.exitCode}): ${stderr.trim()}`));
    const listeningSeconds = (performance.now() - started) / 1000;
    const url = `http://127.0.0.1:${port}/api/predict`;
    const label = "salescast, new process";
    const first = loadResult(label, await runAutocannon(url, o.connections, FIRST_WINDOW_SECONDS, o.body));
    const next = loadResult(label, await runAutocannon(url, o.connections, FIRST_WINDOW_SECONDS, o.body));
    if (o.warmup > 0) await runAutocannon(url, o.connections, o.warmup, o.body);
    const warm = loadResult(label, await runAutocannon(url, o.connections, o.duration, o.body));
    return { listeningSeconds, first, next, warm };
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await closed;
  }
}

/** The round with the median first-5-s p99. */
export function medianColdRound(rounds: ColdStartRound[]): ColdStartRound {
  const sorted = [...rounds].sort((a, b) => a.first.p99 - b.first.p99);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export function formatColdRound(r: ColdStartRound, label: string): string {
  const ratio = r.first.p99 / r.warm.p99;
  const errors = r.first.non2xx + r.first.errors + r.first.timeouts + r.next.non2xx + r.next.errors + r.next.timeouts;
  return (
    `${label.padEnd(10)} ${r.listeningSeconds.toFixed(2).padStart(9)} ${r.first.p99.toFixed(1).padStart(12)} ${r.next.p99.toFixed(1).padStart(11)} ` +
    `${r.warm.p99.toFixed(1).padStart(9)} ${ratio.toFixed(2).padStart(10)}x ${r.first.requestsPerSecond.toFixed(0).padStart(9)} ${r.warm.requestsPerSecond.toFixed(0).padStart(9)}` +
    (errors > 0 ? `  (non-2xx, errors or timeouts in the first 10 s: ${errors})` : "")
  );
}

export const COLD_HEADER =
  `${"round".padEnd(10)} ${"listen s".padStart(9)} ${"first 5s p99".padStart(12)} ${"next 5s p99".padStart(11)} ${"warm p99".padStart(9)} ` +
  `${"first/warm".padStart(11)} ${"first rps".padStart(9)} ${"warm rps".padStart(9)}`;
