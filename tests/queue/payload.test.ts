// Job payloads: stamped with the salescast version and the config's hash; a worker refuses,
// for good (no retry), a job from another version or with a configuration that does not match.
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { JobRefusedError } from "../../src/queue/errors.js";
import { queueConnection } from "../../src/queue/connection.js";
import { checkPayload, configHash, portableConfig, SHARD_JOB, stamped, TRAIN_QUEUE } from "../../src/queue/payload.js";
import { shards } from "../../src/queue/train-all.js";
import { salescastVersion } from "../../src/version.js";
import { projectRoot, suiteRedisUrl, WorkerProcess } from "./helpers.js";

const config = configFromDefaults({ train: { seed: 7 } }, { folder: "/shared/salescast" });

describe("checkPayload", () => {
  it("accepts a payload stamped by this version and returns its configuration", () => {
    expect(checkPayload(stamped(config, { categories: ["A"] }), "job 1")).toEqual(config);
  });

  it("refuses a payload from another salescast version, naming both versions", () => {
    const payload = { ...stamped(config, {}), salescast_version: "0.0.1" };
    expect(() => checkPayload(payload, "job 1")).toThrow(JobRefusedError);
    expect(() => checkPayload(payload, "job 1")).toThrow(`job 1 was queued by salescast 0.0.1, and this worker runs salescast ${salescastVersion()}`);
  });

  it("refuses a configuration changed after it was stamped", () => {
    const payload = stamped(config, {});
    const changed = { ...payload, config: { ...config, train: { ...config.train, seed: 8 } } };
    expect(() => checkPayload(changed, "job 2")).toThrow(/does not match its hash/);
  });

  it("refuses something that is not a salescast payload", () => {
    expect(() => checkPayload({ categories: ["A"] }, "job 3")).toThrow(/carries no salescast version/);
    expect(() => checkPayload(null, "job 3")).toThrow(JobRefusedError);
  });

  it("hashes the same configuration the same whatever the order of its keys", () => {
    const { tracking, ...rest } = config;
    const reordered = { tracking, ...rest } as typeof config;
    expect(Object.keys(reordered)[0]).toBe("tracking");
    expect(configHash(reordered)).toBe(configHash(config));
    expect(configHash({ ...config, data: { ...config.data, window_size: 15 } })).not.toBe(configHash(config));
  });
});

describe("a worker given a job from another version", () => {
  let dir: string;
  let worker: WorkerProcess | undefined;
  const prefix = `payload-${process.pid}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "salescast-queue-payload-"));
    await mkdir(join(dir, "config"));
    await copyFile(join(projectRoot, "config", "config.yaml"), join(dir, "config", "config.yaml"));
  });

  afterAll(async () => {
    await worker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("fails it at once with a clear message, without retrying it", async () => {
    const connection = queueConnection(suiteRedisUrl());
    const queue = new Queue(TRAIN_QUEUE, { connection, prefix });
    try {
      const payload = { ...stamped(config, { categories: ["A"], source_path: "/x.csv", source_sha256: "0".repeat(64) }), salescast_version: "0.0.1" };
      const job = await queue.add(SHARD_JOB, payload, { attempts: 3 });
      worker = new WorkerProcess(dir, [`queue.url=${suiteRedisUrl()}`, `queue.prefix=${prefix}`]);
      await worker.waitFor(new RegExp(`job ${job.id} \\(train-shard\\) failed`));
      const failed = (await queue.getJob(job.id!))!;
      expect(await failed.getState()).toBe("failed");
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toContain(`was queued by salescast 0.0.1, and this worker runs salescast ${salescastVersion()}`);
      expect(worker.log).toContain("Run workers of salescast 0.0.1");
      // The refused job did not stop the worker: it still stops cleanly on SIGTERM.
      expect(await worker.stop()).toBe(0);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});

describe("planning a distributed run", () => {
  it("cuts the categories into shards of queue.shard_size, in order", () => {
    expect(shards(["A", "B", "C", "D", "E"], 2)).toEqual([["A", "B"], ["C", "D"], ["E"]]);
    expect(shards(["A"], 3)).toEqual([["A"]]);
    expect(shards([], 2)).toEqual([]);
  });

  it("sends paths absolute (a worker's working folder is not the submitter's); an MLflow address as it is", () => {
    const relative = configFromDefaults({ data: { csv_path: "data/sales.csv" }, train: { checkpoint_path: "ck/model.ckpt" }, tracking: { uri: "mlruns" } });
    const portable = portableConfig(relative);
    expect(portable.data.csv_path).toBe(join(process.cwd(), "data/sales.csv"));
    expect(portable.train.checkpoint_path).toBe(join(process.cwd(), "ck/model.ckpt"));
    expect(portable.tracking.uri).toBe(join(process.cwd(), "mlruns"));
    expect(portableConfig({ ...relative, tracking: { ...relative.tracking, uri: "http://mlflow:5005" } }).tracking.uri).toBe("http://mlflow:5005");
  });

  it("sends a run folder given as a file: URI as the folder's absolute path, not as a path under the working folder", () => {
    const at = (uri: string) => portableConfig(configFromDefaults({ tracking: { uri } })).tracking.uri;
    expect(at("file:///shared/salescast/mlruns")).toBe("/shared/salescast/mlruns");
    expect(at("file:runs/mlruns")).toBe(join(process.cwd(), "runs/mlruns"));
    expect(at("/shared/salescast/mlruns")).toBe("/shared/salescast/mlruns");
  });

  it("sends an MLflow address without its password", () => {
    const portable = portableConfig(configFromDefaults({ tracking: { uri: "https://forecaster:s3cret@mlflow.example:443/prefix" } }));
    expect(portable.tracking.uri).toBe("https://forecaster:***@mlflow.example/prefix");
    expect(JSON.stringify(portable)).not.toContain("s3cret");
  });

  it("sends the queue's url without its password (the job's configuration is logged with every run)", () => {
    const config = configFromDefaults({ queue: { url: "redis://worker:s3cret@10.0.0.5:6379/0" } });
    expect(portableConfig(config).queue.url).toBe("redis://worker:***@10.0.0.5:6379/0");
    expect(JSON.stringify(portableConfig(config))).not.toContain("s3cret");
  });
});
