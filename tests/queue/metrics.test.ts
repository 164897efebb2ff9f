// The queue's series on the server's /metrics (queue.url set): jobs per state, read from the
// suite's Redis, and the durations of the jobs workers finished, from the queue's events.
import type { FastifyInstance } from "fastify";
import { Queue, UnrecoverableError, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueConnection } from "../../src/queue/connection.js";
import { SHARD_JOB, TRAIN_QUEUE } from "../../src/queue/payload.js";
import { createWorkspace, testApp, type Workspace } from "../server/helpers.js";
import { freePort, suiteRedisUrl } from "./helpers.js";

const prefix = `metrics-${process.pid}`;
let ws: Workspace;
let app: FastifyInstance;
const connection = queueConnection(suiteRedisUrl());
const queue = new Queue(TRAIN_QUEUE, { connection, prefix });

beforeAll(async () => {
  ws = await createWorkspace();
  app = await testApp({ ...ws, config: { ...ws.config, queue: { ...ws.config.queue, url: suiteRedisUrl(), prefix } } });
});

afterAll(async () => {
  await app.close();
  await ws.cleanup();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

async function scrape(): Promise<string> {
  const response = await app.inject({ method: "GET", url: "/metrics" });
  expect(response.statusCode).toBe(200);
  return response.body;
}

describe("/metrics with a queue", () => {
  it("counts the queue's jobs per state and times the finished ones by kind and outcome", async () => {
    expect(await scrape()).toMatch(/^salescast_queue_up 1$/m);
    // Two jobs taken by a BullMQ worker of the test's own: one done after 200 ms, one failed; then one left waiting.
    await queue.add(SHARD_JOB, { categories: ["A"] });
    await queue.add(SHARD_JOB, { categories: ["B"] });
    const workerConnection = queueConnection(suiteRedisUrl());
    let taken = 0;
    await new Promise<void>((resolve) => {
      const worker = new Worker(
        TRAIN_QUEUE,
        async () => {
          taken += 1;
          if (taken === 1) return new Promise((done) => setTimeout(() => done([]), 200));
          throw new UnrecoverableError("failed by the test");
        },
        { connection: workerConnection, prefix },
      );
      worker.on("failed", () => void worker.close().then(resolve));
    });
    workerConnection.disconnect();
    await queue.add(SHARD_JOB, { categories: ["C"] });

    // The durations come from the queue's events: wait until both were seen (up to 60 s: the
    // events reader is another connection, and a loaded machine can keep it waiting seconds).
    const bothSeen = /salescast_queue_job_duration_seconds_count\{name="train-shard",outcome="failed"\} 1/;
    const deadline = Date.now() + 60_000;
    let text = await scrape();
    while (!bothSeen.test(text) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await scrape();
    }
    expect(text).toMatch(/^salescast_queue_jobs\{state="waiting"\} 1$/m);
    expect(text).toMatch(/^salescast_queue_jobs\{state="active"\} 0$/m);
    expect(text).toMatch(/^salescast_queue_jobs\{state="completed"\} 1$/m);
    expect(text).toMatch(/^salescast_queue_jobs\{state="failed"\} 1$/m);
    expect(text).toMatch(/^salescast_queue_job_duration_seconds_count\{name="train-shard",outcome="completed"\} 1$/m);
    expect(text).toMatch(/^salescast_queue_job_duration_seconds_count\{name="train-shard",outcome="failed"\} 1$/m);
    // The completed job took its 200 ms (not 0, not the time it waited in the queue).
    const sum = Number(/^salescast_queue_job_duration_seconds_sum\{name="train-shard",outcome="completed"\} ([\d.e-]+)$/m.exec(text)![1]);
    expect(sum).toBeGreaterThanOrEqual(0.19);
    expect(text).toMatch(/^salescast_queue_job_duration_seconds_bucket\{le="0.05",name="train-shard",outcome="completed"\} 0$/m);
  });
});

describe("/metrics with a queue whose Redis does not answer", () => {
  it("still answers, with salescast_queue_up 0 and no job counts", async () => {
    const away = await createWorkspace();
    const port = await freePort();
    const server = await testApp({ ...away, config: { ...away.config, queue: { ...away.config.queue, url: `redis://127.0.0.1:${port}`, prefix } } });
    try {
      const response = await server.inject({ method: "GET", url: "/metrics" });
      expect(response.statusCode).toBe(200);
      expect(response.body).toMatch(/^salescast_queue_up 0$/m);
      expect(response.body).not.toMatch(/^salescast_queue_jobs\{/m);
      expect(response.body).toMatch(/^salescast_process_cpu_user_seconds_total \d/m); // the rest of the page is there
    } finally {
      await server.close();
      await away.cleanup();
    }
  });
});
