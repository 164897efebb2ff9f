// Files that matter are written beside their final name, flushed to disk, and renamed into
// place: a reader (or a crash) sees the old file or the new one, never half of one. The folder
// is flushed after the rename too, so a power cut cannot take back a rename already reported
// done. Shared by checkpoints, tracking, the registry and the plot writer.
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/** Marks temporary files so that listings (artifacts, staging) can skip them. */
export const TMP_MARKER = ".tmp-";

export function tmpPathFor(path: string): string {
  return `${path}${TMP_MARKER}${process.pid}-${randomBytes(6).toString("hex")}`;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = await writeTemporary(path, data);
  try {
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
export async function writeTemporary(path: string, data: string | Uint8Array): Promise<string> {
  const tmp = tmpPathFor(path);
  try {
    const handle = await open(tmp, "wx");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
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
    throw err;
  }
  await syncDirectory(dirname(to));
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
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); restore it from a backup or delete it`);
  }
}

export function isErrno(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as NodeJS.ErrnoException).code === code;
}
