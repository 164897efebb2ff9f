// queue.rate_limit and queue.global_concurrency (src/queue/limits.ts) on real workers, asserted
// by counts and order rather than by durations (the settings' validation:
// tests/config/queue-settings.test.ts).
import { rm } from "node:fs/promises";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { queueConnection } from "../../src/queue/connection.js";
import { SHARD_JOB, stamped, TRAIN_QUEUE } from "../../src/queue/payload.js";
import { salescast, suiteRedisUrl, WorkerProcess } from "./helpers.js";
import { tinyNetwork, trainingFolder } from "./training-fixture.js";

let dir: string;
let workers: WorkerProcess[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** Three jobs every worker refuses at once (another version's), on a queue of `prefix`; counts once `done` have failed and then 2 s more. */
async function refusedJobs(prefix: string, workerSettings: string[], done: number) {
  const connection = queueConnection(suiteRedisUrl());
  const queue = new Queue(TRAIN_QUEUE, { connection, prefix });
  try {
    workers = [1, 2].map(() => new WorkerProcess(dir, [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`, "queue.concurrency=3", ...workerSettings]));
    await Promise.all(workers.map((worker) => worker.waitFor(/worker: taking jobs/)));
    const config = configFromDefaults({});
    const payload = { ...stamped(config, { categories: ["A"], source_path: "/x.csv", source_sha256: "0".repeat(64) }), salescast_version: "0.0.1" };
    await queue.addBulk([1, 2, 3].map(() => ({ name: SHARD_JOB, data: payload, opts: { attempts: 1 } })));
    while ((await queue.getJobCounts("failed")).failed < done) await sleep(50);
    await sleep(2000); // without a limit the third job starts together with the first two
    return { counts: await queue.getJobCounts("failed", "wait", "active"), limiter: await connection.get(`${prefix}:${TRAIN_QUEUE}:limiter`) };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    workers = [];
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
}

describe("queue.rate_limit on two workers of concurrency 3", () => {
  it("lets max jobs start in its window, whichever worker takes them; without it all three run", async () => {
    const free = await refusedJobs(`unlimited-${process.pid}`, [], 3);
    expect(free.counts).toEqual({ failed: 3, wait: 0, active: 0 });

    // Two per 10 minutes: the third must still be waiting when the test ends.
    const limited = await refusedJobs(`limited-${process.pid}`, ["queue.rate_limit.max=2", "queue.rate_limit.duration_ms=600000"], 2);
    expect(limited.counts).toEqual({ failed: 2, wait: 1, active: 0 });
    expect(limited.limiter).toBe("2");
  });

  it("is named in the worker's first line", async () => {
    const worker = new WorkerProcess(dir, [
      `queue.url=${suiteRedisUrl()}`,
      `queue.prefix=line-${process.pid}`,
      "queue.rate_limit.max=5",
      "queue.global_concurrency=2",
    ]);
    workers = [worker];
    await worker.waitFor(/worker: taking jobs .*at most 5 jobs started per 1000 ms, 2 running at once across workers\)/);
  });
});

describe("queue.global_concurrency 1 on two workers of concurrency 2", () => {
  it("runs the shards one after another: each starts after the one before finished", async () => {
    const prefix = `global-${process.pid}`;
    const queue = [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`];
    workers = [1, 2].map(() => new WorkerProcess(dir, [...queue, "queue.concurrency=2", "queue.global_concurrency=1"]));
    await Promise.all(workers.map((worker) => worker.waitFor(/worker: taking jobs/)));
    const result = await salescast(dir, ["train", "--all", "--json", ...tinyNetwork("global", ["train.max_epochs=3"]), ...queue]);
    expect(result.code, result.stderr).toBe(0);

    const connection = queueConnection(suiteRedisUrl());
    const jobs = new Queue(TRAIN_QUEUE, { connection, prefix });
    try {
      const shards = (await jobs.getJobs(["completed"])).filter((job) => job.name === SHARD_JOB);
      expect(shards).toHaveLength(3);
      shards.sort((a, b) => a.processedOn! - b.processedOn!);
      for (let at = 1; at < shards.length; at++) expect(shards[at].processedOn!).toBeGreaterThanOrEqual(shards[at - 1].finishedOn!);
    } finally {
      await jobs.obliterate({ force: true });
      await jobs.close();
      connection.disconnect();
    }
  });
});
