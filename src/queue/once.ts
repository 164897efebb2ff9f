// Trains one category of a shard job at most once per job, however often the job is retried.
//
// Why run ids in Redis and not a check of the registry alone: a retried shard cannot tell "the
// version my earlier attempt committed" from "a version someone else trained" by looking at the
// registry. So each attempt records, in Redis under the job's id, the tracking run id of every
// training it starts (trainCategory's onRunStarted, which fires before the model is fitted, long
// before the commit). The registry records the run id of every version it commits, atomically
// with the version. A retry then asks: did the registry commit a version from one of this job's
// runs? Yes: that version is the result (no second training, no second version). No: the earlier
// runs died before their commit; they are ended FAILED in the tracking store and the category is
// trained again. A finished category's result is also kept in Redis, so a retry after a completed
// category answers at once.
//
// The one gap: a worker killed in the instant after its run id was sent to Redis but before
// Redis received it, and then after its commit: impossible in practice, since fitting, evaluation
// and artifact logging (all awaited) lie between the two.
import type { Redis } from "ioredis";
import type { Config } from "../config/schema.js";
import type { TrainingData } from "../data/model-data.js";
import { LocalRegistry, localRegistryRoot } from "../registry/index.js";
import { trackingStoreFor } from "../tracking/index.js";
import type { CategoryResult } from "../training/result.js";
import { trainCategory } from "../training/train-category.js";
import type { ProgressSink } from "../training/progress.js";

/** How long a job's markers stay in Redis (long enough for any retry). */
const MARKER_TTL_S = 7 * 24 * 3600;

export interface OnceKeys {
  /** Hash: category -> its result as JSON. */
  results: string;
  /** Set of the run ids started for the category by any attempt of the job. */
  runs: (category: string) => string;
}

export function onceKeys(prefix: string, jobId: string): OnceKeys {
  return {
    results: `${prefix}:once:${jobId}:results`,
    runs: (category) => `${prefix}:once:${jobId}:runs:${encodeURIComponent(category)}`,
  };
}

export async function trainOnce(
  redis: Redis,
  keys: OnceKeys,
  config: Config,
  category: string,
  data: TrainingData,
  /** Told what happens: "training <category>", or that an earlier attempt already did it. */
  announce: (text: string) => void,
  progress?: ProgressSink,
  /** Throws WorkLostError once the job is no longer this worker's (lock.ts): nothing more is written then. */
  checkOwnership?: () => Promise<void>,
): Promise<CategoryResult> {
  const stored = await redis.hget(keys.results, category);
  if (stored) {
    announce(`${category}: done by an earlier attempt of this job, not trained again`);
    return JSON.parse(stored) as CategoryResult;
  }
  const runsKey = keys.runs(category);
  const earlier = await redis.smembers(runsKey);
  if (earlier.length > 0) {
    const recovered = await committedByEarlierAttempt(config, category, earlier);
    if (recovered) {
      announce(`${category}: registered by an earlier attempt of this job (version ${recovered.version}), not trained again`);
      return remember(redis, keys, recovered);
    }
  }
  announce(`training ${category}`);
  const sent: Promise<unknown>[] = [];
  const result = await trainCategory(config, category, {
    data,
    ...(progress ? { progress } : {}),
    ...(checkOwnership ? { checkOwnership } : {}),
    onRunStarted: (runId) => {
      sent.push(redis.multi().sadd(runsKey, runId).expire(runsKey, MARKER_TTL_S).exec());
    },
  });
  await Promise.all(sent);
  return remember(redis, keys, result);
}

async function remember(redis: Redis, keys: OnceKeys, result: CategoryResult): Promise<CategoryResult> {
  await redis.multi().hset(keys.results, result.category, JSON.stringify(result)).expire(keys.results, MARKER_TTL_S).exec();
  return result;
}

/** The version an earlier attempt committed, as a result; undefined (and its runs ended FAILED) when none did. */
async function committedByEarlierAttempt(config: Config, category: string, runIds: string[]): Promise<CategoryResult | undefined> {
  const versions = await new LocalRegistry(localRegistryRoot(config)).versions(category);
  const committed = versions.find((version) => version.runId !== undefined && runIds.includes(version.runId));
  const store = trackingStoreFor(config);
  for (const runId of runIds) {
    // A run whose commit happened ends FINISHED (its worker may have died before ending it); the others FAILED.
    if (runId === committed?.runId) await store.endRun(runId, "FINISHED").catch(() => undefined);
    else await store.endRun(runId, "FAILED", "its worker stopped before the model was registered; the shard was retried").catch(() => undefined);
  }
  if (!committed) return undefined;
  return {
    category,
    status: "ok",
    reason: `registered as version ${committed.version} by an earlier attempt of this shard (its worker stopped before reporting)`,
    epochs: 0,
    bestEpoch: 0,
    seconds: 0,
    checkpointDir: committed.dir,
    version: committed.version,
    runId: committed.runId!,
  };
}
