// Paths derived from the configuration, in one place: every folder salescast keeps state in
// follows from a setting the user can see (never from the working directory alone).
// Light on purpose (no schema, no YAML): the CLI reads DEFAULT_CONFIG_PATH before any command runs.
import { dirname, join } from "node:path";
import type { Config } from "./schema.js";

export const DEFAULT_CONFIG_PATH = "config/config.yaml";

/** The local model registry: the folder of train.checkpoint_path (where the reference keeps its checkpoints). */
export function registryRoot(config: Pick<Config, "train">): string {
  return dirname(config.train.checkpoint_path);
}

/**
 * Where runs that could not reach the MLflow server wait for `salescast runs sync`: beside the
 * registry whose models they describe, so one folder (one volume) holds both, and `runs sync`
 * finds them from any working directory that names the same train.checkpoint_path.
 */
export function mlflowPendingDir(config: Pick<Config, "train">): string {
  return join(registryRoot(config), ".mlflow-pending");
}

/** Where serve keeps the forecasts it recorded for scoring (app.monitor_file, else beside the registry). */
export function monitorFilePath(config: Pick<Config, "train" | "app">): string {
  return config.app.monitor_file ?? join(registryRoot(config), ".monitor", "forecasts.json");
}
