// The registry as the server reads it (issue 18): serving must not depend on the health of the
// registry behind it. With MLflow, every model lookup used to go to the server on the request
// path, so an MLflow that was down or slow made predictions take seconds and read routes answer
// 500, and a server started while it was down served nothing although the models were on disk.
//
// So the server reads a snapshot: which categories exist, each one's versions, and the version
// each serves. Two modes:
//   polled (MLflow): requests read the snapshot only; a background loop asks the registry every
//     `pollMs` (backing off to `maxBackoffMs` while it fails), downloads a new champion there,
//     never on a request. The snapshot is saved to disk after each good poll, so a server
//     started during an outage serves the versions already in the download cache.
//   direct (local files): every lookup reads the registry itself (a small JSON file, which
//     cannot be "down"), as before; only the checks below are added.
// In both, a served version is adopted only once it loads (`check`, the server's own model
// loader): a version whose files fail their checksum or do not load is never served; the
// category keeps the last version that loaded, or, on a fresh start, the newest earlier one
// that loads (`fallbacks` says which and why). The health the server reports (/api/ready,
// /metrics) comes from `health()`.
import { readJsonIfExists, writeJsonAtomic } from "../util/atomic-file.js";
import type { ModelRegistry, ModelVersionInfo, VersionRef } from "./registry.js";

export interface RegistryHealth {
  /** ok: the last look at the registry worked; degraded: serving from the snapshot; unavailable: nothing to serve from. */
  state: "ok" | "degraded" | "unavailable";
  /** Why not ok (the registry's own error message). */
  reason?: string;
  /** When the snapshot was last confirmed by the registry (ms since epoch); undefined = never. */
  lastSuccessAt?: number;
  consecutiveFailures: number;
  /** Seconds since lastSuccessAt; undefined before the first success. */
  stalenessSeconds?: number;
}

/** A category served by an older version than the registry asks for, because that one does not load. */
export interface VersionFallback {
  category: string;
  /** The version the registry serves (the champion), which did not load. */
  wanted: number;
  /** The version served instead; undefined when no version of the category loads. */
  serving?: number;
  reason: string;
}

export class RegistryUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistryUnavailableError";
  }
}

export interface ResilientRegistryOptions {
  mode: "polled" | "direct";
  /** Loads a version the way the server will (throws when its files are corrupt or do not load). */
  check: (info: ModelVersionInfo) => Promise<unknown>;
  /** polled: where the snapshot is kept between runs (JSON). */
  snapshotPath?: string;
  /** polled: time between two looks at the registry while it answers. */
  pollMs?: number;
  /** polled: the longest wait between two looks while it fails (the wait doubles from pollMs). */
  maxBackoffMs?: number;
  /** A failed poll (every one, for logs and metrics). */
  onPollError?: (error: unknown) => void;
  /** A poll that worked after failures. */
  onRecovered?: (downSeconds: number) => void;
  /** A served version refused: logged and counted by the server. */
  onFallback?: (fallback: VersionFallback) => void;
  now?: () => number;
}

interface CategoryEntry {
  /** The version the registry serves (its champion, else its latest not held back). */
  wanted?: ModelVersionInfo;
  /** The version served: wanted, or an older one when wanted does not load. */
  served?: ModelVersionInfo;
  versions: ModelVersionInfo[];
}

interface SnapshotFile {
  format: "salescast-served-registry-1";
  saved_at: number;
  categories: Record<string, CategoryEntry>;
}

const versionKey = (info: ModelVersionInfo) => `${info.category}\u0000${info.version}\u0000${info.dir}\u0000${info.createdAt}`;

export class ResilientRegistry implements ModelRegistry {
  readonly kind: ModelRegistry["kind"];
  private snapshot: Map<string, CategoryEntry> | undefined;
  private lastSuccessAt: number | undefined;
  private failures = 0;
  private lastError: string | undefined;
  private polling: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly maxBackoffMs: number;
  /** Verdicts of `check` by version identity: true loads, a string is why it does not. */
  private readonly verdicts = new Map<string, true | string>();
  /** Per category: the last served version that loaded. */
  private readonly lastGood = new Map<string, ModelVersionInfo>();
  private readonly fallbackByCategory = new Map<string, VersionFallback>();

  constructor(
    readonly inner: ModelRegistry,
    private readonly options: ResilientRegistryOptions,
  ) {
    this.kind = inner.kind;
    this.now = options.now ?? Date.now;
    this.pollMs = options.pollMs ?? 15_000;
    this.maxBackoffMs = Math.max(this.pollMs, options.maxBackoffMs ?? 300_000);
  }

  /**
   * polled: reads the saved snapshot, starts the background loop and waits for its first look
   * at most `waitMs` (a registry that hangs must not keep the server from starting).
   */
  async start(waitMs: number): Promise<void> {
    if (this.options.mode !== "polled") return;
    if (!this.snapshot && this.options.snapshotPath) {
      const saved = await readJsonIfExists<SnapshotFile>(this.options.snapshotPath).catch(() => undefined);
      if (saved?.format === "salescast-served-registry-1" && saved.categories) {
        this.snapshot = new Map(Object.entries(saved.categories));
        for (const [category, entry] of this.snapshot) if (entry.served) this.lastGood.set(category, entry.served);
        this.lastSuccessAt = saved.saved_at;
      }
    }
    const first = this.poll();
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([first, new Promise<void>((resolve) => (timeout = setTimeout(resolve, waitMs)))]);
    clearTimeout(timeout);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  health(): RegistryHealth {
    const stalenessSeconds = this.lastSuccessAt === undefined ? undefined : Math.max(0, (this.now() - this.lastSuccessAt) / 1000);
    const base = { consecutiveFailures: this.failures, ...(this.lastSuccessAt === undefined ? {} : { lastSuccessAt: this.lastSuccessAt, stalenessSeconds }) };
    if (this.options.mode === "direct") return this.failures === 0 ? { state: "ok", ...base } : { state: "degraded", reason: this.lastError, ...base };
    if (!this.snapshot) {
      return { state: "unavailable", reason: this.lastError ?? "the registry has not answered yet", ...base };
    }
    if (this.failures > 0) return { state: "degraded", reason: this.lastError, ...base };
    // A look that hangs (a server that accepts connections and never answers) fails no request.
    if (stalenessSeconds !== undefined && stalenessSeconds * 1000 > 3 * this.pollMs + 60_000) {
      return { state: "degraded", reason: `the registry has not answered for ${Math.round(stalenessSeconds)} s`, ...base };
    }
    return { state: "ok", ...base };
  }

  fallbacks(): VersionFallback[] {
    return [...this.fallbackByCategory.values()].sort((a, b) => a.category.localeCompare(b.category));
  }

  /**
   * One look at the registry now (polled mode; also after a training registered a version):
   * `category` alone, or every category. Concurrent calls share one look.
   */
  async poll(category?: string): Promise<void> {
    if (this.options.mode !== "polled") return;
    while (this.polling) await this.polling.catch(() => undefined);
    const run = this.pollOnce(category);
    this.polling = run;
    try {
      await run;
    } finally {
      this.polling = undefined;
    }
  }

  private async pollOnce(only?: string): Promise<void> {
    clearTimeout(this.timer);
    try {
      const names = only === undefined ? await this.inner.categories() : [only];
      const next = new Map(only === undefined ? [] : (this.snapshot ?? new Map<string, CategoryEntry>()));
      for (const name of names) {
        const versions = await this.inner.versions(name);
        if (versions.length === 0) {
          next.delete(name);
          continue;
        }
        const wanted = await this.inner.resolve(name);
        next.set(name, { versions, wanted, served: wanted && (await this.adopt(name, wanted, versions)) });
      }
      const downFor = this.failures > 0 && this.lastSuccessAt !== undefined ? (this.now() - this.lastSuccessAt) / 1000 : undefined;
      this.snapshot = next;
      this.lastSuccessAt = this.now();
      this.failures = 0;
      this.lastError = undefined;
      if (downFor !== undefined) this.options.onRecovered?.(downFor);
      if (this.options.snapshotPath) {
        const file: SnapshotFile = { format: "salescast-served-registry-1", saved_at: this.lastSuccessAt, categories: Object.fromEntries(next) };
        await writeJsonAtomic(this.options.snapshotPath, file).catch((error) => this.options.onPollError?.(error));
      }
    } catch (error) {
      this.failures++;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.onPollError?.(error);
    } finally {
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const wait = Math.min(this.maxBackoffMs, this.pollMs * 2 ** Math.min(this.failures, 20));
    this.timer = setTimeout(() => void this.poll(), wait);
    this.timer.unref();
  }

  /**
   * The version to serve for `wanted`: itself when it loads; else the last good one of the
   * category, else the newest earlier version (not held back) that loads; undefined when none does.
   */
  private async adopt(category: string, wanted: ModelVersionInfo, versions: ModelVersionInfo[]): Promise<ModelVersionInfo | undefined> {
    const problem = await this.verdict(wanted);
    if (problem === true) {
      this.lastGood.set(category, wanted);
      this.fallbackByCategory.delete(category);
      return wanted;
    }
    let serving = this.lastGood.get(category);
    if (serving === undefined || serving.version === wanted.version) {
      serving = undefined;
      for (const candidate of [...versions].reverse()) {
        if (candidate.version >= wanted.version || candidate.heldBack !== undefined) continue;
        // resolve() makes its files ready (MLflow downloads them) before they are checked.
        const ready = await this.inner.resolve(category, candidate.version).catch(() => undefined);
        if (ready && (await this.verdict(ready)) === true) {
          serving = ready;
          break;
        }
      }
      if (serving) this.lastGood.set(category, serving);
    }
    const fallback: VersionFallback = { category, wanted: wanted.version, ...(serving ? { serving: serving.version } : {}), reason: problem };
    const previous = this.fallbackByCategory.get(category);
    this.fallbackByCategory.set(category, fallback);
    if (previous?.wanted !== fallback.wanted || previous.serving !== fallback.serving) this.options.onFallback?.(fallback);
    return serving;
  }

  private async verdict(info: ModelVersionInfo): Promise<true | string> {
    const key = versionKey(info);
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    let verdict: true | string;
    try {
      await this.options.check(info);
      verdict = true;
    } catch (error) {
      verdict = error instanceof Error ? error.message : String(error);
    }
    this.verdicts.set(key, verdict);
    return verdict;
  }

  private entries(): Map<string, CategoryEntry> {
    if (this.snapshot) return this.snapshot;
    throw new RegistryUnavailableError(
      `the model registry (${this.inner.kind}) has not answered since this server started and no earlier answer is saved: ${this.lastError ?? "no answer yet"}. ` +
        "Predictions start as soon as it answers; check that the tracking server (tracking.uri) is up.",
    );
  }

  async categories(): Promise<string[]> {
    if (this.options.mode === "direct") return this.inner.categories();
    return [...this.entries().keys()].sort();
  }

  async versions(category: string): Promise<ModelVersionInfo[]> {
    if (this.options.mode === "direct") return this.inner.versions(category);
    return this.entries().get(category)?.versions ?? [];
  }

  async resolve(category: string, ref?: VersionRef): Promise<ModelVersionInfo | undefined> {
    if (ref !== undefined) return this.inner.resolve(category, ref);
    if (this.options.mode === "polled") return this.entries().get(category)?.served;
    const wanted = await this.inner.resolve(category);
    if (!wanted) return undefined;
    // The local registry's versions are only read when the served one does not load.
    const problem = await this.verdict(wanted);
    if (problem === true) {
      this.lastGood.set(category, wanted);
      this.fallbackByCategory.delete(category);
      return wanted;
    }
    return this.adopt(category, wanted, await this.inner.versions(category));
  }

  /** The version the registry serves per category (as it says; whether it loads is in fallbacks()). */
  async list(): Promise<ModelVersionInfo[]> {
    if (this.options.mode === "direct") return this.inner.list();
    return [...this.entries().values()].flatMap((entry) => (entry.wanted ? [entry.wanted] : [])).sort((a, b) => a.category.localeCompare(b.category));
  }

  async setAlias(category: string, alias: string, version: number): Promise<void> {
    await this.inner.setAlias(category, alias, version);
    await this.poll(category);
  }

  async removeAlias(category: string, alias: string): Promise<void> {
    await this.inner.removeAlias(category, alias);
    await this.poll(category);
  }
}
