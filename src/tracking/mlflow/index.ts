// The MLflow tracking store's public surface: the store, sync of unsent runs, the errors, and
// what the MLflow model registry (src/registry/mlflow/) builds on: the wire helpers for
// MLflow's errors and search filters, and the artifact proxy's download.
export { MlflowTrackingStore, type MlflowStoreOptions } from "./mlflow-store.js";
export { syncPendingRuns, type SyncOptions, type SyncResult, type RunRegistrar } from "./mlflow-sync.js";
export { MlflowApiError, MlflowUnavailableError, authorizationFromEnv, DEFAULT_RETRY, type RetryOptions } from "./mlflow-http.js";
export { PendingRuns, type PendingRunHeader, type PendingOp } from "./mlflow-pending.js";
export { ERROR_TAG, LOCAL_RUN_ID_TAG, asTrackingError, filterLiteral } from "./mlflow-wire.js";
export { downloadTree, proxyRoot } from "./mlflow-artifacts.js";
