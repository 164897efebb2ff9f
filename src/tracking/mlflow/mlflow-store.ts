// The MLflow tracking store: the TrackingStore interface over MLflow's REST API (there is no
// official JavaScript client). Experiments by name, runs, log-batch within MLflow's limits,
// artifacts through the server's proxy.
//
// A server that cannot be reached never costs a trained model: after the HTTP layer's retries,
// the operation and every later one of the same run go to a queue folder (mlflow-pending.ts)
// and the call returns normally. `syncPendingRuns` (mlflow-sync.ts) sends them later. Errors
// the caller made (bad names, changed params, auth) are thrown as usual and never queued.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { downloadTree, dryWriteArtifact, filesToUpload, listRemoteFiles, proxyRoot, uploadArtifact } from "./mlflow-artifacts.js";
import { encodeMetricValue, type KeyValue, logBatchBodies, toKeyValues, type WireMetric } from "./mlflow-batch.js";
import { displayUri, MlflowHttp, type MlflowHttpOptions, MlflowUnavailableError } from "./mlflow-http.js";
import { type PendingOp, PendingRuns } from "./mlflow-pending.js";
import { mapLimited, metricHistory, searchExperiments, searchRuns } from "./mlflow-queries.js";
import {
  asLookupError,
  asTrackingError,
  ERROR_TAG,
  pendingRunInfo,
  toRunInfo,
  UNSENT_EXPERIMENT_PREFIX,
  type WireExperiment,
  type WireRun,
} from "./mlflow-wire.js";
import { type MetricPoint, RUN_STATUSES, type RunFilter, type RunInfo, type RunStatus, TrackingError, type TrackingStore } from "../store.js";
import { checkEntries, checkKey, checkName, checkPoints, checkRunId, MAX_TAG_VALUE_LENGTH } from "../validate.js";
import { KeyedQueue } from "../../util/keyed-queue.js";

export interface MlflowStoreOptions extends MlflowHttpOptions {
  /** Folder where runs that could not be sent wait for `salescast runs sync`. */
  pendingDir: string;
  /** Told once per run when it goes to the queue folder (the CLI prints it). */
  onPending?: (runId: string, reason: string) => void;
}

interface KnownRun {
  experimentId: string;
  runName: string;
  startTime: number;
  artifactUri?: string;
}

export class MlflowTrackingStore implements TrackingStore {
  readonly kind = "mlflow" as const;
  readonly uri: string;
  readonly http: MlflowHttp;
  readonly pending: PendingRuns;
  private readonly onPending: (runId: string, reason: string) => void;
  private readonly known = new Map<string, KnownRun>();
  private readonly pendingInProcess = new Set<string>();
  private readonly unreachableExperiments = new Map<string, string>(); // name -> why
  private readonly experimentNames = new Map<string, string>(); // id -> name
  private readonly runQueue = new KeyedQueue();

  constructor(uri: string, options: MlflowStoreOptions) {
    this.http = new MlflowHttp(uri, options);
    this.uri = displayUri(uri);
    if (!options?.pendingDir) throw new Error("MlflowTrackingStore needs pendingDir: the folder where unsent runs wait for `salescast runs sync`");
    this.pending = new PendingRuns(options.pendingDir);
    this.onPending = options.onPending ?? (() => undefined);
  }

  /** Runs of this process that went to the queue folder (their data is not on the server yet). */
  pendingRunIds(): string[] {
    return [...this.pendingInProcess];
  }

  /**
   * Appends an operation to a run that is already queued (keeping it behind the run's earlier
   * operations) and answers true; answers false when the run is not queued.
   */
  queueIfPending(runId: string, op: PendingOp): Promise<boolean> {
    checkRunId(runId);
    return this.serialised(runId, async () => {
      if (!(await this.isPending(runId))) return false;
      await this.pending.append(runId, op);
      return true;
    });
  }

  /** Called by sync once a run is delivered. */
  forgetPending(runId: string): void {
    this.pendingInProcess.delete(runId);
  }

  async isPending(runId: string): Promise<boolean> {
    return this.pendingInProcess.has(runId) || (await this.pending.has(runId));
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    checkName("experiment name", name);
    try {
      const found = await this.findExperiment(name);
      if (found) return found;
      try {
        const created = await this.http.post<{ experiment_id: string }>("experiments/create", { name });
        this.experimentNames.set(created.experiment_id, name);
        return created.experiment_id;
      } catch (err) {
        // Another process created it between our lookup and our create.
        const again = await this.findExperiment(name);
        if (again) return again;
        throw err;
      }
    } catch (err) {
      if (!(err instanceof MlflowUnavailableError)) throw asTrackingError(err, `experiment "${name}"`);
      // createRun queues runs of this placeholder; sync creates the experiment later.
      this.unreachableExperiments.set(name, err.message);
      return UNSENT_EXPERIMENT_PREFIX + name;
    }
  }

  async createRun(experimentId: string, runName: string, tags: Record<string, string>): Promise<string> {
    checkName("run name", runName);
    const cleanTags = checkEntries("tag", tags);
    if (typeof experimentId !== "string" || experimentId === "") {
      throw new TrackingError(`unknown experiment id ${JSON.stringify(experimentId)}: get one from getOrCreateExperiment(name)`, "not_found");
    }
    const startTime = Date.now();
    const queueRun = async (reason: string, experiment: { experimentId?: string; experimentName?: string }) => {
      const runId = randomUUID().replaceAll("-", "");
      await this.pending.begin({ runId, createdOnServer: false, ...experiment, runName, startTime, tags: cleanTags, reason });
      this.markPending(runId, reason);
      return runId;
    };
    if (experimentId.startsWith(UNSENT_EXPERIMENT_PREFIX)) {
      const name = experimentId.slice(UNSENT_EXPERIMENT_PREFIX.length);
      return queueRun(this.unreachableExperiments.get(name) ?? "the MLflow server was unreachable", { experimentName: name });
    }
    // MLflow's ids are integers; another shape is unknown here as in every store (the server would call it a bad parameter).
    if (!/^\d+$/.test(experimentId)) {
      throw new TrackingError(
        `unknown experiment id ${JSON.stringify(experimentId)}: MLflow experiment ids are integers; get one from getOrCreateExperiment(name)`,
        "not_found",
      );
    }
    const entries = toKeyValues(cleanTags);
    let run: WireRun;
    try {
      ({ run } = await this.http.post<{ run: WireRun }>("runs/create", {
        experiment_id: experimentId,
        run_name: runName,
        start_time: startTime,
        tags: entries.slice(0, 100),
      }));
    } catch (err) {
      if (err instanceof MlflowUnavailableError) return queueRun(err.message, { experimentId });
      throw asLookupError(err, `create run in experiment ${experimentId}`, "experiment", experimentId);
    }
    const runId = run.info.run_id;
    this.known.set(runId, { experimentId, runName, startTime, artifactUri: run.info.artifact_uri });
    if (entries.length > 100) await this.setTags(runId, Object.fromEntries(entries.slice(100).map((t) => [t.key, t.value])));
    return runId;
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    checkRunId(runId);
    const clean = checkEntries("tag", tags);
    await this.sendOrQueue(
      runId,
      async () => {
        await this.logBatch(runId, { tags: toKeyValues(clean) });
        return undefined;
      },
      () => ({ op: "tags", tags: clean }),
    );
  }

  async logParams(runId: string, params: Record<string, string>): Promise<void> {
    checkRunId(runId);
    const clean = checkEntries("param", params);
    await this.sendOrQueue(
      runId,
      async () => {
        await this.logBatch(runId, { params: toKeyValues(clean) });
        return undefined;
      },
      () => ({ op: "params", params: clean }),
    );
  }

  async logMetrics(runId: string, points: MetricPoint[]): Promise<void> {
    checkRunId(runId);
    const clean = checkPoints(points);
    if (clean.length === 0) return;
    const wire: WireMetric[] = clean.map((p) => ({ key: p.key, value: encodeMetricValue(p.value), step: p.step, timestamp: p.timestamp }));
    let delivered = 0;
    await this.sendOrQueue(
      runId,
      async () => {
        for (const body of logBatchBodies(runId, { metrics: clean })) {
          await this.postBatch(body);
          delivered += body.metrics.length; // metrics append: never send a delivered one twice
        }
        return undefined;
      },
      () => ({ op: "metrics", metrics: wire.slice(delivered) }),
    );
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    checkRunId(runId);
    // A problem with the local files is the caller's, thrown; anything the server does wrong
    // afterwards queues the run (with a copy of the files) for `salescast runs sync`: a trained
    // model is never lost to an artifact store that refuses it.
    await filesToUpload(localPath, artifactPath);
    await this.sendOrQueue(
      runId,
      async () => {
        await uploadArtifact(this.http, await this.artifactRoot(runId), localPath, artifactPath);
        return undefined;
      },
      // Uploading again overwrites the same paths, so a half-sent folder is simply queued whole.
      async () => ({ op: "artifact", stored: await this.pending.keepArtifact(runId, localPath), ...(artifactPath ? { artifactPath } : {}) }),
      (err) => `the MLflow server refused the upload of ${localPath} (${err instanceof Error ? err.message : String(err)})`,
    );
  }

  /**
   * Before training: a dry write into the run's artifacts, so a server whose artifact store is
   * misconfigured (e.g. --default-artifact-root /local/path, not served by its proxy) is found
   * before the model is trained. A queued run, or a server that does not answer, passes: its
   * artifacts will wait in the queue.
   */
  async checkArtifactWrite(runId: string): Promise<void> {
    checkRunId(runId);
    if (await this.isPending(runId)) return;
    try {
      await dryWriteArtifact(this.http, await this.artifactRoot(runId));
    } catch (err) {
      if (err instanceof MlflowUnavailableError) return;
      throw new TrackingError(
        `the MLflow server ${this.uri} cannot store this run's artifacts, so the trained model could not be logged there ` +
          `(${err instanceof Error ? err.message : String(err)}). Nothing was trained. Start \`mlflow server\` with --serve-artifacts ` +
          "(the default) and --artifacts-destination, and use an experiment created by that server (train.experiment_name), " +
          "or train with a local tracking.uri",
        "invalid",
      );
    }
  }

  async endRun(runId: string, status: Exclude<RunStatus, "RUNNING">, error?: string): Promise<void> {
    checkRunId(runId);
    if (!RUN_STATUSES.includes(status) || (status as RunStatus) === "RUNNING") {
      throw new TrackingError(`endRun status must be FINISHED, FAILED or KILLED, got ${JSON.stringify(status)}`, "invalid");
    }
    if (error !== undefined && typeof error !== "string") throw new TrackingError("endRun error must be a string", "invalid");
    const endTime = Date.now();
    const op: PendingOp = { op: "end", status, endTime, ...(error !== undefined ? { error } : {}) };
    await this.sendOrQueue(
      runId,
      () => sendEnd(this.http, runId, op),
      () => op,
    );
  }

  async listRuns(filter: RunFilter = {}): Promise<RunInfo[]> {
    if (filter.status !== undefined && !RUN_STATUSES.includes(filter.status)) {
      throw new TrackingError(`status filter must be one of ${RUN_STATUSES.join(", ")}, got ${JSON.stringify(filter.status)}`, "invalid");
    }
    let experimentIds: string[];
    if (filter.experimentName !== undefined) {
      const id = await this.findExperiment(filter.experimentName);
      experimentIds = id ? [id] : [];
    } else {
      experimentIds = await this.allExperimentIds();
    }
    if (experimentIds.length === 0) return [];
    const wanted = await searchRuns(this.http, experimentIds, filter);
    const infos = await mapLimited(wanted, 4, (run) => this.describe(run));
    return infos.sort((a, b) => b.startTime - a.startTime || (a.runId < b.runId ? 1 : -1));
  }

  async getRun(runId: string): Promise<RunInfo> {
    checkRunId(runId);
    try {
      return await this.describe(await this.fetchRun(runId));
    } catch (err) {
      // A run still (partly) in the queue folder is shown as it will look once sent.
      if ((err instanceof MlflowUnavailableError || (err instanceof TrackingError && err.code === "not_found")) && (await this.pending.has(runId))) {
        return this.pendingRun(runId);
      }
      throw err;
    }
  }

  async getMetricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    checkRunId(runId);
    checkKey("metric", key);
    try {
      return await metricHistory(this.http, runId, key);
    } catch (err) {
      throw asLookupError(err, `metric history of run ${runId}`, "run", runId);
    }
  }

  /** Downloads the run's artifacts (or the folder artifactPath of them) into dest, which must exist. */
  async downloadArtifacts(runId: string, dest: string, artifactPath = ""): Promise<string[]> {
    const root = await this.artifactRoot(runId);
    const relative = artifactPath.split("/").filter((s) => s !== "");
    return (await downloadTree(this.http, root, relative, dest)).map((f) => f.path.join("/"));
  }

  /** The server's view of the run; unknown ids are TrackingError not_found. */
  async fetchRun(runId: string): Promise<WireRun> {
    try {
      const { run } = await this.http.get<{ run: WireRun }>("runs/get", { run_id: runId });
      return run;
    } catch (err) {
      const mapped = asTrackingError(err, `run ${runId}`);
      if (mapped instanceof TrackingError && mapped.code === "not_found") {
        throw new TrackingError(`unknown run id "${runId}": the MLflow server ${this.uri} has no such run`, "not_found");
      }
      throw mapped;
    }
  }

  /** Proxy path segments of the run's artifact root ("1/<run>/artifacts"). */
  async artifactRoot(runId: string): Promise<string[]> {
    let uri = this.known.get(runId)?.artifactUri;
    if (!uri) uri = (await this.fetchRun(runId)).info.artifact_uri;
    if (!uri) throw new TrackingError(`run ${runId} has no artifact location on the server`, "invalid");
    return proxyRoot(uri);
  }

  /** The experiment id for a name, or undefined when it does not exist. Deleted experiments are refused. */
  async findExperiment(name: string): Promise<string | undefined> {
    let experiment: WireExperiment;
    try {
      ({ experiment } = await this.http.get<{ experiment: WireExperiment }>("experiments/get-by-name", { experiment_name: name }));
    } catch (err) {
      const mapped = asTrackingError(err, `experiment "${name}"`);
      if (mapped instanceof TrackingError && mapped.code === "not_found") return undefined;
      throw mapped;
    }
    if (experiment.lifecycle_stage === "deleted") {
      throw new TrackingError(
        `experiment "${name}" is deleted on the MLflow server ${this.uri}; restore it (mlflow experiments restore) or choose another train.experiment_name`,
        "conflict",
      );
    }
    this.experimentNames.set(experiment.experiment_id, name);
    return experiment.experiment_id;
  }

  /** Sends one log-batch body; public for sync. */
  async postBatch(body: object): Promise<void> {
    try {
      await this.http.post("runs/log-batch", body);
    } catch (err) {
      const runId = (body as { run_id: string }).run_id;
      throw asLookupError(err, `log to run ${runId}`, "run", runId);
    }
  }

  async logBatch(runId: string, input: { params?: KeyValue[]; tags?: KeyValue[]; metrics?: MetricPoint[] }): Promise<void> {
    for (const body of logBatchBodies(runId, input)) await this.postBatch(body);
  }

  private async pendingRun(runId: string): Promise<RunInfo> {
    const run = await this.pending.read(runId);
    const artifacts: string[] = [];
    for (const op of run.ops) {
      if (op.op !== "artifact") continue;
      const files = await filesToUpload(join(run.folder, op.stored), op.artifactPath);
      artifacts.push(...files.map((f) => f.remote.join("/")));
    }
    return pendingRunInfo(run, [...new Set(artifacts)]);
  }

  private async describe(run: WireRun): Promise<RunInfo> {
    const artifacts = run.info.artifact_uri?.startsWith("mlflow-artifacts:")
      ? (await listRemoteFiles(this.http, proxyRoot(run.info.artifact_uri))).map((f) => f.path.join("/"))
      : [];
    return toRunInfo(run, await this.experimentName(run.info.experiment_id), artifacts);
  }

  private async experimentName(id: string): Promise<string> {
    const cached = this.experimentNames.get(id);
    if (cached !== undefined) return cached;
    const { experiment } = await this.http.get<{ experiment: WireExperiment }>("experiments/get", { experiment_id: id });
    this.experimentNames.set(id, experiment.name);
    return experiment.name;
  }

  private async allExperimentIds(): Promise<string[]> {
    const experiments = await searchExperiments(this.http);
    for (const e of experiments) this.experimentNames.set(e.experiment_id, e.name);
    return experiments.map((e) => e.experiment_id);
  }

  /**
   * Sends now, or queues when the run is already queued or the server stays unreachable. Per
   * run, operations run one at a time, so the queue keeps the caller's order.
   */
  private sendOrQueue(
    runId: string,
    send: () => Promise<void>,
    queued: () => PendingOp | Promise<PendingOp>,
    /** Queue on this error too (not only on an unreachable server): the reason to record. */
    queueOnRefusal?: (err: unknown) => string,
  ): Promise<void> {
    return this.serialised(runId, async () => {
      if (!(await this.isPending(runId))) {
        try {
          return await send();
        } catch (caught) {
          // A run the server does not know is the caller's mistake, never queued.
          const unknownRun = caught instanceof TrackingError && caught.code === "not_found";
          if (!(caught instanceof MlflowUnavailableError) && (!queueOnRefusal || unknownRun)) throw caught;
          const err = caught instanceof MlflowUnavailableError ? caught : { message: queueOnRefusal!(caught) };
          const known = this.known.get(runId);
          await this.pending.begin({
            runId,
            createdOnServer: true,
            ...(known ? { experimentId: known.experimentId } : {}),
            runName: known?.runName ?? "",
            startTime: known?.startTime ?? Date.now(),
            tags: {},
            reason: err.message,
          });
          this.markPending(runId, err.message);
        }
      }
      await this.pending.append(runId, await queued());
    });
  }

  private markPending(runId: string, reason: string): void {
    if (this.pendingInProcess.has(runId)) return;
    this.pendingInProcess.add(runId);
    this.onPending(runId, reason);
  }

  private serialised<T>(runId: string, work: () => Promise<T>): Promise<T> {
    return this.runQueue.run(runId, work);
  }
}

/** runs/update with the final status; the error message goes first, as a tag (MLflow runs have no error field). */
export async function sendEnd(http: MlflowHttp, runId: string, op: Extract<PendingOp, { op: "end" }>): Promise<void> {
  try {
    if (op.error !== undefined) {
      const value = op.error.length > MAX_TAG_VALUE_LENGTH ? `${op.error.slice(0, MAX_TAG_VALUE_LENGTH - 3)}...` : op.error;
      await http.post("runs/set-tag", { run_id: runId, key: ERROR_TAG, value });
    }
    await http.post("runs/update", { run_id: runId, status: op.status, end_time: op.endTime });
  } catch (err) {
    throw asLookupError(err, `end run ${runId}`, "run", runId);
  }
}
