// What the configuration says about the network's inputs and outputs: the feature channels
// (model.features: calendar and covariates) and the number of periods predicted at once
// (model.horizon). model.input_size is derived from model.features: 1 (the default) means
// "derive it"; any other value must equal the derived one, so a config written for one feature
// set never silently trains another.
import type { Config } from "../config/schema.js";
import { covariatePeriods, type CovariateData } from "../data/covariate-periods.js";
import {
  CalendarEncoder,
  covariatesOf,
  featureChannelNames,
  hasFeatures,
  inputSizeFor,
  type CovariateSource,
  type CovariateStats,
  type FeatureSpec,
} from "../data/features.js";
import type { CategorySeries, Frequency, SalesData } from "../data/types.js";
import { normalizationStats, STD_EPSILON } from "./dataset.js";

/** Sales data plus, when model.features.covariates asks for them, the covariate columns. */
export type TrainingData = SalesData & { covariates?: CovariateData };

export function featureSpecOf(config: Config): FeatureSpec {
  const { day_of_week, month, holidays, covariates } = config.model.features;
  return { day_of_week, month, holidays: [...holidays], ...(covariates.length ? { covariates: [...covariates] } : {}) };
}

/** 1 + the number of feature channels. */
export function effectiveInputSize(config: Config): number {
  return inputSizeFor(featureSpecOf(config));
}

/** Throws a message saying what to set unless model.input_size agrees with model.features. */
export function checkInputSize(config: Config): void {
  const spec = featureSpecOf(config);
  const derived = inputSizeFor(spec);
  const set = config.model.input_size;
  if (set === 1 || set === derived) return;
  const channels = featureChannelNames(spec);
  throw new Error(
    `model.input_size is ${set}, but the inputs are the sales value` +
      (channels.length ? ` plus ${channels.length} feature channel${channels.length === 1 ? "" : "s"} (${channels.join(", ")}) = ${derived}` : ` alone = 1`) +
      `: model.input_size follows from model.features; set model.input_size=${derived} (or leave it at 1) or change model.features.`,
  );
}

/**
 * The feature encoder for this configuration (undefined when no feature is switched on).
 * A configuration with covariates needs their source (covariateSourceFor).
 */
export function encoderFor(config: Config, frequency: Frequency, covariates?: CovariateSource): CalendarEncoder | undefined {
  const spec = featureSpecOf(config);
  if (!hasFeatures(spec)) return undefined;
  if (covariatesOf(spec).length > 0 && !covariates) throw new Error("model.features.covariates are set but no covariate values were loaded");
  return new CalendarEncoder(spec, frequency, covariates);
}

/** Loads the covariate columns into `data` when the configuration needs them and they are not there yet. */
export async function withCovariates(config: Config, data: TrainingData): Promise<TrainingData> {
  const names = covariatesOf(featureSpecOf(config));
  if (names.length === 0 || (data.covariates && data.covariates.names.join("\u0000") === names.join("\u0000"))) return data;
  // Imported here only: it opens DuckDB, which worker threads (given the data) never load.
  const { loadCovariates } = await import("../data/covariates.js");
  return { ...data, covariates: await loadCovariates(config.data, names) };
}

/**
 * Covariate statistics from the training part only (periods [0, trainEnd)): population mean and
 * std + 1e-6, like the sales. A covariate constant over the training part gets std 1 (it carries
 * nothing there; dividing by 1e-6 would blow later values up).
 */
export function covariateStats(names: readonly string[], values: readonly Float64Array[], trainEnd: number): CovariateStats[] {
  return names.map((name, i) => {
    const { mean, std } = normalizationStats(values[i].subarray(0, trainEnd)); // std already + 1e-6
    return { name, mean, std: std - STD_EPSILON > STD_EPSILON ? std : 1 };
  });
}

/** Period-aligned covariate values of one series (undefined when the configuration has none). */
export function seriesCovariates(config: Config, data: TrainingData, series: CategorySeries): Float64Array[] | undefined {
  const names = covariatesOf(featureSpecOf(config));
  if (names.length === 0) return undefined;
  if (!data.covariates) throw new Error("model.features.covariates are set but the covariate columns were not loaded (withCovariates)");
  return covariatePeriods(data.covariates, series.category, series.start, series.values.length, data.frequency, config.data.fill);
}
