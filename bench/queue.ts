// `npm run bench:queue [-- --epochs N --json]`: `train --all` on the demo data (three
// categories) in this process's worker threads, then through the queue with 1 and 2
// `salescast worker` processes, each run against a fresh registry. A redis-server of its own
// (Debian's, on a free loopback port, append-only file in a temporary folder) carries the jobs.
//
// Reports each setup's wall time (workers started and ready before the clock starts, the
// submitting `train --all` process's start included), its ratio to the in-process run, and the
// sum of the categories' own training seconds: the wall time beyond it is what the queue and the
// process boundary cost (the submitter reads the sales file once to plan, and a worker reads it
// again for every shard). On a two-core machine two workers and the
// in-process run's two threads are bound by the same cores: read the ratios, not the seconds.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeDemoData } from "../src/data/demo.js";
import { freePort } from "./free-port.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(projectRoot, "bin", "salescast.js");
const configPath = join(projectRoot, "config", "config.yaml");

interface Options {
  epochs: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { epochs: 10, json: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") options.json = true;
    else if (argv[i] === "--epochs" && /^\d+$/.test(argv[i + 1] ?? "")) options.epochs = Number(argv[++i]);
    else throw new Error(`unknown option ${argv[i]}. Options: --epochs N --json`);
  }
  return options;
}

interface Measured {
  setup: string;
  wall_seconds: number;
  category_seconds: number;
  shards: number;
}

async function startRedis(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--appendonly", "yes", "--save", "", "--daemonize", "no"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Ready to accept connections")) resolve();
    });
    child.once("error", (error) => reject(new Error(`cannot start redis-server (apt-get install redis-server): ${error.message}`)));
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}) during start-up`)));
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}

function salescast(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, args[0], "--config", configPath, ...args.slice(1)], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`salescast ${args.join(" ")} failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

function startWorker(cwd: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, "worker", "--config", configPath, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
  return new Promise((resolve, reject) => {
    let log = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("worker: taking jobs")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`a worker exited (${code}) before it was ready:\n${log}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function timedTrainAll(dir: string, setup: string, settings: string[]): Promise<Measured> {
  const started = performance.now();
  const out = JSON.parse(await salescast(dir, ["train", "--all", "--json", ...settings])) as { categories: Array<{ status: string; seconds: number }> };
  const wall = (performance.now() - started) / 1000;
  const bad = out.categories.filter((c) => c.status !== "ok");
  if (bad.length > 0) throw new Error(`${setup}: ${bad.length} categories did not train`);
  return { setup, wall_seconds: wall, category_seconds: out.categories.reduce((sum, c) => sum + c.seconds, 0), shards: out.categories.length };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), "salescast-bench-queue-"));
  const redis = await startRedis(dir);
  try {
    const csv = join(dir, "sales.csv");
    await writeDemoData(csv);
    const settings = (name: string) => [
      `data.csv_path=${csv}`,
      `train.max_epochs=${options.epochs}`,
      `train.checkpoint_path=${join(dir, name, "checkpoints", "model.ckpt")}`,
      `train.normalization_path=${join(dir, name, "checkpoints", "normalization.json")}`,
      `tracking.uri=${join(dir, name, "mlruns")}`,
    ];
    const results: Measured[] = [await timedTrainAll(dir, "in-process threads", settings("inproc"))];
    for (const count of [1, 2]) {
      const queue = [`queue.url=${redis.url}`, `queue.prefix=bench${count}`];
      const workers = await Promise.all(Array.from({ length: count }, () => startWorker(dir, queue)));
      try {
        results.push(await timedTrainAll(dir, `queue, ${count} worker${count > 1 ? "s" : ""}`, [...settings(`queue${count}`), ...queue]));
      } finally {
        await Promise.all(workers.map(stopWorker));
      }
    }
    report(results, options);
  } finally {
    redis.child.kill("SIGTERM");
    await new Promise((resolve) => redis.child.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(results: Measured[], options: Options): void {
  const base = results[0].wall_seconds;
  const rows = results.map((r) => ({ ...r, ratio_to_in_process: r.wall_seconds / base }));
  if (options.json) {
    console.log(JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, epochs: options.epochs, runs: rows }));
    return;
  }
  console.log(`train --all, demo data (3 categories), ${options.epochs} epochs, ${cpus().length} cores, ${new Date().toISOString()}`);
  console.log("setup                 wall s   x in-process   sum of category s");
  for (const r of rows)
    console.log(
      `${r.setup.padEnd(20)} ${r.wall_seconds.toFixed(1).padStart(7)}   ${r.ratio_to_in_process.toFixed(2).padStart(12)}   ${r.category_seconds.toFixed(1).padStart(17)}`,
    );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
