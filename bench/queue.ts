// `npm run bench:queue [-- --epochs N --series N --workers 1,2,4 --json]`: two workloads, each in
// this process's worker threads, then through the queue with 1, 2 and 4 `salescast worker`
// processes, each run against a fresh registry. A redis-server of its own (Debian's, on a free
// loopback port, append-only file in a temporary folder) carries the jobs.
// - `train --all` on the demo data (three categories, the CNN+LSTM network for --epochs epochs);
// - a catalogue-style `backtest --all`: --series demo-like series (default 48), ETS, one job per
//   series, each a fraction of a second: here the queue's cost per job is most of the work, so
//   (queued wall - in-process wall) / jobs bounds its overhead per job from above.
//
// Reports each setup's wall time (workers started and ready before the clock starts, the
// submitting `train --all` process's start included), its ratio to the in-process run, and the
// sum of the categories' own training seconds: the wall time beyond it is what the queue and the
// process boundary cost (the submitter reads the sales file once to plan, and a worker reads it
// again for every shard). On a two-core machine two workers and the
// in-process run's two threads are bound by the same cores: read the ratios, not the seconds.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeDemoData } from "../src/data/demo.js";
import { freePort } from "./free-port.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(projectRoot, "bin", "salescast.js");
const configPath = join(projectRoot, "config", "config.yaml");

interface Options {
  epochs: number;
  series: number;
  workers: number[];
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { epochs: 10, series: 48, workers: [1, 2, 4], json: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") options.json = true;
    else if (argv[i] === "--epochs" && /^\d+$/.test(argv[i + 1] ?? "")) options.epochs = Number(argv[++i]);
    else if (argv[i] === "--series" && /^[1-9]\d*$/.test(argv[i + 1] ?? "")) options.series = Number(argv[++i]);
    else if (argv[i] === "--workers" && /^[1-9]\d*(,[1-9]\d*)*$/.test(argv[i + 1] ?? "")) options.workers = argv[++i].split(",").map(Number);
    else throw new Error(`unknown option ${argv[i]}. Options: --epochs N --series N --workers 1,2,4 --json`);
  }
  return options;
}

interface Measured {
  workload: string;
  setup: string;
  wall_seconds: number;
  /** The categories' own seconds (training, or backtesting), summed. */
  category_seconds: number;
  jobs: number;
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
  return { workload: "train", setup, wall_seconds: wall, category_seconds: out.categories.reduce((sum, c) => sum + c.seconds, 0), jobs: out.categories.length };
}

async function timedBacktestAll(dir: string, setup: string, settings: string[]): Promise<Measured> {
  const started = performance.now();
  const out = JSON.parse(await salescast(dir, ["backtest", "--all", "--json", "--horizon", "14", "--windows", "2", ...settings])) as {
    categories: Array<{ category: string; seconds?: number }>;
  };
  const wall = (performance.now() - started) / 1000;
  return {
    workload: "backtest",
    setup,
    wall_seconds: wall,
    category_seconds: out.categories.reduce((sum, c) => sum + (c.seconds ?? 0), 0),
    jobs: out.categories.length,
  };
}

/** Runs `measure` in-process, then on the queue with each count of workers (started and ready before the clock starts). */
async function acrossWorkers(
  dir: string,
  redisUrl: string,
  name: string,
  counts: number[],
  measure: (setup: string, settings: string[]) => Promise<Measured>,
): Promise<Measured[]> {
  const results = [await measure("in-process threads", [`tracking.uri=${join(dir, name, "inproc", "mlruns")}`])];
  for (const count of counts) {
    const queue = [`queue.url=${redisUrl}`, `queue.prefix=bench-${name}-${count}`];
    const workers = await Promise.all(Array.from({ length: count }, () => startWorker(dir, queue)));
    try {
      results.push(await measure(`queue, ${count} worker${count > 1 ? "s" : ""}`, [`tracking.uri=${join(dir, name, `queue${count}`, "mlruns")}`, ...queue]));
    } finally {
      await Promise.all(workers.map(stopWorker));
    }
  }
  return results;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), "salescast-bench-queue-"));
  const redis = await startRedis(dir);
  try {
    const csv = join(dir, "sales.csv");
    await writeDemoData(csv);
    const catalogue = join(dir, "catalogue.csv");
    await writeDemoData(catalogue, { days: 730, categories: Array.from({ length: options.series }, (_, i) => `S${String(i + 1).padStart(4, "0")}`) });
    let runs = 0;
    const trained = await acrossWorkers(dir, redis.url, "train", options.workers, (setup, extra) => {
      const registry = join(dir, "train", `registry${runs++}`);
      return timedTrainAll(dir, setup, [
        `data.csv_path=${csv}`,
        "model.architecture=CNNLSTM",
        `train.max_epochs=${options.epochs}`,
        `train.checkpoint_path=${join(registry, "model.ckpt")}`,
        `train.normalization_path=${join(registry, "normalization.json")}`,
        ...extra,
      ]);
    });
    const backtested = await acrossWorkers(dir, redis.url, "backtest", options.workers, (setup, extra) =>
      timedBacktestAll(dir, setup, [`data.csv_path=${catalogue}`, "data.item_id=S0001", "model.architecture=ets", ...extra]),
    );
    report([...trained, ...backtested], options);
  } finally {
    redis.child.kill("SIGTERM");
    await new Promise((resolve) => redis.child.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(results: Measured[], options: Options): void {
  const base = (workload: string) => results.find((r) => r.workload === workload)!.wall_seconds;
  const rows = results.map((r) => ({
    ...r,
    ratio_to_in_process: r.wall_seconds / base(r.workload),
    // What each job costs beyond the in-process run: the queue's overhead per job, at most.
    extra_seconds_per_job: (r.wall_seconds - base(r.workload)) / r.jobs,
  }));
  const [load1] = loadavg();
  if (options.json) {
    console.log(
      JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, load_average: load1, epochs: options.epochs, series: options.series, runs: rows }),
    );
    return;
  }
  console.log(`${new Date().toISOString()}, ${cpus().length} cores, load average ${load1.toFixed(1)} at the end`);
  console.log(
    `train: train --all, demo data (3 categories), ${options.epochs} epochs; backtest: backtest --all, ${options.series} series x 730 days, ETS, 2 windows of 14 days`,
  );
  console.log("workload  setup                 jobs   wall s   x in-process   extra s per job   sum of category s");
  for (const r of rows)
    console.log(
      `${r.workload.padEnd(9)} ${r.setup.padEnd(20)} ${String(r.jobs).padStart(5)} ${r.wall_seconds.toFixed(1).padStart(8)}   ${r.ratio_to_in_process.toFixed(2).padStart(12)}   ${r.extra_seconds_per_job.toFixed(3).padStart(15)}   ${r.category_seconds.toFixed(1).padStart(17)}`,
    );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
