// Can this process write into a folder? Asked before work that must write there (a training
// writes the model registry and the tracking store), so a read-only or misplaced folder fails
// at once, saying which setting to change, instead of minutes later with a bare
// "ENOENT … mkdir" (issue 14, #10).
import { rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { tmpPathFor } from "./atomic-file.js";

/** A folder salescast must write but cannot. `message` names the folder; `publicMessage` does not (for HTTP answers). */
export class FolderNotWritableError extends Error {
  readonly publicMessage: string;

  constructor(
    readonly folder: string,
    /** The setting that chooses the folder, e.g. tracking.uri. */
    readonly setting: string,
    /** What the folder is, e.g. "the tracking store folder". */
    readonly what: string,
    /** Why, in words: "permission denied", "the file system is read-only"… */
    readonly why: string,
  ) {
    const fix = `make it writable for the user running salescast, or set ${setting} to a folder it can write`;
    super(`${what} ${folder} cannot be written (${why}): ${fix}`);
    this.name = "FolderNotWritableError";
    this.publicMessage = `${what} (${setting}) cannot be written by the server (${why}): the server's operator must ${fix}; the server log names the folder`;
  }
}

/**
 * Writes (then removes) a small file in `folder`, or, while it does not exist yet, in its nearest
 * existing ancestor, where it will be created: nothing is left behind, not even an empty folder,
 * when the work that follows is refused for another reason. FolderNotWritableError when that fails.
 */
export async function checkWritableFolder(folder: string, setting: string, what: string): Promise<void> {
  try {
    const existing = await nearestExistingFolder(folder);
    // A temporary name (TMP_MARKER): the registry's and the store's listings skip it, and a
    // crash between these two lines leaves a leftover the next training removes.
    const probe = tmpPathFor(join(existing, ".write-check"));
    await writeFile(probe, "", { flag: "wx" });
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== "string") throw error;
    throw new FolderNotWritableError(folder, setting, what, describeCode(code));
  }
}

/** `folder` itself, or the closest of its parents that exists; ENOTDIR when a part of the path is a file. */
async function nearestExistingFolder(folder: string): Promise<string> {
  for (let current = resolve(folder); ; current = dirname(current)) {
    try {
      if ((await stat(current)).isDirectory()) return current;
      throw Object.assign(new Error(`${current} is not a folder`), { code: "ENOTDIR" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || dirname(current) === current) throw error;
    }
  }
}

function describeCode(code: string): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOTDIR":
    case "EEXIST":
      return "a part of its path is a file, not a folder";
    case "ENOENT":
      return "a part of its path does not exist and cannot be created";
    case "ENOSPC":
      return "the disk is full";
    case "EDQUOT":
      return "the disk quota is used up";
    default:
      return code;
  }
}
