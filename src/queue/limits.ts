// Per-queue limits from queue.rate_limit and queue.global_concurrency, applied by each worker.
//
// The rate limit is BullMQ's limiter: at most `max` jobs start in any `duration_ms`, counted in
// Redis, so across every worker of the queue; each worker enforces it with its own settings,
// so every worker should be given the same ones. The cap on jobs running at once across all
// workers is BullMQ's global concurrency, a property of the queue kept in Redis: each worker
// sets it (or removes it, for 0) when it starts, so the last worker started decides.
import { Queue, type RateLimiterOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "../config/schema.js";
import { TRAIN_QUEUE } from "./payload.js";

/** The Worker's `limiter` option, or undefined for no limit. */
export function workerLimiter(config: Config): RateLimiterOptions | undefined {
  const { max, duration_ms } = config.queue.rate_limit;
  return max > 0 ? { max, duration: duration_ms } : undefined;
}

/** Sets (or removes, for 0) the queue's cap on jobs running at once across every worker. */
export async function applyGlobalConcurrency(connection: Redis, config: Config): Promise<void> {
  const queue = new Queue(TRAIN_QUEUE, { connection, prefix: config.queue.prefix });
  try {
    if (config.queue.global_concurrency > 0) await queue.setGlobalConcurrency(config.queue.global_concurrency);
    else await queue.removeGlobalConcurrency();
  } finally {
    await queue.close();
  }
}

/** "at most 2 jobs per 1000 ms, 1 at once across workers" for the worker's first line; "" without limits. */
export function describeLimits(config: Config): string {
  const parts: string[] = [];
  const limiter = workerLimiter(config);
  if (limiter) parts.push(`at most ${limiter.max} job${limiter.max === 1 ? "" : "s"} started per ${limiter.duration} ms`);
  if (config.queue.global_concurrency > 0) parts.push(`${config.queue.global_concurrency} running at once across workers`);
  return parts.length > 0 ? `, ${parts.join(", ")}` : "";
}
