// "Is the process that left this behind still running?" Lock files, staging folders and
// tracking runs record the pid and host of their writer, so that what a killed process left
// can be recognised at once instead of after a long timeout.
import { createHash } from "node:crypto";
import { hostname } from "node:os";

/**
 * True when `pid` runs on this host. A pid of another host (a shared volume, another container)
 * cannot be checked: callers must treat it as alive. Signal 0 checks without signalling;
 * EPERM means the process exists but belongs to another user.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A writer recorded on this host whose process has ended (pid reuse only makes this answer "no"). */
export function isDeadLocalProcess(pid: unknown, host: unknown): boolean {
  return typeof pid === "number" && host === hostname() && pid !== process.pid && !isProcessAlive(pid);
}

/** Six hex digits naming this host, short enough for a folder name. */
export function hostTag(): string {
  return createHash("sha256").update(hostname(), "utf8").digest("hex").slice(0, 6);
}
