// Files that matter are written beside their final name, flushed to disk, and renamed into
// place: a reader (or a crash) sees the old file or the new one, never half of one. The folder
// is flushed after the rename too, so a power cut cannot take back a rename already reported
// done. Shared by checkpoints, tracking, the registry and the plot writer.
//
// A full disk comes out as a DiskFullError naming the file being written (never the temporary
// one) and the space left, and the temporary file is removed, so a failed write takes no room.
import { randomBytes } from "node:crypto";
import { appendFile, copyFile, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { asDiskFull } from "./disk-full.js";
import { diskFailpoint } from "./failpoint.js";

/** Marks temporary files so that listings (artifacts, staging) can skip them. */
export const TMP_MARKER = ".tmp-";

export function tmpPathFor(path: string): string {
  return `${path}${TMP_MARKER}${process.pid}-${randomBytes(6).toString("hex")}`;
}

/** What the writers accept: the whole content, or its pieces in order (streamed, never all in memory). */
export type FileContent = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** `beforeRename` runs after the content is on disk, just before it replaces `path` (a last check of the target). */
export async function writeFileAtomic(path: string, data: FileContent, beforeRename?: () => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = await writeTemporary(path, data);
  try {
    await beforeRename?.();
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDirectory(dirname(path));
}

/**
 * Flushes a folder's entries (names created, renamed or removed in it) to disk. Best effort:
 * some platforms and file systems cannot open or fsync a folder, and the data files themselves
 * are already flushed.
 */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR / EPERM / EINVAL where folders cannot be synced: nothing more can be done here.
  }
}

/** Writes `data` to a fresh temporary file beside `path`, fsynced; returns its name for the caller to rename. */
export async function writeTemporary(path: string, data: FileContent): Promise<string> {
  const tmp = tmpPathFor(path);
  try {
    const handle = await open(tmp, "wx");
    try {
      if (typeof data === "string" || data instanceof Uint8Array) {
        diskFailpoint();
        await handle.writeFile(data);
      } else {
        for await (const chunk of data) {
          diskFailpoint();
          await (typeof chunk === "string" ? handle.write(chunk) : handle.write(chunk));
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw await asDiskFull(err, path);
  }
  return tmp;
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

export async function copyFileAtomic(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const tmp = tmpPathFor(to);
  try {
    diskFailpoint();
    await copyFile(from, tmp);
    const copied = await open(tmp, "r+");
    try {
      await copied.sync(); // copyFile leaves the bytes in the page cache
    } finally {
      await copied.close();
    }
    await rename(tmp, to);
  } catch (err) {
    await rm(tmp, { force: true });
    throw await asDiskFull(err, to);
  }
  await syncDirectory(dirname(to));
}

/** Appends to a log file (metrics, queued operations); a full disk is a DiskFullError naming it. */
export async function appendToFile(path: string, text: string): Promise<void> {
  try {
    diskFailpoint();
    await appendFile(path, text);
  } catch (err) {
    throw await asDiskFull(err, path);
  }
}

/** Parsed JSON, or `undefined` when the file does not exist. A corrupt file is an error naming it. */
export async function readJsonIfExists<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if (isErrno(err, "ENOENT")) return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); restore it from a backup or delete it`, { cause: err });
  }
}

export function isErrno(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as NodeJS.ErrnoException).code === code;
}
