// The MLflow side of tracking in one import: the store, sync of unsent runs, and the errors.
export { MlflowTrackingStore, type MlflowStoreOptions } from "./mlflow-store.js";
export { syncPendingRuns, type SyncOptions, type SyncResult, type RunRegistrar } from "./mlflow-sync.js";
export { MlflowApiError, MlflowUnavailableError, authorizationFromEnv, DEFAULT_RETRY, type RetryOptions } from "./mlflow-http.js";
export { PendingRuns, type PendingRunHeader, type PendingOp } from "./mlflow-pending.js";
export { ERROR_TAG, LOCAL_RUN_ID_TAG } from "./mlflow-wire.js";
