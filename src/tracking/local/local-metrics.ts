// Metric histories of the local store: one file per key, one JSON point per line, appended.
// Appending never rewrites earlier points, so a crash loses at most the last partial line, which
// readers skip.
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { appendToFile, isErrno } from "../../util/atomic-file.js";
import { type MetricPoint, TrackingError } from "../store.js";
import { checkKey } from "../validate.js";

const SUFFIX = ".jsonl";
/** The longest file name the usual file systems (ext4, xfs, apfs) take. */
const MAX_FILE_NAME_BYTES = 255;

/** The file name of a key the local store can hold, or undefined when it is too long encoded. */
function encodedFileName(key: string): string | undefined {
  const name = encodeURIComponent(checkKey("metric", key)) + SUFFIX;
  return Buffer.byteLength(name) <= MAX_FILE_NAME_BYTES ? name : undefined;
}

/**
 * Keys may hold "/", ":" and spaces (MLflow allows them); the file name is the key URI-encoded.
 * MLflow takes keys of 250 characters, but "/" and spaces take three bytes once encoded, so a
 * long key with many of them cannot be a file name: refused with what to change.
 */
export function metricFileName(key: string): string {
  const name = encodedFileName(key);
  if (name === undefined) {
    throw new TrackingError(
      `metric key "${key.slice(0, 40)}…" is too long for the local store: encoded as a file name it takes ` +
        `${Buffer.byteLength(encodeURIComponent(key) + SUFFIX)} bytes, over the file system's ${MAX_FILE_NAME_BYTES}. ` +
        `Use a shorter key, or fewer characters like "/" and spaces, which take three bytes each.`,
      "invalid",
    );
  }
  return name;
}

export async function appendPoints(metricsDir: string, points: MetricPoint[]): Promise<void> {
  const byKey = new Map<string, MetricPoint[]>();
  for (const p of points) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);
  await mkdir(metricsDir, { recursive: true });
  for (const [key, list] of byKey) {
    // One write per key and batch: small O_APPEND writes from one process do not interleave.
    const lines = list.map((p) => JSON.stringify({ key: p.key, value: encodeValue(p.value), step: p.step, timestamp: p.timestamp }));
    await appendToFile(join(metricsDir, metricFileName(key)), lines.join("\n") + "\n");
  }
}

/** All points of one key, ordered by step then timestamp (append order breaks ties). */
export async function readHistory(metricsDir: string, key: string): Promise<MetricPoint[]> {
  const name = encodedFileName(key);
  if (name === undefined) return []; // such a key can never have been logged here
  let text: string;
  try {
    text = await readFile(join(metricsDir, name), "utf8");
  } catch (err) {
    if (isErrno(err, "ENOENT")) return [];
    throw err;
  }
  const points: MetricPoint[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const raw = JSON.parse(line) as { value: number | string; step: number; timestamp: number };
      points.push({ key, value: decodeValue(raw.value), step: raw.step, timestamp: raw.timestamp });
    } catch {
      // A partial last line left by a crash mid-append: skip it.
    }
  }
  return points
    .map((p, order) => ({ p, order }))
    .sort((a, b) => a.p.step - b.p.step || a.p.timestamp - b.p.timestamp || a.order - b.order)
    .map(({ p }) => p);
}

/** Latest value per key, the way MLflow defines it: highest step, then latest timestamp. */
export async function readLatest(metricsDir: string): Promise<Record<string, number>> {
  let files: string[];
  try {
    files = await readdir(metricsDir);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return {};
    throw err;
  }
  const latest: Record<string, number> = {};
  for (const file of files.sort()) {
    if (!file.endsWith(SUFFIX)) continue;
    let key: string;
    try {
      key = checkKey("metric", decodeURIComponent(file.slice(0, -SUFFIX.length)));
    } catch {
      continue; // not a file this store wrote
    }
    const history = await readHistory(metricsDir, key);
    if (history.length > 0) latest[key] = history[history.length - 1].value;
  }
  return latest;
}

// JSON has no NaN or Infinity; they are stored as strings and restored on reading.
function encodeValue(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function decodeValue(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}
