// The MLflow registry's public surface: registered models and aliases over MLflow's REST API
// (mlflow-registry.ts), and the local cache versions are downloaded into before they are served (mlflow-cache.ts).
export { MlflowRegistry, type MlflowRegistryOptions, type RegisterInfo, type RegisterOutcome } from "./mlflow-registry.js";
