// Real parts for the queue suite: Redis servers, `salescast` processes (the built CLI), and the
// suite's Redis from scripts/test-queue.sh.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli, type CliRun } from "../cli/run-cli.js";

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
  /** Its exit code, once it exited and its output was read to the end ('close', not 'exit'). */
  private readonly exited: Promise<number | null>;
  private closed = false;

  /**
   * `netns`: run it in that network namespace (`ip netns exec`, which execs node: the child is
   * the worker itself, and signals reach it). `env`: more environment variables than PATH.
   */
  constructor(cwd: string, args: string[], options: { netns?: string; env?: Record<string, string> } = {}) {
    const argv = [bin, "worker", ...args];
    const env = { PATH: process.env.PATH, ...options.env };
    this.child = options.netns
      ? spawn("ip", ["netns", "exec", options.netns, process.execPath, ...argv], { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
      : spawn(process.execPath, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    // 'exit' can come before the last lines written to stdout and stderr were read: a log
    // checked right after it could miss them ("worker: stopped", "cannot reach..."). 'close'
    // comes once both pipes are at their end.
    this.exited = new Promise((resolve) =>
      this.child.once("close", (code) => {
        this.closed = true;
        resolve(code);
      }),
    );
  }

  /** Resolves once the log matches `pattern` (rejects if the worker exits first or after `ms`). */
  async waitFor(pattern: RegExp, ms = 120_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = this.log.match(pattern);
      if (match) return match;
      if (this.closed) throw new Error(`the worker exited (${this.child.exitCode ?? this.child.signalCode}) before its log matched ${pattern}:\n${this.log}`);
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
