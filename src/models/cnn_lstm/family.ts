// The CNN+LSTM as a model family. Fitting builds the windows of the series (normalised with its
// training part's statistics, calendar and covariate channels as model.features says) and trains
// a fresh network with early stopping on the held-out part; the network fitted that way is the
// one stored (the held-out part chose its epoch, so it is not refitted on all the data).
import type { Config } from "../../config/schema.js";
import { periodDates } from "../../data/calendar.js";
import { covariatesOf, hasFeatures, periodCovariateSource, type CovariateSource, type CovariateStats } from "../../data/features.js";
import { featureSpecOf } from "../../data/model-data.js";
import { splitBounds } from "../../data/split.js";
import { decodeWeights, WEIGHTS_FILE } from "../../engine/checkpoint.js";
import { CnnLstmModel } from "../../engine/model.js";
import { ModelInputError } from "../errors.js";
import { onlySeries, type FitContext, type ModelFamily, type SeriesInput } from "../model.js";
import { ModelFileError } from "../model-file-error.js";
import { buildCategoryDataset, checkSplit, checkWindowSeries } from "./dataset.js";
import { checkTrainingConfig, covariateStats, encoderFor, modelShapeFor, trainSettingsFor } from "./network-config.js";
import { NETWORK_KIND, NetworkModel } from "./network-model.js";
import { networkState } from "./saved.js";
import { trainModel } from "./trainer.js";
import { NETWORK_VARIANTS } from "./variants.js";

/** Fewest periods a network can be trained on with this config: window + H targets before a validation part of H periods. */
export function networkMinHistory(config: Config): number {
  const options = { windowSize: config.data.window_size, valFraction: config.data.val_fraction, testFraction: 0, horizon: config.model.horizon };
  for (let n = options.windowSize + 2; n < 1_000_000; n++) {
    try {
      checkSplit("", splitBounds(n, options.valFraction, 0), options);
      return n;
    } catch {
      // Too short still: try one more period.
    }
  }
  throw new ModelInputError(`data.val_fraction ${options.valFraction} leaves no training part`, "use a value below 1");
}

/** The covariate source of a network fitted with its training part ending at `trainEnd` (statistics from that part only). */
function covariatesFor(config: Config, series: SeriesInput, trainEnd: number): { stats: CovariateStats[]; source?: CovariateSource } {
  const names = covariatesOf(featureSpecOf(config));
  if (names.length === 0) return { stats: [] };
  const values = names.map((name) => series.covariates?.[name]);
  if (values.some((column) => column === undefined)) {
    throw new ModelInputError(
      `model.features.covariates (${names.join(", ")}) are set, but the series "${series.name}" came with no values for them`,
      "load the covariate columns with the series (salescast reads them from the sales file's columns of those names)",
    );
  }
  const columns = values as Float64Array[];
  const stats = covariateStats(names, columns, Math.max(trainEnd, 1));
  return { stats, source: periodCovariateSource(stats, columns, series.start, series.frequency) };
}

async function fitNetwork(series: readonly SeriesInput[], context: FitContext): Promise<NetworkModel> {
  const one = onlySeries(NETWORK_KIND, series);
  const { config } = context;
  const n = one.values.length;
  const trainEnd = context.holdoutStart ?? splitBounds(n, config.data.val_fraction, 0).trainEnd;
  const covariates = covariatesFor(config, one, trainEnd);
  const encoder = encoderFor(config, one.frequency, covariates.source);
  const dataset = buildCategoryDataset(one.name, one.values, periodDates(one, one.frequency), {
    windowSize: config.data.window_size,
    valFraction: config.data.val_fraction,
    testFraction: 0,
    horizon: config.model.horizon,
    encoder,
    split: { trainEnd, validationEnd: n, length: n },
  });
  const network = new CnnLstmModel(modelShapeFor(config), config.train.seed);
  const maxEpochs = config.train.max_epochs;
  const outcome = await trainModel(network, dataset.train, dataset.validation, {
    ...trainSettingsFor(config),
    signal: context.signal,
    onBatch: (report) => context.onProgress?.({ kind: "batch", maxEpochs, ...report }),
    onEpoch: (report) => context.onProgress?.({ kind: "epoch", maxEpochs, ...report }),
  });
  const features = featureSpecOf(config);
  return new NetworkModel(
    context.name ?? NETWORK_KIND,
    { network, stats: dataset.stats, ...(hasFeatures(features) ? { features } : {}), covariateStats: covariates.stats, frequency: one.frequency },
    { fitStats: { epochs: outcome.epochs, best_epoch: outcome.bestEpoch, best_val_loss: outcome.bestValLoss } },
  );
}

export const cnnLstmFamily: ModelFamily = {
  kind: NETWORK_KIND,
  label: "network",
  scope: "local",
  refitOnAllData: false,
  minHistory: (config) => networkMinHistory(config),
  checkConfig: checkTrainingConfig,
  checkSeries(series, config, split) {
    checkWindowSeries(series.name, series.values, periodDates(series, series.frequency), split, {
      windowSize: config.data.window_size,
      valFraction: config.data.val_fraction,
      testFraction: config.data.test_fraction,
      horizon: config.model.horizon,
    });
  },
  fit: fitNetwork,
  load(saved, options = {}) {
    const state = networkState(saved);
    const weights = saved.files?.[WEIGHTS_FILE];
    if (!weights) throw new ModelFileError(`${WEIGHTS_FILE}: file not found (model.json is present, the weights are missing); retrain or restore the file`);
    const network = decodeWeights(weights, WEIGHTS_FILE, state.shape, options.backend);
    return new NetworkModel(NETWORK_KIND, {
      network,
      stats: state.normalization,
      ...(state.features ? { features: state.features } : {}),
      covariateStats: state.covariateStats,
      frequency: state.frequency,
    });
  },
  variants: NETWORK_VARIANTS,
};
