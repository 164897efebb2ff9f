// The data a configured model reads: the sales series plus, when model.features.covariates names
// them, the covariate columns (known in advance: promotions, planned prices). One place for
// every command that trains, backtests, evaluates or predicts from the configured data file.
import type { Config } from "../config/schema.js";
import { covariatePeriods, type CovariateData } from "./covariate-periods.js";
import { covariatesOf, type FeatureSpec } from "./features.js";
import type { CategorySeries, SalesData } from "./types.js";

/** Sales data plus, when model.features.covariates asks for them, the covariate columns. */
export type TrainingData = SalesData & { covariates?: CovariateData };

/** A category the data does not contain; thrown before any work, with the known names. */
export class UnknownCategoryError extends Error {
  constructor(category: string, known: readonly string[]) {
    super(
      `category "${category}" is not in the data. Categories found: ${known.join(", ") || "none"}. ` +
        `Check the spelling, data.available_categories, or data.category_column / data.series_columns.`,
    );
    this.name = "UnknownCategoryError";
  }
}

export function findSeries(data: SalesData, category: string): CategorySeries {
  const series = data.series.find((s) => s.category === category);
  if (!series) throw new UnknownCategoryError(category, data.series.map((s) => s.category));
  return series;
}

/** model.features as a FeatureSpec (the form stored with a model, see features.ts). */
export function featureSpecOf(config: Config): FeatureSpec {
  const { day_of_week, month, holidays, covariates } = config.model.features;
  return { day_of_week, month, holidays: [...holidays], ...(covariates.length ? { covariates: [...covariates] } : {}) };
}

/** Loads the covariate columns into `data` when the configuration needs them and they are not there yet. */
export async function withCovariates(config: Config, data: TrainingData): Promise<TrainingData> {
  const names = covariatesOf(featureSpecOf(config));
  if (names.length === 0 || (data.covariates && data.covariates.names.join("\u0000") === names.join("\u0000"))) return data;
  // Imported here only: it opens DuckDB, which worker threads (given the data) never load.
  const { loadCovariates } = await import("./covariates.js");
  return { ...data, covariates: await loadCovariates(config.data, names) };
}

/** Loads the data file; imported lazily so worker threads (which get the data passed in) never load DuckDB. */
export async function loadConfiguredData(config: Config): Promise<TrainingData> {
  const { loadSales } = await import("./ingest.js");
  return withCovariates(config, await loadSales(config.data));
}

/** Period-aligned covariate values of one series (undefined when the configuration has none). */
export function seriesCovariates(config: Config, data: TrainingData, series: CategorySeries): Float64Array[] | undefined {
  const names = covariatesOf(featureSpecOf(config));
  if (names.length === 0) return undefined;
  if (!data.covariates) throw new Error("model.features.covariates are set but the covariate columns were not loaded (withCovariates)");
  return covariatePeriods(data.covariates, series.category, series.start, series.values.length, data.frequency, config.data.fill);
}
