// Storage a worker on another machine could not share: the submitter leaves an identity in each
// folder the workers write; a worker refuses, for good and with the reason, a shard whose sales
// file it cannot read or whose folders are not the submitter's.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { queueConnection } from "../../src/queue/connection.js";
import { JobRefusedError } from "../../src/queue/errors.js";
import { portableConfig, SHARD_JOB, stamped, TRAIN_QUEUE } from "../../src/queue/payload.js";
import { checkSalesFileReachable, checkSharedFolders, folderIds } from "../../src/queue/shared-folders.js";
import { writeSalesCsv } from "../training/helpers.js";
import { projectRoot, suiteRedisUrl, WorkerProcess } from "./helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-queue-folders-"));
  await writeSalesCsv(join(dir, "sales.csv"), { categories: ["A"], days: 60 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const configIn = (root: string, tracking = `${root}/mlruns`) =>
  portableConfig(
    configFromDefaults({
      data: { csv_path: join(dir, "sales.csv") },
      train: { checkpoint_path: `${root}/checkpoints/model.ckpt` },
      tracking: { uri: tracking },
    }),
  );

describe("folder identities", () => {
  it("are made once per folder the workers write (registry, run store), and kept", async () => {
    const config = configIn(join(dir, "one"));
    const ids = await folderIds(config);
    expect(Object.keys(ids).sort()).toEqual([join(dir, "one", "checkpoints"), join(dir, "one", "mlruns")]);
    for (const [folder, id] of Object.entries(ids)) {
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await readFile(join(folder, ".salescast-folder-id"), "utf8")).trim()).toBe(id);
    }
    expect(await folderIds(config)).toEqual(ids);
    // Two submitters at once agree on one id per folder.
    const together = await Promise.all([1, 2, 3].map(() => folderIds(configIn(join(dir, "race")))));
    expect(together[1]).toEqual(together[0]);
    expect(together[2]).toEqual(together[0]);
    // Runs on an MLflow server: only the registry folder is checked.
    expect(Object.keys(await folderIds(configIn(join(dir, "two"), "http://mlflow:5005")))).toEqual([join(dir, "two", "checkpoints")]);
  });

  it("let a worker that sees the submitter's folders through, and refuse one that does not, saying why", async () => {
    const ids = await folderIds(configIn(join(dir, "three")));
    await expect(checkSharedFolders(ids, "train-shard 1")).resolves.toBeUndefined();
    const registry = join(dir, "three", "checkpoints");
    // A folder of the same path that is another one (local to this machine, not the shared one).
    await writeFile(join(registry, ".salescast-folder-id"), "another-folder\n");
    await expect(checkSharedFolders(ids, "train-shard 1")).rejects.toThrow(JobRefusedError);
    await expect(checkSharedFolders(ids, "train-shard 1")).rejects.toThrow(`job train-shard 1 writes to ${registry}, and on this worker`);
    await expect(checkSharedFolders(ids, "train-shard 1")).rejects.toThrow(
      /is another one than the submitter's[\s\S]*Mount the submitter's folder at the same path/,
    );
    // Missing altogether.
    await expect(checkSharedFolders({ [join(dir, "nowhere")]: "x" }, "train-shard 2")).rejects.toThrow(/is missing or is not the submitter's/);
  });

  it("refuse a sales file the worker cannot read", async () => {
    await expect(checkSalesFileReachable(join(dir, "sales.csv"), "j")).resolves.toBeUndefined();
    await expect(checkSalesFileReachable(join(dir, "absent.csv"), "train-shard 3")).rejects.toThrow(
      new RegExp(`job train-shard 3 reads the sales file ${join(dir, "absent.csv")}, which this worker \\(.+\\) cannot read \\(ENOENT\\)`),
    );
  });
});

describe("a worker given a shard whose storage it does not share", () => {
  it("fails it at once, without retrying, with the reason in the job and the log", async () => {
    const prefix = `folders-${process.pid}`;
    const connection = queueConnection(suiteRedisUrl());
    const queue = new Queue(TRAIN_QUEUE, { connection, prefix });
    // Its own working folder does not matter: a job carries absolute paths.
    const worker = new WorkerProcess(projectRoot, [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`]);
    try {
      const config = configIn(join(dir, "submitter"));
      const ids = await folderIds(config);
      const shard = (extra: object) =>
        stamped(config, { categories: ["A"], source_path: config.data.csv_path, source_sha256: "0".repeat(64), folder_ids: ids, ...extra });
      const notShared = await queue.add(SHARD_JOB, shard({ folder_ids: { ...ids, [join(dir, "submitter", "checkpoints")]: "the submitter's own" } }), {
        attempts: 3,
      });
      const noFile = await queue.add(
        SHARD_JOB,
        stamped(
          { ...config, data: { ...config.data, csv_path: join(dir, "gone.csv") } },
          { categories: ["A"], source_path: join(dir, "gone.csv"), source_sha256: "0".repeat(64), folder_ids: ids },
        ),
        { attempts: 3 },
      );
      await worker.waitFor(new RegExp(`job ${notShared.id} \\(train-shard\\) failed`));
      await worker.waitFor(new RegExp(`job ${noFile.id} \\(train-shard\\) failed`));
      for (const [job, reason] of [
        [notShared, /writes to .*checkpoints, and on this worker .* is another one than the submitter's/],
        [noFile, /reads the sales file .*gone\.csv, which this worker .* cannot read \(ENOENT\)/],
      ] as const) {
        const failed = (await queue.getJob(job.id!))!;
        expect(await failed.getState()).toBe("failed");
        expect(failed.attemptsMade).toBe(1);
        expect(failed.failedReason).toMatch(reason);
      }
      expect(worker.log).not.toMatch(/training A/);
      expect(await worker.stop()).toBe(0);
    } finally {
      await worker.stop();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
