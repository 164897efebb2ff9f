// A job whose work is one long synchronous computation must not look stalled: BullMQ renews a
// job's lock from the worker's event loop, so work that held the event loop past queue.stalled_ms
// would let another worker's stalled-job check take the job and run it again, and the run would
// fail (src/queue/job-thread.ts runs the work on a thread of its own instead). Here: the
// tournament's global part (the GBDT fitted on every series, window after window) and a train
// shard of the global GBDT (fitted on every series of the file). The fits are sized to last
// several times the short lock set here even on an idle machine (the global part, one block of
// four fits, took 43 s at load 12, 9 s of CPU); a loaded machine only makes them longer.
import { rm } from "node:fs/promises";
import { QueueEvents } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queueConnection } from "../../src/queue/connection.js";
import { TRAIN_QUEUE } from "../../src/queue/payload.js";
import { salescast, suiteRedisUrl, WorkerProcess, type CliResult } from "./helpers.js";
import { registryVersions, tinyNetwork, trainingFolder } from "./training-fixture.js";

let dir: string;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  dir = await trainingFolder(["A", "B", "C", "D"], 400);
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Many small trees that early stopping does not cut short: one long fit, with no await in it.
const longGbdt = [
  "model.gbdt.max_rounds=600",
  "model.gbdt.early_stopping_rounds=600",
  "model.gbdt.learning_rate=0.01",
  "model.gbdt.min_data_in_leaf=5",
  "model.gbdt.threads=1",
];

/** Runs `salescast ARGS` against two workers with a 4 s lock (long enough for a live worker on a loaded machine to renew it, short against the fits' 9 s of CPU); its result, the workers' logs and the ids of the jobs the queue reported stalled. */
async function onTwoWorkers(name: string, args: string[]): Promise<{ result: CliResult; logs: string; stalled: string[] }> {
  const prefix = `${name}-${process.pid}`;
  const queue = [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`, "queue.stalled_ms=4000"];
  const stalled: string[] = [];
  const connection = queueConnection(suiteRedisUrl());
  const events = new QueueEvents(TRAIN_QUEUE, { connection, prefix });
  events.on("stalled", ({ jobId }) => stalled.push(jobId));
  try {
    await events.waitUntilReady();
    workers = [new WorkerProcess(dir, queue), new WorkerProcess(dir, queue)];
    await Promise.all(workers.map((worker) => worker.waitFor(/worker: taking jobs/)));
    const result = await salescast(dir, [...args, ...tinyNetwork(name), ...queue], 600_000);
    return { result, logs: workers.map((worker) => worker.log).join("\n--- next worker ---\n"), stalled };
  } finally {
    await events.close();
    connection.disconnect();
  }
}

describe("a job whose work blocks longer than queue.stalled_ms", () => {
  it("a tournament's global part is not taken for stalled: it runs once, on one worker, and the run ends", async () => {
    const tournament = ["model.auto.candidates=[gbdt]", "model.auto.selection_windows=2", ...longGbdt];
    const args = ["backtest", "--all", "--auto", "--json", "--horizon", "3", "--windows", "2", ...tournament];
    const { result, logs, stalled } = await onTwoWorkers("blocking-bt", args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/one part for the global entrants/);
    expect(JSON.stringify(JSON.parse(result.stdout))).toContain('"gbdt"');
    expect(logs.match(/job \S+: tournament, global entrants on 4 series/g), logs).toHaveLength(1);
    expect(stalled).toEqual([]);
  });

  it("a train shard fitting the global GBDT is not taken for stalled: each category trained once, one version each", async () => {
    const args = ["train", "--all", "--json", "model.architecture=gbdt", "queue.shard_size=2", ...longGbdt];
    const { result, logs, stalled } = await onTwoWorkers("blocking-tr", args);
    expect(result.code, result.stderr).toBe(0);
    for (const category of ["A", "B", "C", "D"]) expect(logs.match(new RegExp(`job \\S+: training ${category}$`, "gm")), logs).toHaveLength(1);
    expect(await registryVersions(dir, "blocking-tr")).toEqual({ A: [1], B: [1], C: [1], D: [1] });
    expect(stalled).toEqual([]);
  });
});
