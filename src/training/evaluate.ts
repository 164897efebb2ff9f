// `salescast evaluate --category X`: the registered model of a category, re-evaluated on the
// CURRENT data's validation part (and test part when configured), next to the baselines.
// The network uses the normalisation and window size stored with the model (what the
// forecaster uses in production); the split fractions come from the current configuration.
import type { Config } from "../config/schema.js";
import { periodDates } from "../data/calendar.js";
import type { SalesData } from "../data/types.js";
import { loadCheckpoint } from "../engine/checkpoint.js";
import { localRegistryRoot, servedRegistry } from "../registry/index.js";
import { buildCategoryDataset } from "./dataset.js";
import { evaluateDataset } from "./evaluation.js";
import type { ForecastMetrics } from "./metrics.js";
import { NetworkForecaster } from "./network-forecaster.js";
import { findSeries, loadConfiguredData } from "./train-category.js";

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

/** No registered model for a category. */
export class NoModelError extends Error {
  constructor(category: string, root: string) {
    super(`no registered model for category "${category}" in ${root}: train it first (salescast train --category ${JSON.stringify(category)}).`);
    this.name = "NoModelError";
  }
}

export async function evaluateCategory(
  config: Config,
  category: string,
  options: { data?: SalesData } = {},
): Promise<CategoryEvaluation> {
  const version = await servedRegistry(config).resolve(category);
  if (!version) throw new NoModelError(category, localRegistryRoot(config));
  const { model, meta } = await loadCheckpoint(version.dir);

  const data = options.data ?? (await loadConfiguredData(config));
  const series = findSeries(data, category);
  const dataset = buildCategoryDataset(category, series.values, periodDates(series, data.frequency), {
    windowSize: meta.window_size,
    valFraction: config.data.val_fraction,
    testFraction: config.data.test_fraction,
  });
  const network = new NetworkForecaster(model, meta.normalization);
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
