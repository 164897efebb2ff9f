// The model registry on an MLflow server: each category is the registered model
// "salescast-<category>", each trained model a new version whose source is its run's "model"
// artifact folder (an MLflow model folder: MLmodel beside the model's files, see
// src/training/mlflow-model.ts), and the served one carries the alias "champion" (MLflow
// aliases, not the deprecated stages).
//
// It implements ModelRegistry (../registry.ts) like the local registry, answering the same
// ModelVersionInfo, so the server and the CLI can use either; its write side is registerRun
// (the run's artifacts are the version's files). resolve() downloads the version's source into
// the local cache first (mlflow-cache.ts) and `dir` is the checkpoint folder
// (<cache>/<cat>/v<N>/model) whichever of the two sources a version has: the model folder, or,
// for versions registered before issue 18, the run's whole artifact root (the folder is inside).
// versions(), peek() and list() only describe and never download.
import { join } from "node:path";
import { TrackingError } from "../../tracking/index.js";
import { asTrackingError, filterLiteral, MlflowUnavailableError, type MlflowTrackingStore, type RunRegistrar } from "../../tracking/mlflow/index.js";
import { artifactSegments } from "../../tracking/validate.js";
import { checkAlias, checkCategoryName } from "../names.js";
import {
  checkVersionMetadata,
  checkVersionNumber,
  DEFAULT_ALIAS,
  finiteMetrics,
  MLFLOW_MODEL_REASON_TAG,
  MLFLOW_MODEL_TAG,
  type ModelVersionInfo,
  RegistryError,
  type RunRegistry,
  type VersionMetadata,
} from "../registry.js";
import { downloadVersion, versionCacheDir } from "./mlflow-cache.js";

export interface MlflowRegistryOptions {
  /** Folder where versions are downloaded before they are served. */
  cacheRoot: string;
  /** Registered model name = prefix + category. */
  modelNamePrefix?: string;
  /**
   * The artifact folder of a run that holds the checkpoint (model.safetensors + model.json);
   * training logs it under "model". `dir` of a version points there, inside the downloaded tree.
   */
  checkpointPath?: string;
}

/** heldBack is stored as the version's tag held_back (see src/training/promotion.ts). */
export interface RegisterInfo extends VersionMetadata {
  description?: string;
}

export type RegisterOutcome = { status: "registered"; version: ModelVersionInfo } | { status: "queued"; reason: string };

interface WireModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number | string;
  source?: string;
  run_id?: string;
  status?: string;
  tags?: Array<{ key: string; value: string }>;
  aliases?: string[];
}

interface WireRegisteredModel {
  name: string;
  aliases?: Array<{ alias: string; version: string }>;
  latest_versions?: WireModelVersion[];
}

const READY_WAIT_MS = 30_000;
/** Version tag of a model registered but not to be served by default. */
const HELD_BACK_TAG = "held_back";

export class MlflowRegistry implements RunRegistry, RunRegistrar {
  readonly kind = "mlflow" as const;
  readonly cacheRoot: string;
  private readonly prefix: string;
  private readonly checkpointSegments: string[];

  constructor(
    private readonly store: MlflowTrackingStore,
    options: MlflowRegistryOptions,
  ) {
    if (!options?.cacheRoot) throw new Error("MlflowRegistry needs cacheRoot: the folder where served versions are downloaded");
    this.cacheRoot = options.cacheRoot;
    this.prefix = options.modelNamePrefix ?? "salescast-";
    this.checkpointSegments = artifactSegments(options.checkpointPath ?? "model", "checkpointPath");
  }

  modelName(category: string): string {
    checkCategoryName(category);
    if (/[/:]/.test(category)) {
      throw new RegistryError(`category ${JSON.stringify(category)} cannot be an MLflow registered model name: MLflow refuses "/" and ":" in names`, "invalid");
    }
    return this.prefix + category;
  }

  /** Registers the run's artifacts as a new version of salescast-<category>; waits until MLflow says READY. */
  async registerRun(category: string, runId: string, info: RegisterInfo): Promise<ModelVersionInfo & { modelName: string }> {
    const name = this.modelName(category);
    checkVersionMetadata(info, "registering");
    const run = await this.store.fetchRun(runId);
    if (!run.info.artifact_uri) throw new RegistryError(`run ${runId} has no artifact location on the server; it cannot be registered`, "invalid");
    try {
      await this.store.http.post("registered-models/create", { name, tags: [{ key: "item_id", value: category }] });
    } catch (err) {
      const mapped = asTrackingError(err, `registered model ${name}`);
      if (!(mapped instanceof TrackingError && mapped.code === "conflict")) throw mapped; // already there: fine
    }
    const tags = [
      { key: "item_id", value: category },
      { key: "window_size", value: String(info.windowSize) },
      ...(info.metrics ? [{ key: "metrics", value: JSON.stringify(finiteMetrics(info.metrics)) }] : []),
      ...(info.heldBack ? [{ key: HELD_BACK_TAG, value: info.heldBack }] : []),
      // Whether the source is an MLflow model (MLmodel) and, if not, why: set on the run by training.
      ...(run.data?.tags ?? []).filter((t) => t.key === MLFLOW_MODEL_TAG || t.key === MLFLOW_MODEL_REASON_TAG),
    ];
    let created: WireModelVersion;
    try {
      ({ model_version: created } = await this.store.http.post<{ model_version: WireModelVersion }>("model-versions/create", {
        name,
        source: this.modelSource(run.info.artifact_uri),
        run_id: runId,
        tags,
        ...(info.description ? { description: info.description } : {}),
      }));
    } catch (err) {
      throw asTrackingError(err, `register run ${runId} as ${name}`);
    }
    const ready = await this.waitReady(created);
    return { ...this.describe(category, ready, []), modelName: name };
  }

  /**
   * registerRun, or, when the server cannot take it now, a registration queued with the run for
   * `salescast runs sync`. The model is already safe locally either way.
   */
  async registerOrQueue(category: string, runId: string, info: RegisterInfo): Promise<RegisterOutcome> {
    this.modelName(category);
    checkVersionMetadata(info, "registering");
    const op = {
      op: "register" as const,
      category,
      windowSize: info.windowSize,
      ...(info.metrics ? { metrics: finiteMetrics(info.metrics) } : {}),
      ...(info.description ? { description: info.description } : {}),
      ...(info.heldBack ? { heldBack: info.heldBack } : {}),
    };
    if (await this.store.queueIfPending(runId, op)) return { status: "queued", reason: `run ${runId} is waiting to be sent` };
    try {
      return { status: "registered", version: await this.registerRun(category, runId, info) };
    } catch (err) {
      // Down, or up and refusing (a 5xx, a failed registration): the request was checked above,
      // so what failed is the server's side, and `runs sync` tries again once it is mended.
      const reason = err instanceof MlflowUnavailableError ? err.message : `the MLflow server refused the registration (${(err as Error).message})`;
      const pending = this.store.pending;
      await pending.begin({ runId, createdOnServer: true, detached: true, runName: "", startTime: Date.now(), tags: {}, reason });
      await pending.append(runId, op);
      return { status: "queued", reason };
    }
  }

  /** Every version of the category, oldest first. */
  async versions(category: string): Promise<ModelVersionInfo[]> {
    const model = await this.registeredModel(category);
    if (!model) return [];
    const aliases = aliasMap(model);
    return (await this.searchVersions(model.name)).map((v) => this.describe(category, v, aliases.get(v.version) ?? []));
  }

  /**
   * ref: a version number (or its digits), an alias, or "latest"; default: "champion" if set,
   * else the latest not held back. The version is downloaded to the cache (once) and `dir` points at it.
   */
  async resolve(category: string, ref?: number | string): Promise<ModelVersionInfo | undefined> {
    const found = await this.describeRef(category, ref);
    if (!found) return undefined;
    await downloadVersion(this.store, found.source, this.downloadTarget(found.source, category, found.info.version));
    return found.info;
  }

  /** The run's checkpoint folder (its MLflow model folder): what a version's source names. */
  private modelSource(artifactUri: string): string {
    return [artifactUri.replace(/\/+$/, ""), ...this.checkpointSegments.map(encodeURIComponent)].join("/");
  }

  /**
   * Where a version's source is downloaded so that its checkpoint folder ends up at `dir`: a
   * source that is the checkpoint folder goes to <cache>/v<N>/model, an older version's whole
   * artifact root (which holds model/) to <cache>/v<N>.
   */
  private downloadTarget(source: string, category: string, version: number): string {
    const root = versionCacheDir(this.cacheRoot, category, version);
    const tail = source.replace(/\/+$/, "").split("/").slice(-this.checkpointSegments.length).map(decodeURIComponent);
    const isModelFolder = tail.length === this.checkpointSegments.length && tail.every((s, i) => s === this.checkpointSegments[i]);
    return isModelFolder ? join(root, ...this.checkpointSegments) : root;
  }

  /** Which version ref points at, without downloading it (cheap enough to poll). */
  async peek(category: string, ref?: number | string): Promise<ModelVersionInfo | undefined> {
    return (await this.describeRef(category, ref))?.info;
  }

  async setAlias(category: string, alias: string, version: number): Promise<void> {
    checkAlias(alias);
    const name = this.modelName(category);
    checkVersionNumber(version);
    try {
      await this.store.http.post("registered-models/alias", { name, alias, version: String(version) });
    } catch (err) {
      const mapped = asTrackingError(err, `set alias ${alias} of ${name}`);
      if (mapped instanceof TrackingError && mapped.code === "not_found") {
        const known = (await this.versions(category)).map((v) => v.version);
        throw known.length === 0
          ? this.noModel(category)
          : new RegistryError(`category ${JSON.stringify(category)} has no version ${version} (versions: ${known.join(", ")})`, "not_found");
      }
      throw mapped;
    }
  }

  /** Removing an alias the category does not have is fine (as MLflow does); an unknown category is not. */
  async removeAlias(category: string, alias: string): Promise<void> {
    checkAlias(alias);
    const name = this.modelName(category);
    try {
      await this.store.http.delete("registered-models/alias", { name, alias });
    } catch (err) {
      const mapped = asTrackingError(err, `remove alias ${alias} of ${name}`);
      throw mapped instanceof TrackingError && mapped.code === "not_found" ? this.noModel(category) : mapped;
    }
  }

  private noModel(category: string): RegistryError {
    return new RegistryError(`no model registered for category ${JSON.stringify(category)} on ${this.store.uri}; train it first`, "not_found");
  }

  /** Categories with at least one registered model under the prefix, sorted. */
  async categories(): Promise<string[]> {
    const out: string[] = [];
    let pageToken: string | undefined;
    const like = filterLiteral(`${this.prefix.replace(/[%_]/g, "_")}%`);
    do {
      const page = await this.store.http.get<{ registered_models?: WireRegisteredModel[]; next_page_token?: string }>("registered-models/search", {
        filter: like ? `name LIKE ${like}` : undefined,
        max_results: 1000,
        page_token: pageToken,
      });
      for (const m of page.registered_models ?? []) if (m.name.startsWith(this.prefix)) out.push(m.name.slice(this.prefix.length));
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return out.sort();
  }

  /** The version each category serves (its champion, else its latest), without downloading. */
  async list(): Promise<ModelVersionInfo[]> {
    const out: ModelVersionInfo[] = [];
    for (const category of await this.categories()) {
      const info = await this.peek(category);
      if (info) out.push(info);
    }
    return out;
  }

  private async describeRef(category: string, ref: number | string | undefined): Promise<{ info: ModelVersionInfo; source: string } | undefined> {
    const model = await this.registeredModel(category);
    if (!model) return undefined;
    const aliases = aliasMap(model);
    let version: string | undefined;
    if (typeof ref === "number" || (typeof ref === "string" && /^\d+$/.test(ref))) version = String(ref);
    else if (ref === undefined) version = model.aliases?.find((a) => a.alias === DEFAULT_ALIAS)?.version;
    else if (ref !== "latest") version = model.aliases?.find((a) => a.alias === ref)?.version;
    if (version === undefined && ref !== undefined && ref !== "latest") return undefined;
    let wire: WireModelVersion | undefined;
    if (version === undefined) {
      const all = await this.searchVersions(model.name);
      // "latest" is the latest; the default (no champion) skips versions held back.
      wire = ref === "latest" ? all[all.length - 1] : all.findLast((v) => !(v.tags ?? []).some((t) => t.key === HELD_BACK_TAG));
    } else {
      wire = await this.getVersion(model.name, version);
    }
    if (!wire) return undefined;
    return { info: this.describe(category, wire, aliases.get(wire.version) ?? []), source: wire.source ?? "" };
  }

  private async registeredModel(category: string): Promise<WireRegisteredModel | undefined> {
    const name = this.modelName(category);
    try {
      return (await this.store.http.get<{ registered_model: WireRegisteredModel }>("registered-models/get", { name })).registered_model;
    } catch (err) {
      const mapped = asTrackingError(err, `registered model ${name}`);
      if (mapped instanceof TrackingError && mapped.code === "not_found") return undefined;
      throw mapped;
    }
  }

  private async getVersion(name: string, version: string): Promise<WireModelVersion | undefined> {
    try {
      return (await this.store.http.get<{ model_version: WireModelVersion }>("model-versions/get", { name, version })).model_version;
    } catch (err) {
      const mapped = asTrackingError(err, `version ${version} of ${name}`);
      if (mapped instanceof TrackingError && mapped.code === "not_found") return undefined;
      throw mapped;
    }
  }

  /** All versions of one registered model, ascending. Names holding both quote characters are matched locally. */
  private async searchVersions(name: string): Promise<WireModelVersion[]> {
    const literal = filterLiteral(name);
    const filter = literal ? `name = ${literal}` : `name LIKE '${name.replace(/['%_]/g, "_")}'`;
    const out: WireModelVersion[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.store.http.get<{ model_versions?: WireModelVersion[]; next_page_token?: string }>("model-versions/search", {
        filter,
        max_results: 10_000,
        page_token: pageToken,
      });
      out.push(...(page.model_versions ?? []).filter((v) => v.name === name));
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return out.sort((a, b) => Number(a.version) - Number(b.version));
  }

  private async waitReady(version: WireModelVersion): Promise<WireModelVersion> {
    const deadline = Date.now() + READY_WAIT_MS;
    let current = version;
    while (current.status === "PENDING_REGISTRATION" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      current = (await this.getVersion(version.name, version.version)) ?? current;
    }
    if (current.status === "FAILED_REGISTRATION") throw new RegistryError(`MLflow failed to register ${version.name} version ${version.version}`, "invalid");
    return current;
  }

  private describe(category: string, v: WireModelVersion, aliases: string[]): ModelVersionInfo {
    const tags = new Map((v.tags ?? []).map((t) => [t.key, t.value]));
    const info: ModelVersionInfo = {
      category,
      version: Number(v.version),
      dir: join(versionCacheDir(this.cacheRoot, category, Number(v.version)), ...this.checkpointSegments),
      createdAt: new Date(Number(v.creation_timestamp ?? 0)).toISOString(),
      windowSize: Number(tags.get("window_size") ?? NaN),
      aliases: [...new Set([...aliases, ...(v.aliases ?? [])])].sort(),
    };
    if (v.run_id) info.runId = v.run_id;
    const heldBack = tags.get(HELD_BACK_TAG);
    if (heldBack !== undefined) info.heldBack = heldBack;
    const metrics = tags.get("metrics");
    if (metrics) {
      try {
        info.metrics = JSON.parse(metrics) as Record<string, number>;
      } catch {
        // a hand-edited tag: leave metrics out
      }
    }
    return info;
  }
}

function aliasMap(model: WireRegisteredModel): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { alias, version } of model.aliases ?? []) map.set(version, [...(map.get(version) ?? []), alias]);
  return map;
}
