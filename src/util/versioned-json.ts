// The checks every salescast JSON file with a format version gets on reading (model.json of a
// checkpoint or of a registry version): valid JSON, a format this salescast reads, written by
// the same major version. Each failure is an error of the caller's class naming the file and
// what to do.
import { salescastVersion } from "../version.js";

type MakeError = (message: string) => Error;

/** JSON.parse of `text`, whose format_version must be `format`. */
export function parseVersionedJson(path: string, text: string, format: number, makeError: MakeError, remedy: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw makeError(`${path}: not valid JSON (${(error as Error).message}); the file is corrupt, ${remedy}`);
  }
  checkFormatVersion(path, raw, format, makeError);
  return raw;
}

export function checkFormatVersion(path: string, raw: unknown, format: number, makeError: MakeError): void {
  const found = (raw as { format_version?: unknown } | null)?.format_version;
  if (found !== format) {
    throw makeError(
      `${path}: format_version ${JSON.stringify(found)} is not one this salescast (${salescastVersion()}) reads ` +
        `(it reads ${format}); use the salescast version that wrote it, or retrain`,
    );
  }
}

const majorOf = (version: string) => /^(\d+)\.\d+\.\d+/.exec(version)?.[1];

/** Files load only within the major version that wrote them (`what`: "checkpoints", "models"). */
export function checkSameMajor(path: string, writtenBy: string, what: string, makeError: MakeError): void {
  const theirs = majorOf(writtenBy);
  if (theirs !== majorOf(salescastVersion())) {
    throw makeError(
      `${path}: written by salescast ${writtenBy}, this is ${salescastVersion()}; ` +
        `${what} load only within the same major version: retrain, or use salescast ${theirs}.x`,
    );
  }
}
