// The global GBDT forecaster (this folder's library) as a model family, scope "global": fitted
// once on every series of a dataset, it forecasts any of them (and, averaged over the series'
// codes, one it never saw). Settings: model.gbdt (src/config/gbdt-settings.ts).
//
// What a registry version stores (save()):
//   gbdt_fit.json   the library's fit, plain JSON: the trees of every step model, the feature
//                   spec, and each training series' name, code and scale
//   model.json      state: the series this version serves (its name: its code in the fit) and
//                   its history (lags, rolling windows and its scale are read from it; serving
//                   puts a client's window in place of its last periods)
// A model fitted on all series and not narrowed to one (forSeries) saves with no history: what
// the backtest hands its worker threads.
import type { Config } from "../../config/schema.js";
import { ModelInputError } from "../errors.js";
import { historyFromState, historyState, savedState } from "../history.js";
import type { FitContext, FittedModel, Frequency, ModelFamily, SavedModel, SeriesInput } from "../model.js";
import { ModelFileError } from "../model-file-error.js";
import { checkedModels } from "./fit-check.js";
import { fitGbdtForecaster } from "./fit.js";
import { forecastGbdtForecaster } from "./forecast.js";
import { FEATURE_DEFAULTS } from "./options.js";
import type { GbdtForecasterFit, GbdtForecasterOptions } from "./types.js";
import { GBDT_VARIANTS } from "./variants.js";

export const GBDT_KIND = "gbdt";
const FORMAT_VERSION = 1;
export const GBDT_FIT_FILE = "gbdt_fit.json";
/** Fewest periods a served or fitted series needs besides its shortest lag + 1: a scale from fewer is mostly noise. */
const MIN_PERIODS = 8;

/** The library's options from model.gbdt (and train.seed). */
export function gbdtOptions(config: Config): GbdtForecasterOptions {
  const g = config.model.gbdt;
  return {
    horizon: g.horizon,
    strategy: g.strategy,
    loss: g.loss,
    ...(g.lags.length > 0 ? { lags: g.lags } : {}),
    ...(g.yearly_lag ? {} : { yearlyLag: null }),
    params: {
      learning_rate: g.learning_rate,
      num_leaves: g.num_leaves,
      min_data_in_leaf: g.min_data_in_leaf,
      num_iterations: g.max_rounds,
      early_stopping_round: g.early_stopping_rounds,
    },
    seed: config.train.seed,
    numThreads: g.threads,
  };
}

function gbdtMinHistory(config: Config, frequency: Frequency): number {
  const lags = config.model.gbdt.lags.length > 0 ? config.model.gbdt.lags : FEATURE_DEFAULTS[frequency].lags;
  return Math.max(Math.min(...lags) + 1, MIN_PERIODS);
}

/** The fit's JSON bytes, made once per fit however many series' versions save it. */
const fitBytes = new WeakMap<GbdtForecasterFit, Uint8Array>();
function bytesOf(fit: GbdtForecasterFit): Uint8Array {
  let bytes = fitBytes.get(fit);
  if (!bytes) fitBytes.set(fit, (bytes = new TextEncoder().encode(JSON.stringify(fit))));
  return bytes;
}

class GbdtFittedModel implements FittedModel {
  readonly kind = GBDT_KIND;
  readonly fitStats: Readonly<Record<string, number>>;

  constructor(
    readonly name: string,
    private readonly fit: GbdtForecasterFit,
    readonly history?: SeriesInput,
  ) {
    this.fitStats = { trees: fit.models.reduce((sum, m) => sum + m.trees, 0), training_series: fit.series.length };
  }

  forecast(history: SeriesInput, horizon: number): Float64Array {
    return forecastGbdtForecaster(this.fit, history, horizon);
  }

  forSeries(series: SeriesInput): FittedModel {
    return new GbdtFittedModel(this.name, this.fit, series);
  }

  save(): SavedModel {
    return {
      kind: GBDT_KIND,
      format_version: FORMAT_VERSION,
      state: {
        name: this.name,
        series: this.history?.name ?? null,
        history: this.history ? historyState(this.history) : null,
        fit_file: GBDT_FIT_FILE,
        summary: {
          strategy: this.fit.strategy,
          loss: this.fit.loss,
          horizon: this.fit.horizon,
          training_series: this.fit.series.length,
          trees: this.fitStats.trees,
        },
      },
      files: { [GBDT_FIT_FILE]: bytesOf(this.fit) },
    };
  }

  describe(): string {
    const { strategy, loss, features, series } = this.fit;
    const lags = features.lags.length
      ? `lags ${features.lags[0]}..${features.lags[features.lags.length - 1]}${features.lags.length > 2 ? ` (${features.lags.length})` : ""}`
      : "no lags";
    return `GBDT (${strategy}, ${loss.toUpperCase()}): ${this.fitStats.trees} trees, ${lags}, trained on ${series.length} series`;
  }
}

function parseFit(bytes: Uint8Array | undefined): GbdtForecasterFit {
  if (!bytes) throw new ModelFileError(`${GBDT_FIT_FILE}: file not found (model.json is present, the GBDT's trees are missing); retrain or restore the file`);
  let fit: GbdtForecasterFit;
  try {
    fit = JSON.parse(new TextDecoder().decode(bytes)) as GbdtForecasterFit;
    checkedModels(fit);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof ModelInputError)
      throw new ModelFileError(`${GBDT_FIT_FILE}: the saved GBDT is damaged (${error.message}); retrain it`);
    throw error;
  }
  return fit;
}

/** Each series cut at the held-out start (the library holds out its own periods for early stopping). */
function trainingParts(series: readonly SeriesInput[], context: FitContext): SeriesInput[] {
  const end = context.holdoutStart;
  return series.map((s) => (end === undefined || end >= s.values.length ? s : { ...s, values: s.values.subarray(0, end) }));
}

export const gbdtFamily: ModelFamily = {
  kind: GBDT_KIND,
  label: "GBDT model",
  scope: "global",
  refitOnAllData: true,
  minHistory: gbdtMinHistory,
  checkSeries(series, config, split) {
    const needed = gbdtMinHistory(config, series.frequency);
    if (split.trainEnd < needed) {
      throw new ModelInputError(
        `category "${series.name}": the training part has ${Math.max(split.trainEnd, 0)} periods of ${split.length}, but a ${GBDT_KIND} model needs at least ${needed} (its shortest lag + 1, and ${MIN_PERIODS} for a scale)`,
        `use a longer series, shorter model.gbdt.lags, or smaller data.val_fraction/data.test_fraction (now ${config.data.val_fraction}/${config.data.test_fraction})`,
      );
    }
    const { loss } = config.model.gbdt;
    if (loss === "poisson" || loss === "tweedie") {
      const t = series.values.findIndex((v) => v < 0);
      if (t >= 0)
        throw new ModelInputError(
          `category "${series.name}" has a negative value at period ${t}, but model.gbdt.loss ${loss} needs values ≥ 0`,
          "set model.gbdt.loss=l1 (or l2) for data that can be negative",
        );
    }
  },
  async fit(series, context) {
    const fit = fitGbdtForecaster(trainingParts(series, context), gbdtOptions(context.config));
    return new GbdtFittedModel(context.name ?? GBDT_KIND, fit, series.length === 1 ? trainingParts(series, context)[0] : undefined);
  },
  load(saved) {
    const state = savedState(saved, FORMAT_VERSION);
    const fit = parseFit(saved.files?.[GBDT_FIT_FILE]);
    const name = typeof state.name === "string" && state.name !== "" ? state.name : GBDT_KIND;
    return new GbdtFittedModel(name, fit, state.history === null ? undefined : historyFromState(state.history, GBDT_KIND));
  },
  variants: GBDT_VARIANTS,
};
