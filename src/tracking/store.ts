// The one interface every tracking store implements: the embedded local store (a folder, the
// default) and the MLflow REST store. Shapes follow MLflow's so the two are interchangeable:
// experiments by name, runs with tags / params (write-once) / metric histories / artifacts.

export type RunStatus = "RUNNING" | "FINISHED" | "FAILED" | "KILLED";
export const RUN_STATUSES: readonly RunStatus[] = ["RUNNING", "FINISHED", "FAILED", "KILLED"];

export interface MetricPoint {
  key: string;
  value: number; // NaN and ±Infinity are allowed (a diverged loss is worth recording)
  step: number; // integer
  timestamp: number; // ms since the epoch
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  experimentName: string;
  runName: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  tags: Record<string, string>;
  params: Record<string, string>;
  metrics: Record<string, number>; // latest value per key: highest step, then latest timestamp
  artifacts: string[]; // relative paths with "/" separators, sorted
  error?: string;
}

export interface RunFilter {
  experimentName?: string;
  category?: string; // matches the run tag item_id
  status?: RunStatus;
}

export interface TrackingStore {
  readonly kind: "local" | "mlflow";
  readonly uri: string;
  /** The experiment id for this name, created if missing. Safe when several processes call it at once. */
  getOrCreateExperiment(name: string): Promise<string>;
  createRun(experimentId: string, runName: string, tags: Record<string, string>): Promise<string>;
  /** Adds or replaces tags. */
  setTags(runId: string, tags: Record<string, string>): Promise<void>;
  /** Params are write-once (MLflow rule): the same value again is fine, a different value is refused. */
  logParams(runId: string, params: Record<string, string>): Promise<void>;
  logMetrics(runId: string, points: MetricPoint[]): Promise<void>;
  /** Copies a file (or a folder, recursively) into the run's artifacts, under artifactPath if given. */
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void>;
  endRun(runId: string, status: Exclude<RunStatus, "RUNNING">, error?: string): Promise<void>;
  /** Newest first. An experiment name that does not exist gives an empty list. */
  listRuns(filter?: RunFilter): Promise<RunInfo[]>;
  /** Unknown id => TrackingError with code "not_found" naming it. */
  getRun(runId: string): Promise<RunInfo>;
  /** Ordered by step (then timestamp); a key never logged gives []. */
  getMetricHistory(runId: string, key: string): Promise<MetricPoint[]>;
  /** Before training: proves the run's artifacts can be written (a dry write), else a TrackingError saying what to fix; stores that always can, omit it. */
  checkArtifactWrite?(runId: string): Promise<void>;
  /** Deletes what the run logged as artifacts (a failed run's partial files); stores that cannot, omit it. */
  discardArtifacts?(runId: string): Promise<void>;
  /** Absolute local file of an artifact (local store only), for the dashboard to stream. */
  artifactPath?(runId: string, relative: string): Promise<string>;
}

/**
 * Errors a caller can cause. `code` lets the HTTP layer pick a status without parsing messages:
 * not_found => 404, invalid => 400/422, conflict => 409.
 */
export class TrackingError extends Error {
  constructor(
    message: string,
    readonly code: "not_found" | "invalid" | "conflict",
  ) {
    super(message);
    this.name = "TrackingError";
  }
}
