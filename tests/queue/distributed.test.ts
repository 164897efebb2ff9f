// `train --all` through the queue with real `salescast worker` processes (the built CLI) and the
// suite's Redis: the same models as the in-process run, bit for bit; and a worker killed with
// SIGKILL in the middle of a shard, whose shard another worker finishes with exactly one
// registry version per category.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { salescast, startRedis, suiteRedisUrl, WorkerProcess, type RedisServer } from "./helpers.js";
import { comparable, registryVersions as versionsIn, tinyNetwork as settings, trainingFolder, weights as weightsIn } from "./training-fixture.js";

const CATEGORIES = ["A", "B", "C", "D"];
let dir: string;
let workers: WorkerProcess[] = [];

function queueSettings(prefix: string, extra: string[] = []): string[] {
  return [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`, ...extra];
}

const registryVersions = (root: string) => versionsIn(dir, root);
const weights = (root: string, category: string) => weightsIn(dir, root, category);

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

describe("train --all on three workers", () => {
  it("registers the same models as the in-process run, bit for bit", async () => {
    // The network (auto may choose a kind without weights): its weights are compared byte for byte.
    const epochs = ["train.max_epochs=3", "model.architecture=CNNLSTM"];
    const inProcess = await salescast(dir, ["train", "--all", "--json", ...settings("inproc", epochs)]);
    expect(inProcess.code, inProcess.stderr).toBe(0);

    const prefix = `same-${process.pid}`;
    workers = [1, 2, 3].map(() => new WorkerProcess(dir, queueSettings(prefix)));
    await Promise.all(workers.map((worker) => worker.waitFor(/worker: taking jobs/)));
    const queued = await salescast(dir, ["train", "--all", "--json", ...settings("queued", epochs), ...queueSettings(prefix)]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).toMatch(/queued 4 categories in 4 shards/);
    // Each category's line is shown as its shard completes, from the queue's events.
    for (const category of CATEGORIES) expect(queued.stderr).toMatch(new RegExp(`^${category}: ok in .*registered as version 1$`, "m"));

    // Same statuses, versions, metrics (computed from the models' predictions) and epochs.
    expect(comparable(queued.stdout)).toEqual(comparable(inProcess.stdout));
    expect(comparable(queued.stdout).map((r) => r.status)).toEqual(["ok", "ok", "ok", "ok"]);
    // The work really was spread: more than one worker trained something.
    expect(workers.filter((worker) => /: ok in/.test(worker.log)).length).toBeGreaterThan(1);
    // The weights, byte for byte, and one version per category in each registry.
    for (const category of CATEGORIES) expect((await weights("queued", category)).equals(await weights("inproc", category)), category).toBe(true);
    expect(await registryVersions("queued")).toEqual({ A: [1], B: [1], C: [1], D: [1] });
  });
});

describe("backtest --all on two workers", () => {
  it("gives the same report and rows as the in-process run, bit for bit", async () => {
    // The network, refit at every cutoff: the queue gets one job per category and cutoff, as threads would.
    const args = ["backtest", "--all", "--json", "--horizon", "3", "--windows", "2", "--refit", "every"];
    const model = ["train.max_epochs=3", "model.architecture=CNNLSTM"];
    const inProcess = await salescast(dir, [...args, "--out", "inproc-rows.csv", ...settings("bt-inproc", model)]);
    expect(inProcess.code, inProcess.stderr).toBe(0);

    const prefix = `backtest-${process.pid}`;
    workers = [1, 2].map(() => new WorkerProcess(dir, queueSettings(prefix)));
    await Promise.all(workers.map((worker) => worker.waitFor(/worker: taking jobs/)));
    const queued = await salescast(dir, [...args, "--out", "queued-rows.csv", ...settings("bt-queued", model), ...queueSettings(prefix)]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).toMatch(/queued 8 backtest jobs/);
    expect(workers.filter((worker) => /: backtested$/m.test(worker.log)).length).toBe(2); // both took some
    // Everything but the time taken (of the run and of each category's models).
    const untimed = (text: string) => JSON.parse(text, (key, value: unknown) => (key === "seconds" ? undefined : value)) as { categories: unknown[] };
    const here = untimed(inProcess.stdout);
    const there = untimed(queued.stdout);
    expect(there.categories).toHaveLength(4);
    expect(there).toEqual(here);
    expect(await readFile(join(dir, "queued-rows.csv"))).toEqual(await readFile(join(dir, "inproc-rows.csv")));
  });
});

describe("a worker killed with SIGKILL in the middle of a shard", () => {
  it("has its shard retried by another worker: every category ok, exactly one version each", async () => {
    const prefix = `kill-${process.pid}`;
    // 40 epochs of 3 batches per category. The first worker kills itself (a failpoint, SIGKILL)
    // at its 180th batch: its shard's first category registered, the second half trained, on a
    // machine of any speed (a kill sent on seeing the second category's line could come after it
    // ended). A lock of 10 s so the retry comes soon, yet a live worker slowed down by a loaded
    // machine keeps its lock (at 2 s, the retrying worker's shard stalled a second time and failed).
    const longer = ["train.max_epochs=40", "train.patience=40", "model.architecture=CNNLSTM"];
    const quickRetry = ["queue.stalled_ms=10000", "queue.shard_size=2"];
    const first = new WorkerProcess(dir, queueSettings(prefix, quickRetry), { env: { SALESCAST_FAILPOINT: "train:batch@180" } });
    workers = [first];
    await first.waitFor(/worker: taking jobs/);
    const run = salescast(dir, ["train", "--all", "--json", ...settings("killed", longer), ...queueSettings(prefix, quickRetry)]);
    const [, jobId, category] = await first.waitFor(/job (\S+): (\S+): ok in/);
    await first.waitFor(new RegExp(`job ${jobId}: training (?!${category}\\b)`));
    await first.exit();
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(first.log).not.toMatch(new RegExp(`job ${jobId}: (?!${category}\\b)\\S+: ok in`)); // killed mid-category
    workers.push(...[1, 2].map(() => new WorkerProcess(dir, queueSettings(prefix, quickRetry))));

    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expect(comparable(result.stdout).map((r) => [r.category, r.status, r.version])).toEqual(CATEGORIES.map((c) => [c, "ok", 1]));
    expect(await registryVersions("killed")).toEqual({ A: [1], B: [1], C: [1], D: [1] });
    // The retried shard ran again on another worker, and its finished category was not trained twice.
    const retried = workers
      .slice(1)
      .map((worker) => worker.log)
      .join("\n");
    expect(retried).toContain(`job ${jobId}:`);
    expect(retried).not.toMatch(new RegExp(`job ${jobId}: training ${category}\\b`));
    expect(retried).toContain(`job ${jobId}: ${category}: done by an earlier attempt of this job, not trained again`);
  });
});

describe("SIGTERM to a worker in the middle of a category", () => {
  it("finishes its job, reports it, then exits 0", async () => {
    const prefix = `term-${process.pid}`;
    const worker = new WorkerProcess(dir, queueSettings(prefix, ["queue.shard_size=4"]));
    workers = [worker];
    await worker.waitFor(/worker: taking jobs/);
    const run = salescast(dir, [
      "train",
      "--all",
      "--json",
      ...settings("term", ["train.max_epochs=20", "train.patience=20"]),
      ...queueSettings(prefix, ["queue.shard_size=4"]),
    ]);
    await worker.waitFor(/job \S+: training A/);
    worker.child.kill("SIGTERM");
    expect(await worker.exit()).toBe(0);
    // It trained the whole shard (all four categories) before stopping, and the run got every result.
    expect(worker.log).toMatch(/SIGTERM: stopping after the running jobs[\s\S]*D: ok in[\s\S]*worker: stopped/);
    // The parent job (gathering the results) is left for another worker, which trains nothing.
    const gatherer = new WorkerProcess(dir, queueSettings(prefix));
    workers.push(gatherer);
    const result = await run;
    expect(gatherer.log).not.toMatch(/training/);
    expect(result.code, result.stderr).toBe(0);
    expect(comparable(result.stdout).map((r) => [r.category, r.status])).toEqual(CATEGORIES.map((c) => [c, "ok"]));
  });
});

describe("Redis restarted in the middle of train --all", () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // One worker, one category per shard: when Redis goes, one shard is running and two wait.
  const longer = ["train.max_epochs=15", "train.patience=15", "model.architecture=CNNLSTM"];
  /** A redis-server started with `redisArgs` and one worker taking jobs from it; both stopped after `body`. */
  async function withRedisAndWorker(redisArgs: string[], prefix: string, body: (redis: RedisServer, queue: string[], worker: WorkerProcess) => Promise<void>) {
    const redis = await startRedis(redisArgs);
    const queue = [`queue.url=${redis.url}`, `queue.prefix=${prefix}-${process.pid}`];
    try {
      const worker = new WorkerProcess(dir, queue);
      workers = [worker];
      await worker.waitFor(/worker: taking jobs/);
      await body(redis, queue, worker);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
      workers = [];
      await redis.stop();
    }
  }

  it("with its append-only file: the worker reconnects and takes the waiting shards, every category ok, one version each", async () => {
    await withRedisAndWorker(["--appendonly", "yes", "--save", "", "--maxmemory-policy", "noeviction"], "aof", async (redis, queue, worker) => {
      const run = salescast(dir, ["train", "--all", "--json", ...settings("restarted", longer), ...queue]);
      await worker.waitFor(/job \S+: A: ok in/);
      await redis.kill("SIGTERM"); // writes the append-only file and exits, as `systemctl restart` does
      await worker.waitFor(/lost the connection to the queue's Redis at redis:\/\/127\.0\.0\.1:\d+\/?: reconnecting/);
      await sleep(2000);
      await redis.start();
      await worker.waitFor(/the queue's Redis at \S+ is back after/);

      const result = await run;
      expect(result.code, result.stderr).toBe(0);
      // The submitter said so too, and got every result. (Its "is back" line is not asserted: the
      // results can arrive on the events connection before the watched one has reconnected.)
      expect(result.stderr).toMatch(/lost the connection to the queue's Redis[^\n]*this run waits for them\n/);
      expect(comparable(result.stdout).map((r) => [r.category, r.status, r.version])).toEqual(CATEGORIES.map((c) => [c, "ok", 1]));
      expect(await registryVersions("restarted")).toEqual({ A: [1], B: [1], C: [1], D: [1] });
      // Jobs were taken again after the return: the last shard started only then.
      const afterReturn = worker.log.slice(worker.log.search(/is back after/));
      expect(afterReturn).toMatch(/job \S+: training D/);
      expect(worker.log).not.toMatch(/queue error/);
    });
  });

  it("without it (snapshots only, killed): the run fails and says which jobs Redis lost, instead of waiting for ever", async () => {
    // Accepted at start with a warning (snapshots only), but no snapshot is due for an hour.
    await withRedisAndWorker(["--appendonly", "no", "--save", "3600 1", "--maxmemory-policy", "noeviction"], "lost", async (redis, queue, worker) => {
      // Shorter: the run only has to be still going when Redis is killed.
      const run = salescast(dir, [
        "train",
        "--all",
        "--json",
        ...settings("lost", ["train.max_epochs=6", "train.patience=6", "model.architecture=CNNLSTM"]),
        ...queue,
      ]);
      await worker.waitFor(/job \S+: A: ok in/);
      await redis.kill("SIGKILL");
      await redis.start();
      const result = await run;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/warning: the queue's Redis at \S+ saves snapshots only/);
      expect(result.stderr).toMatch(
        /came back without 5 of this run's 5 jobs \(job [^)]+\): it lost its data when it restarted \(no append-only file\)[\s\S]*appendonly yes/,
      );
    });
  });
});
