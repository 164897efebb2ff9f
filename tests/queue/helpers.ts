// Real parts for the queue suite: Redis servers, `salescast` processes (the built CLI), and the
// suite's Redis from scripts/test-queue.sh.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli, type CliRun } from "../cli/run-cli.js";
import { writeSalesCsv } from "../training/helpers.js";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(projectRoot, "bin", "salescast.js");

/** The Redis scripts/test-queue.sh started; the suite refuses to run without it. */
export function suiteRedisUrl(): string {
  const url = process.env.SALESCAST_TEST_REDIS_URL;
  if (!url) throw new Error("SALESCAST_TEST_REDIS_URL is not set: run the queue suite with `npm run test:queue`");
  return url;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  /** Stops the server (SIGTERM: it writes its append-only file and exits; SIGKILL: it just dies). */
  kill(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port with the same data folder (after kill). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of its own on a free loopback port, with these extra arguments (e.g. an eviction policy). */
export async function startRedis(args: string[]): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), "salescast-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      process.env.SALESCAST_TEST_REDIS_SERVER ?? "redis-server",
      ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--daemonize", "no", ...args],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = started;
    let log = "";
    await new Promise<void>((resolve, reject) => {
      started.stdout!.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("Ready to accept connections")) resolve();
      });
      started.on("exit", (code) => reject(new Error(`redis-server exited (${code}) during start-up:\n${log}`)));
    });
  };
  const kill = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const running = child;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill(signal);
      await exited;
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type CliResult = CliRun;

/** Runs `salescast ARGS` to its end in `cwd`. */
export function salescast(cwd: string, args: string[], timeout = 200_000): Promise<CliResult> {
  return runCli(cwd, args, { timeout, maxBuffer: 16 * 1024 * 1024 });
}

/** A running `salescast worker`: its log so far, and a wait for a line of it. */
export class WorkerProcess {
  readonly child: ChildProcess;
  log = "";
  private readonly exited: Promise<number | null>;

  constructor(cwd: string, args: string[]) {
    this.child = spawn(process.execPath, [bin, "worker", ...args], { cwd, env: { PATH: process.env.PATH }, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  /** Resolves once the log matches `pattern` (rejects if the worker exits first or after `ms`). */
  async waitFor(pattern: RegExp, ms = 120_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = this.log.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null) throw new Error(`the worker exited (${this.child.exitCode}) before its log matched ${pattern}:\n${this.log}`);
      if (Date.now() > deadline) throw new Error(`the worker's log did not match ${pattern} within ${ms} ms:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  exit(): Promise<number | null> {
    return this.exited;
  }

  /** SIGTERM, then waits for it to finish its jobs and exit. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    return this.exited;
  }
}

/** A tiny network, seeded, reading sales.csv in the test's folder, its files under `root` (relative to it). */
export function tinySettings(root: string, extra: string[] = []): string[] {
  return [
    "data.csv_path=sales.csv",
    "data.item_id=A",
    "data.window_size=7",
    "model.conv_channels=4",
    "model.lstm_hidden=8",
    "train.seed=7",
    `train.checkpoint_path=${root}/checkpoints/model.ckpt`,
    `train.normalization_path=${root}/checkpoints/normalization.json`,
    `tracking.uri=${root}/mlruns`,
    ...extra,
  ];
}

/** A folder of its own for a test file: the shipped config/config.yaml and a sales.csv of `categories` over 120 days. */
export async function testFolder(name: string, categories: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `salescast-${name}-`));
  await mkdir(join(dir, "config"));
  await copyFile(join(projectRoot, "config", "config.yaml"), join(dir, "config", "config.yaml"));
  await writeSalesCsv(join(dir, "sales.csv"), { categories, days: 120 });
  return dir;
}
