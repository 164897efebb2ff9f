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
import { MlflowTrackingStore } from "./mlflow/index.js";
import type { TrackingStore } from "./store.js";

export * from "./store.js";
export { flattenParams } from "./flatten.js";
export { LocalTrackingStore, experimentIdFor } from "./local/index.js";
export { MlflowTrackingStore } from "./mlflow/index.js";

/** The configured store: tracking.uri, with MLflow's offline queue beside the registry (mlflowPendingDir). */
export function trackingStoreFor(config: Pick<Config, "tracking" | "train">): TrackingStore {
  return openTrackingStore(config.tracking.uri, { pendingDir: mlflowPendingDir(config) });
}

/**
 * `pendingDir`: where runs that cannot reach an MLflow server wait for `salescast runs sync`
 * (required for an http(s) URI; trackingStoreFor derives it from train.checkpoint_path).
 */
export function openTrackingStore(uri: string, options: { pendingDir?: string } = {}): TrackingStore {
  if (typeof uri !== "string" || uri.trim() === "") {
    throw new Error("tracking.uri is empty: set it to a folder (./mlruns) or an MLflow server (http://host:5005)");
  }
  if (/^https?:\/\//i.test(uri)) {
    if (!options.pendingDir) throw new Error(`tracking.uri ${uri} is an MLflow server: open it with a folder for its offline queue (trackingStoreFor(config))`);
    return new MlflowTrackingStore(uri, { pendingDir: options.pendingDir });
  }
  return new LocalTrackingStore(localFolder(uri));
}

function localFolder(uri: string): string {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  if (uri.startsWith("file:")) return uri.slice("file:".length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new Error(`tracking.uri ${uri}: unsupported scheme; use a folder path, file:<path> or http(s)://<mlflow server>`);
  }
  return uri;
}
