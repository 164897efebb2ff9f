// The Redis check every queue user makes at start (src/queue/connection.ts), against real
// redis-server processes set up the ways it must refuse, warn about, or accept.
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkQueueServer } from "../../src/queue/connection.js";
import { QueueServerError } from "../../src/queue/errors.js";
import { freePort, projectRoot, salescast, startRedis, suiteRedisUrl, type RedisServer } from "./helpers.js";

const started: RedisServer[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-queue-check-"));
  await mkdir(join(dir, "config"));
  await copyFile(join(projectRoot, "config", "config.yaml"), join(dir, "config", "config.yaml"));
});

afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function redis(args: string[]): Promise<string> {
  const server = await startRedis(args);
  started.push(server);
  return server.url;
}

describe("checkQueueServer", () => {
  it("accepts the suite's Redis (noeviction, append-only file) without a warning", async () => {
    const check = await checkQueueServer(suiteRedisUrl());
    expect(check.warnings).toEqual([]);
    expect(check.redisVersion).toMatch(/^\d+\.\d+/);
  });

  it("refuses an address where nothing listens, naming it and how to fix it", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const error = await checkQueueServer(url, 2000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueServerError);
    expect((error as Error).message).toContain(`cannot reach the queue's Redis at ${url}`);
    expect((error as Error).message).toMatch(/queue\.url/);
  });

  it("refuses a Redis that may evict keys (allkeys-lru): BullMQ requires noeviction", async () => {
    const url = await redis(["--maxmemory-policy", "allkeys-lru", "--appendonly", "yes"]);
    await expect(checkQueueServer(url)).rejects.toThrow(/maxmemory-policy allkeys-lru.*noeviction/s);
  });

  it("refuses a Redis that keeps nothing across a restart", async () => {
    const url = await redis(["--appendonly", "no", "--save", ""]);
    await expect(checkQueueServer(url)).rejects.toThrow(/keeps nothing across a restart.*appendonly yes/s);
  });

  it("warns about a Redis that saves snapshots only", async () => {
    const url = await redis(["--appendonly", "no", "--save", "3600 1"]);
    const check = await checkQueueServer(url);
    expect(check.warnings).toHaveLength(1);
    expect(check.warnings[0]).toMatch(/snapshots only.*appendonly yes/);
  });
});

describe("the commands refuse a queue they cannot use", () => {
  it("salescast worker with an unreachable queue.url exits 1 with the reason", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const result = await salescast(dir, ["worker", `queue.url=${url}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach the queue's Redis at ${url}`);
  });

  it("salescast worker without queue.url says to set it (usage error)", async () => {
    const result = await salescast(dir, ["worker"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs a queue: set queue\.url/);
  });

  it("salescast train --all with an evicting Redis exits 1 before queuing anything", async () => {
    const url = await redis(["--maxmemory-policy", "allkeys-lru", "--appendonly", "yes"]);
    const result = await salescast(dir, ["train", "--all", `queue.url=${url}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/maxmemory-policy allkeys-lru/);
  });

  it("queue.url that is not a redis:// URL is refused by the configuration check", async () => {
    const result = await salescast(dir, ["worker", "queue.url=http://127.0.0.1:6379"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/queue\.url.*redis:\/\//s);
  });
});
