// Every name a caller gives the tracking store is checked here before it touches the disk, so
// nothing a user names can escape a run's folder. Limits are MLflow's, so a run that the local
// store accepts is also accepted by an MLflow server.
import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { isErrno } from "../util/atomic-file.js";
import { type MetricPoint, TrackingError } from "./store.js";

export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 5000;
export const MAX_NAME_LENGTH = 500; // experiment and run names
const MAX_SEGMENT_LENGTH = 255; // one artifact path segment = one file name on disk

// MLflow's key alphabet: alphanumerics, underscore, dash, period, space, colon, slash.
const KEY_PATTERN = /^[A-Za-z0-9_\-. :/]+$/;
// Artifact file and folder names: no leading dot (no hidden files, no "." / ".."), no separators.
const SEGMENT_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.+=@,\- ]*$/;
const RUN_ID_PATTERN = /^[0-9a-f]{32}$/;

export type KeyKind = "metric" | "param" | "tag";

export function checkKey(kind: KeyKind, key: unknown): string {
  if (typeof key !== "string" || key.length === 0) {
    throw invalid(`${kind} key must be a non-empty string, got ${describe(key)}`);
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw invalid(`${kind} key "${key.slice(0, 40)}..." is ${key.length} characters; the limit is ${MAX_KEY_LENGTH}`);
  }
  if (!KEY_PATTERN.test(key)) {
    throw invalid(`${kind} key ${JSON.stringify(key)} has characters outside letters, digits, _ - . : / and space`);
  }
  if (key.startsWith("/") || key.split("/").some((part) => part === "." || part === "..")) {
    throw invalid(`${kind} key ${JSON.stringify(key)} looks like a path (leading "/" or a "." / ".." part); rename it`);
  }
  return key;
}

export function checkValue(kind: "param" | "tag", key: string, value: unknown): string {
  if (typeof value !== "string") {
    throw invalid(`${kind} "${key}" must have a string value, got ${describe(value)}; convert it with String()`);
  }
  const limit = kind === "param" ? MAX_PARAM_VALUE_LENGTH : MAX_TAG_VALUE_LENGTH;
  if (value.length > limit) {
    throw invalid(`${kind} "${key}" value is ${value.length} characters; the limit is ${limit}`);
  }
  return value;
}

/** Params or tags as every store takes them: an object of checked keys and string values. */
export function checkEntries(kind: "param" | "tag", entries: unknown): Record<string, string> {
  if (typeof entries !== "object" || entries === null || Array.isArray(entries)) {
    throw new TrackingError(`${kind}s must be an object of string values`, "invalid");
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) out[checkKey(kind, key)] = checkValue(kind, key, value);
  return out;
}

export function checkName(what: "experiment name" | "run name", name: unknown): string {
  if (typeof name !== "string" || name.trim().length === 0) {
    throw invalid(`${what} must be a non-empty string, got ${describe(name)}`);
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw invalid(`${what} is ${name.length} characters; the limit is ${MAX_NAME_LENGTH}`);
  }
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw invalid(`${what} ${JSON.stringify(name)} contains control characters; remove them`);
  }
  return name;
}

/** Metric points as every store takes them: a key MLflow accepts, a number value (NaN allowed), an integer step, a finite timestamp. */
export function checkPoints(points: unknown): MetricPoint[] {
  if (!Array.isArray(points)) throw new TrackingError("logMetrics expects an array of metric points", "invalid");
  return points.map((p, i) => {
    if (typeof p !== "object" || p === null) throw new TrackingError(`metric point ${i} is not an object`, "invalid");
    const { key, value, step, timestamp } = p as MetricPoint;
    checkKey("metric", key);
    if (typeof value !== "number") throw new TrackingError(`metric "${key}" point ${i}: value must be a number, got ${typeof value}`, "invalid");
    if (!Number.isSafeInteger(step)) throw new TrackingError(`metric "${key}" point ${i}: step must be an integer, got ${String(step)}`, "invalid");
    if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
      throw new TrackingError(`metric "${key}" point ${i}: timestamp must be a finite number of ms, got ${String(timestamp)}`, "invalid");
    }
    return { key, value, step, timestamp };
  });
}

/** A run id is checked for shape before it is used to find a folder, so "../x" is never looked up. */
export function checkRunId(runId: unknown): string {
  if (typeof runId !== "string" || !RUN_ID_PATTERN.test(runId)) {
    throw new TrackingError(`unknown run id ${JSON.stringify(runId)}: run ids are 32 lowercase hex characters`, "not_found");
  }
  return runId;
}

/**
 * A relative artifact path ("plots/eval.png") split into checked segments. Empty or undefined
 * means the artifacts root.
 */
export function artifactSegments(path: string | undefined, what = "artifact path"): string[] {
  if (path === undefined || path === "") return [];
  if (typeof path !== "string") throw invalid(`${what} must be a string, got ${describe(path)}`);
  if (path.startsWith("/") || path.includes("\\") || /^[A-Za-z]:/.test(path)) {
    throw invalid(`${what} ${JSON.stringify(path)} must be relative, with "/" separators`);
  }
  const segments = path.split("/").filter((s) => s !== "");
  for (const segment of segments) checkSegment(segment, what, path);
  return segments;
}

export function checkSegment(segment: string, what: string, whole: string = segment): string {
  if (segment === "." || segment === "..") {
    throw invalid(`${what} ${JSON.stringify(whole)} contains "${segment}"; artifact paths cannot leave the run folder`);
  }
  if (segment.length > MAX_SEGMENT_LENGTH || !SEGMENT_PATTERN.test(segment) || segment.includes(".tmp-")) {
    throw invalid(
      `${what} ${JSON.stringify(whole)}: "${segment.slice(0, 60)}" is not a safe file name ` +
        `(letters, digits, _ . + = @ , - and space; not starting with "." or space; at most ${MAX_SEGMENT_LENGTH} characters)`,
    );
  }
  return segment;
}

function invalid(message: string): TrackingError {
  return new TrackingError(message, "invalid");
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "string" ? JSON.stringify(value) : typeof value;
}

/** The file or folder a caller asks to log as an artifact; a missing one is the caller's mistake. */
export async function statArtifactSource(localPath: string): Promise<Stats> {
  try {
    return await stat(localPath);
  } catch (err) {
    if (isErrno(err, "ENOENT")) throw new TrackingError(`cannot log artifact: no file or folder at ${localPath}`, "invalid");
    throw err;
  }
}
