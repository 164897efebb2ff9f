// The embedded tracking store: a folder laid out like MLflow's file store, no server needed.
//
//   <root>/<experimentId>/meta.json                 {"experiment_id","name","created_at"}
//   <root>/<experimentId>/<runId>/meta.json         {"run_id","experiment_id","run_name","status","start_time","end_time"?,"error"?,"pid","hostname"}
//   <root>/<experimentId>/<runId>/tags.json         {"item_id": "Beauty", ...}
//   <root>/<experimentId>/<runId>/params.json       {"data.window_size": "14", ...}
//   <root>/<experimentId>/<runId>/metrics/<key>.jsonl   one {"key","value","step","timestamp"} per line
//   <root>/<experimentId>/<runId>/artifacts/...
//
// The experiment id is derived from a hash of the name, so two processes creating the same
// experiment at once agree on it without a lock. A run is visible once its meta.json exists
// (written last, atomically). Read-modify-write of a run's JSON files is serialised inside this
// process; one run is expected to be written by one process (its trainer).
//
// A trainer killed mid-run (SIGKILL, OOM, power) leaves its run RUNNING. Reading such a run
// (listRuns, getRun) or creating another in its experiment ends it FAILED with an "abandoned"
// error when its process, on this host, is gone, so a crash never looks like a run still in
// progress (runs of other hosts cannot be checked and are left as they are).
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { readJsonIfExists, TMP_MARKER, writeJsonAtomic } from "../../util/atomic-file.js";
import { copyArtifact, listArtifacts, resolveArtifact } from "./local-artifacts.js";
import { appendPoints, readHistory, readLatest } from "./local-metrics.js";
import { type MetricPoint, RUN_STATUSES, type RunFilter, type RunInfo, type RunStatus, TrackingError, type TrackingStore } from "../store.js";
import { checkEntries, checkKey, checkName, checkPoints, checkRunId } from "../validate.js";
import { KeyedQueue } from "../../util/keyed-queue.js";
import { failpoint } from "../../util/failpoint.js";
import { isDeadLocalProcess } from "../../util/process-alive.js";

const EXPERIMENT_ID_PATTERN = /^[0-9a-f]{16}$/;
const RUN_ID_PATTERN = /^[0-9a-f]{32}$/;

interface ExperimentMeta {
  experiment_id: string;
  name: string;
  created_at: number;
}

interface RunMeta {
  run_id: string;
  experiment_id: string;
  run_name: string;
  status: RunStatus;
  start_time: number;
  end_time?: number;
  error?: string;
  pid: number; // lets a later check tell a crashed RUNNING run from a live one
  hostname: string;
}

export function experimentIdFor(name: string): string {
  return createHash("sha256").update(name, "utf8").digest("hex").slice(0, 16);
}

export class LocalTrackingStore implements TrackingStore {
  readonly kind = "local" as const;
  readonly uri: string;
  private readonly root: string;
  private readonly runExperiment = new Map<string, string>(); // runId -> experimentId (runs never move)
  private readonly runQueue = new KeyedQueue();

  constructor(root: string) {
    this.root = resolve(root);
    this.uri = this.root;
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    checkName("experiment name", name);
    const id = experimentIdFor(name);
    const metaPath = join(this.root, id, "meta.json");
    const existing = await readJsonIfExists<ExperimentMeta>(metaPath);
    if (existing) return this.sameName(existing, name, id);
    await mkdir(join(this.root, id), { recursive: true });
    // Two processes may both get here; both write the same content and rename is atomic.
    await writeJsonAtomic(metaPath, { experiment_id: id, name, created_at: Date.now() } satisfies ExperimentMeta);
    return this.sameName((await readJsonIfExists<ExperimentMeta>(metaPath))!, name, id);
  }

  async createRun(experimentId: string, runName: string, tags: Record<string, string>): Promise<string> {
    checkName("run name", runName);
    const cleanTags = checkEntries("tag", tags);
    await this.experimentMeta(experimentId);
    await this.markAbandonedRuns(experimentId);
    const runId = randomUUID().replaceAll("-", "");
    const dir = join(this.root, experimentId, runId);
    const meta: RunMeta = {
      run_id: runId,
      experiment_id: experimentId,
      run_name: runName,
      status: "RUNNING",
      start_time: Date.now(),
      pid: process.pid,
      hostname: hostname(),
    };
    try {
      await mkdir(join(dir, "artifacts"), { recursive: true });
      await writeJsonAtomic(join(dir, "tags.json"), cleanTags);
      await writeJsonAtomic(join(dir, "params.json"), {});
      await writeJsonAtomic(join(dir, "meta.json"), meta); // last: the run becomes visible now
    } catch (err) {
      await rm(dir, { recursive: true, force: true }); // a run that never became visible leaves nothing
      throw err;
    }
    this.runExperiment.set(runId, experimentId);
    return runId;
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    const clean = checkEntries("tag", tags);
    const dir = await this.runDir(runId);
    await this.serialised(runId, async () => {
      const current = (await readJsonIfExists<Record<string, string>>(join(dir, "tags.json"))) ?? {};
      await writeJsonAtomic(join(dir, "tags.json"), { ...current, ...clean });
    });
  }

  async logParams(runId: string, params: Record<string, string>): Promise<void> {
    const clean = checkEntries("param", params);
    const dir = await this.runDir(runId);
    await this.serialised(runId, async () => {
      const current = (await readJsonIfExists<Record<string, string>>(join(dir, "params.json"))) ?? {};
      for (const [key, value] of Object.entries(clean)) {
        if (key in current && current[key] !== value) {
          throw new TrackingError(
            `param "${key}" of run ${runId} is already ${JSON.stringify(current[key])}; params cannot change ` +
              `(MLflow rule): log ${JSON.stringify(value)} under another key or start a new run`,
            "conflict",
          );
        }
      }
      await writeJsonAtomic(join(dir, "params.json"), { ...current, ...clean });
    });
  }

  async logMetrics(runId: string, points: MetricPoint[]): Promise<void> {
    const clean = checkPoints(points);
    const dir = await this.runDir(runId);
    if (clean.length === 0) return;
    await this.serialised(runId, () => appendPoints(join(dir, "metrics"), clean));
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    const dir = await this.runDir(runId);
    await copyArtifact(join(dir, "artifacts"), localPath, artifactPath);
  }

  /**
   * Deletes the run's artifacts (the run itself, its params, metrics and error stay): a failed
   * run's plots and model copies describe a model that was never registered, and on a full disk
   * every retry would otherwise leave more of them behind.
   */
  async discardArtifacts(runId: string): Promise<void> {
    const dir = await this.runDir(runId);
    await rm(join(dir, "artifacts"), { recursive: true, force: true });
  }

  async endRun(runId: string, status: Exclude<RunStatus, "RUNNING">, error?: string): Promise<void> {
    if (!RUN_STATUSES.includes(status) || (status as RunStatus) === "RUNNING") {
      throw new TrackingError(`endRun status must be FINISHED, FAILED or KILLED, got ${JSON.stringify(status)}`, "invalid");
    }
    if (error !== undefined && typeof error !== "string") throw new TrackingError("endRun error must be a string", "invalid");
    const dir = await this.runDir(runId);
    await this.serialised(runId, async () => {
      const meta = await this.runMeta(dir, runId);
      const next: RunMeta = { ...meta, status, end_time: Date.now() };
      if (error !== undefined) next.error = error;
      else delete next.error;
      failpoint("tracking:end-run");
      await writeJsonAtomic(join(dir, "meta.json"), next);
    });
  }

  /**
   * Ends as FAILED every RUNNING run (of one experiment, or all) whose process on this host is
   * gone; returns their ids. Runs of this process and of other hosts are left as they are.
   */
  async markAbandonedRuns(experimentId?: string): Promise<string[]> {
    const experiments = experimentId === undefined ? (await this.allExperiments()).map((e) => e.experiment_id) : [experimentId];
    const marked: string[] = [];
    for (const experiment of experiments) {
      for (const runId of await subfolders(join(this.root, experiment), RUN_ID_PATTERN)) {
        const dir = join(this.root, experiment, runId);
        const meta = await readJsonIfExists<RunMeta>(join(dir, "meta.json")).catch(() => undefined);
        if (meta && (await this.settleAbandoned(dir, meta)) !== meta) marked.push(runId);
      }
    }
    return marked;
  }

  /** The run's meta, ended FAILED on disk first when it is RUNNING but its process is gone. */
  private async settleAbandoned(dir: string, meta: RunMeta): Promise<RunMeta> {
    if (meta.status !== "RUNNING" || !isDeadLocalProcess(meta.pid, meta.hostname)) return meta;
    const error = `abandoned: the process that ran it (pid ${meta.pid}) ended before the run finished (killed or crashed)`;
    const settled: RunMeta = { ...meta, status: "FAILED", end_time: Date.now(), error };
    await removeTemporaries(dir); // its half-written files: nobody is left to rename them
    await writeJsonAtomic(join(dir, "meta.json"), settled);
    return settled;
  }

  async listRuns(filter: RunFilter = {}): Promise<RunInfo[]> {
    if (filter.status !== undefined && !RUN_STATUSES.includes(filter.status)) {
      throw new TrackingError(`status filter must be one of ${RUN_STATUSES.join(", ")}, got ${JSON.stringify(filter.status)}`, "invalid");
    }
    let experiments: ExperimentMeta[];
    if (filter.experimentName !== undefined) {
      const meta = await readJsonIfExists<ExperimentMeta>(join(this.root, experimentIdFor(filter.experimentName), "meta.json"));
      experiments = meta && meta.name === filter.experimentName ? [meta] : [];
    } else {
      experiments = await this.allExperiments();
    }
    const runs: RunInfo[] = [];
    for (const experiment of experiments) {
      for (const runId of await subfolders(join(this.root, experiment.experiment_id), RUN_ID_PATTERN)) {
        const dir = join(this.root, experiment.experiment_id, runId);
        const found = await readJsonIfExists<RunMeta>(join(dir, "meta.json"));
        if (!found) continue; // a run still being created (or abandoned before its meta was written)
        const meta = await this.settleAbandoned(dir, found);
        if (filter.status !== undefined && meta.status !== filter.status) continue;
        const tags = (await readJsonIfExists<Record<string, string>>(join(dir, "tags.json"))) ?? {};
        if (filter.category !== undefined && tags.item_id !== filter.category) continue;
        runs.push(await this.runInfo(dir, experiment, meta, tags));
      }
    }
    return runs.sort((a, b) => b.startTime - a.startTime || (a.runId < b.runId ? 1 : -1));
  }

  async getRun(runId: string): Promise<RunInfo> {
    const dir = await this.runDir(runId);
    const meta = await this.settleAbandoned(dir, await this.runMeta(dir, runId));
    const experiment = await this.experimentMeta(meta.experiment_id);
    const tags = (await readJsonIfExists<Record<string, string>>(join(dir, "tags.json"))) ?? {};
    return this.runInfo(dir, experiment, meta, tags);
  }

  async getMetricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    checkKey("metric", key);
    const dir = await this.runDir(runId);
    return readHistory(join(dir, "metrics"), key);
  }

  async artifactPath(runId: string, relative: string): Promise<string> {
    const dir = await this.runDir(runId);
    return resolveArtifact(join(dir, "artifacts"), runId, relative);
  }

  private async runInfo(dir: string, experiment: ExperimentMeta, meta: RunMeta, tags: Record<string, string>): Promise<RunInfo> {
    const info: RunInfo = {
      runId: meta.run_id,
      experimentId: experiment.experiment_id,
      experimentName: experiment.name,
      runName: meta.run_name,
      status: meta.status,
      startTime: meta.start_time,
      tags,
      params: (await readJsonIfExists<Record<string, string>>(join(dir, "params.json"))) ?? {},
      metrics: await readLatest(join(dir, "metrics")),
      artifacts: await listArtifacts(join(dir, "artifacts")),
    };
    if (meta.end_time !== undefined) info.endTime = meta.end_time;
    if (meta.error !== undefined) info.error = meta.error;
    return info;
  }

  /** The folder of a run; the id is checked for shape first, then looked up among experiments. */
  private async runDir(runId: string): Promise<string> {
    checkRunId(runId);
    const known = this.runExperiment.get(runId);
    if (known) return join(this.root, known, runId);
    for (const experimentId of await subfolders(this.root, EXPERIMENT_ID_PATTERN)) {
      if (await readJsonIfExists<RunMeta>(join(this.root, experimentId, runId, "meta.json"))) {
        this.runExperiment.set(runId, experimentId);
        return join(this.root, experimentId, runId);
      }
    }
    throw new TrackingError(`unknown run id "${runId}": no such run in the tracking store ${this.root}`, "not_found");
  }

  private async runMeta(dir: string, runId: string): Promise<RunMeta> {
    const meta = await readJsonIfExists<RunMeta>(join(dir, "meta.json"));
    if (!meta) throw new TrackingError(`unknown run id "${runId}": no such run in the tracking store ${this.root}`, "not_found");
    return meta;
  }

  private async experimentMeta(experimentId: string): Promise<ExperimentMeta> {
    const meta = EXPERIMENT_ID_PATTERN.test(experimentId) ? await readJsonIfExists<ExperimentMeta>(join(this.root, experimentId, "meta.json")) : undefined;
    if (!meta) {
      throw new TrackingError(`unknown experiment id ${JSON.stringify(experimentId)}: get one from getOrCreateExperiment(name)`, "not_found");
    }
    return meta;
  }

  private async allExperiments(): Promise<ExperimentMeta[]> {
    const out: ExperimentMeta[] = [];
    for (const id of await subfolders(this.root, EXPERIMENT_ID_PATTERN)) {
      const meta = await readJsonIfExists<ExperimentMeta>(join(this.root, id, "meta.json"));
      if (meta) out.push(meta);
    }
    return out;
  }

  private sameName(meta: ExperimentMeta, name: string, id: string): string {
    if (meta.name !== name) {
      // A 64-bit hash collision: practically impossible, but never merge two experiments silently.
      throw new TrackingError(`experiment id ${id} already belongs to "${meta.name}", not "${name}"; choose another name`, "conflict");
    }
    return id;
  }

  private serialised<T>(runId: string, work: () => Promise<T>): Promise<T> {
    return this.runQueue.run(runId, work);
  }
}

/** Deletes every temporary file (atomic-file.ts names) under `dir`. */
async function removeTemporaries(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isFile() && entry.name.includes(TMP_MARKER)) await rm(join(entry.parentPath, entry.name), { force: true });
  }
}

async function subfolders(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && pattern.test(e.name)).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}
