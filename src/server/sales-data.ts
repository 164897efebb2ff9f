// The sales data behind GET /api/series and the training routes, loaded once and loaded again
// only when the file changes (its size or modification time), so the dashboard's requests do
// not re-read the CSV each time.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { CovariateData } from "../data/covariate-periods.js";
import type { DataSettings, SalesData } from "../data/types.js";

export type SalesLoader = (settings: DataSettings) => Promise<SalesData>;

/** The data file cannot be read or parsed: a server-side problem, not the caller's. */
export class DataUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataUnavailableError";
  }
}

export class SalesDataCache {
  private cached: { data: SalesData; fingerprint: string } | undefined;
  private loading: { fingerprint: string; promise: Promise<SalesData> } | undefined;
  private covariatesCache: { fingerprint: string; promise: Promise<CovariateData> } | undefined;

  constructor(
    private readonly settings: DataSettings,
    private readonly loader: SalesLoader = defaultLoader,
  ) {}

  async get(): Promise<SalesData> {
    const fingerprint = await this.fingerprint();
    if (this.cached?.fingerprint === fingerprint) return this.cached.data;
    if (this.loading?.fingerprint !== fingerprint) {
      const promise = this.loader(this.settings).then(
        (data) => {
          this.cached = { data, fingerprint };
          return data;
        },
        (error: unknown) => {
          throw new DataUnavailableError(
            `the sales data (${this.settings.csv_path}) could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      );
      const loading = { fingerprint, promise };
      this.loading = loading;
      void promise
        .finally(() => {
          if (this.loading === loading) this.loading = undefined;
        })
        .catch(() => undefined);
    }
    return this.loading!.promise;
  }

  /**
   * The covariate columns `names` of the data file (daily values per category), read once per
   * file version and set of names. Throws the DataError of a missing or non-numeric column.
   */
  async covariates(names: readonly string[]): Promise<CovariateData> {
    const fingerprint = `${await this.fingerprint()}\u0000${names.join("\u0000")}`;
    if (this.covariatesCache?.fingerprint !== fingerprint) {
      // Imported on first use, like the sales loader: it opens DuckDB.
      const promise = import("../data/covariates.js").then(({ loadCovariates }) => loadCovariates(this.settings, names));
      this.covariatesCache = { fingerprint, promise };
      promise.catch(() => {
        if (this.covariatesCache?.promise === promise) this.covariatesCache = undefined;
      });
    }
    return this.covariatesCache.promise;
  }

  /** Category names in the data, without throwing: [] when the file cannot be read. */
  async categoriesOrNone(): Promise<string[]> {
    try {
      return (await this.get()).series.map((s) => s.category);
    } catch {
      return [];
    }
  }

  /** The file's size and modification time: changes when the file does (DataUnavailableError when it cannot be read). */
  async fingerprint(): Promise<string> {
    try {
      const info = await stat(resolve(this.settings.csv_path));
      return `${info.size}:${info.mtimeMs}`;
    } catch (error) {
      throw new DataUnavailableError(
        `the sales data file ${this.settings.csv_path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); ` + `check data.csv_path`,
      );
    }
  }
}

async function defaultLoader(settings: DataSettings): Promise<SalesData> {
  // Imported on first use: DuckDB is only needed once a route asks for the data.
  const { loadSales } = await import("../data/ingest.js");
  return loadSales(settings);
}
