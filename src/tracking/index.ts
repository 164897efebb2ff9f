// Experiment tracking: every training run's tags, params, metric histories and artifacts,
// behind one interface (store.ts, TrackingStore) with two implementations that answer alike:
// the local folder store (local/, the default, laid out like MLflow's file store, no server
// needed) and MLflow's REST API (mlflow/, with retries, an offline queue beside the model
// registry and `salescast runs sync`). Names a caller gives are checked once for both
// (validate.ts) so a run the local store takes, an MLflow server takes too. The store is picked
// from tracking.uri here: http(s):// is an MLflow server, anything else a local folder
// ("./mlruns", "file:./mlruns", "file:///abs/mlruns"). tests/tracking/contract.ts is the
// behaviour both stores must have (the MLflow run of it is in tests/mlflow/).
import { fileURLToPath } from "node:url";
import type { Config } from "../config/schema.js";
import { mlflowPendingDir } from "../config/paths.js";
import { LocalTrackingStore } from "./local/index.js";
import { DEFAULT_RETRY, MlflowTrackingStore, type RetryOptions } from "./mlflow/index.js";
import type { TrackingStore } from "./store.js";

export * from "./store.js";
export { flattenParams } from "./flatten.js";
export { LocalTrackingStore, experimentIdFor } from "./local/index.js";
export { MlflowTrackingStore } from "./mlflow/index.js";

/**
 * The configured store: tracking.uri, with MLflow's offline queue beside the registry
 * (mlflowPendingDir). One call to an MLflow server gives up after tracking.timeout_seconds, each
 * attempt after at most half of it (30 s at most); `retry` overrides that. `onWait` hears of
 * each attempt that got no answer in time, `onPending` of a run that goes to the offline queue
 * and why (MLflow's stores only).
 */
export function trackingStoreFor(config: Pick<Config, "tracking" | "train">, options: Omit<StoreOptions, "pendingDir"> = {}): TrackingStore {
  const totalMs = config.tracking.timeout_seconds * 1000;
  const retry = { totalMs, timeoutMs: Math.min(DEFAULT_RETRY.timeoutMs, Math.max(1000, Math.ceil(totalMs / 2))), ...options.retry };
  return openTrackingStore(config.tracking.uri, { ...options, pendingDir: mlflowPendingDir(config), retry });
}

interface StoreOptions {
  pendingDir?: string;
  retry?: Partial<RetryOptions>;
  onWait?: (message: string) => void;
  onPending?: (runId: string, reason: string) => void;
}

/**
 * `pendingDir`: where runs that cannot reach an MLflow server wait for `salescast runs sync`
 * (required for an http(s) URI; trackingStoreFor derives it from train.checkpoint_path).
 */
export function openTrackingStore(uri: string, options: StoreOptions = {}): TrackingStore {
  if (typeof uri !== "string" || uri.trim() === "") {
    throw new Error("tracking.uri is empty: set it to a folder (./mlruns) or an MLflow server (http://host:5005)");
  }
  if (/^https?:\/\//i.test(uri)) {
    if (!options.pendingDir) throw new Error(`tracking.uri ${uri} is an MLflow server: open it with a folder for its offline queue (trackingStoreFor(config))`);
    const { retry, onWait, onPending } = options;
    return new MlflowTrackingStore(uri, {
      pendingDir: options.pendingDir,
      ...(retry ? { retry } : {}),
      ...(onWait ? { onWait } : {}),
      ...(onPending ? { onPending } : {}),
    });
  }
  return new LocalTrackingStore(localTrackingFolder(uri));
}

/** The folder a local tracking.uri names: a path, file:<path> or file:///<absolute path>. */
export function localTrackingFolder(uri: string): string {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  if (uri.startsWith("file:")) return uri.slice("file:".length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new Error(`tracking.uri ${uri}: unsupported scheme; use a folder path, file:<path> or http(s)://<mlflow server>`);
  }
  return uri;
}
