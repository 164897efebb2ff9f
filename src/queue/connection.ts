// The queue's Redis connection, checked before any job is queued or taken.
//
// What is refused and why:
// - an unreachable url: nothing could run; the message names the address and how to fix it.
// - maxmemory-policy other than noeviction: under memory pressure Redis would evict keys, and
//   BullMQ's keys are the jobs themselves: a shard would silently vanish. BullMQ's own
//   documentation requires noeviction.
// - no persistence at all (neither AOF nor RDB snapshots): a restart of Redis loses every queued
//   and running shard, and the `train --all` that waits for them would never hear of it. Refused.
// - RDB snapshots only (Redis's default `save` schedule, no AOF): a restart loses what was queued
//   since the last snapshot. Allowed with a warning, because it is how most Redis servers are
//   installed and a lost shard then shows as a failed run rather than silently.
// A managed Redis may refuse CONFIG GET: persistence is then reported as unchecked (a warning).
import { Redis, type RedisOptions } from "ioredis";
import { redactedUrl } from "../util/redacted-url.js";
import { QueueServerError } from "./errors.js";

export { redactedUrl };

/** A connection for BullMQ (which requires maxRetriesPerRequest null on workers' connections). */
export function queueConnection(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, ...options });
  // Connection errors surface through the commands that fail; without a listener ioredis prints
  // every reconnection attempt as an "unhandled error event".
  redis.on("error", () => undefined);
  return redis;
}

export interface ServerCheck {
  /** Things that do not stop the queue but the user should know. */
  warnings: string[];
  redisVersion: string;
}

/** Connects once to `url` and refuses a Redis the queue cannot trust (see the head of this file). */
export async function checkQueueServer(url: string, timeoutMs = 5000): Promise<ServerCheck> {
  const where = redactedUrl(url);
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on("error", () => undefined);
  try {
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      throw new QueueServerError(
        `cannot reach the queue's Redis at ${where} (queue.url): ${(error as Error).message}. ` +
          "Start Redis there (Debian: apt-get install redis-server), fix queue.url, or empty it to train on this machine's threads.",
        { cause: error },
      );
    }
    const memory = infoFields(await redis.info("memory"));
    const server = infoFields(await redis.info("server"));
    const policy = memory.maxmemory_policy;
    if (policy !== undefined && policy !== "noeviction") {
      throw new QueueServerError(
        `the queue's Redis at ${where} has maxmemory-policy ${policy}: when its memory fills it would evict keys, and the queue's jobs are keys, so a shard could vanish without a trace. ` +
          "Set `maxmemory-policy noeviction` (redis.conf, or CONFIG SET maxmemory-policy noeviction), as BullMQ requires.",
      );
    }
    const warnings: string[] = [];
    const persistence = infoFields(await redis.info("persistence"));
    const aof = persistence.aof_enabled === "1";
    const save = await configValue(redis, "save");
    if (save === undefined && !aof) {
      warnings.push(
        `could not read the persistence settings of the queue's Redis at ${where} (CONFIG GET refused): make sure it keeps its data across a restart (appendonly yes)`,
      );
    } else if (!aof && save !== undefined && save.trim() === "") {
      throw new QueueServerError(
        `the queue's Redis at ${where} keeps nothing across a restart (appendonly no and no save schedule): a restart would lose every queued and running shard. ` +
          "Turn on the append-only file: `appendonly yes` in redis.conf (or CONFIG SET appendonly yes).",
      );
    } else if (!aof) {
      warnings.push(
        `the queue's Redis at ${where} saves snapshots only (save "${save}", appendonly no): a restart loses the jobs queued since the last snapshot; \`appendonly yes\` keeps them`,
      );
    }
    return { warnings, redisVersion: server.redis_version ?? "unknown" };
  } finally {
    redis.disconnect();
  }
}

function infoFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

async function configValue(redis: Redis, key: string): Promise<string | undefined> {
  try {
    const reply = (await redis.config("GET", key)) as string[];
    return reply.length >= 2 ? reply[1] : undefined;
  } catch {
    return undefined;
  }
}
