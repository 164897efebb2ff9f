// `train --all` with queue.url set: the work goes to `salescast worker` processes as a BullMQ
// flow. One child job per shard of queue.shard_size categories, one parent job that gathers the
// children's results once all are done. This process checks the Redis, reads the sales file once
// (to know the categories and the file's checksum, which every worker must match), queues the
// flow and waits for the parent; each category's line is reported as soon as its shard finishes
// it, and the shards' batch and epoch reports feed the progress bar (job-progress.ts).
import { FlowProducer, QueueEvents } from "bullmq";
import type { Config } from "../config/schema.js";
import { loadConfiguredData } from "../data/model-data.js";
import { silentProgress, type ProgressSink } from "../training/progress.js";
import type { CategoryResult } from "../training/result.js";
import { checkTrainingConfig, describeResult } from "../training/train-category.js";
import { checkQueueServer, queueConnection, redactedUrl } from "./connection.js";
import { watchConnection } from "./connection-watch.js";
import { followProgress } from "./job-progress.js";
import { folderIds } from "./shared-folders.js";
import { GATHER_JOB, portableConfig, SHARD_JOB, stamped, TRAIN_QUEUE, type GatherPayload, type ShardPayload } from "./payload.js";

export interface QueuedTrainOptions {
  progress?: ProgressSink;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** Retries of a shard that failed with an error (not one refused): a worker lost mid-way, Redis gone for a moment. */
const SHARD_ATTEMPTS = 3;

export function shards<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

/** Trains `categories` (undefined: every category in the data) on the queue's workers. */
export async function trainAllOnQueue(config: Config, categories: readonly string[] | undefined, options: QueuedTrainOptions = {}): Promise<CategoryResult[]> {
  checkTrainingConfig(config);
  const check = await checkQueueServer(config.queue.url);
  for (const warning of check.warnings) options.log?.(`warning: ${warning}`);
  const portable = portableConfig(config);
  const data = await loadConfiguredData(portable);
  const known = new Set(data.series.map((series) => series.category));
  const names = [...new Set(categories ?? data.series.map((series) => series.category))];
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`unknown categories: ${unknown.join(", ")} (the data has ${[...known].join(", ")})`);
  const progress = options.progress ?? silentProgress;
  const folders = await folderIds(portable);

  const connection = queueConnection(config.queue.url);
  const prefix = config.queue.prefix;
  const flows = new FlowProducer({ connection, prefix });
  const eventsConnection = queueConnection(config.queue.url);
  let watch: ReturnType<typeof watchConnection> | undefined;
  const events = new QueueEvents(TRAIN_QUEUE, { connection: eventsConnection, prefix });
  // Reconnection attempts while Redis is away: the watch's one line says it (BullMQ would print each one's stack).
  events.on("error", () => undefined);
  flows.on("error", () => undefined);
  try {
    await events.waitUntilReady();
    const children = shards(names, config.queue.shard_size).map((part) => ({
      name: SHARD_JOB,
      queueName: TRAIN_QUEUE,
      data: stamped<Omit<ShardPayload, keyof ReturnType<typeof stamped>>>(portable, {
        categories: part,
        source_path: data.source.path,
        source_sha256: data.source.sha256,
        folder_ids: folders,
      }),
      opts: { attempts: SHARD_ATTEMPTS, backoff: { type: "fixed", delay: 1000 }, failParentOnFailure: true, removeOnComplete: { age: 7 * 24 * 3600 } },
    }));
    // Listening starts before the flow is queued (a shard may finish before add() returns);
    // completions of jobs not in this flow are ignored.
    const reported = new Set<string>();
    const flow: { childIds?: Set<string> } = {};
    const early: Array<{ jobId: string; returnvalue: unknown }> = [];
    // A category is reported once: when its shard says it is done (progress), or else when the
    // shard completes (a retried shard returns what an earlier attempt finished without training).
    const finished = new Set<string>();
    const finish = (result: CategoryResult) => {
      if (finished.has(result.category)) return;
      finished.add(result.category);
      progress.report({ kind: "done", category: result.category, text: describeResult(result), result });
    };
    const report = (event: { jobId: string; returnvalue: unknown }) => {
      if (!flow.childIds) return void early.push(event);
      if (!flow.childIds.has(event.jobId) || reported.has(event.jobId)) return;
      reported.add(event.jobId);
      const value = event.returnvalue;
      const results = (typeof value === "string" ? JSON.parse(value) : value) as CategoryResult[];
      results.forEach(finish);
      options.log?.(`shard ${reported.size}/${flow.childIds.size} done (job ${event.jobId}: ${results.map((r) => r.category).join(", ")})`);
    };
    events.on("completed", report);
    // Each shard's batches and epochs feed the bar (or the API's job events) as on threads.
    const followed = followProgress(events, (event) => {
      if (event.kind !== "done") progress.report(event);
      else if (event.result) finish(event.result);
    });
    const node = await flows.add({
      name: GATHER_JOB,
      queueName: TRAIN_QUEUE,
      data: stamped<Omit<GatherPayload, keyof ReturnType<typeof stamped>>>(portable, { categories: names }),
      opts: { removeOnComplete: { age: 7 * 24 * 3600 } },
      children,
    });
    flow.childIds = new Set((node.children ?? []).map((child) => child.job.id!));
    options.log?.(`queued ${names.length} categories in ${flow.childIds.size} shards (job ${node.job.id}); waiting for workers`);
    early.splice(0).forEach(report);
    followed.ready((jobId) => flow.childIds!.has(jobId));
    // Redis restarted: with its append-only file it kept the flow and the run goes on; a Redis
    // that came back without it (snapshots only, data lost) would leave this wait hanging for
    // ever, so the flow's jobs are looked for after every return.
    const flowKeys = [node.job.id!, ...flow.childIds].map((id) => `${prefix}:${TRAIN_QUEUE}:${id}`);
    const vanished = new Promise<never>((_, reject) => {
      const check = () => {
        void connection.exists(...flowKeys).then(
          (found) => {
            if (found < flowKeys.length) {
              reject(
                new Error(
                  `the queue's Redis at ${redactedUrl(config.queue.url)} came back without ${flowKeys.length - found} of this run's ${flowKeys.length} jobs (job ${node.job.id}): ` +
                    "it lost its data when it restarted (no append-only file). The categories reported above are registered; run the command again for the rest, " +
                    "and turn on `appendonly yes` in redis.conf so a restart keeps the queue",
                ),
              );
            }
          },
          () => undefined, // gone again: the next return checks
        );
      };
      watch = watchConnection(
        connection,
        config.queue.url,
        (line) => options.log?.(line),
        "the workers' jobs are kept by Redis and this run waits for them",
        check,
      );
    });
    const aborted = new Promise<never>((_, reject) => {
      options.signal?.addEventListener(
        "abort",
        () => reject(new Error(`interrupted: stopped waiting; the shards already queued (job ${node.job.id}) still run on the workers`)),
        { once: true },
      );
    });
    try {
      return (await Promise.race([node.job.waitUntilFinished(events), aborted, vanished])) as CategoryResult[];
    } catch (error) {
      if (options.signal?.aborted) throw error;
      // The parent only says "child … failed": the shards' own reasons are what the user can act on.
      const reasons = await Promise.all([...flow.childIds].map((id) => connection.hget(`${prefix}:${TRAIN_QUEUE}:${id}`, "failedReason").catch(() => null)));
      const why = [...new Set(reasons.filter((reason): reason is string => !!reason))].join("; ");
      throw new Error(`the distributed training (job ${node.job.id}) failed: ${why || (error as Error).message}`, { cause: error });
    }
  } finally {
    watch?.stop();
    await events.close();
    await flows.close();
    // BullMQ leaves connections it was given open: close them, or the process never exits.
    connection.disconnect();
    eventsConnection.disconnect();
  }
}
