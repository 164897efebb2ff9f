// train --catalogue on the queue: the catalogue's GBDT groups (catalogue.group_by store_id, two
// stores) fitted by two `salescast worker` processes (the built CLI) as a flow, the rest on the
// submitter. The stored forecasts (`salescast forecast --out`) are the same bytes as in-process,
// with mint_shrink so the groups' in-sample errors travel too; ONE registry version and ONE
// run. Without group_by, one child of every series. A group job queued by another salescast
// version is refused at once, without a retry.
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { writeCatalogue } from "../../src/data/demo-catalogue.js";
import { queueConnection } from "../../src/queue/connection.js";
import { CATALOGUE_GROUP_JOB, stamped, TRAIN_QUEUE } from "../../src/queue/payload.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { LocalTrackingStore } from "../../src/tracking/index.js";
import { salescastVersion } from "../../src/version.js";
import { projectRoot, salescast, suiteRedisUrl, WorkerProcess } from "./helpers.js";

let dir: string;
let workers: WorkerProcess[] = [];

/** A small catalogue (2 stores × 6 items, 200 days) with its covariates, its files under `root`. */
function catalogueSettings(root: string, groupBy = "store_id"): string[] {
  return [
    "data.csv_path=catalogue.parquet",
    "data.date_column=date",
    "data.value_column=sales",
    "data.series_key=[store_id,item_id]",
    "data.hierarchy=[[],[state_id],[store_id],[dept_id],[store_id,item_id]]",
    "model.features.covariates=[sell_price,promo,event,snap]",
    "model.gbdt.threads=1",
    "catalogue.horizon=14",
    "catalogue.max_rounds=15",
    "catalogue.training_days=120",
    `catalogue.group_by=${groupBy}`,
    "catalogue.reconcile=mint_shrink",
    `train.checkpoint_path=${root}/checkpoints/model.ckpt`,
    `train.normalization_path=${root}/checkpoints/normalization.json`,
    `tracking.uri=${root}/mlruns`,
  ];
}

function queueSettings(prefix: string): string[] {
  return [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}-${process.pid}`];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-queue-catalogue-"));
  await mkdir(join(dir, "config"));
  await copyFile(join(projectRoot, "config", "config.yaml"), join(dir, "config", "config.yaml"));
  await writeCatalogue(join(dir, "catalogue.parquet"), { stores: 2, items: 6, days: 200, seed: 3 });
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("train --catalogue on two workers", () => {
  it("fits one group per store on the workers and stores the in-process forecasts, byte for byte, in one version and one run", async () => {
    const inProcess = await salescast(dir, ["train", "--catalogue", "--json", ...catalogueSettings("inproc")]);
    expect(inProcess.code, inProcess.stderr).toBe(0);
    expect(inProcess.stderr).not.toMatch(/queued the catalogue/);

    workers = Array.from({ length: 2 }, () => new WorkerProcess(dir, queueSettings("cat")));
    await Promise.all(workers.map((worker) => worker.waitFor(/worker: taking jobs/)));
    const queued = await salescast(dir, ["train", "--catalogue", "--json", ...catalogueSettings("queued"), ...queueSettings("cat")]);
    expect(queued.code, queued.stderr).toBe(0);
    // Two passes (held-out evaluation, final fit), each a flow of the 2 stores' groups.
    expect(queued.stderr.match(/queued the catalogue's GBDT fits: 2 groups/g)).toHaveLength(2);
    // Each store's group fitted once per pass, by the workers, off their main thread (which keeps renewing the job's lock).
    const fitted = workers.flatMap((worker) =>
      [...worker.log.matchAll(/catalogue, the GBDT on 6 series of store_id (\S+) \(on job thread \d+, its job \d+\)/g)].map((match) => match[1]),
    );
    expect(fitted).toHaveLength(4);
    const stores = [...new Set(fitted)];
    expect(stores).toHaveLength(2);
    for (const store of stores) expect(fitted.filter((one) => one === store)).toHaveLength(2);
    // The groups' progress reached the submitter's bar (stderr is not a terminal: one line per phase).
    expect(queued.stderr).toMatch(/fitted \d+ trees/);

    const here = JSON.parse(inProcess.stdout) as { version: number; metrics: { wrmsse: number } };
    const there = JSON.parse(queued.stdout) as { version: number; metrics: { wrmsse: number } };
    expect(there.version).toBe(1);
    expect(there.metrics.wrmsse).toBe(here.metrics.wrmsse);

    for (const [root, file] of [
      ["inproc", "inproc.csv"],
      ["queued", "queued.csv"],
    ]) {
      const written = await salescast(dir, ["forecast", "--out", file, ...catalogueSettings(root)]);
      expect(written.code, written.stderr).toBe(0);
    }
    const inProcessCsv = await readFile(join(dir, "inproc.csv"));
    expect(inProcessCsv.length).toBeGreaterThan(1000);
    expect((await readFile(join(dir, "queued.csv"))).equals(inProcessCsv)).toBe(true);

    // ONE version (nothing registered by the workers) and ONE run, finished.
    const config = configFromDefaults({}, { folder: dir });
    expect((await new LocalRegistry(join(dir, "queued", "checkpoints")).versions(config.catalogue.model_name)).map((v) => v.version)).toEqual([1]);
    const runs = await new LocalTrackingStore(join(dir, "queued", "mlruns")).listRuns();
    expect(runs).toHaveLength(1);
  });

  it("without catalogue.group_by sends one group of every series, with the in-process forecasts", async () => {
    const inProcess = await salescast(dir, ["train", "--catalogue", ...catalogueSettings("inproc-one", "null")]);
    expect(inProcess.code, inProcess.stderr).toBe(0);
    workers = [new WorkerProcess(dir, queueSettings("cat-one"))];
    await workers[0].waitFor(/worker: taking jobs/);
    const queued = await salescast(dir, ["train", "--catalogue", ...catalogueSettings("queued-one", "null"), ...queueSettings("cat-one")]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr.match(/queued the catalogue's GBDT fits: 1 group \(/g)).toHaveLength(2);
    expect(workers[0].log).toMatch(/catalogue, the GBDT on 12 series \(on job thread \d+, its job \d+\)\n/);
    const files: Buffer[] = [];
    for (const root of ["inproc-one", "queued-one"]) {
      const written = await salescast(dir, ["forecast", "--out", `${root}.csv`, ...catalogueSettings(root, "null")]);
      expect(written.code, written.stderr).toBe(0);
      files.push(await readFile(join(dir, `${root}.csv`)));
    }
    expect(files[1].equals(files[0])).toBe(true);
  });
});

describe("a catalogue group from another salescast version", () => {
  it("is refused at once with both versions named, without a retry", async () => {
    const prefix = `cat-old-${process.pid}`;
    const connection = queueConnection(suiteRedisUrl());
    const queue = new Queue(TRAIN_QUEUE, { connection, prefix });
    try {
      const config = configFromDefaults({}, { folder: dir });
      const job = await queue.add(
        CATALOGUE_GROUP_JOB,
        { ...stamped(config, { categories: ["a series"], part: "" }), salescast_version: "0.0.1" },
        { attempts: 3 },
      );
      workers = [new WorkerProcess(dir, [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`])];
      await workers[0].waitFor(new RegExp(`job ${job.id} \\(catalogue-group\\) failed`));
      const failed = (await queue.getJob(job.id!))!;
      expect(await failed.getState()).toBe("failed");
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toContain(`was queued by salescast 0.0.1, and this worker runs salescast ${salescastVersion()}`);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
