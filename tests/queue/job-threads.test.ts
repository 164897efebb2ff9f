// A worker keeps its job thread for job after job (src/queue/job-thread.ts): the thread's start
// and the loading of salescast's modules are paid once per concurrency slot, not once per job.
// Jobs that fail or are refused on the thread leave it usable: the next jobs run on the same
// thread and give the in-process results, bit for bit. Each job's first log line names its thread
// and how many jobs that thread has taken, which is what this checks.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { queueConnection } from "../../src/queue/connection.js";
import { BACKTEST_JOB, portableConfig, SHARD_JOB, stamped, TRAIN_QUEUE } from "../../src/queue/payload.js";
import { salescast, suiteRedisUrl, WorkerProcess } from "./helpers.js";
import { tinyNetwork, trainingFolder } from "./training-fixture.js";

let dir: string;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  dir = await trainingFolder(["A", "B", "C"]);
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a worker's job thread", () => {
  it("takes job after job, and a job failed or refused on it leaves the next ones there succeeding with the in-process results", async () => {
    const args = ["backtest", "--all", "--json", "--horizon", "3", "--windows", "2"];
    const inProcess = await salescast(dir, [...args, ...tinyNetwork("inproc", ["model.architecture=ets"])]);
    expect(inProcess.code, inProcess.stderr).toBe(0);

    const prefix = `threads-${process.pid}`;
    const queueArgs = [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`];
    const worker = new WorkerProcess(dir, queueArgs); // concurrency 1: one thread
    workers = [worker];
    const connection = queueConnection(suiteRedisUrl());
    const queue = new Queue(TRAIN_QUEUE, { connection, prefix });
    try {
      await worker.waitFor(/worker: taking jobs/);
      // Two jobs that end on the thread: a backtest part whose series cannot be read (it fails),
      // and a shard whose sales file this worker cannot read (refused).
      const config = portableConfig(configFromDefaults({ data: { csv_path: join(dir, "gone.csv") } }));
      const broken = await queue.add(BACKTEST_JOB, stamped(config, { category: "A", part: Buffer.from("not a backtest part").toString("base64") }), {
        attempts: 1,
      });
      const refused = await queue.add(
        SHARD_JOB,
        stamped(config, { categories: ["A"], source_path: join(dir, "gone.csv"), source_sha256: "0".repeat(64), folder_ids: {} }),
        { attempts: 3 },
      );
      await worker.waitFor(new RegExp(`job ${broken.id} \\(backtest-part\\) failed`));
      await worker.waitFor(new RegExp(`job ${refused.id} \\(train-shard\\) failed: .*gone\\.csv, which this worker .* cannot read \\(ENOENT\\)`));
      expect((await queue.getJob(refused.id!))!.attemptsMade).toBe(1);

      const queued = await salescast(dir, [...args, ...tinyNetwork("queued", ["model.architecture=ets"]), ...queueArgs]);
      expect(queued.code, queued.stderr).toBe(0);
      const jobs = Number(/queued (\d+) backtest jobs/.exec(queued.stderr)?.[1]);
      expect(jobs).toBeGreaterThanOrEqual(3);
      const untimed = (text: string) => JSON.parse(text, (key, value: unknown) => (key === "seconds" ? undefined : value)) as unknown;
      expect(untimed(queued.stdout)).toEqual(untimed(inProcess.stdout));

      // Every job ran on the one thread, which had taken the two jobs before them.
      const places = [...worker.log.matchAll(/: backtesting \S+ \(on job thread (\d+), its job (\d+)\)$/gm)];
      expect(places, worker.log).toHaveLength(jobs);
      expect(new Set(places.map((place) => place[1])).size).toBe(1);
      expect(places.map((place) => Number(place[2])).sort((a, b) => a - b)).toEqual(Array.from({ length: jobs }, (_, i) => i + 3));
      // Its threads ended, the worker exits by itself.
      expect(await worker.stop()).toBe(0);
      expect(worker.log).toMatch(/worker: stopped/);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
