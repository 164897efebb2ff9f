// What a backtest takes and gives back: options, rows, aggregates, one category's result and
// the report over categories. Plain JSON-safe objects: they cross worker threads (parallel.ts).
import type { Frequency } from "../models/metrics.js";
import type { BacktestCoverage } from "./coverage.js";
import type { BacktestWindowOptions } from "./windows.js";

export type RefitMode = "every" | "once";

export interface BacktestOptions extends BacktestWindowOptions {
  refit: RefitMode;
  signal?: AbortSignal;
  /** One line per fit of the configured model and its variants (they take the time). */
  onProgress?: (message: string) => void;
  /**
   * Worker threads for several categories (one category per thread). Default: one per core,
   * at most one per category; 0 = this thread. Only the build has the worker (see parallel.ts).
   */
  threads?: number;
  /** Positions (0 = oldest) of the cutoffs to run; all when omitted. */
  cutoffSubset?: readonly number[];
  /** Variants of the configured model's family next to it (--variants: the network's calendar, direct); none by default. */
  variants?: readonly string[];
  /**
   * backtestSeries only: the series' covariate values per period (model.features.covariates, in
   * that order; same length as the values). They are known in advance, so forecasts read those of
   * the forecast periods; their normalisation comes from each fit's training part only.
   */
  covariates?: readonly Float64Array[];
}

export interface BacktestRow {
  category: string;
  model: string;
  /** ISO date of the last period the model saw. */
  cutoff: string;
  /** Steps ahead, 1..H. */
  step: number;
  /** ISO date of the forecast period. */
  date: string;
  forecast: number;
  actual: number;
  /** actual − forecast. */
  error: number;
  /** Interval bounds by column name ("lo_80", "hi_80", ...): null where the step has no half-width for that level; absent when not calibrated. */
  intervals?: Record<string, number | null>;
}

export interface BacktestAggregate {
  category: string;
  model: string;
  /** 1..H, or "all" for every step together (the mean over steps for MAE, sMAPE and MASE). */
  step: number | "all";
  /** Number of forecasts aggregated (W per step). */
  n: number;
  rmse: number;
  mae: number;
  smape: number;
  mase: number;
}

export interface CategoryBacktest {
  category: string;
  frequency: Frequency;
  refit: RefitMode;
  horizon: number;
  /** Cutoff dates, oldest first. */
  cutoffs: string[];
  /** MASE scale of each cutoff (same order). */
  scales: number[];
  /** Model names, the configured model first. */
  models: string[];
  rows: BacktestRow[];
  aggregates: BacktestAggregate[];
  /**
   * Empirical coverage of the configured model's split conformal intervals (levels
   * config.model.interval_levels) on these windows, per level and step and over all steps.
   */
  coverage: BacktestCoverage[];
  seconds: number;
  /** backtest --auto: the champion of this series' selection windows (row "auto"), why, and the models without a score. */
  auto?: AutoSummary;
}

export interface BacktestReport {
  results: CategoryBacktest[];
  /** Categories of --all that were too short (or unusable), with the reason. */
  skipped: { category: string; reason: string }[];
}

/** What --auto adds to a category's backtest: the champion, why, and the entrants without a score. */
export interface AutoSummary {
  champion: string;
  reason: string;
  selection_cutoffs: string[];
  selection_mase: number | null;
  /** Entrants skipped or failed on this series, with the reason. */
  unscored: { model: string; status: string; reason: string | null }[];
  /**
   * Each scored entrant's fit + forecast seconds on this series (a global model's time per cutoff
   * shared evenly among the series) and the cutoffs they cover (selection + evaluation): the
   * speed the accuracy bench compares per fit.
   */
  model_seconds: { model: string; seconds: number; fits: number }[];
}
