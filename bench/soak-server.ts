// The server under soak: a real `salescast serve` child process (so its memory and file
// descriptors can be read from /proc, and a training job really replaces a model in it), on
// the demo data with three small trained models, everything in a temporary folder.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";
import { SOAK_BODY_LIMIT } from "./soak-requests.js";

const CLI = fileURLToPath(new URL("../../bin/salescast.js", import.meta.url));

/** Configuration overrides that keep everything inside root and the training small. */
function overrides(root: string, epochs: number): string[] {
  return [
    `data.csv_path=${join(root, "sales.csv")}`,
    `train.checkpoint_path=${join(root, "checkpoints", "model.ckpt")}`,
    `train.normalization_path=${join(root, "checkpoints", "normalization.json")}`,
    `tracking.uri=${join(root, "mlruns")}`,
    `train.max_epochs=${epochs}`,
    `train.patience=${epochs}`,
  ];
}

/** The environment of the children: no outside tracking server or API key leaks in. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["MLFLOW_TRACKING_URI", "SALESCAST_API_KEY", "SALESCAST_PROFILE", "MLFLOW_ENV"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("SALESCAST__")) delete env[name];
  return env;
}

function runCli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "ignore", "pipe"], env: childEnv() });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`salescast ${args[0]} exited with ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`)),
    );
  });
}

/** Demo data and one model per category, trained for `epochs` epochs (seconds, not minutes). */
export async function prepareModels(root: string, epochs: number): Promise<void> {
  await runCli(["demo-data", "--out", join(root, "sales.csv"), ...overrides(root, epochs)]);
  await runCli(["train", "--all", ...overrides(root, epochs)]);
}

export interface ServerProcess {
  pid: number;
  base: string;
  /** The last lines the server wrote to stderr (warnings and errors only: log level warn). */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** Starts `salescast serve` on a free loopback port; resolves once /api/ready answers 200. */
export async function startServerProcess(root: string, jobEpochs: number): Promise<ServerProcess> {
  const port = await freePort();
  const args = [
    CLI,
    "serve",
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    ...overrides(root, jobEpochs),
    "app.log_level=warn",
    `app.body_limit=${SOAK_BODY_LIMIT}`,
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], env: childEnv() });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise((resolve) => child.once("close", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await closed;
    clearTimeout(timer);
  };
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`salescast serve exited with ${child.exitCode}: ${stderr.trim()}`);
    try {
      if ((await fetch(`${base}/api/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 300) {
      await stop();
      throw new Error(`salescast serve was not ready within 30 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid!, base, stderrTail: () => stderr.trim(), stop };
}

export interface ProcessSample {
  /** Seconds since the sampler started. */
  t: number;
  rssMiB: number;
  fds: number;
  /** CPU seconds (user + system) used by the process so far. */
  cpuSeconds: number;
}

/** Reads one process's resident memory, open descriptors and CPU time from /proc. */
export function sampleProcess(pid: number, t: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKiB = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime, stime in clock ticks.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
  return { t, rssMiB: rssKiB / 1024, fds, cpuSeconds };
}

/** Samples a process every `everyMs` until stopped. */
export class ProcessSampler {
  readonly samples: ProcessSample[] = [];
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 1000,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): ProcessSample {
    const s = sampleProcess(this.pid, (performance.now() - this.started) / 1000);
    this.samples.push(s);
    return s;
  }

  stop(): ProcessSample[] {
    clearInterval(this.timer);
    this.sample();
    return this.samples;
  }
}

/**
 * The server's V8 heap in use (from /metrics). RSS keeps pages V8 and glibc have not given back
 * yet; the heap in use tells whether live JavaScript objects grew, i.e. whether growth is a leak.
 */
export async function heapUsedMiB(base: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    const value = /^salescast_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
    return value === undefined ? undefined : Number(value) / (1024 * 1024);
  } catch {
    return undefined;
  }
}
