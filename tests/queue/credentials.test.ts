// Passwords stay out of Redis: a distributed `train --all` whose queue.url and tracking.uri
// carry passwords queues jobs that hold neither (every value under the queue's keys is read
// back); a worker with no credentials of its own for the tracking server refuses the job, for
// good, saying how to give it them (src/queue/credentials.ts).
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { withWorkerCredentials } from "../../src/queue/credentials.js";
import { JobRefusedError } from "../../src/queue/errors.js";
import { portableConfig } from "../../src/queue/payload.js";
import { salescast, startRedis, WorkerProcess, type RedisServer } from "./helpers.js";
import { tinyNetwork, trainingFolder } from "./training-fixture.js";

const REDIS_PASSWORD = `redis-${randomBytes(8).toString("hex")}`;
const MLFLOW_PASSWORD = `mlflow-${randomBytes(8).toString("hex")}`;
let dir: string;
let redis: RedisServer;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  dir = await trainingFolder(["A", "B"]);
  redis = await startRedis(["--requirepass", REDIS_PASSWORD, "--appendonly", "yes", "--save", "", "--maxmemory-policy", "noeviction"]);
});

afterAll(async () => {
  await worker?.stop();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Every value stored under `prefix`, as text: hashes' fields and values, lists, sets, sorted sets, strings, streams. */
async function everything(client: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const key of await client.keys(`${prefix}:*`)) {
    const type = await client.type(key);
    if (type === "hash") out.push(...Object.entries(await client.hgetall(key)).flat());
    else if (type === "string") out.push((await client.get(key)) ?? "");
    else if (type === "list") out.push(...(await client.lrange(key, 0, -1)));
    else if (type === "set") out.push(...(await client.smembers(key)));
    else if (type === "zset") out.push(...(await client.zrange(key, 0, -1)));
    else if (type === "stream") out.push(JSON.stringify(await client.xrange(key, "-", "+")));
    else throw new Error(`a key of type ${type} (${key}): read it too`);
  }
  return out;
}

describe("passwords in queue.url and tracking.uri", () => {
  it("never reach the jobs in Redis; a worker without its own refuses the job and says how to give it them", async () => {
    const port = new URL(redis.url).port;
    const prefix = `secrets-${process.pid}`;
    // Nothing listens on port 9: the run never gets as far as the tracking server.
    const tracking = `http://forecaster:${MLFLOW_PASSWORD}@127.0.0.1:9`;
    const queue = [`queue.url=redis://:${REDIS_PASSWORD}@127.0.0.1:${port}`, `queue.prefix=${prefix}`];
    const run = salescast(dir, ["train", "--all", "--json", ...tinyNetwork("secrets", [`tracking.uri=${tracking}`]), ...queue]);

    const client = new Redis(`redis://:${REDIS_PASSWORD}@127.0.0.1:${port}`);
    try {
      // The flow is queued: a parent and two shards, waiting for a worker.
      let values: string[] = [];
      for (let tries = 0; !values.some((value) => value.includes('"categories":["B"]')); tries++) {
        if (tries > 600) throw new Error("the shards were not queued within 60 s");
        await new Promise((resolve) => setTimeout(resolve, 100));
        values = await everything(client, prefix);
      }
      const stored = values.join("\n");
      expect(stored).toContain(`"uri":"http://forecaster:***@127.0.0.1:9/"`);
      expect(stored).toContain(`"url":"redis://:***@127.0.0.1:${port}"`);
      expect(stored).not.toContain(MLFLOW_PASSWORD);
      expect(stored).not.toContain(REDIS_PASSWORD);
    } finally {
      client.disconnect();
    }

    // This worker has the queue's password (it must) but none for the tracking server.
    worker = new WorkerProcess(dir, queue);
    await worker.waitFor(/job \S+ \(train-shard\) failed/);
    const result = await run;
    expect(result.code).toBe(1);
    for (const text of [worker.log, result.stderr]) {
      expect(text).toMatch(/writes its runs to http:\/\/forecaster:\*\*\*@127\.0\.0\.1:9\/, and the password stays with the submitter/);
      expect(text).toContain("SALESCAST__TRACKING__URI=http://forecaster:PASSWORD@127.0.0.1:9/");
      expect(text).not.toContain(MLFLOW_PASSWORD);
    }
    // Refused for good: each shard tried once, not three times.
    const failed = [...worker.log.matchAll(/job (\S+) \(train-shard\) failed/g)].map((match) => match[1]);
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed).size).toBe(failed.length);
  });
});

describe("withWorkerCredentials", () => {
  const submitted = configFromDefaults({ tracking: { uri: "http://forecaster:s3cret@mlflow:5005" } });
  const job = portableConfig(submitted);
  const worker = (uri: string) => configFromDefaults({ tracking: { uri } });

  it("puts back the worker's own password for the same server and user", () => {
    expect(job.tracking.uri).toBe("http://forecaster:***@mlflow:5005/");
    expect(withWorkerCredentials(job, worker("http://forecaster:mine@mlflow:5005"), "j1", {}).tracking.uri).toBe("http://forecaster:mine@mlflow:5005");
  });

  it("leaves the url bare when MLflow's variables carry the credentials (the client prefers them)", () => {
    const env = { MLFLOW_TRACKING_USERNAME: "forecaster", MLFLOW_TRACKING_PASSWORD: "mine" };
    expect(withWorkerCredentials(job, worker("mlruns"), "j1", env).tracking.uri).toBe("http://mlflow:5005/");
    expect(withWorkerCredentials(job, worker("mlruns"), "j1", { MLFLOW_TRACKING_TOKEN: "t" }).tracking.uri).toBe("http://mlflow:5005/");
  });

  it("refuses, saying how, when the worker has none or its own names another server or user", () => {
    for (const own of ["mlruns", "http://forecaster:mine@other:5005", "http://someone:mine@mlflow:5005"]) {
      expect(() => withWorkerCredentials(job, worker(own), "j1", {}), own).toThrow(JobRefusedError);
    }
    expect(() => withWorkerCredentials(job, worker("mlruns"), "j1", {})).toThrow(
      /SALESCAST__TRACKING__URI=http:\/\/forecaster:PASSWORD@mlflow:5005\/.*MLFLOW_TRACKING_PASSWORD/,
    );
    // Half of MLflow's pair is not credentials.
    expect(() => withWorkerCredentials(job, worker("mlruns"), "j1", { MLFLOW_TRACKING_USERNAME: "forecaster" })).toThrow(JobRefusedError);
  });

  it("changes nothing when the job's url had no password", () => {
    const plain = portableConfig(configFromDefaults({ tracking: { uri: "http://mlflow:5005" } }));
    expect(withWorkerCredentials(plain, worker("mlruns"), "j1", {})).toEqual(plain);
  });
});
