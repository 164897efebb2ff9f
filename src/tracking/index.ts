// Picks the tracking store from the configured URI (tracking.uri): http(s):// is an MLflow
// server, anything else a local folder ("./mlruns", "file:./mlruns", "file:///abs/mlruns").
import { fileURLToPath } from "node:url";
import { LocalTrackingStore } from "./local-store.js";
import { DEFAULT_PENDING_DIR, MlflowTrackingStore } from "./mlflow-store.js";
import type { TrackingStore } from "./store.js";

export * from "./store.js";
export { flattenParams } from "./flatten.js";
export { LocalTrackingStore, experimentIdFor } from "./local-store.js";

export function openTrackingStore(uri: string): TrackingStore {
  if (typeof uri !== "string" || uri.trim() === "") {
    throw new Error("tracking.uri is empty: set it to a folder (./mlruns) or an MLflow server (http://host:5005)");
  }
  if (/^https?:\/\//i.test(uri)) {
    // What cannot reach the server is queued here and sent later by `salescast runs sync`.
    return new MlflowTrackingStore(uri, { pendingDir: DEFAULT_PENDING_DIR });
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
