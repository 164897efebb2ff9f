// A lock between processes: a file created with the exclusive 'wx' flag. Whoever creates it
// holds the lock; the others retry with a short growing backoff. A lock older than staleMs is
// taken to belong to a crashed process and is broken (the work under it takes milliseconds);
// so is a lock whose holder, on this host, is no longer running.
import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { isErrno } from "../../util/atomic-file.js";
import { asDiskFull } from "../../util/disk-full.js";
import { diskFailpoint } from "../../util/failpoint.js";
import { isDeadLocalProcess } from "../../util/process-alive.js";
import { RegistryError } from "../registry.js";

export interface LockOptions {
  staleMs: number; // a lock file older than this is broken
  timeoutMs: number; // give up waiting after this long
}

export async function withFileLock<T>(path: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  const token = await acquire(path, options);
  try {
    return await work();
  } finally {
    await release(path, token);
  }
}

async function acquire(path: string, { staleMs, timeoutMs }: LockOptions): Promise<string> {
  const token = randomBytes(8).toString("hex");
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, "wx");
      try {
        diskFailpoint();
        await handle.writeFile(JSON.stringify({ token, pid: process.pid, hostname: hostname(), since: new Date().toISOString() }));
      } catch (err) {
        // The name is ours but the record could not be written (a full disk): leaving the file
        // would leave an empty lock that every later commit has to wait out. Remove it.
        await handle.close().catch(() => undefined);
        await rm(path, { force: true });
        throw await asDiskFull(err, path);
      }
      await handle.close();
      return token;
    } catch (err) {
      if (!isErrno(err, "EEXIST")) throw err;
    }
    const age = await lockAge(path);
    if (age === undefined) continue; // released meanwhile: try again at once
    const judged = await readFile(path, "utf8").catch(() => undefined);
    if (judged === undefined) continue; // released meanwhile
    if (age > staleMs || heldByDeadProcess(judged, age)) {
      await breakLock(path, judged);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const holder = await readFile(path, "utf8").catch(() => "(unreadable)");
      throw new RegistryError(
        `the model registry is busy: lock file ${path} is held (${holder}) for more than ${timeoutMs} ms; ` +
          `if no salescast process is committing a model, delete that file`,
        "busy",
      );
    }
    const backoff = Math.min(5 * 2 ** Math.min(attempt, 5), 100);
    await new Promise((r) => setTimeout(r, backoff / 2 + Math.random() * backoff));
  }
}

/**
 * A holder killed while holding the lock (SIGKILL, OOM) would otherwise block every commit
 * until the lock is staleMs old, longer than the timeout of a commit started right after.
 * A holder on this host whose pid is gone is broken at once; a file still without content a
 * second after its creation is a holder killed between creating and writing it.
 */
function heldByDeadProcess(text: string, age: number): boolean {
  let holder: { pid?: unknown; hostname?: unknown };
  try {
    holder = JSON.parse(text) as typeof holder;
  } catch {
    return age > 1000;
  }
  return isDeadLocalProcess(holder.pid, holder.hostname);
}

/**
 * Rename first: of several processes breaking the same lock, one rename wins. If what was
 * moved aside is not the lock judged dead (another process broke it and took a new one in
 * between), it is put back, unless yet another lock exists by then.
 */
async function breakLock(path: string, judged: string): Promise<void> {
  const aside = `${path}.stale-${randomBytes(4).toString("hex")}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, "utf8").catch(() => judged);
  if (moved !== judged) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

async function lockAge(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch (err) {
    if (isErrno(err, "ENOENT")) return undefined;
    throw err;
  }
}

async function release(path: string, token: string): Promise<void> {
  // Only remove our own lock: if ours was broken as stale, the file now belongs to someone else.
  const content = await readFile(path, "utf8").catch(() => "");
  if (content.includes(`"token":"${token}"`)) await rm(path, { force: true });
}
