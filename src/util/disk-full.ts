// A full disk is a condition the user can fix, not a bug: the raw ENOSPC error ("no space left
// on device, write", or a copyfile between two internal temporary paths) names no folder the
// user knows and no fix. The writers in atomic-file.ts turn it into a DiskFullError naming the
// file they were writing and the space left; callers that know which setting chose the folder
// (train.checkpoint_path, tracking.uri, --out) say so with `inFolder`.
import { statfs } from "node:fs/promises";
import { dirname } from "node:path";

export class DiskFullError extends Error {
  override readonly name = "DiskFullError";
  readonly code = "ENOSPC";

  constructor(
    /** The file being written (its final name, never a temporary one). */
    readonly path: string,
    /** Bytes still available to this process on that disk; undefined when it cannot be read. */
    readonly freeBytes: number | undefined,
    message?: string,
  ) {
    super(message ?? `the disk holding ${dirname(path)} is full (${describeFree(freeBytes)}) while writing ${path}; free space there`);
  }

  /** The same error told from the folder a setting chose: "…; free space or move <setting>". */
  inFolder(folder: string, setting: string): DiskFullError {
    return new DiskFullError(this.path, this.freeBytes, `the disk holding ${folder} is full (${describeFree(this.freeBytes)}); free space or move ${setting}`);
  }
}

/** True for the errors of a disk (or quota) with no room left. */
export function isDiskFull(error: unknown): boolean {
  if (error instanceof DiskFullError) return true;
  const code = typeof error === "object" && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  return code === "ENOSPC" || code === "EDQUOT";
}

/** `error` as a DiskFullError about `path` when the disk is full; any other error unchanged. */
export async function asDiskFull(error: unknown, path: string): Promise<unknown> {
  if (!isDiskFull(error) || error instanceof DiskFullError) return error;
  return new DiskFullError(path, await freeBytesNear(path));
}

/** Bytes available to this process on the disk holding `path` (its nearest existing folder). */
export async function freeBytesNear(path: string): Promise<number | undefined> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      const stats = await statfs(dir);
      return stats.bavail * stats.bsize;
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}

function describeFree(bytes: number | undefined): string {
  return bytes === undefined ? "free space unknown" : `${bytes.toLocaleString("en-US")} bytes free`;
}
