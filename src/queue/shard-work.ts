// A worker's side of `train --all` on the queue (train-all.ts): a shard trains its categories one
// after another (trainOnce keeps each to one registry version however often the job is retried),
// on a job thread (job-thread.ts says why: a global model's fit, a GBDT on every series of
// the file, is one long synchronous call). The thread keeps its own Redis connection for the
// job's markers (once.ts); the lock checks before each write go through the main thread, which
// holds the job's lock (lock.ts).
import type { Config } from "../config/schema.js";
import { loadConfiguredData } from "../data/model-data.js";
import type { CategoryResult } from "../training/result.js";
import { describeResult } from "../training/train-category.js";
import { queueConnection } from "./connection.js";
import { JobRefusedError } from "./errors.js";
import { queueProgressSink } from "./job-progress.js";
import { onceKeys, trainOnce } from "./once.js";
import type { ShardPayload } from "./payload.js";
import { checkSalesFileReachable, checkSharedFolders } from "./shared-folders.js";
import { threadNote, type ThreadJob } from "./thread-job.js";

/** Trains the shard's categories; their results, in the shard's order. */
export async function runTrainShard(job: ThreadJob, config: Config, log: (line: string) => void): Promise<CategoryResult[]> {
  const payload = job.data as ShardPayload;
  const name = `${job.name} ${job.id}`;
  await checkSalesFileReachable(config.data.csv_path, name);
  await checkSharedFolders(payload.folder_ids, name);
  const data = await loadConfiguredData(config);
  if (data.source.sha256 !== payload.source_sha256) {
    throw new JobRefusedError(
      `the sales file ${payload.source_path} on this worker is not the one the job was planned on (sha256 ${data.source.sha256.slice(0, 12)}… here, ${payload.source_sha256.slice(0, 12)}… at the submitter): ` +
        "every worker must read the same file, from a folder shared at the same path on every machine",
    );
  }
  if (!job.queue) throw new Error(`job ${job.id}: a shard needs the worker's queue (its markers live there)`);
  log(`job ${job.id}: shard of ${payload.categories.length} categories${threadNote(job)}`);
  const markers = queueConnection(job.queue.url);
  try {
    const keys = onceKeys(job.queue.prefix, job.id);
    const results: CategoryResult[] = [];
    // Batches, epochs and finished categories go to the submitter's bar or job events (job-progress.ts).
    const progress = queueProgressSink(job, payload.categories.length, () => results.length);
    for (const category of payload.categories) {
      await job.checkOwnership();
      const result = await trainOnce(markers, keys, config, category, data, (text) => log(`job ${job.id}: ${text}`), progress, job.checkOwnership);
      log(`job ${job.id}: ${category}: ${describeResult(result)}`);
      results.push(result);
      await job.updateProgress({ done: results.length, of: payload.categories.length, category });
    }
    return results;
  } finally {
    markers.disconnect();
  }
}
