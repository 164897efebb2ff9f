// The global gradient-boosted-tree forecaster's input, options and fitted state.
// Options are camelCase (what a caller writes); the fit is plain JSON with snake_case keys.
import type { GbdtModel, GbdtObjective } from "../../engine/gbdt/index.js";

/** One series as the forecaster sees it (the shape of issue 16's SeriesInput). */
export interface GbdtSeries {
  /** The series key; unique within one fit. */
  name: string;
  /** One value per period, oldest first, gaps filled, finite. */
  values: Float64Array;
  /** ISO date (YYYY-MM-DD) of values[0]. */
  start: string;
  /** "D": a period is a day; "W": a period is 7 days from `start`. */
  frequency: "D" | "W";
  /**
   * Known-in-advance covariates per period, by name (promotions, prices, holidays): index t is
   * the period of values[t]; may run past values.length into the forecast periods. NaN = unknown.
   */
  covariates?: Readonly<Record<string, Float64Array>>;
}

/**
 * recursive: one model of the next period; each forecast is fed back as a lag for the next step.
 * direct: one model per step k = 1..horizon, each seeing only lags ≥ k (nothing fed back).
 */
export type GbdtStrategy = "recursive" | "direct";

/**
 * How each series' target is scaled before training (and scaled back after forecasting), from
 * the history before the cutoff only:
 * - mean_abs: divided by the mean absolute value of the series' last `scaleWindow` periods
 *   (no centring, so non-negative data stays non-negative: works with poisson and tweedie);
 * - standard: (y − mean) / standard deviation (ddof 0) of those periods, as mlforecast's
 *   LocalStandardScaler (l2 and l1 only);
 * - none: the values as they are.
 * A scale of 0 (an all-zero or constant history) is replaced by 1, so nothing is divided by 0.
 */
export type GbdtScaling = "mean_abs" | "standard" | "none";

/** l2 (LightGBM's regression), l1 (regression_l1), poisson, tweedie (log link; data ≥ 0). */
export type GbdtLoss = "l2" | "l1" | "poisson" | "tweedie";

/**
 * Calendar features of the forecast period (known in advance):
 * day_of_week 0 = Monday .. 6 = Sunday (pandas' dayofweek), month 1..12, day_of_year 1..366,
 * week_of_year the ISO week 1..53 (where a yearly peak such as Christmas falls in weekly data).
 */
export type CalendarFeature = "day_of_week" | "month" | "day_of_year" | "week_of_year";
export const CALENDAR_FEATURES: readonly CalendarFeature[] = ["day_of_week", "month", "day_of_year", "week_of_year"];

/** A rolling statistic over `window` periods ending `lag` periods before the target period. */
export interface RollingFeature {
  /** mean, or std (sample standard deviation, ddof 1, as mlforecast's RollingStd; window ≥ 2). */
  stat: "mean" | "std";
  window: number;
  lag: number;
}

/**
 * Which periods of each series become training rows (the target at period t):
 * - any_lag: every t from the shortest lag on (at least one lag known); longer lags and
 *   windows that reach before the series' start are missing (NaN), which the trees route
 *   on a learnt side. Short series still contribute rows, and the trees learn what to do when
 *   a long lag is unknown, as it is for a short series at forecast time.
 * - complete: only periods where every lag and rolling window is known (mlforecast's dropna).
 */
export type GbdtTrainingRows = "any_lag" | "complete";

export interface GbdtForecasterOptions {
  /** Periods forecast after the cutoff: the direct strategy fits one model per step up to it. Required. */
  horizon: number;
  /** Default "recursive" (chosen on the selection windows: docs/models.md). */
  strategy?: GbdtStrategy;
  /** Default "l1" (MASE, the project's measure, is an absolute error; chosen on the selection windows). */
  loss?: GbdtLoss;
  /** Default "mean_abs" (the only one that suits every loss; chosen on the selection windows). */
  scaling?: GbdtScaling;
  /** Periods at the end of the history the scale is computed from; 0 = all of it. Default 0. */
  scaleWindow?: number;
  /** Lags (periods before the target). Default: daily 7..28; weekly 1..8, 13, 26. */
  lags?: number[];
  /**
   * The lag of a year (daily 364: the same weekday; weekly 52), added to `lags` when some
   * training series has at least twice as many periods (a year of rows that know it); null = never.
   */
  yearlyLag?: number | null;
  /** Default: daily means of 7 and 28 days ending at lag 7; weekly means of 4 and 13 weeks ending at lag 1. */
  rolling?: RollingFeature[];
  /** Default: daily day_of_week, month, day_of_year; weekly week_of_year, month. */
  calendar?: CalendarFeature[];
  /** The series' code (its index among the training series, sorted by name) as a feature. Default true. */
  seriesCode?: boolean;
  /** The series' scale (the divisor above; its level for mean_abs) as a feature. Default true. */
  seriesScale?: boolean;
  /** Covariates used as features (the value at the target period). Default: the names every training series has. */
  covariates?: string[];
  /** Default "any_lag". */
  trainingRows?: GbdtTrainingRows;
  /**
   * Rows come only from each series' last `trainingWindow` periods (their lags and windows
   * still read the periods before); 0 = every period. A catalogue of 30,490 daily series has
   * 58 M rows in all: the recent year holds what the forecast needs at a fifth of the cost.
   * Default 0.
   */
  trainingWindow?: number;
  /**
   * The last periods of each series held out for early stopping: default 4 × horizon. A series
   * with fewer than twice as many training rows keeps them all for training. With no held-out
   * row at all, `fixedIterations` trees are grown.
   */
  validationPeriods?: number;
  /** After early stopping, train again on every row (held-out ones too) with the best number of trees. Default true. */
  refit?: boolean;
  /** Trees grown when there is nothing to early-stop on (no validation rows, or earlyStopping false). Default 100. */
  fixedIterations?: number;
  /** Early stopping on the held-out periods. Default true. */
  earlyStopping?: boolean;
  /**
   * Engine parameters (LightGBM's names, src/engine/gbdt/params.ts), over the forecaster's
   * defaults: learning_rate 0.05, num_leaves 31, min_data_in_leaf 20, num_iterations 1000 (the
   * ceiling for early stopping), early_stopping_round 50, metric l1; LightGBM's otherwise.
   */
  params?: Record<string, unknown>;
  /** Seed of every random draw (bagging, feature sampling, the binning sample). Default: the engine's fixed seeds. */
  seed?: number;
  /** Threads of the native learner (1 or 2; 0 = its default). Results do not depend on it. */
  numThreads?: number;
  /** Tree learner: "reference" (TypeScript) or "fast" (native). Default: the engine's active backend. */
  learner?: "reference" | "fast";
  /**
   * Called after each tree is grown (step: the direct model's, null for recursive) with the
   * held-out metric (NaN without early stopping): a long fit's progress, and the curve an
   * estimate of where early stopping will end reads; and the tree's histogram work (rows summed
   * into histograms per training row: what its time follows). Not stored.
   */
  onIteration?: (step: number | null, iteration: number, validMetric: number, histogramWork: number) => void;
  /** Called once a model's training rows are built, before its trees (the row count): a long fit's progress. Not stored. */
  onTrainingRows?: (step: number | null, rows: number) => void;
}

/** What the features are, resolved at fit time (stored in the fit). */
export interface GbdtFeatureSpec {
  frequency: "D" | "W";
  /** Lags of the recursive model, and the base lags of the direct models (step k keeps those ≥ k, plus k). */
  lags: number[];
  rolling: RollingFeature[];
  calendar: CalendarFeature[];
  series_code: boolean;
  series_scale: boolean;
  covariates: string[];
  /** Features the options asked for that the history did not allow, with the reason. */
  dropped: { feature: string; reason: string }[];
}

/** One trained model: the recursive one (step null) or the direct model of one step. */
export interface GbdtStepModel {
  step: number | null;
  /** Lags and windows this model reads (direct: relative to its target period, all ≥ step). */
  lags: number[];
  rolling: RollingFeature[];
  feature_names: string[];
  /** The trees (the engine's JSON form, gbdtToJson); null when every training label was the same. */
  gbdt: GbdtModel | null;
  /** The scaled value forecast when `gbdt` is null (a constant target: all-zero or constant data). */
  constant: number | null;
  train_rows: number;
  valid_rows: number;
  /** Trees kept, and how the number was found. */
  trees: number;
  stopped_by: "early_stopping" | "num_iterations" | "no_split" | "fixed" | "constant";
}

/** A series the forecaster was trained on: its code feature and the scaling of its training history. */
export interface GbdtTrainedSeries {
  name: string;
  code: number;
  /** Periods of history at the fit. */
  periods: number;
  center: number;
  scale: number;
}

export const GBDT_FORECASTER_FORMAT_VERSION = 1;

export interface GbdtForecasterFit {
  family: "gbdt";
  format_version: typeof GBDT_FORECASTER_FORMAT_VERSION;
  frequency: "D" | "W";
  horizon: number;
  strategy: GbdtStrategy;
  loss: GbdtLoss;
  /** The engine's objective name the loss maps to. */
  objective: GbdtObjective;
  scaling: GbdtScaling;
  scale_window: number;
  training_rows: GbdtTrainingRows;
  features: GbdtFeatureSpec;
  series: GbdtTrainedSeries[];
  models: GbdtStepModel[];
}
