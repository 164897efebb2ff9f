// `salescast jobs` and `jobs retry ID` (the built CLI) against the suite's Redis: a failed job is
// listed with its reason, a waiting one with its categories; retry puts a failed job back, and
// refuses one that is not failed or not there.
import { Queue, UnrecoverableError, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { queueConnection } from "../../src/queue/connection.js";
import type { QueueJob } from "../../src/queue/jobs.js";
import { BACKTEST_JOB, SHARD_JOB, stamped, TRAIN_QUEUE } from "../../src/queue/payload.js";
import { projectRoot, salescast, suiteRedisUrl } from "./helpers.js";

const prefix = `jobs-${process.pid}`;
const queueArgs = () => [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`];
const connection = queueConnection(suiteRedisUrl());
const queue = new Queue(TRAIN_QUEUE, { connection, prefix });
let failedId: string;
let waitingId: string;
let backtestId: string;

beforeAll(async () => {
  const config = configFromDefaults({}, { folder: "/shared/salescast" });
  const shard = (categories: string[]) => stamped(config, { categories, source_path: "/x.csv", source_sha256: "0".repeat(64), folder_ids: {} });
  failedId = (await queue.add(SHARD_JOB, shard(["A", "B"]), { attempts: 3 })).id!;
  // A BullMQ worker of the test's own fails the first job for good, then stops taking jobs.
  const workerConnection = queueConnection(suiteRedisUrl());
  const failed = new Promise<void>((resolve) => {
    const worker = new Worker(
      TRAIN_QUEUE,
      async () => {
        throw new UnrecoverableError("the sales file is not there (a failure made by the test)");
      },
      { connection: workerConnection, prefix, autorun: false },
    );
    worker.on("failed", () => void worker.close().then(resolve));
    void worker.run();
  });
  await failed;
  workerConnection.disconnect();
  waitingId = (await queue.add(SHARD_JOB, shard(["C"]))).id!;
  backtestId = (await queue.add(BACKTEST_JOB, stamped(config, { category: "D", part: "" }))).id!;
});

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

describe("salescast jobs", () => {
  it("lists the waiting and failed jobs, with their categories and the reason of the failure", async () => {
    const listed = await salescast(projectRoot, ["jobs", "--json", ...queueArgs()]);
    expect(listed.code, listed.stderr).toBe(0);
    const { jobs } = JSON.parse(listed.stdout) as { jobs: QueueJob[] };
    expect(jobs.map((job) => [job.id, job.name, job.state, job.categories])).toEqual([
      [backtestId, "backtest-part", "waiting", ["D"]],
      [waitingId, "train-shard", "waiting", ["C"]],
      [failedId, "train-shard", "failed", ["A", "B"]],
    ]);
    expect(jobs[2]).toMatchObject({ attempts_made: 1, failed_reason: "the sales file is not there (a failure made by the test)", parent_id: null });
    const table = await salescast(projectRoot, ["jobs", ...queueArgs()]);
    expect(table.stdout).toMatch(new RegExp(`^${failedId}\\s+train-shard\\s+failed\\s+A, B\\s+.*the sales file is not there`, "m"));
  });

  it("retry puts a failed job back in the queue; a job not failed, or not there, is refused with the reason", async () => {
    const notFailed = await salescast(projectRoot, ["jobs", "retry", waitingId, ...queueArgs()]);
    expect(notFailed.code).toBe(1);
    expect(notFailed.stderr).toContain(`job ${waitingId} is waiting, not failed: only a failed job can be retried`);
    const missing = await salescast(projectRoot, ["jobs", "retry", "no-such-job", ...queueArgs()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no job no-such-job in the queue ${prefix}:train`);
    const noId = await salescast(projectRoot, ["jobs", "retry", ...queueArgs()]);
    expect(noId.code).toBe(2);

    const retried = await salescast(projectRoot, ["jobs", "retry", failedId, ...queueArgs()]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`job ${failedId} (train-shard: A, B) is back in the queue (waiting) for the workers`);
    expect(await (await queue.getJob(failedId))!.getState()).toBe("waiting");
  });

  it("without queue.url says to set it (usage error)", async () => {
    const result = await salescast(projectRoot, ["jobs", "queue.url="]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/salescast jobs reads the queue: set queue.url/);
  });
});
