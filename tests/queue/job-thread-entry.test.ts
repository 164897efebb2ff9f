// The built job thread (dist/src/queue/job-thread-entry.js) run by hand, message by message: a
// thread takes job after job, each run's messages carry the run's name, and an answer meant for
// an ended run is never taken for the next run's (the worker sends every run's answers to the
// one thread). No Redis: the shard fails at its first lock check, before it writes anything.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import type { Config } from "../../src/config/schema.js";
import { loadConfiguredData } from "../../src/data/model-data.js";
import type { FromJobThread, ToJobThread } from "../../src/queue/job-thread-messages.js";
import { writeSalesCsv } from "../training/helpers.js";
import { projectRoot } from "./helpers.js";

let dir: string;
let config: Config;
let thread: Worker;
const received: FromJobThread[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-job-thread-"));
  await writeSalesCsv(join(dir, "sales.csv"), { categories: ["A"], days: 60 });
  config = configFromDefaults({ data: { csv_path: join(dir, "sales.csv") } });
  thread = new Worker(join(projectRoot, "dist", "src", "queue", "job-thread-entry.js"));
  thread.on("message", (message: FromJobThread) => received.push(message));
});

afterAll(async () => {
  await thread.terminate();
  await rm(dir, { recursive: true, force: true });
});

const post = (message: ToJobThread) => thread.postMessage(message);

/** Waits for the first message received that `match` accepts. */
async function next(match: (message: FromJobThread) => boolean): Promise<FromJobThread> {
  await expect.poll(() => received.some(match), { timeout: 30_000 }).toBe(true);
  return received.find(match)!;
}

describe("a job thread", () => {
  it("runs job after job, each run's messages and answers kept to that run", async () => {
    // Run 1 fails: its part is not a backtest part.
    const broken = Buffer.from("not a backtest part").toString("base64");
    post({ type: "start", run: "5#1", name: "backtest-part", id: "5", jobName: "backtest-part", data: { part: broken }, children: {}, config });
    const failed = await next((message) => message.type === "error");
    expect(failed).toMatchObject({ run: "5#1", type: "error", kind: "failed" });

    // Run 2, a shard on the same thread: its first log line counts it as the thread's second job.
    const sha256 = (await loadConfiguredData(config)).source.sha256;
    const shard = { categories: ["A"], source_path: config.data.csv_path, source_sha256: sha256, folder_ids: {} };
    // A queue nobody listens on: the shard opens its markers' connection, and fails before it uses it.
    const queue = { url: "redis://127.0.0.1:1", prefix: "none" };
    post({ type: "start", run: "6#2", name: "train-shard", id: "6", jobName: "train-shard", data: shard, children: {}, queue, config });
    const first = await next((message) => message.type === "log" && message.run === "6#2");
    expect(first).toMatchObject({ line: expect.stringMatching(/^job 6: shard of 1 categories \(on job thread \d+, its job 2\)$/) as unknown });
    const check = await next((message) => message.type === "check");
    expect(check).toMatchObject({ run: "6#2", check: 0 });

    // An answer for run 1's check 0 (a late one) must not pass for run 2's: it is dropped, and
    // the next answer, run 2's own, says the job is no longer this worker's.
    post({ type: "checked", run: "5#1", check: 0 });
    post({ type: "checked", run: "6#2", check: 0, error: { message: "the lock is another worker's", lost: true } });
    const lost = await next((message) => message.type === "error" && message.run === "6#2");
    expect(lost).toMatchObject({ type: "error", kind: "lost", message: "the lock is another worker's" });
    expect(received.every((message) => message.run === "5#1" || message.run === "6#2")).toBe(true);
    expect(received.filter((message) => message.type === "result")).toEqual([]);
  });
});
