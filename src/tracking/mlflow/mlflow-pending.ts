// What could not reach the MLflow server, kept on disk until `salescast runs sync` sends it.
//
//   <dir>/<runId>/run.json        the run as the trainer started it (written first, atomically)
//   <dir>/<runId>/ops.jsonl       one operation per line, in the order the trainer made them
//   <dir>/<runId>/files/<n>-<hex>/<name>   copies of logged artifacts (the originals may change later)
//   <dir>/<runId>/progress.json   how many operations the last sync delivered, and the server's run id
//
// Appending never rewrites earlier lines, so a crash loses at most a partial last line, which
// readers skip. Once a run is pending every later operation of it is queued too, so the server
// always receives them in the trainer's order.
import { randomBytes } from "node:crypto";
import { cp, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, join, resolve } from "node:path";
import { appendToFile, copyFileAtomic, isErrno, readJsonIfExists, tmpPathFor, writeJsonAtomic } from "../../util/atomic-file.js";
import type { WireMetric } from "./mlflow-batch.js";
import { type RunStatus, TrackingError } from "../store.js";
import { checkRunId, checkSegment, statArtifactSource } from "../validate.js";

export interface PendingRunHeader {
  format: 1;
  /** The id the caller holds: the server's when the run was created there, a local one otherwise. */
  runId: string;
  /** True when the server has this run (it went pending mid-run); false when even createRun failed. */
  createdOnServer: boolean;
  experimentId?: string;
  experimentName?: string;
  runName: string;
  startTime: number;
  /** Tags given to createRun (only needed when the run is not on the server yet). */
  tags: Record<string, string>;
  /**
   * True for an entry that only holds work queued after the run itself was complete on the
   * server (a model registration): no trainer writes to it, and sync never ends the run.
   */
  detached?: boolean;
  /** Why the run went pending: the first error that could not be retried away. */
  reason: string;
  queuedAt: number;
  pid: number;
  hostname: string;
}

export type PendingOp =
  | { op: "tags"; tags: Record<string, string> }
  | { op: "params"; params: Record<string, string> }
  | { op: "metrics"; metrics: WireMetric[] }
  | { op: "artifact"; stored: string; artifactPath?: string }
  | { op: "end"; status: Exclude<RunStatus, "RUNNING">; endTime: number; error?: string }
  | { op: "register"; category: string; windowSize: number; metrics?: Record<string, number>; description?: string; heldBack?: string };

export interface PendingProgress {
  /** Operations delivered, counted from the first line of ops.jsonl. */
  sent: number;
  /** The server's id of the run once sync created it (for runs queued before createRun reached it). */
  serverRunId?: string;
  /** Versions registered by the sync so far. */
  registered?: Array<{ modelName: string; version: string }>;
}

export interface PendingRun {
  header: PendingRunHeader;
  ops: PendingOp[];
  progress: PendingProgress;
  folder: string;
}

export class PendingRuns {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  folderOf(runId: string): string {
    return join(this.dir, checkRunId(runId));
  }

  async has(runId: string): Promise<boolean> {
    return (await readJsonIfExists<PendingRunHeader>(join(this.folderOf(runId), "run.json"))) !== undefined;
  }

  /** Makes the run pending; a run already pending keeps its first header (and reason). */
  async begin(header: Omit<PendingRunHeader, "format" | "queuedAt" | "pid" | "hostname">): Promise<void> {
    const folder = this.folderOf(header.runId);
    if (await this.has(header.runId)) return;
    await mkdir(folder, { recursive: true });
    const full: PendingRunHeader = { format: 1, ...header, queuedAt: Date.now(), pid: process.pid, hostname: hostname() };
    await writeJsonAtomic(join(folder, "run.json"), full);
  }

  async append(runId: string, op: PendingOp): Promise<void> {
    // The leading newline ends a partial line a crash may have left, so this op stays readable.
    await appendToFile(join(this.folderOf(runId), "ops.jsonl"), "\n" + JSON.stringify(op) + "\n");
  }

  /** Copies a file or folder into the run's queue folder; returns the stored path, relative to it. */
  async keepArtifact(runId: string, localPath: string): Promise<string> {
    const name = checkSegment(basename(localPath), "artifact file name", localPath);
    const slot = join("files", `${Date.now()}-${randomBytes(4).toString("hex")}`);
    const target = join(this.folderOf(runId), slot, name);
    const info = await statArtifactSource(localPath);
    if (info.isFile()) {
      await copyFileAtomic(localPath, target);
    } else {
      const tmp = tmpPathFor(target);
      await mkdir(join(this.folderOf(runId), slot), { recursive: true });
      try {
        await cp(localPath, tmp, { recursive: true, dereference: true });
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { recursive: true, force: true });
        throw err;
      }
    }
    return join(slot, name);
  }

  async read(runId: string): Promise<PendingRun> {
    const folder = this.folderOf(runId);
    const header = await readJsonIfExists<PendingRunHeader>(join(folder, "run.json"));
    if (!header || header.format !== 1) throw new TrackingError(`run ${runId} has nothing waiting to be sent in ${this.dir}`, "not_found");
    const progress = (await readJsonIfExists<PendingProgress>(join(folder, "progress.json"))) ?? { sent: 0 };
    return { header, ops: await readOps(join(folder, "ops.jsonl")), progress, folder };
  }

  async saveProgress(runId: string, progress: PendingProgress): Promise<void> {
    await writeJsonAtomic(join(this.folderOf(runId), "progress.json"), progress);
  }

  /** Ids of every run with something waiting, oldest first. */
  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if (isErrno(err, "ENOENT")) return [];
      throw err;
    }
    const runs: Array<{ id: string; queuedAt: number }> = [];
    for (const name of names) {
      if (!/^[0-9a-f]{32}$/.test(name)) continue;
      const header = await readJsonIfExists<PendingRunHeader>(join(this.dir, name, "run.json"));
      if (header) runs.push({ id: name, queuedAt: header.queuedAt });
    }
    return runs.sort((a, b) => a.queuedAt - b.queuedAt).map((r) => r.id);
  }

  /** Forgets a run once everything was delivered. The folder is renamed first so a crash never leaves half a queue. */
  async remove(runId: string): Promise<void> {
    const folder = this.folderOf(runId);
    const doomed = tmpPathFor(folder);
    try {
      await rename(folder, doomed);
    } catch (err) {
      if (isErrno(err, "ENOENT")) return;
      throw err;
    }
    await rm(doomed, { recursive: true, force: true });
  }
}

async function readOps(path: string): Promise<PendingOp[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if (isErrno(err, "ENOENT")) return [];
    throw err;
  }
  const ops: PendingOp[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      ops.push(JSON.parse(line) as PendingOp);
    } catch {
      // a partial last line left by a crash mid-append
    }
  }
  return ops;
}
