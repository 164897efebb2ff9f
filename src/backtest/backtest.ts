// Rolling-origin (walk-forward) evaluation of the network and every baseline, in the
// statsforecast cross_validation sense: for each cutoff, every model is fitted on the
// periods before it only and forecasts the next H periods recursively (each forecast fed
// back as the next input), so one report answers "how wrong is step h, and does the
// network beat the simple methods here?" on several origins instead of one split.
//
// What each model sees for cutoff c (no look-ahead: every read is of series[0 .. c)):
// - refit "every": each model is fitted on series[0 .. c). For the network that is a fresh
//   CNN+LSTM trained like `salescast train` does (same seed, its own chronological
//   train/validation split of series[0 .. c) for early stopping, normalisation from that
//   training part only).
// - refit "once": each model is fitted once on series[0 .. c_first) and reused; at later
//   cutoffs it still reads the observed periods up to c as input (the network its last
//   window_size periods, Holt-Winters its filtered state), like statsforecast refit=False.
// Baselines cost nothing to fit, but they follow the same rule so the comparison is fair.
//
// The network can appear as several variants (variants.ts: "cnn_lstm+calendar" with
// calendar features, "cnn_lstm_direct" predicting the H steps at once); each is fitted by the same
// rules. Coverage is reported for the configured network ("cnn_lstm").
//
// Each row's error is actual − forecast (a residual, in sales units). MASE scales every
// absolute error by the in-sample seasonal naive MAE of the periods before ITS cutoff
// (maseScale(series[0 .. c), season)), then averages: windows with a larger history get the
// scale a user would have computed at that time.
import type { Config } from "../config/schema.js";
import { periodDates } from "../data/calendar.js";
import type { SalesData } from "../data/types.js";
import { CnnLstmModel } from "../engine/model.js";
import { standardBaselines } from "../models/baselines/baselines.js";
import { backtestCutoffs, BacktestError, checkWindowOptions } from "./windows.js";
import { buildCategoryDataset, checkSplit, DatasetError, splitBounds } from "../models/cnn_lstm/dataset.js";
import { backtestInWorkers, backtestThreads, type BacktestJob } from "./parallel.js";
import { countCoverage, mergeCoverage, type BacktestCoverage } from "./coverage.js";
import type { Forecaster } from "../models/forecaster.js";
import { HoltWintersForecaster } from "../models/holt_winters/holt-winters.js";
import { calibrateIntervals, networkPathForecaster, type IntervalCalibration } from "../models/intervals.js";
import { mae, maseScale, rmse, seasonLength, smape, type Frequency } from "../models/metrics.js";
import { NetworkForecaster } from "../models/cnn_lstm/network-forecaster.js";
import { checkTrainingConfig, covariateStats, encoderFor, modelShapeFor, trainSettingsFor } from "../models/cnn_lstm/network-config.js";
import { featureSpecOf, findSeries, loadConfiguredData, seriesCovariates, withCovariates } from "../data/model-data.js";
import { covariatesOf, periodCovariateSource, type CovariateSource } from "../data/features.js";
import { BASE_NETWORK, variantNetworks } from "./variants.js";
import type { BacktestAggregate, BacktestOptions, BacktestReport, BacktestRow, CategoryBacktest } from "./types.js";
import { trainModel } from "../models/cnn_lstm/trainer.js";

export { BacktestError, backtestCutoffs, windowsThatFit, type BacktestWindowOptions } from "./windows.js";
export type { BacktestCoverage } from "./coverage.js";
export { NETWORK_VARIANTS, parseVariants, checkVariants, type NetworkVariant } from "./variants.js";

export type { BacktestAggregate, BacktestOptions, BacktestReport, BacktestRow, CategoryBacktest, RefitMode } from "./types.js";

/** A function that fits one model family on `fitPart`, given its dates. */
type ModelFitter = (fitPart: Float64Array, fitDates: readonly string[]) => Promise<Forecaster[]>;

/**
 * Forecasts the `horizon` periods after `history` by feeding each one-step forecast back
 * as the next observation. Only `history` is read.
 */
export function recursiveForecast(model: Forecaster, history: Float64Array, horizon: number): Float64Array {
  // The network forecasts whole paths itself (direct outputs, features of future dates).
  if (model instanceof NetworkForecaster) return model.forecastPath(history, horizon);
  const n = history.length;
  const buffer = new Float64Array(n + horizon);
  buffer.set(history);
  for (let k = 0; k < horizon; k++) buffer[n + k] = model.predictAt(buffer.subarray(0, n + k + 1), [n + k])[0];
  return buffer.slice(n);
}

/** Fewest periods a network can be trained on with this config (window + H targets before a validation part of H periods). */
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
  throw new BacktestError(`data.val_fraction ${options.valFraction} leaves no training part: use a value below 1.`);
}

/**
 * A network trained on `fitPart` as `salescast train` would, plus its split conformal intervals
 * for `horizon` steps, calibrated on the validation part of `fitPart` (see intervals.ts).
 * `frequency` dates the periods for calendar features; `name` names the forecaster in the rows.
 */
export async function fitCalibratedNetwork(
  config: Config,
  category: string,
  fitPart: Float64Array,
  fitDates: readonly string[],
  horizon: number,
  options: { signal?: AbortSignal; frequency?: Frequency; name?: string; covariates?: readonly Float64Array[] } = {},
): Promise<{ forecaster: NetworkForecaster; intervals: IntervalCalibration }> {
  const { signal, frequency = "D", name = BASE_NETWORK } = options;
  const encoder = encoderFor(config, frequency, networkCovariates(config, fitPart.length, fitDates[0], frequency, options.covariates));
  const dataset = buildCategoryDataset(category, fitPart, fitDates, {
    windowSize: config.data.window_size,
    valFraction: config.data.val_fraction,
    testFraction: 0,
    horizon: config.model.horizon,
    encoder,
  });
  const calendar = encoder ? { encoder, startDate: fitDates[0] } : undefined;
  const model = new CnnLstmModel(modelShapeFor(config), config.train.seed);
  await trainModel(model, dataset.train, dataset.validation, { ...trainSettingsFor(config), signal });
  const intervals = calibrateIntervals({
    series: dataset.series,
    start: dataset.split.trainEnd,
    end: dataset.split.validationEnd,
    horizon,
    levels: config.model.interval_levels,
    forecast: networkPathForecaster(model, dataset.stats, calendar),
    minHistory: config.data.window_size,
    source: "validation",
  });
  return { forecaster: new NetworkForecaster(model, dataset.stats, calendar, 256, name), intervals };
}

/**
 * The covariate source of a network fitted on the first `fitLength` periods: statistics from
 * that history's training part, values of every period (future ones are known in advance).
 */
function networkCovariates(config: Config, fitLength: number, startDate: string, frequency: Frequency, values: readonly Float64Array[] | undefined): CovariateSource | undefined {
  const names = covariatesOf(featureSpecOf(config));
  if (names.length === 0) return undefined;
  if (!values || values.length !== names.length) {
    throw new BacktestError(`model.features.covariates (${names.join(", ")}) are set, but the backtest was given no values for them`);
  }
  const trainEnd = splitBounds(fitLength, config.data.val_fraction, 0).trainEnd;
  return periodCovariateSource(covariateStats(names, values, Math.max(trainEnd, 1)), values, startDate, frequency);
}

/** The baselines of `salescast train` plus Holt-Winters, fitted on `fitPart`. */
export function backtestBaselines(fitPart: Float64Array, season: number, windowSize: number): Forecaster[] {
  return [...standardBaselines(fitPart, season, windowSize), new HoltWintersForecaster(season).fit(fitPart)];
}

/** Backtests one series (values and the ISO date of every period). */
export async function backtestSeries(
  config: Config,
  category: string,
  values: Float64Array,
  dates: readonly string[],
  frequency: Frequency,
  options: BacktestOptions,
): Promise<CategoryBacktest> {
  const started = performance.now();
  checkWindowOptions(options);
  if (dates.length !== values.length) throw new BacktestError(`category "${category}": ${values.length} values but ${dates.length} dates`);
  const season = seasonLength(frequency);
  const windowSize = config.data.window_size;
  const networks = variantNetworks(config, options.variants ?? [], options.horizon);
  const minHistory = Math.max(...networks.map((network) => networkMinHistory(network.config)), windowSize, 3);
  const cutoffs = backtestCutoffs(values.length, options, minHistory, `category "${category}"`);
  // The intervals of the configured network currently in use (refit every: of this cutoff's network).
  let intervals: IntervalCalibration | undefined;
  const coverageParts: BacktestCoverage[][] = [];
  const fitters: ModelFitter[] = [
    ...networks.map((network): ModelFitter => async (fitPart, fitDates) => {
      options.onProgress?.(`${category}: training ${network.name} on ${fitPart.length} periods up to ${fitDates[fitDates.length - 1]}`);
      const fitted = await fitCalibratedNetwork(network.config, category, fitPart, fitDates, options.horizon, {
        signal: options.signal,
        frequency,
        name: network.name,
        covariates: options.covariates,
      });
      if (network.name === BASE_NETWORK) intervals = fitted.intervals;
      return [fitted.forecaster];
    }),
    async (fitPart) => backtestBaselines(fitPart, season, windowSize),
  ];

  // A subset runs only some of the cutoffs (one worker thread per cutoff with refit every);
  // mergeBacktests puts the parts back together.
  const positions = options.cutoffSubset ?? cutoffs.map((_, i) => i);
  for (const position of positions) {
    if (!Number.isInteger(position) || position < 0 || position >= cutoffs.length) {
      throw new RangeError(`cutoff position ${position} is out of range 0..${cutoffs.length - 1}`);
    }
  }
  const rows: BacktestRow[] = [];
  const scales: number[] = [];
  let models: Forecaster[] | undefined;
  for (const position of positions) {
    const cutoff = cutoffs[position];
    const history = values.slice(0, cutoff);
    if (options.refit === "every" || models === undefined) {
      const fitEnd = options.refit === "every" ? cutoff : cutoffs[0];
      models = [];
      for (const fit of fitters) models.push(...(await withDatasetContext(category, () => fit(values.slice(0, fitEnd), dates.slice(0, fitEnd)))));
    }
    scales.push(maseScale(history, season));
    for (const model of models) {
      const forecast = recursiveForecast(model, history, options.horizon);
      if (model.name === BASE_NETWORK && intervals) {
        const points = Array.from(forecast, (value, k) => ({ step: k + 1, actual: values[cutoff + k], forecast: value }));
        coverageParts.push(countCoverage(intervals, points, options.horizon));
      }
      for (let k = 0; k < options.horizon; k++) {
        const actual = values[cutoff + k];
        rows.push({
          category,
          model: model.name,
          cutoff: dates[cutoff - 1],
          step: k + 1,
          date: dates[cutoff + k],
          forecast: forecast[k],
          actual,
          error: actual - forecast[k],
        });
      }
    }
  }
  const cutoffDates = positions.map((position) => dates[cutoffs[position] - 1]);
  const names = models?.map((m) => m.name) ?? [];
  return {
    category,
    frequency,
    refit: options.refit,
    horizon: options.horizon,
    cutoffs: cutoffDates,
    scales,
    models: names,
    rows,
    aggregates: aggregateRows(rows, cutoffDates, scales, names, options.horizon),
    coverage: mergeCoverage(coverageParts),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Joins backtests of the same category over different cutoffs (given oldest first); seconds are summed. */
export function mergeBacktests(parts: readonly CategoryBacktest[]): CategoryBacktest {
  if (parts.length === 0) throw new Error("mergeBacktests needs at least one part");
  const first = parts[0];
  const cutoffs = parts.flatMap((part) => part.cutoffs);
  const scales = parts.flatMap((part) => part.scales);
  const rows = parts.flatMap((part) => part.rows);
  return {
    ...first,
    cutoffs,
    scales,
    rows,
    aggregates: aggregateRows(rows, cutoffs, scales, first.models, first.horizon),
    coverage: mergeCoverage(parts.map((part) => part.coverage)),
    seconds: parts.reduce((sum, part) => sum + part.seconds, 0),
  };
}

/** A constant training slice (nothing to learn) is a data problem of this cutoff: say which. */
async function withDatasetContext<T>(category: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatasetError) throw new BacktestError(`backtest of category "${category}": ${error.message}`);
    throw error;
  }
}

/** RMSE, MAE, sMAPE and MASE per model and step (and over all steps), from the rows of one category. */
export function aggregateRows(rows: readonly BacktestRow[], cutoffs: readonly string[], scales: readonly number[], models: readonly string[], horizon: number): BacktestAggregate[] {
  const scaleOf = new Map(cutoffs.map((cutoff, i) => [cutoff, scales[i]]));
  const out: BacktestAggregate[] = [];
  for (const model of models) {
    const mine = rows.filter((row) => row.model === model);
    const steps: (number | "all")[] = [...Array.from({ length: horizon }, (_, k) => k + 1), "all"];
    for (const step of steps) {
      const selected = step === "all" ? mine : mine.filter((row) => row.step === step);
      if (selected.length === 0) continue;
      const actual = selected.map((row) => row.actual);
      const forecast = selected.map((row) => row.forecast);
      let scaled = 0;
      for (const row of selected) scaled += Math.abs(row.error) / scaleOf.get(row.cutoff)!;
      out.push({
        category: selected[0].category,
        model,
        step,
        n: selected.length,
        rmse: rmse(actual, forecast),
        mae: mae(actual, forecast),
        smape: smape(actual, forecast),
        // A cutoff whose history never changed has scale 0: MASE is then undefined (NaN), as in metrics.ts.
        mase: scaled / selected.length,
      });
    }
  }
  return out;
}


/**
 * Backtests the given categories (all configured ones when undefined) on the configured
 * data. An unknown category throws before any work; with several categories, one too
 * short for the windows is skipped with its reason, a single one throws.
 */
export async function backtest(config: Config, categories: readonly string[] | undefined, options: BacktestOptions, data?: SalesData): Promise<BacktestReport> {
  checkWindowOptions(options);
  checkTrainingConfig(config);
  for (const network of variantNetworks(config, options.variants ?? [], options.horizon)) checkTrainingConfig(network.config);
  const sales = data ? await withCovariates(config, data) : await loadConfiguredData(config);
  const wanted = categories ?? (config.data.available_categories.length ? config.data.available_categories : sales.series.map((s) => s.category));
  const selected = wanted.map((category) => findSeries(sales, category));
  const jobs: BacktestJob[] = selected.map((series) => ({
    config,
    category: series.category,
    values: series.values,
    dates: periodDates(series, sales.frequency),
    frequency: sales.frequency,
    covariates: seriesCovariates(config, sales, series),
  }));
  // With refit every, each cutoff trains its own network: one thread job per cutoff keeps
  // every core busy even for a single category. With refit once, one job per category.
  const split = options.refit === "every" ? options.windows : 1;
  const threads = backtestThreads(jobs.length * split, options.threads);
  const outcomes: (CategoryBacktest | Error)[] = [];
  if (threads > 0) {
    const parts = jobs.flatMap((job) => Array.from({ length: split }, (_, position) => ({ ...job, cutoffSubset: split > 1 ? [position] : undefined })));
    const done = await backtestInWorkers(parts, options, threads);
    for (let j = 0; j < jobs.length; j++) {
      const mine = done.slice(j * split, (j + 1) * split);
      const error = mine.find((part): part is Error => part instanceof Error);
      outcomes.push(error ?? mergeBacktests(mine as CategoryBacktest[]));
    }
  } else {
    for (const job of jobs) {
      try {
        outcomes.push(await backtestSeries(job.config, job.category, job.values, job.dates, job.frequency, { ...options, covariates: job.covariates }));
      } catch (error) {
        outcomes.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
  const report: BacktestReport = { results: [], skipped: [] };
  outcomes.forEach((outcome, i) => {
    if (!(outcome instanceof Error)) report.results.push(outcome);
    else if (outcome instanceof BacktestError && jobs.length > 1) report.skipped.push({ category: jobs[i].category, reason: outcome.message });
    else throw outcome;
  });
  return report;
}
