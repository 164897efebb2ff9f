// The one interface every model registry implements, and what they share: the local registry
// (local/: version folders under the folder of train.checkpoint_path, found through an index)
// and MLflow's (mlflow/: registered models "salescast-<category>" whose versions are runs'
// artifacts, downloaded to a local cache before they are served). The server, the model cache
// and the CLI read through ModelRegistry alone; tests/registry/contract.ts is the behaviour
// both must have.
//
// Writing differs by nature, so it is two small interfaces beside the shared one: the local
// registry keeps the files itself (stage a folder, write the model into it, commit it as the
// next version or discard it), while on MLflow the training run already holds the files as
// artifacts, so the run is the staging area and registering it is the commit.

/** The alias of the version served by default (MLflow's aliases, not its deprecated stages). */
export const DEFAULT_ALIAS = "champion";

/**
 * Run and version tags saying whether a version's folder is an MLflow model (src/training/mlflow-model.ts):
 * "onnx" when it holds MLmodel and model.onnx, "none" and the reason when its kind has no ONNX graph.
 */
export const MLFLOW_MODEL_TAG = "mlflow_model";
export const MLFLOW_MODEL_REASON_TAG = "mlflow_model_reason";

export interface ModelVersionInfo {
  /** The category's exact name, as given when the version was registered. */
  category: string;
  version: number;
  /** Absolute folder of the version's files (for MLflow, in the download cache: present once resolve() returned it). */
  dir: string;
  createdAt: string;
  runId?: string;
  /** Finite values only: a metric that was NaN or infinite is left out. */
  metrics?: Record<string, number>;
  windowSize: number;
  /** Sorted. */
  aliases: string[];
  /** Set when the version is registered but not served by default: why (see src/training/promotion.ts). */
  heldBack?: string;
}

/** What a new version records beside its files, in either registry. */
export interface VersionMetadata {
  windowSize: number;
  metrics?: Record<string, number>;
  /** Register the version but never serve it by default (the previous one stays served): why. */
  heldBack?: string;
}

/**
 * A version number (or its digits as a string), an alias, or "latest". No reference means the
 * version served: the champion if set, else the latest version not held back.
 */
export type VersionRef = number | string;

/** What every registry answers. Category names are only ever matched exactly, never used as paths. */
export interface ModelRegistry {
  readonly kind: "local" | "mlflow";
  /** Categories with at least one version, sorted. */
  categories(): Promise<string[]>;
  /** Every version of the category, oldest first; [] for a category never registered. */
  versions(category: string): Promise<ModelVersionInfo[]>;
  /** The version ref points at, its files ready in `dir`; undefined when the category, number or alias does not exist. */
  resolve(category: string, ref?: VersionRef): Promise<ModelVersionInfo | undefined>;
  /**
   * Points alias at version (moving it from any other). RegistryError "invalid" for a bad or
   * reserved alias or a version that is not a positive integer, "not_found" for a category
   * without versions ("train it first") or a version it does not have (naming those it has).
   */
  setAlias(category: string, alias: string, version: number): Promise<void>;
  /** Removes the alias if the category has it (one it never had is fine); RegistryError "not_found" for a category without versions. */
  removeAlias(category: string, alias: string): Promise<void>;
  /** The version each category serves (resolve() without a ref), by category name; categories serving none are left out. */
  list(): Promise<ModelVersionInfo[]>;
}

/** The name the server and the CLI use for the registry servedRegistry(config) picks. */
export type ServedRegistry = ModelRegistry;

/** A registry that keeps the files itself (the local one). */
export interface StagingRegistry extends ModelRegistry {
  /** A new empty folder, private to the caller, to write a model into. */
  stage(category: string): Promise<string>;
  /** Makes the staged folder the category's next version, whole or not at all. */
  commit(category: string, stagingDir: string, info: VersionMetadata & { runId?: string }): Promise<ModelVersionInfo>;
  /** Removes a staged folder that will not be committed. */
  discard(stagingDir: string): Promise<void>;
}

/** A registry whose versions are tracked runs' artifacts (MLflow's): registering the run is the commit. */
export interface RunRegistry extends ModelRegistry {
  registerRun(category: string, runId: string, info: VersionMetadata & { description?: string }): Promise<ModelVersionInfo>;
}

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly code: "not_found" | "invalid" | "busy",
  ) {
    super(message);
    this.name = "RegistryError";
  }
}

/** The registry's own bookkeeping (the local index) cannot be read: nothing in it can be trusted until repaired. */
export class RegistryCorruptError extends RegistryError {
  constructor(message: string) {
    super(message, "invalid");
    this.name = "RegistryCorruptError";
  }
}

/** The window size a new version needs, checked the same way by every registry. */
export function checkVersionMetadata(info: VersionMetadata | undefined, action: string): void {
  if (!Number.isSafeInteger(info?.windowSize) || info!.windowSize < 1) {
    throw new RegistryError(`${action} needs windowSize as a positive integer, got ${String(info?.windowSize)}`, "invalid");
  }
}

/** A version number as setAlias takes it. */
export function checkVersionNumber(version: unknown): number {
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    throw new RegistryError(`version must be a positive integer, got ${String(version)}`, "invalid");
  }
  return version as number;
}

/** JSON has no NaN: a metric that is not finite (an undefined MASE) is left out rather than written as null. */
export function finiteMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value)));
}
