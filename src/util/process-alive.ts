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
  return host === hostname() && hasEnded(pid);
}

/** A writer recorded on this host under hostTag() (e.g. in a folder name) whose process has ended. */
export function isDeadTaggedProcess(pid: unknown, tag: string): boolean {
  return tag === hostTag() && hasEnded(pid);
}

/** The pid, known to be of this host, names neither this process nor a running one. */
function hasEnded(pid: unknown): boolean {
  return typeof pid === "number" && pid !== process.pid && !isProcessAlive(pid);
}

let tag: string | undefined;

/** Six hex digits naming this host, short enough for a folder name. */
export function hostTag(): string {
  return (tag ??= createHash("sha256").update(hostname(), "utf8").digest("hex").slice(0, 6));
}
