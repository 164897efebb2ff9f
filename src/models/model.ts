// The one shape every model has, in the spirit of statsforecast's models: a family fits a
// series (or, for a global family, all of them) and gives back a fitted model that forecasts h
// periods from any history, names itself, and saves to what a registry version stores. The
// baselines, Holt-Winters, ETS and the CNN+LSTM are all this shape, so training, the
// backtest, the registry and serving handle them by one code path; a kind is named only in
// its own folder and in the families list (families.ts).
import type { Config } from "../config/schema.js";
import type { CovariateStats, FeatureSpec } from "../data/features.js";
import type { SplitBounds } from "../data/split.js";
import type { Backend } from "../engine/backend.js";

export type Frequency = "D" | "W";

/** One series as every model sees it. */
export interface SeriesInput {
  /** The category / series key. */
  name: string;
  /** One value per period, oldest first, gaps filled. */
  values: Float64Array;
  /** ISO date (YYYY-MM-DD) of values[0]. */
  start: string;
  frequency: Frequency;
  /** Known-in-advance covariates per period, by name; may run past values.length (future periods). */
  covariates?: Readonly<Record<string, Float64Array>>;
}

/** What an iterative fit reports while it runs (the network: each batch and each epoch). */
export type FitProgress =
  | { kind: "batch"; epoch: number; maxEpochs: number; batch: number; batches: number; loss: number }
  | { kind: "epoch"; epoch: number; maxEpochs: number; trainLoss: number; valLoss: number; seconds: number; improved: boolean };

export interface FitContext {
  /** The family reads its own settings (model.*, train.*, data.window_size...). */
  config: Config;
  signal?: AbortSignal;
  onProgress?: (event: FitProgress) => void;
  /** Row name of the fitted model (a variant: "cnn_lstm+calendar"); default: the kind. */
  name?: string;
  /**
   * The periods from this index on (of every series given) are held out. A family may use them
   * only to decide when an iterative fit stops (the network's early stopping), never to estimate
   * anything; a family that has no use for them fits on the periods before. Undefined: the
   * family fits on everything (and a family that needs a held-out part takes its own,
   * data.val_fraction of the series).
   */
  holdoutStart?: number;
}

/** How a loaded model runs its engine networks. */
export interface LoadOptions {
  /** The engine backend its networks compute on; default: the engine's choice (engine.backend). */
  backend?: Backend;
}

/** A change of one family's settings the backtest can run beside the configured model ("calendar", "direct"). */
export interface FamilyVariant {
  /** What --variants calls it. */
  readonly name: string;
  /** The name of its rows ("cnn_lstm+calendar"). */
  readonly rowName: string;
  /** Throws a RangeError saying why when the variant would only copy the configured model. */
  check(config: Config, horizon: number): void;
  /** The configuration it is fitted with, for a backtest of `horizon` steps. */
  configure(config: Config, horizon: number): Config;
}

/** A model family: the only place a kind is named is the families list (families.ts). */
export interface ModelFamily {
  /** "naive", "seasonal_naive", "moving_average", "holt_winters", "ets", "cnn_lstm", ... */
  readonly kind: string;
  /** What users call it in messages: "network", "Holt-Winters model", "seasonal naive". */
  readonly label: string;
  /** A column title for narrow tables ("s.naive"); default: the kind. */
  readonly shortLabel?: string;
  /** global: fitted once on all series. */
  readonly scope: "local" | "global";
  /**
   * False: not among the tournament's default candidates, because another kind already chooses
   * it where it fits (croston, sba and tsb: the intermittent kind picks among them by the
   * series' demand pattern); model.auto.candidates may still name it. Default true.
   */
  readonly defaultCandidate?: boolean;
  /**
   * True when fitting is cheap: after the intervals are calibrated on the held-out part, the
   * stored model is fitted again on every period. False (the network): the model fitted with
   * the held-out part is stored (that part chose its epoch; training it again takes minutes).
   */
  readonly refitOnAllData: boolean;
  /** Shortest history this family can fit with this config, for "skipped: too short" messages. */
  minHistory(config: Config, frequency: Frequency): number;
  /** Refuses settings this family cannot fit with, before any work (the network: its memory, its inputs). */
  checkConfig?(config: Config): void;
  /**
   * Throws a ModelInputError saying what to change when `series` cannot be fitted with this
   * config and split (too short, constant where the family needs variation), before any work.
   * Default (checkFitInput): the training part has at least minHistory periods.
   */
  checkSeries?(series: SeriesInput, config: Config, split: SplitBounds): void;
  /** local: series.length === 1. global: all series of the dataset. */
  fit(series: readonly SeriesInput[], context: FitContext): Promise<FittedModel>;
  /** Rebuilds a fitted model from what save() wrote (model.json's `model` part + its files). */
  load(saved: SavedModel, options?: LoadOptions): FittedModel;
  /** Variants the backtest can add beside the configured model (--variants). */
  readonly variants?: readonly FamilyVariant[];
}

/** What a forecast reads besides the history's values, so serving can ask a client for it. */
export interface ForecastInputs {
  /**
   * The calendar features and covariates forecasts read (model.features at training): the date
   * of each period (day of week, month, holidays) and, for every period including the forecast
   * periods, each covariate in SeriesInput.covariates. Undefined: the values alone.
   */
  readonly features?: FeatureSpec;
  /** Training-part mean and std each covariate is z-scored with (stored with the version). */
  readonly covariateStats?: readonly CovariateStats[];
  /**
   * Models that normalise their inputs (the network: z = (x − mean) / std): a value too many std
   * from the mean cannot be forecast from (it would overflow the network's float32 arithmetic).
   */
  readonly scale?: { readonly mean: number; readonly std: number };
  /** Periods the model predicts per step (the network's direct outputs); longer forecasts repeat steps. Default 1. */
  readonly stepSize?: number;
}

export interface FittedModel {
  readonly kind: string;
  /** Row name in backtests and leaderboards (a variant may differ from the kind: "cnn_lstm+calendar"). */
  readonly name: string;
  /**
   * The mean forecast of the `horizon` periods after the end of `history`. Parameters stay as
   * fitted; states are re-run over `history` (the series it was fitted on, a longer one at a
   * later cutoff, or the stored history with a served window in place of its last values).
   * Never reads beyond history (covariates of future periods excepted). Always finite.
   */
  forecast(history: SeriesInput, horizon: number): Float64Array;
  /** The same forecasts for many histories at once, where that is faster (the network: one engine call per step for all). */
  forecastMany?(histories: readonly SeriesInput[], horizon: number): Float64Array[];
  /** What to store: JSON state + binary files (the network's safetensors). */
  save(): SavedModel;
  /** Short human description for leaderboards and the dashboard (e.g. "ETS(M,Ad,M)"). */
  describe(): string;
  /**
   * The series the model was fitted on, kept when its forecasts depend on more than a served
   * window (statistical models re-run their states over the whole history): serving forecasts
   * from it with the window in place of its last values. Undefined: the model reads only the
   * last periods of any history (the network: its window).
   */
  readonly history?: SeriesInput;
  /**
   * A global model (scope "global") narrowed to serve one series: the same fitted model, keeping
   * that series' identity and history, so that save() writes what a registry version of that
   * series needs (the shared fit plus that one history). Local models do not have it.
   */
  forSeries?(series: SeriesInput): FittedModel;
  /** What a forecast reads besides values; default: nothing (no dates, no covariates, one period per step). */
  readonly inputs?: ForecastInputs;
  /** The engine backend its network computes on ("native" or "reference"); undefined for models without a network. */
  readonly backend?: string;
  /** Numbers describing the fit, logged with the run (the network: epochs, best_epoch, best_val_loss). */
  readonly fitStats?: Readonly<Record<string, number>>;
}

export interface SavedModel {
  kind: string;
  format_version: number;
  /** JSON. */
  state: unknown;
  /** File name -> bytes, written beside model.json. */
  files?: Record<string, Uint8Array>;
  /**
   * Fields this kind also writes at the top level of model.json, for readers of the format
   * before model kinds (the network's architecture, shape, normalization and weights: the
   * PyTorch snippet, the ONNX export, salescast 0.x). load() never reads them.
   */
  topLevel?: Record<string, unknown>;
}

/** The periods of a series before `end` (covariates stay whole: they are known in advance). */
export function headOf(series: SeriesInput, end: number): SeriesInput {
  return end >= series.values.length ? series : { ...series, values: series.values.subarray(0, end) };
}

/** The one series a local family fits; a clear error when given several (or none). */
export function onlySeries(kind: string, series: readonly SeriesInput[]): SeriesInput {
  if (series.length !== 1) throw new RangeError(`a ${kind} model is fitted on one series at a time, got ${series.length}`);
  return series[0];
}
