// Tells the user when the queue's Redis goes away and when it is back.
//
// ioredis reconnects on its own (every 50 ms more per attempt, at most every 2 s) and keeps the
// commands sent meanwhile for when it is back; BullMQ's workers and event readers carry on from
// there. Without these lines a restart of Redis would look like a hang. One line when the
// connection is lost (not one per attempt), one when it is back.
import type { Redis } from "ioredis";
import { redactedUrl } from "./connection.js";

export interface ConnectionWatch {
  /** Whether the connection is down now. */
  readonly lost: boolean;
  stop(): void;
}

export function watchConnection(
  redis: Redis,
  url: string,
  log: (line: string) => void,
  /** What the user should expect while Redis is away ("the running jobs carry on; new ones wait"). */
  meanwhile: string,
  /** Called after each return, e.g. to check that Redis kept the jobs. */
  onBack?: () => void,
): ConnectionWatch {
  const where = redactedUrl(url);
  let lost = false;
  let since = 0;
  const onClose = () => {
    if (lost) return;
    lost = true;
    since = Date.now();
    log(`lost the connection to the queue's Redis at ${where}: reconnecting (every 2 s at most) until it is back; ${meanwhile}`);
  };
  const onReady = () => {
    if (!lost) return;
    lost = false;
    log(`the queue's Redis at ${where} is back after ${((Date.now() - since) / 1000).toFixed(1)} s`);
    onBack?.();
  };
  redis.on("close", onClose);
  redis.on("ready", onReady);
  return {
    get lost() {
      return lost;
    },
    stop() {
      redis.off("close", onClose);
      redis.off("ready", onReady);
    },
  };
}
