// The models a server answers with: one SalesForecaster per category, loaded on first use and
// replaced when the registry serves another version (a new training, an alias moved), without
// a restart.
//
// Freshness: a request that finds its category's entry older than `refreshMs` asks the registry
// which version it serves now (one small JSON read) and, only when that changed, loads the new
// checkpoint. Requests arriving meanwhile keep using the current forecaster, so a swap never
// stalls traffic. The swap is one reference assignment: a request holds the forecaster it
// started with until it answers, and no request ever sees part of a model.
//
// A category name from a request is only compared with the registry's list of names; it is
// never turned into a path here (the registry maps names to folders).
import type { ModelVersionInfo } from "../registry/index.js";
import { ModelNotFoundError } from "./errors.js";
import { SalesForecaster } from "./sales-forecaster.js";

/** The part of the registry the cache reads (LocalRegistry has it; tests may fake it). */
export interface RegistryReader {
  categories(): Promise<string[]>;
  resolve(category: string): Promise<ModelVersionInfo | undefined>;
}

export interface SwapEvent {
  category: string;
  /** Version served before; undefined on the first load. */
  from?: number;
  to: number;
}

export interface ModelCacheOptions {
  /** A registry answer older than this is checked again on the next request; 0 = every request. */
  refreshMs?: number;
  onSwap?: (event: SwapEvent) => void;
  /** A registry or checkpoint problem while a working model stays in service. */
  onError?: (error: unknown, category: string) => void;
  now?: () => number;
  /** How a registered version becomes a forecaster (tests count loads through it). */
  load?: (info: ModelVersionInfo) => Promise<SalesForecaster>;
}

export const DEFAULT_REFRESH_MS = 1000;

interface Entry {
  forecaster?: SalesForecaster;
  /** Identity of the loaded version: the same key means nothing to load. */
  key?: string;
  checkedAt: number;
  checking?: Promise<void>;
  /** Why the last load failed, thrown to callers while there is no model to fall back on. */
  error?: unknown;
}

export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private readonly refreshMs: number;
  private readonly now: () => number;
  private readonly load: (info: ModelVersionInfo) => Promise<SalesForecaster>;
  private known: { names: string[]; set: Set<string>; checkedAt: number } | undefined;
  private knownChecking: Promise<void> | undefined;

  constructor(
    private readonly registry: RegistryReader,
    private readonly options: ModelCacheOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
    this.now = options.now ?? Date.now;
    this.load = options.load ?? SalesForecaster.fromRegistered;
  }

  /** The forecaster serving `category`; ModelNotFoundError when it has no registered model. */
  async get(category: string): Promise<SalesForecaster> {
    const entry = this.entries.get(category);
    if (entry?.forecaster && this.now() - entry.checkedAt < this.refreshMs) return entry.forecaster;
    return this.revalidate(category);
  }

  /** Every forecaster currently loaded, by category name. */
  loaded(): SalesForecaster[] {
    const out: SalesForecaster[] = [];
    for (const entry of this.entries.values()) if (entry.forecaster) out.push(entry.forecaster);
    return out.sort((a, b) => a.category.localeCompare(b.category));
  }

  /** Category names that have a registered model (as of the last check). */
  async categories(): Promise<string[]> {
    return (await this.knownNames(false)).names;
  }

  /** Loads every registered category now (server start). Failures are reported, not thrown. */
  async warm(): Promise<void> {
    const { names } = await this.knownNames(true);
    await Promise.all(names.map((name) => this.revalidate(name, true).catch((error) => this.options.onError?.(error, name))));
  }

  /** Checks the registry now for `category` (or every category), e.g. right after a training job. */
  async refresh(category?: string): Promise<void> {
    const { names } = await this.knownNames(true);
    const targets = category === undefined ? names : names.filter((name) => name === category);
    await Promise.all(targets.map((name) => this.revalidate(name, true).catch((error) => this.options.onError?.(error, name))));
    if (category === undefined) {
      for (const name of this.entries.keys()) if (!names.includes(name)) this.entries.delete(name);
    }
  }

  private async revalidate(category: string, force = false): Promise<SalesForecaster> {
    const known = await this.knownNames(force);
    if (!known.set.has(category)) {
      this.entries.delete(category); // unregistered since it was loaded
      throw new ModelNotFoundError(category, known.names);
    }
    let entry = this.entries.get(category);
    if (!entry) this.entries.set(category, (entry = { checkedAt: -Infinity }));
    const current = entry;
    if (current.checking) {
      if (current.forecaster && !force) return current.forecaster; // keep answering while someone checks
      await current.checking;
      // A forced check must start after the caller's change (a commit); one already running may predate it.
      if (!force) return answer(current, category, known.names);
    }
    current.checking = this.check(category, current).finally(() => {
      current.checking = undefined;
    });
    await current.checking;
    return answer(current, category, known.names);
  }

  private async check(category: string, entry: Entry): Promise<void> {
    try {
      const info = await this.registry.resolve(category);
      if (!info) {
        entry.forecaster = undefined;
        entry.key = undefined;
        entry.error = undefined;
        return;
      }
      const key = `${info.version}\u0000${info.dir}\u0000${info.createdAt}`;
      if (key !== entry.key) {
        const next = await this.load(info);
        const from = entry.forecaster?.version;
        entry.forecaster = next;
        entry.key = key;
        this.options.onSwap?.({ category, ...(from === undefined ? {} : { from }), to: info.version });
      }
      entry.error = undefined;
    } catch (error) {
      // Keep serving the version we have; without one, callers get this error.
      entry.error = error;
      if (entry.forecaster) this.options.onError?.(error, category);
    } finally {
      entry.checkedAt = this.now();
    }
  }

  private async knownNames(force: boolean): Promise<{ names: string[]; set: Set<string> }> {
    const known = this.known;
    if (known && !force && this.now() - known.checkedAt < this.refreshMs) return known;
    if (this.knownChecking && force) await this.knownChecking.catch(() => undefined);
    if (!this.knownChecking || force) {
      const tracked: Promise<void> = Promise.resolve()
        .then(() => this.registry.categories())
        .then((names) => {
          this.known = { names, set: new Set(names), checkedAt: this.now() };
        })
        .finally(() => {
          if (this.knownChecking === tracked) this.knownChecking = undefined;
        });
      this.knownChecking = tracked;
    }
    try {
      await this.knownChecking;
    } catch (error) {
      if (!this.known) throw error;
      this.options.onError?.(error, "(registry index)");
      this.known.checkedAt = this.now(); // retry after the interval, not on every request
    }
    return this.known!;
  }
}

function answer(entry: Entry, category: string, known: string[]): SalesForecaster {
  if (entry.forecaster) return entry.forecaster;
  if (entry.error !== undefined) throw entry.error;
  throw new ModelNotFoundError(category, known);
}
