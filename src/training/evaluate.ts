// `salescast evaluate --category X`: the registered model of a category (any kind), re-evaluated
// on the CURRENT data's validation part (and test part when configured), next to the baselines,
// one step ahead. The model forecasts as it is served (the network with the normalisation and
// window stored with it; a statistical model with its stored parameters, its states re-run over
// the current data); the split fractions come from the current configuration. A statistical
// model stored after training was refitted on all the data it was trained with, so where that
// data and these parts overlap, its figures are in-sample.
import type { Config } from "../config/schema.js";
import { covariatesOf } from "../data/features.js";
import { findSeries, loadConfiguredData } from "../data/model-data.js";
import { splitBounds } from "../data/split.js";
import type { CategorySeries, Frequency, SalesData } from "../data/types.js";
import type { ForecastMetrics } from "../models/metrics.js";
import { seriesInput } from "../models/series-input.js";
import { loadVersion } from "../models/version-file.js";
import { localRegistryRoot, servedRegistry, type ModelVersionInfo, type ServedRegistry } from "../registry/index.js";
import { evaluateModel } from "./evaluation.js";

export interface CategoryEvaluation {
  category: string;
  /** The registry version evaluated (the category's champion, else its latest). */
  version: number;
  /** Its model kind. */
  model: string;
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

export async function evaluateCategory(config: Config, category: string, options: { data?: SalesData } = {}): Promise<CategoryEvaluation> {
  const version = await servedVersion(servedRegistry(config), category, localRegistryRoot(config));
  const { meta, model } = await loadVersion(version.dir);

  const data = options.data ?? (await loadConfiguredData(config));
  const series = findSeries(data, category);
  // The covariates the model reads, from the current data (their statistics are stored with it).
  const names = model.inputs?.features ? covariatesOf(model.inputs.features) : [];
  const columns = names.length ? await covariateColumns(config, names, series, data.frequency) : undefined;
  const input = seriesInput(category, series.values, series.start, data.frequency, columns ? { names, columns } : undefined);
  const split = splitBounds(series.values.length, config.data.val_fraction, config.data.test_fraction);
  // The baselines read the window the model was trained with (the moving average's length).
  const evaluation = await evaluateModel(model, input, split, { ...config, data: { ...config.data, window_size: meta.window_size } });
  const { validation, test } = evaluation;
  return {
    category,
    version: version.version,
    model: model.kind,
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

/** The covariate columns of the data file, per period of the category's series. */
async function covariateColumns(config: Config, names: string[], series: CategorySeries, frequency: Frequency): Promise<Float64Array[]> {
  const { loadCovariates, covariatePeriods } = await import("../data/covariates.js");
  const daily = await loadCovariates(config.data, names);
  return covariatePeriods(daily, series.category, series.start, series.values.length, frequency, config.data.fill);
}
