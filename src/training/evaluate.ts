// `salescast evaluate --category X`: the registered model of a category, re-evaluated on the
// CURRENT data's validation part (and test part when configured), next to the baselines.
// The network uses the normalisation and window size stored with the model (what the
// forecaster uses in production); the split fractions come from the current configuration.
import type { Config } from "../config/schema.js";
import { periodDates } from "../data/calendar.js";
import type { SalesData } from "../data/types.js";
import { loadCheckpoint } from "../engine/checkpoint.js";
import { localRegistryRoot, servedRegistry, type ModelVersionInfo, type ServedRegistry } from "../registry/index.js";
import { buildCategoryDataset } from "../models/cnn_lstm/dataset.js";
import {
  CalendarEncoder,
  covariatesOf,
  hasFeatures,
  parseCovariateStats,
  parseFeatureSpec,
  periodCovariateSource,
  type CovariateSource,
  type CovariateStats,
  type FeatureSpec,
} from "../data/features.js";
import type { CategorySeries, Frequency } from "../data/types.js";
import { evaluateDataset } from "./evaluation.js";
import type { ForecastMetrics } from "../models/metrics.js";
import { NetworkForecaster } from "../models/cnn_lstm/network-forecaster.js";
import { findSeries, loadConfiguredData } from "../data/model-data.js";

export interface CategoryEvaluation {
  category: string;
  /** The registry version evaluated (the category's champion, else its latest). */
  version: number;
  checkpointDir: string;
  metrics: ForecastMetrics;
  baselines: Record<string, ForecastMetrics>;
  testMetrics?: ForecastMetrics;
  testBaselines?: Record<string, ForecastMetrics>;
  /** Number of validation targets. */
  targets: number;
  /** First and last validation date. */
  from: string;
  to: string;
  /** True when the data file differs from the one the model was trained on (sha256). */
  dataChanged: boolean;
}

/** No model to serve for a category: none registered, or only versions held back (promotion.ts). */
export class NoModelError extends Error {
  constructor(category: string, root: string, heldBack?: ModelVersionInfo) {
    super(
      heldBack
        ? `category "${category}" has no model to serve in ${root}: version ${heldBack.version} is registered but held back (${heldBack.heldBack}). ` +
            `Retrain, or serve it anyway: salescast promote --category ${JSON.stringify(category)} --version ${heldBack.version}.`
        : `no registered model for category "${category}" in ${root}: train it first (salescast train --category ${JSON.stringify(category)}).`,
    );
    this.name = "NoModelError";
  }
}

/** The version a category serves, or a NoModelError that says why there is none. */
export async function servedVersion(registry: ServedRegistry, category: string, root: string, ref?: number | string): Promise<ModelVersionInfo> {
  const version = await registry.resolve(category, ref);
  if (version) return version;
  throw new NoModelError(category, root, ref === undefined ? (await registry.versions(category)).findLast((v) => v.heldBack !== undefined) : undefined);
}

export async function evaluateCategory(
  config: Config,
  category: string,
  options: { data?: SalesData } = {},
): Promise<CategoryEvaluation> {
  const version = await servedVersion(servedRegistry(config), category, localRegistryRoot(config));
  const { model, meta } = await loadCheckpoint(version.dir);

  const data = options.data ?? (await loadConfiguredData(config));
  const series = findSeries(data, category);
  const dates = periodDates(series, data.frequency);
  const dataset = buildCategoryDataset(category, series.values, dates, {
    windowSize: meta.window_size,
    valFraction: config.data.val_fraction,
    testFraction: config.data.test_fraction,
  });
  // A model with calendar features rebuilds its inputs from the spec stored with it.
  const features = parseFeatureSpec(meta.extra?.features);
  const covariates = features ? await covariateSourceOf(config, features, parseCovariateStats(meta.extra?.covariate_stats, features), series, data.frequency, dates[0]) : undefined;
  const calendar = hasFeatures(features) ? { encoder: new CalendarEncoder(features, data.frequency, covariates), startDate: dates[0] } : undefined;
  const network = new NetworkForecaster(model, meta.normalization, calendar);
  const evaluation = evaluateDataset(network, dataset, data.frequency, meta.window_size);
  const { validation, test } = evaluation;
  return {
    category,
    version: version.version,
    checkpointDir: version.dir,
    metrics: validation.metrics,
    baselines: validation.baselines,
    ...(test ? { testMetrics: test.metrics, testBaselines: test.baselines } : {}),
    targets: validation.actual.length,
    from: validation.dates[0],
    to: validation.dates[validation.dates.length - 1],
    dataChanged: meta.data.sha256 !== data.source.sha256,
  };
}

/** The covariate columns the model was trained with, read from the data, with the statistics stored with the model. */
async function covariateSourceOf(
  config: Config,
  features: FeatureSpec,
  stats: CovariateStats[],
  series: CategorySeries,
  frequency: Frequency,
  startDate: string,
): Promise<CovariateSource | undefined> {
  const names = covariatesOf(features);
  if (names.length === 0) return undefined;
  const { loadCovariates, covariatePeriods } = await import("../data/covariates.js");
  const daily = await loadCovariates(config.data, names);
  const values = covariatePeriods(daily, series.category, series.start, series.values.length, frequency, config.data.fill);
  return periodCovariateSource(stats, values, startDate, frequency);
}
