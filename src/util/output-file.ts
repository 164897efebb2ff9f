// Files a user names (`--out`, demo-data's target): written atomically like every file that
// matters, but only ever onto a regular file. An atomic write renames its temporary file over
// the target, so pointed at /dev/null, a FIFO or a symbolic link it would replace that node
// with a plain file (as root, `--out /dev/sda` would break the system). So the target is
// checked first, in this one place for every command:
//
//   absent, or a regular file      written (temporary file beside it, then rename)
//   "-"                            standard output, no file at all
//   a symbolic link                refused: the hint names the link's target to use instead
//                                  (following links would let a link planted in a shared
//                                  folder redirect the write, and replacing it would break it)
//   a folder, device, FIFO, socket refused, saying what it is
//
// The target is checked again just before the rename, so a long command (a backtest) that was
// started with a good path still refuses one that changed meanwhile.
import { lstat, readlink } from "node:fs/promises";
import { resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { Stats } from "node:fs";
import { type FileContent, isErrno, writeFileAtomic } from "./atomic-file.js";

/** The --out value meaning standard output. */
export const STDOUT_TARGET = "-";

/** A target salescast will not write to; `hint` says what to give instead. */
export class OutputTargetError extends Error {
  override readonly name = "OutputTargetError";
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export interface OutputTargetOptions {
  /** How messages name the setting, e.g. "--out" (the default). */
  option?: string;
  /** Refuse "-" when standard output is a terminal (binary content). */
  binary?: boolean;
}

/** Throws OutputTargetError unless `path` is "-", absent, or a regular file. */
export async function checkOutputTarget(path: string, options: OutputTargetOptions = {}): Promise<void> {
  const option = options.option ?? "--out";
  if (path === STDOUT_TARGET) {
    if (options.binary && process.stdout.isTTY) {
      throw new OutputTargetError(
        `${option} - would print binary data on the terminal`,
        `redirect standard output to a file (${option} - > model.onnx), or give a file name`,
      );
    }
    return;
  }
  if (path.trim() === "") throw new OutputTargetError(`${option} is empty`, `give a file name, or ${STDOUT_TARGET} for standard output`);
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return; // a new file (missing folders are created)
    if (isErrno(err, "ENOTDIR"))
      throw new OutputTargetError(`${option} ${path}: a part of that path is a file, not a folder`, "give a path whose folders are folders");
    throw err;
  }
  if (info.isFile()) return;
  if (info.isSymbolicLink()) {
    const target = await readlink(path).catch(() => "?");
    throw new OutputTargetError(
      `${option} ${path} is a symbolic link (to ${target}); salescast writes only to regular files and does not follow links`,
      `give the file itself (${resolve(path, "..", target)}), or remove the link`,
    );
  }
  throw new OutputTargetError(
    `${option} ${path} is ${describeKind(info)}, not a regular file; salescast never writes over one`,
    `give a file name (an existing regular file is replaced), or ${STDOUT_TARGET} for standard output`,
  );
}

/**
 * Writes `content` to the user-named `path` (checked as above) atomically, or to standard
 * output for "-". Returns where it went, for the command's message.
 */
export async function writeOutputFile(path: string, content: FileContent, options: OutputTargetOptions = {}): Promise<"stdout" | "file"> {
  await checkOutputTarget(path, options);
  if (path === STDOUT_TARGET) {
    try {
      await pipeline(Readable.from(typeof content === "string" || content instanceof Uint8Array ? [content] : content), process.stdout, { end: false });
    } catch (err) {
      // The reader left early (`… --out - | head`): like any filter, stop writing quietly.
      if (!isErrno(err, "EPIPE")) throw err;
    }
    return "stdout";
  }
  await writeFileAtomic(path, content, () => checkOutputTarget(path, options));
  return "file";
}

function describeKind(info: Stats): string {
  if (info.isDirectory()) return "a folder";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isFIFO()) return "a named pipe (FIFO)";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}
