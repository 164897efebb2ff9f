// The model registry: every trained model is a numbered version of its category, with aliases
// ("champion" is served), behind one interface (registry.ts, ModelRegistry) with two
// implementations: the local registry (local/: version folders under the folder of
// train.checkpoint_path, an index that maps exact category names to safe folder names, a file
// lock, crash leftovers cleaned) and MLflow's (mlflow/: registered models "salescast-<category>"
// whose versions are runs' artifacts, downloaded whole into a local cache before they are
// served). A category name is never used as a path (names.ts). Which one serves models for a
// configuration is decided here: MLflow's when tracking.uri is an MLflow server, else the local
// one; training always commits to the local registry first. tests/registry/contract.ts is the
// behaviour both must have (the MLflow run of it is in tests/mlflow/).
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import { registryRoot } from "../config/paths.js";
import { MlflowTrackingStore, trackingStoreFor, type TrackingStore } from "../tracking/index.js";
import { LocalRegistry } from "./local/index.js";
import { MlflowRegistry } from "./mlflow/index.js";
import type { ModelRegistry } from "./registry.js";

export {
  DEFAULT_ALIAS,
  RegistryError,
  type ModelRegistry,
  type ModelVersionInfo,
  type RunRegistry,
  type ServedRegistry,
  type StagingRegistry,
  type VersionMetadata,
  type VersionRef,
} from "./registry.js";
export { safeDirName, checkCategoryName, checkAlias, MAX_CATEGORY_LENGTH } from "./names.js";
export { LocalRegistry, type CommitInfo, type RegistryOptions } from "./local/index.js";
export { MlflowRegistry, type MlflowRegistryOptions, type RegisterInfo, type RegisterOutcome } from "./mlflow/index.js";

/** The local registry root: the folder of train.checkpoint_path (where the reference keeps its checkpoints). */
export function localRegistryRoot(config: Config): string {
  return registryRoot(config);
}

export function servedRegistry(config: Config, store: TrackingStore = trackingStoreFor(config)): ModelRegistry {
  if (store instanceof MlflowTrackingStore) {
    return new MlflowRegistry(store, { cacheRoot: join(localRegistryRoot(config), ".mlflow-cache") });
  }
  return new LocalRegistry(localRegistryRoot(config));
}

/** "3" => 3, "champion" => "champion", undefined => undefined (the default: champion, else latest). */
export function parseVersionRef(ref: string | undefined): number | string | undefined {
  return ref !== undefined && /^\d+$/.test(ref) ? Number(ref) : ref;
}
