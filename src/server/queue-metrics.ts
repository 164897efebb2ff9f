// /metrics series of the queue (queue.url set): jobs in each state, read from Redis when scraped,
// and how long the jobs the workers finished took, from the queue's events while the server runs.
// Every server of an installation shows the same counts (they are the queue's, not the server's).
import { Job, Queue, QueueEvents } from "bullmq";
import { Gauge, Histogram } from "prom-client";
import type { Config } from "../config/schema.js";
import { queueConnection } from "../queue/connection.js";
import { TRAIN_QUEUE } from "../queue/payload.js";
import type { ServerMetrics } from "./metrics.js";

/** States as BullMQ counts them; prioritized jobs are waiting ones, waiting-children are parents. */
const STATES = ["waiting", "prioritized", "waiting-children", "active", "delayed", "completed", "failed"] as const;

/** How long a scrape waits for the queue's counts (Prometheus's own scrape timeout is 10 s by default). */
const SCRAPE_WAIT_MS = 2000;

export interface QueueMetrics {
  close(): Promise<void>;
}

export function queueMetrics(metrics: ServerMetrics, config: Config, onError: (error: Error) => void): QueueMetrics {
  const connection = queueConnection(config.queue.url);
  const eventsConnection = queueConnection(config.queue.url);
  const prefix = config.queue.prefix;
  const queue = new Queue(TRAIN_QUEUE, { connection, prefix });
  // Redis away: said by salescast_queue_up on the next scrape, not by a line per reconnection attempt.
  queue.on("error", () => undefined);
  // One read of Redis per scrape, shared by the two gauges (prom-client collects them together).
  // A Redis that is away would keep the read waiting for its return (the connection queues
  // commands meanwhile): after SCRAPE_WAIT_MS the scrape answers without the counts.
  let reading: Promise<Record<string, number> | undefined> | undefined;
  const counts = () =>
    (reading ??= Promise.race([
      queue.getJobCounts(...STATES).catch(() => undefined),
      new Promise<undefined>((resolve) => setTimeout(resolve, SCRAPE_WAIT_MS, undefined).unref()),
    ]).finally(() => {
      reading = undefined;
    }));
  new Gauge({
    name: "salescast_queue_up",
    help: "1 when the queue's Redis answered the last scrape, 0 when it did not (the job counts are then absent)",
    registers: [metrics.registry],
    async collect() {
      this.set((await counts()) ? 1 : 0);
    },
  });
  new Gauge({
    name: "salescast_queue_jobs",
    help: "Jobs of the queue in each state (waiting, active, delayed, completed, failed; waiting-children: parents waiting for their shards)",
    labelNames: ["state"],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const found = await counts();
      if (!found) return;
      this.set({ state: "waiting" }, (found.waiting ?? 0) + (found.prioritized ?? 0));
      for (const state of STATES) if (state !== "waiting" && state !== "prioritized") this.set({ state }, found[state] ?? 0);
    },
  });
  const durations = new Histogram({
    name: "salescast_queue_job_duration_seconds",
    help: "Time a worker spent on each finished job (from taken to finished), by job kind (train-shard, train-all) and outcome",
    labelNames: ["name", "outcome"],
    // A gathering parent takes milliseconds; a shard of a catalogue, hours.
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600],
    registers: [metrics.registry],
  });
  const events = new QueueEvents(TRAIN_QUEUE, { connection: eventsConnection, prefix });
  const observe = (jobId: string, outcome: "completed" | "failed") => {
    void Job.fromId(queue, jobId).then((job) => {
      if (job?.processedOn && job.finishedOn) durations.observe({ name: job.name, outcome }, (job.finishedOn - job.processedOn) / 1000);
    }, onError);
  };
  events.on("completed", ({ jobId }) => observe(jobId, "completed"));
  events.on("failed", ({ jobId }) => observe(jobId, "failed"));
  events.on("error", () => undefined);
  return {
    async close() {
      // BullMQ's close waits for a connection that may never come (Redis away): not the server's shutdown.
      const closed = Promise.all([events.close(), queue.close()]).catch(() => undefined);
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, SCRAPE_WAIT_MS).unref())]);
      connection.disconnect();
      eventsConnection.disconnect();
    },
  };
}
