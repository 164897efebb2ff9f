// Which registry serves models for a configuration: MLflow's when tracking.uri is an MLflow
// server (versions registered there, champion downloaded to a local cache), else the local
// registry under the folder of train.checkpoint_path. Both answer the same questions.
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import { registryRoot } from "../config/paths.js";
import { trackingStoreFor, type TrackingStore } from "../tracking/index.js";
import { MlflowTrackingStore } from "../tracking/mlflow-store.js";
import { LocalRegistry, type ModelVersionInfo } from "./local.js";
import { MlflowRegistry } from "./mlflow-registry.js";

export interface ServedRegistry {
  readonly kind: "local" | "mlflow";
  categories(): Promise<string[]>;
  versions(category: string): Promise<ModelVersionInfo[]>;
  resolve(category: string, ref?: number | string): Promise<ModelVersionInfo | undefined>;
  setAlias(category: string, alias: string, version: number): Promise<void>;
  list(): Promise<ModelVersionInfo[]>;
}

/** The local registry root: the folder of train.checkpoint_path (where the reference keeps its checkpoints). */
export function localRegistryRoot(config: Config): string {
  return registryRoot(config);
}

export function servedRegistry(config: Config, store: TrackingStore = trackingStoreFor(config)): ServedRegistry {
  if (store instanceof MlflowTrackingStore) {
    return new MlflowRegistry(store, { cacheRoot: join(localRegistryRoot(config), ".mlflow-cache") });
  }
  return new LocalRegistry(localRegistryRoot(config));
}

/** "3" => 3, "champion" => "champion", undefined => undefined (the default: champion, else latest). */
export function parseVersionRef(ref: string | undefined): number | string | undefined {
  return ref !== undefined && /^\d+$/.test(ref) ? Number(ref) : ref;
}
