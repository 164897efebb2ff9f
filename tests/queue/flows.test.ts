// The rest of the work that goes through the queue as flows, with real `salescast worker`
// processes (the built CLI) and the suite's Redis:
// - backtest --all --auto: the tournament sharded by series, the global entrant fitted once on
//   every series in a part of its own; the report and rows the same, bit for bit, as in-process;
// - train --all --auto: the same versions and leaderboards as in-process;
// - the progress bar of train --all fed by the shards' epochs, from the queue's events;
// - the API's training jobs: trained by the workers, their events fed from the queue's; with a
//   queue.url that does not answer, the job fails with the reason.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LocalRegistry } from "../../src/registry/index.js";
import { createWorkspace, parseSse, testApp } from "../server/helpers.js";
import { freePort, salescast, suiteRedisUrl, WorkerProcess } from "./helpers.js";
import { tinyNetwork, trainingFolder } from "./training-fixture.js";

const CATEGORIES = ["A", "B", "C", "D"];
let dir: string;
let workers: WorkerProcess[] = [];

const settings = tinyNetwork;

function queueSettings(prefix: string, extra: string[] = []): string[] {
  return [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}-${process.pid}`, ...extra];
}

async function startWorkers(count: number, prefix: string): Promise<void> {
  workers = Array.from({ length: count }, () => new WorkerProcess(dir, queueSettings(prefix)));
  await Promise.all(workers.map((worker) => worker.waitFor(/worker: taking jobs/)));
}

/** A JSON text without the time anything took (of the run, of each entrant). */
const untimed = (text: string) => JSON.parse(text, (key, value: unknown) => (key === "seconds" ? undefined : value)) as Record<string, unknown>;

// Cheap candidates, one of them global (the GBDT), and combinations allowed: the combination size
// is chosen over every series, so the finish must see them all.
const tournament = [
  "model.auto.candidates=[ets,holt_winters,gbdt]",
  "model.auto.selection_windows=2",
  "model.auto.combine_max=3",
  "model.gbdt.max_rounds=40",
  "model.gbdt.early_stopping_rounds=10",
  "model.gbdt.min_data_in_leaf=5",
];

beforeAll(async () => {
  dir = await trainingFolder(CATEGORIES);
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("backtest --all --auto on two workers", () => {
  it("shards the tournament by series, fits the global entrant once per window on every series, and gives the in-process report and rows bit for bit", async () => {
    const args = ["backtest", "--all", "--auto", "--json", "--horizon", "3", "--windows", "2", ...tournament];
    const inProcess = await salescast(dir, [...args, "--out", "auto-inproc.csv", ...settings("auto-bt-inproc")]);
    expect(inProcess.code, inProcess.stderr).toBe(0);

    await startWorkers(2, "auto-bt");
    const queued = await salescast(dir, [...args, "--out", "auto-queued.csv", ...settings("auto-bt-queued"), ...queueSettings("auto-bt")]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).not.toMatch(/runs on this machine/);
    expect(queued.stderr).toMatch(/queued the tournament of 4 series in 4 shards and one part for the global entrants/);
    // Both workers took parts of it.
    expect(workers.filter((worker) => /tournament part done/.test(worker.log)).length).toBe(2);
    // The parts' lines reach the submitter from the queue's events: each series' local entrants,
    // and each window's global fit once, on the 4 series at once (not once per shard).
    for (const category of CATEGORIES) expect(queued.stderr).toMatch(new RegExp(`^${category}: ets selection \\d`, "m"));
    expect(queued.stderr.match(/^gbdt: fitting window 1\/4 on 4 series at once$/gm)).toHaveLength(1);

    const here = untimed(inProcess.stdout);
    const there = untimed(queued.stdout);
    expect((there.categories as unknown[]).length).toBe(4);
    // The GBDT was scored (a global part that silently failed would leave it out of the rows).
    expect(JSON.stringify(there)).toContain('"gbdt"');
    expect(there).toEqual(here);
    expect(await readFile(join(dir, "auto-queued.csv"))).toEqual(await readFile(join(dir, "auto-inproc.csv")));
  });
});

describe("train --all --auto on two workers", () => {
  it("registers the same champions with the same leaderboards as the in-process run", async () => {
    // Local candidates only: a global champion is fitted on every series of the file by a shard
    // (train-category.ts, as on one thread), but on its own series alone by a thread of the
    // in-process run, which is sent only that series (src/training/train-all.ts).
    const local = ["model.auto.candidates=[ets,holt_winters,theta]", "model.auto.selection_windows=2", "model.auto.combine_max=3"];
    const args = ["train", "--all", "--auto", "--json", ...local, "model.auto.horizon=3", "model.auto.evaluation_windows=1"];
    const inProcess = await salescast(dir, [...args, ...settings("auto-tr-inproc")]);
    expect(inProcess.code, inProcess.stderr).toBe(0);

    await startWorkers(2, "auto-tr");
    const queued = await salescast(dir, [...args, ...settings("auto-tr-queued"), ...queueSettings("auto-tr")]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).toMatch(/queued 4 categories in 4 shards/);
    expect(workers.filter((worker) => /: ok in/.test(worker.log)).length).toBe(2);
    // Each category's tournament lines come from its shard, through the queue's events.
    for (const category of CATEGORIES) expect(queued.stderr).toMatch(new RegExp(`^${category}: champion \\S+`, "m"));

    const results = (text: string) =>
      (untimed(text).categories as Array<Record<string, unknown>>).map(({ run_id: _run, checkpoint_dir: _dir, ...rest }) => rest);
    expect(results(queued.stdout)).toEqual(results(inProcess.stdout));
    for (const category of CATEGORIES) {
      const board = async (root: string) => {
        const version = await new LocalRegistry(join(dir, root, "checkpoints")).resolve(category, 1);
        return untimed(await readFile(join(version!.dir, "leaderboard.json"), "utf8"));
      };
      expect(await board("auto-tr-queued"), category).toEqual(await board("auto-tr-inproc"));
    }
  });
});

describe("the progress bar of train --all on the queue", () => {
  it("shows each shard's epochs as they end, from the queue's events, and each shard as it completes", async () => {
    await startWorkers(1, "bar");
    const network = ["train.max_epochs=3", "train.patience=3", "model.architecture=CNNLSTM"];
    const queued = await salescast(dir, ["train", "--all", ...settings("bar", network), ...queueSettings("bar", ["queue.shard_size=2"])]);
    expect(queued.code, queued.stderr).toBe(0);
    // Not a terminal: one line per finished epoch (training/progress.ts), here from the worker.
    for (const category of CATEGORIES) {
      for (const epoch of [1, 2, 3]) expect(queued.stderr).toMatch(new RegExp(`^${category} epoch ${epoch}/3 train_loss \\d`, "m"));
    }
    expect(queued.stderr).toMatch(/^shard 1\/2 done \(job \S+: (A, B|C, D)\)$/m);
    expect(queued.stderr).toMatch(/^shard 2\/2 done \(job \S+: (A, B|C, D)\)$/m);
    // A's line comes before its shard's "done" line: categories are reported as they finish.
    expect(queued.stderr.search(/^A: ok in/m)).toBeLessThan(queued.stderr.search(/^shard \d\/2 done \(job \S+: A, B\)$/m));
  });
});

describe("the API's training jobs with a queue", () => {
  it("are trained by the queue's workers, the job's events fed by the shards' progress", async () => {
    const ws = await createWorkspace({ days: 90 });
    const prefix = `api-${process.pid}`;
    const app = await testApp({ ...ws, config: { ...ws.config, queue: { ...ws.config.queue, url: suiteRedisUrl(), prefix } } });
    try {
      const worker = new WorkerProcess(dir, [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`]);
      workers = [worker];
      await worker.waitFor(/worker: taking jobs/);
      const accepted = await app.inject({ method: "POST", url: "/api/train", payload: { categories: ["Beauty", "Clothing"] } });
      expect(accepted.statusCode, accepted.body).toBe(202);
      const id = accepted.json().job_id as string;
      const stream = app.inject({ method: "GET", url: `/api/jobs/${id}/events` });
      const done = await app.salescast.jobs.wait(id)!;
      expect(done.state, done.error ?? "").toBe("succeeded");
      expect(done.results.map((r) => [r.category, r.status, r.version])).toEqual([
        ["Beauty", "ok", 1],
        ["Clothing", "ok", 1],
      ]);
      // The worker trained them (the server's own threads did not).
      expect(worker.log).toMatch(/job \S+: training Beauty/);
      expect(worker.log).toMatch(/job \S+: training Clothing/);
      const events = parseSse((await stream).body);
      // Epochs of both categories, reported by the worker's shards and read from the queue's events.
      for (const category of ["Beauty", "Clothing"]) {
        const epochs = events
          .filter((e) => e.event === "progress" && e.data.category === category && e.data.train_loss !== null)
          .map((e) => e.data.epoch as number);
        expect([...new Set(epochs)], category).toEqual([1, 2]);
      }
      // One result per category, before the final state.
      const results = events.filter((e) => e.event === "result").map((e) => e.data.category);
      expect(results.sort()).toEqual(["Beauty", "Clothing"]);
      expect(events[events.length - 1]).toMatchObject({ event: "end", data: { state: "succeeded" } });
      // What the workers registered is what the server serves.
      expect((await ws.registry.versions("Beauty")).map((v) => v.version)).toEqual([1]);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
      workers = [];
      await app.close();
      await ws.cleanup();
    }
  });
});

describe("an API training job with a queue that does not answer", () => {
  it("fails with the address and how to fix it, and trains nothing on the server", async () => {
    const ws = await createWorkspace({ days: 90 });
    const url = `redis://127.0.0.1:${await freePort()}`;
    const app = await testApp({ ...ws, config: { ...ws.config, queue: { ...ws.config.queue, url, prefix: `away-${process.pid}` } } });
    try {
      const accepted = await app.inject({ method: "POST", url: "/api/train", payload: { categories: ["Beauty"] } });
      expect(accepted.statusCode, accepted.body).toBe(202);
      const done = await app.salescast.jobs.wait(accepted.json().job_id as string)!;
      expect(done.state).toBe("failed");
      expect(done.error).toContain(`cannot reach the queue's Redis at ${url}`);
      expect(done.error).toMatch(/fix queue\.url, or empty it to train on this machine's threads/);
      expect(await ws.registry.versions("Beauty")).toEqual([]);
    } finally {
      await app.close();
      await ws.cleanup();
    }
  });
});
