// MLflow's JSON shapes (the parts salescast reads) and their translation into the store's
// types: RunInfo from a server run, RunInfo from a run still waiting on disk, and MlflowApiError
// into TrackingError where the caller can act on it.
import { decodeMetricValue, type KeyValue, type WireMetric } from "./mlflow-batch.js";
import { MlflowApiError } from "./mlflow-http.js";
import type { PendingRun } from "./mlflow-pending.js";
import { type MetricPoint, type RunInfo, type RunStatus, TrackingError } from "../store.js";

/** Tag under which endRun's error message is kept (MLflow runs have no error field). */
export const ERROR_TAG = "salescast.error";
/** Tag set on a run created by `runs sync`: the id the trainer knew it by. */
export const LOCAL_RUN_ID_TAG = "salescast.local_run_id";
/** Experiment ids handed out while the server was unreachable: "unsent:<name>". */
export const UNSENT_EXPERIMENT_PREFIX = "unsent:";

export interface WireExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
}

export interface WireRun {
  info: {
    run_id: string;
    experiment_id: string;
    run_name?: string;
    status: RunStatus;
    start_time?: number | string;
    end_time?: number | string;
    artifact_uri?: string;
    lifecycle_stage?: string;
  };
  data?: { metrics?: WireMetric[]; params?: KeyValue[]; tags?: KeyValue[] };
}

export function toRunInfo(run: WireRun, experimentName: string, artifacts: string[]): RunInfo {
  const tags: Record<string, string> = {};
  let error: string | undefined;
  for (const { key, value } of run.data?.tags ?? []) {
    if (key === ERROR_TAG) error = value;
    else if (!key.startsWith("mlflow.")) tags[key] = value; // MLflow's own bookkeeping (runName, user, source)
  }
  const info: RunInfo = {
    runId: run.info.run_id,
    experimentId: run.info.experiment_id,
    experimentName,
    runName: run.info.run_name ?? "",
    status: run.info.status,
    startTime: Number(run.info.start_time ?? 0),
    tags,
    params: Object.fromEntries((run.data?.params ?? []).map((p) => [p.key, p.value])),
    // The server already reports the latest value per key (highest step, then latest timestamp).
    metrics: Object.fromEntries((run.data?.metrics ?? []).map((m) => [m.key, decodeMetricValue(m.value)])),
    artifacts: [...artifacts].sort(),
  };
  if (run.info.end_time !== undefined && run.info.end_time !== null) info.endTime = Number(run.info.end_time);
  if (error !== undefined) info.error = error;
  return info;
}

export function toMetricPoint(m: WireMetric): MetricPoint {
  return { key: m.key, value: decodeMetricValue(m.value), step: Number(m.step ?? 0), timestamp: Number(m.timestamp) };
}

/** A run that exists only in the queue folder, as it will look once sent. */
export function pendingRunInfo(run: PendingRun, artifacts: string[]): RunInfo {
  const { header } = run;
  const tags: Record<string, string> = { ...header.tags };
  const params: Record<string, string> = {};
  const latest = new Map<string, MetricPoint>();
  let status: RunStatus = "RUNNING";
  let endTime: number | undefined;
  let error: string | undefined;
  for (const op of run.ops) {
    if (op.op === "tags") Object.assign(tags, op.tags);
    else if (op.op === "params") Object.assign(params, op.params);
    else if (op.op === "metrics") {
      for (const m of op.metrics) {
        const point = toMetricPoint(m);
        const before = latest.get(point.key);
        if (!before || point.step > before.step || (point.step === before.step && point.timestamp >= before.timestamp)) latest.set(point.key, point);
      }
    } else if (op.op === "end") {
      status = op.status;
      endTime = op.endTime;
      error = op.error;
    }
  }
  const info: RunInfo = {
    runId: header.runId,
    experimentId: header.experimentId ?? `${UNSENT_EXPERIMENT_PREFIX}${header.experimentName ?? ""}`,
    experimentName: header.experimentName ?? "",
    runName: header.runName,
    status,
    startTime: header.startTime,
    tags,
    params,
    metrics: Object.fromEntries([...latest].map(([key, p]) => [key, p.value])),
    artifacts: [...artifacts].sort(),
  };
  if (endTime !== undefined) info.endTime = endTime;
  if (error !== undefined) info.error = error;
  return info;
}

/** MLflow's error codes the caller can act on become TrackingErrors; anything else (auth, 4xx) stays as it is. */
export function asTrackingError(err: unknown, what: string): unknown {
  if (!(err instanceof MlflowApiError)) return err;
  if (err.errorCode === "RESOURCE_DOES_NOT_EXIST" || err.status === 404) return new TrackingError(`${what}: ${err.message}`, "not_found");
  if (err.errorCode === "RESOURCE_ALREADY_EXISTS") return new TrackingError(`${what}: ${err.message}`, "conflict");
  if (/changing param values is not allowed/i.test(err.message)) {
    return new TrackingError(`${what}: ${err.message} Params cannot change (MLflow rule): log the new value under another key or start a new run.`, "conflict");
  }
  if (err.errorCode === "INVALID_PARAMETER_VALUE" || err.errorCode === "BAD_REQUEST") return new TrackingError(`${what}: ${err.message}`, "invalid");
  return err;
}

/**
 * asTrackingError for a call about one run or experiment: MLflow's "not found" is said the way
 * every store says it (`unknown run id "…"`, `unknown experiment id "…"`), then the server's answer.
 */
export function asLookupError(err: unknown, what: string, subject: "run" | "experiment", id: string): unknown {
  const mapped = asTrackingError(err, what);
  if (mapped instanceof TrackingError && mapped.code === "not_found") {
    return new TrackingError(`unknown ${subject} id ${JSON.stringify(id)}: ${mapped.message}`, "not_found");
  }
  return mapped;
}

/**
 * A string literal for MLflow's search filters, which have no escape character: quoted with
 * ' or ", whichever the value does not hold; undefined when it holds both (filter locally then).
 */
export function filterLiteral(value: string): string | undefined {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return undefined;
}
