// Workers on "other machines": each `salescast worker` runs in a network namespace of its own
// (made by scripts/test-queue.sh, scripts/lib/netns.sh), which reaches the Redis only over a veth
// link, not over loopback. The Redis listens on the links' root-side addresses with a password,
// as a Redis reached over a network should. A distributed `train --all` must register the same
// models, bit for bit, as the in-process run.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { salescast, startRedis, WorkerProcess, type RedisServer } from "./helpers.js";
import { comparable, registryVersions, tinyNetwork, trainingFolder, weights } from "./training-fixture.js";

interface Namespace {
  name: string;
  /** The root namespace's end of the link (where Redis listens). */
  host: string;
  /** The namespace's end (where its worker's connections come from). */
  address: string;
}

const namespaces: Namespace[] = process.env.SALESCAST_TEST_NETNS ? (JSON.parse(process.env.SALESCAST_TEST_NETNS) as Namespace[]) : [];
const skipReason =
  process.env.SALESCAST_TEST_NETNS_SKIP ??
  (namespaces.length < 2 ? "no network namespaces were made (SALESCAST_TEST_NETNS unset): run the queue suite with `npm run test:queue`" : undefined);

const CATEGORIES = ["A", "B", "C", "D"];
const PASSWORD = randomBytes(12).toString("hex");
let dir: string;
let redis: RedisServer | undefined;
let port: number;
let workers: WorkerProcess[] = [];

const urlVia = (address: string) => `redis://:${PASSWORD}@${address}:${port}`;

beforeAll(async () => {
  if (skipReason) return;
  dir = await trainingFolder(CATEGORIES);
  // Loopback for the submitter and this test, and each link's root-side address for the workers.
  redis = await startRedis([
    "--bind",
    "127.0.0.1",
    ...namespaces.map((ns) => ns.host),
    "--requirepass",
    PASSWORD,
    "--appendonly",
    "yes",
    "--save",
    "",
    "--maxmemory-policy",
    "noeviction",
  ]);
  port = Number(new URL(redis.url).port);
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
});

afterAll(async () => {
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("workers in network namespaces of their own (other machines)", () => {
  it("cannot reach the Redis over loopback: their network really is another one", async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const loopback = new WorkerProcess(dir, [`queue.url=redis://:${PASSWORD}@127.0.0.1:${port}`, "queue.prefix=loopback"], { netns: namespaces[0].name });
    workers = [loopback];
    expect(await loopback.exit()).toBe(1);
    expect(loopback.log).toMatch(/cannot reach the queue's Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    expect(loopback.log).not.toContain(PASSWORD);
  });

  it("train --all over the links registers the same models as the in-process run, bit for bit", async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const epochs = ["train.max_epochs=3", "model.architecture=CNNLSTM"];
    const inProcess = await salescast(dir, ["train", "--all", "--json", ...tinyNetwork("inproc", epochs)]);
    expect(inProcess.code, inProcess.stderr).toBe(0);

    const prefix = `netns-${process.pid}`;
    workers = namespaces.map((ns) => new WorkerProcess(dir, [`queue.url=${urlVia(ns.host)}`, `queue.prefix=${prefix}`], { netns: ns.name }));
    await Promise.all(workers.map((worker) => worker.waitFor(/worker: taking jobs/)));

    // The workers' connections come from the namespaces' addresses, not from 127.0.0.1.
    const client = new Redis(`redis://:${PASSWORD}@127.0.0.1:${port}`);
    try {
      const peers = new Set([...String(await client.client("LIST")).matchAll(/ addr=([\d.]+):\d+ /g)].map((match) => match[1]));
      for (const ns of namespaces) expect(peers, `a connection from ${ns.name} (${ns.address})`).toContain(ns.address);
    } finally {
      client.disconnect();
    }

    const queued = await salescast(dir, [
      "train",
      "--all",
      "--json",
      ...tinyNetwork("queued", epochs),
      `queue.url=${urlVia(namespaces[0].host)}`,
      `queue.prefix=${prefix}`,
    ]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).toMatch(/queued 4 categories in 4 shards/);
    expect(comparable(queued.stdout)).toEqual(comparable(inProcess.stdout));
    expect(comparable(queued.stdout).map((r) => r.status)).toEqual(["ok", "ok", "ok", "ok"]);
    // Both "machines" trained some of it.
    for (const worker of workers) expect(worker.log).toMatch(/: ok in/);
    for (const category of CATEGORIES) expect((await weights(dir, "queued", category)).equals(await weights(dir, "inproc", category)), category).toBe(true);
    expect(await registryVersions(dir, "queued")).toEqual({ A: [1], B: [1], C: [1], D: [1] });
    // The password is in no log line.
    for (const worker of workers) expect(worker.log).not.toContain(PASSWORD);
    expect(queued.stderr).not.toContain(PASSWORD);
  });
});
