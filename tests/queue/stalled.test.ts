// A worker that stalls past its job's lock (SIGSTOP here; a long pause or a suspended machine in
// life) loses the job to another worker. When it wakes (SIGCONT) it must check before it writes
// (src/queue/lock.ts): no second version, no write to the run the new owner ended.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queueConnection } from "../../src/queue/connection.js";
import { onceKeys } from "../../src/queue/once.js";
import { LocalTrackingStore } from "../../src/tracking/index.js";
import { salescast, suiteRedisUrl, WorkerProcess } from "./helpers.js";
import { registryVersions, tinyNetwork, trainingFolder } from "./training-fixture.js";

let dir: string;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  dir = await trainingFolder(["A"]);
});

afterEach(async () => {
  for (const worker of workers) worker.child.kill("SIGCONT");
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a worker stalled past its lock while another takes its shard", () => {
  it("writes nothing when it wakes: exactly one version, its run left as the new owner ended it", async () => {
    const prefix = `stalled-${process.pid}`;
    // A lock of 5 s: the stopped worker's lapses soon, while the running one, slowed down by a
    // loaded machine, keeps its own (a second lapse would fail the shard: maxStalledCount 1).
    const queue = [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`, "queue.stalled_ms=5000"];
    // Long enough that the first worker is still fitting when it is stopped and when it wakes.
    const model = ["model.architecture=CNNLSTM", "train.max_epochs=60", "train.patience=60"];
    const first = new WorkerProcess(dir, queue);
    workers = [first];
    await first.waitFor(/worker: taking jobs/);
    const run = salescast(dir, ["train", "--all", "--json", ...tinyNetwork("stalled", model), ...queue]);
    const [, jobId] = await first.waitFor(/job (\S+): training A/);
    // Stopped once its run exists and Redis knows it (once.ts): the new owner must end that run.
    const redis = queueConnection(suiteRedisUrl());
    let firstRunId: string;
    try {
      const runsKey = onceKeys(prefix, jobId).runs("A");
      while ((await redis.scard(runsKey)) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      [firstRunId] = await redis.smembers(runsKey);
    } finally {
      redis.disconnect();
    }
    first.child.kill("SIGSTOP");

    // Its lock lapses; the second worker's stalled-job check gives it the shard.
    const second = new WorkerProcess(dir, queue);
    workers.push(second);
    await second.waitFor(new RegExp(`job ${jobId}: training A`));
    // By now the new owner has ended the first worker's run (once.ts): whatever that run holds
    // (what the first worker wrote before it stopped) must not change once it wakes.
    const store = new LocalTrackingStore(join(dir, "stalled", "mlruns"));
    const before = await store.getRun(firstRunId);
    expect(before.status).toBe("FAILED");
    const epochsBefore = (await store.getMetricHistory(before.runId, "train_loss")).length;
    first.child.kill("SIGCONT");

    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    // The woken worker noticed at its next check, and stopped (the default wait: a process
    // just woken on a loaded machine can take more than a few seconds to get there).
    await first.waitFor(new RegExp(`job ${jobId} is no longer this worker's: its lock lapsed`));
    expect(first.log).not.toMatch(/A: ok in/);
    expect(second.log).toMatch(new RegExp(`job ${jobId}: A: ok in`));

    expect(await registryVersions(dir, "stalled")).toEqual({ A: [1] });
    const runs = await store.listRuns({ category: "A" });
    expect(runs.map((r) => r.status).sort()).toEqual(["FAILED", "FINISHED"]);
    expect(runs.find((r) => r.status === "FINISHED")!.tags.registry_version).toBe("1");
    // The first worker's run: as the new owner left it, with its reason. No write starts after
    // the wake (a write already under way when it was stopped may complete: at most the one
    // epoch's losses it was sending); without the checks it logs every remaining epoch, its
    // evaluation, its artifacts and tags, and ends the run itself.
    const abandoned = await store.getRun(before.runId);
    const { status, error, endTime, tags, artifacts } = before;
    expect(abandoned).toMatchObject({ status, error, endTime, tags, artifacts });
    expect(Object.keys(abandoned.metrics).filter((key) => !(key in before.metrics) && key !== "train_loss" && key !== "val_loss")).toEqual([]);
    expect((await store.getMetricHistory(before.runId, "train_loss")).length).toBeLessThanOrEqual(epochsBefore + 1);
    expect(abandoned.error).toMatch(/its worker stopped before the model was registered; the shard was retried/);
    expect(abandoned.tags.registry_version).toBeUndefined();
  });
});
