// `salescast jobs`: what the queue holds now (running, waiting and failed jobs), and retrying a
// failed one. Read straight from Redis, so it shows every submitter's and every worker's jobs.
import { Queue, type Job, type JobType } from "bullmq";
import type { Config } from "../config/schema.js";
import { checkQueueServer, queueConnection } from "./connection.js";
import { TRAIN_QUEUE } from "./payload.js";

/** The states listed, in this order: what runs, what waits, what failed. */
const LISTED: JobType[] = ["active", "waiting", "waiting-children", "prioritized", "delayed", "failed"];
/** At most this many jobs per state (the newest): a queue of a million shards stays readable. */
const PER_STATE = 200;

export interface QueueJob {
  id: string;
  /** train-shard (a child: some categories) or train-all (the parent gathering them). */
  name: string;
  state: string;
  categories: string[];
  attempts_made: number;
  /** Shards: categories finished so far in the running attempt. */
  progress: { done: number; of: number } | null;
  queued_at: string;
  failed_reason: string | null;
  /** The parent's id, for a shard of a flow. */
  parent_id: string | null;
}

async function withQueue<T>(config: Config, work: (queue: Queue) => Promise<T>): Promise<T> {
  await checkQueueServer(config.queue.url);
  const connection = queueConnection(config.queue.url);
  const queue = new Queue(TRAIN_QUEUE, { connection, prefix: config.queue.prefix });
  try {
    return await work(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

export function listQueueJobs(config: Config): Promise<QueueJob[]> {
  return withQueue(config, async (queue) => {
    const out: QueueJob[] = [];
    for (const state of LISTED) {
      for (const job of await queue.getJobs([state], 0, PER_STATE - 1)) {
        if (job) out.push(describeJob(job, state === "prioritized" ? "waiting" : state));
      }
    }
    return out;
  });
}

function describeJob(job: Job, state: string): QueueJob {
  // A training shard carries its categories; a backtest job one category (backtest-jobs.ts).
  const data = (job.data ?? {}) as { categories?: unknown; category?: unknown };
  const progress = job.progress as { done?: unknown; of?: unknown } | number | undefined;
  return {
    id: job.id!,
    name: job.name,
    state,
    categories: Array.isArray(data.categories) ? data.categories.map(String) : typeof data.category === "string" ? [data.category] : [],
    attempts_made: job.attemptsMade,
    progress:
      progress && typeof progress === "object" && typeof progress.done === "number" && typeof progress.of === "number"
        ? { done: progress.done, of: progress.of }
        : null,
    queued_at: new Date(job.timestamp).toISOString(),
    failed_reason: state === "failed" ? (job.failedReason ?? null) : null,
    parent_id: job.parent?.id ?? null,
  };
}

/** A job that cannot be retried, with the reason (exit 1). */
export class JobRetryError extends Error {
  override readonly name = "JobRetryError";
}

/**
 * Puts a failed job back in the queue for the workers. A shard retried trains only what its
 * earlier attempts did not register (once.ts: at most one version per category per job).
 */
export function retryQueueJob(config: Config, id: string): Promise<QueueJob> {
  return withQueue(config, async (queue) => {
    const job = await queue.getJob(id);
    if (!job) throw new JobRetryError(`no job ${id} in the queue ${config.queue.prefix}:${TRAIN_QUEUE}: \`salescast jobs\` lists the jobs it holds`);
    const state = await job.getState();
    if (state !== "failed") throw new JobRetryError(`job ${id} is ${state}, not failed: only a failed job can be retried`);
    await job.retry("failed");
    return describeJob((await queue.getJob(id))!, await job.getState());
  });
}
