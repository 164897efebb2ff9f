// Rolling-origin (walk-forward) evaluation of the configured model and every baseline, in the
// statsforecast cross_validation sense: for each cutoff, every model is fitted on the periods
// before it only and forecasts the next H periods, so one report answers "how wrong is step h,
// and does the model beat the simple methods here?" on several origins instead of one split.
// Generic over model families (src/models/): every candidate is fitted and forecast through the
// one model interface and the one fitting pipeline training uses (fitCalibrated).
//
// What each model sees for cutoff c (no look-ahead: every read is of series[0 .. c)):
// - refit "every": each model is fitted on series[0 .. c) as `salescast train` fits it (the
//   network: same seed, its own chronological train/validation split of series[0 .. c) for early
//   stopping, normalisation from that training part only).
// - refit "once": each model is fitted once on series[0 .. c_first) and reused; at later
//   cutoffs it still reads the observed periods up to c as input (the network its last
//   window_size periods, Holt-Winters its filtered state), like statsforecast refit=False.
// Baselines cost nothing to fit, but they follow the same rule so the comparison is fair.
//
// The configured model can appear as several variants (its family's, e.g. the network's
// "cnn_lstm+calendar" and "cnn_lstm_direct"); each is fitted by the same rules. Coverage is
// reported for the configured model, calibrated as training calibrates it.
//
// Each row's error is actual − forecast (a residual, in sales units). MASE scales every
// absolute error by the in-sample seasonal naive MAE of the periods before ITS cutoff
// (maseScale(series[0 .. c), season)), then averages: windows with a larger history get the
// scale a user would have computed at that time.
import type { Config } from "../config/schema.js";
import { periodDates } from "../data/calendar.js";
import { covariatesOf } from "../data/features.js";
import { featureSpecOf, findSeries, loadConfiguredData, seriesCovariates, withCovariates } from "../data/model-data.js";
import { splitBounds } from "../data/split.js";
import type { SalesData } from "../data/types.js";
import { ModelInputError } from "../models/errors.js";
import { fitCalibrated } from "../models/fit-calibrated.js";
import { headOf, type FittedModel, type SeriesInput } from "../models/model.js";
import { seriesInput } from "../models/series-input.js";
import type { IntervalCalibration } from "../models/intervals.js";
import { intervalBounds } from "./interval-bounds.js";
import { mae, maseScale, rmse, seasonLength, smape, type Frequency } from "../models/metrics.js";
import { candidatesFor, checkCandidates, type BacktestCandidate } from "./candidates.js";
import { countCoverage, mergeCoverage, type BacktestCoverage } from "./coverage.js";
import { backtestMinHistory, fitGlobalCandidates, globalFitAt, isGlobal, savedGlobalFits, type GlobalFit, type GlobalSeries } from "./global.js";
import { backtestInWorkers, backtestThreads, type BacktestJob, type BacktestRunOptions } from "./parallel.js";
import type { BacktestAggregate, BacktestOptions, BacktestReport, BacktestRow, CategoryBacktest } from "./types.js";
import { backtestCutoffs, BacktestError, checkWindowOptions } from "./windows.js";

export { BacktestError, backtestCutoffs, windowsThatFit, type BacktestWindowOptions } from "./windows.js";
export type { BacktestCoverage } from "./coverage.js";
export type { BacktestAggregate, BacktestOptions, BacktestReport, BacktestRow, CategoryBacktest, RefitMode } from "./types.js";
export { candidatesFor, checkVariants, parseVariants, type BacktestCandidate } from "./candidates.js";

/** Backtests one series (values and the ISO date of every period). */
export async function backtestSeries(
  config: Config,
  category: string,
  values: Float64Array,
  dates: readonly string[],
  frequency: Frequency,
  options: BacktestOptions & {
    candidates?: readonly BacktestCandidate[];
    /** The global candidates' models at this category's cutoffs (backtest() fits them once per cutoff on every series: global.ts). */
    global?: readonly GlobalFit[];
  },
): Promise<CategoryBacktest> {
  const started = performance.now();
  checkWindowOptions(options);
  if (dates.length !== values.length) throw new BacktestError(`category "${category}": ${values.length} values but ${dates.length} dates`);
  const season = seasonLength(frequency);
  const candidates = options.candidates ?? candidatesFor(config, options.variants ?? [], options.horizon);
  const minHistory = backtestMinHistory(config, candidates, frequency);
  const cutoffs = backtestCutoffs(values.length, options, minHistory, `category "${category}"`);
  const covariateNames = covariatesOf(featureSpecOf(config));
  const columns =
    options.covariates && options.covariates.length === covariateNames.length ? { names: covariateNames, columns: options.covariates } : undefined;
  const series = seriesInput(category, values, dates[0], frequency, columns);

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
  const coverageParts: BacktestCoverage[][] = [];
  // The models in use, and the intervals of the configured one (refit every: this cutoff's).
  let fitted: { models: FittedModel[]; intervals?: IntervalCalibration } | undefined;
  for (const position of positions) {
    const cutoff = cutoffs[position];
    if (options.refit === "every" || fitted === undefined) {
      const fitEnd = options.refit === "every" ? cutoff : cutoffs[0];
      fitted = await fitCandidates(candidates, headOf(series, fitEnd), dates[fitEnd - 1], options, options.global);
    }
    scales.push(maseScale(values.subarray(0, cutoff), season));
    const history = headOf(series, cutoff);
    fitted.models.forEach((model, i) => {
      const forecast = model.forecast(history, options.horizon);
      if (candidates[i].calibrate && fitted!.intervals) {
        const points = Array.from(forecast, (value, k) => ({ step: k + 1, actual: values[cutoff + k], forecast: value }));
        coverageParts.push(countCoverage(fitted!.intervals, points, options.horizon));
      }
      const bounds = candidates[i].calibrate && fitted!.intervals ? intervalBounds(fitted!.intervals, forecast) : undefined;
      for (let k = 0; k < options.horizon; k++) {
        const actual = values[cutoff + k];
        rows.push({
          ...(bounds ? { intervals: bounds[k] } : {}),
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
    });
  }
  const cutoffDates = positions.map((position) => dates[cutoffs[position] - 1]);
  const names = fitted?.models.map((m) => m.name) ?? [];
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

/**
 * Every candidate fitted on `fitPart` by the pipeline training uses; the configured model's
 * intervals calibrated as training calibrates them. Input a family cannot use (a constant
 * training slice, too short a history) is a data problem of this cutoff: said as such.
 */
async function fitCandidates(
  candidates: readonly BacktestCandidate[],
  fitPart: SeriesInput,
  lastDate: string,
  options: BacktestOptions,
  global?: readonly GlobalFit[],
): Promise<{ models: FittedModel[]; intervals?: IntervalCalibration }> {
  const models: FittedModel[] = [];
  let intervals: IntervalCalibration | undefined;
  for (const candidate of candidates) {
    const { config } = candidate;
    // A global candidate was fitted once for this cutoff on every series (global.ts).
    const shared = isGlobal(candidate) ? globalFitAt(global, candidate.name, lastDate) : undefined;
    if (shared) {
      models.push(shared.model);
      if (candidate.calibrate) intervals = shared.intervals;
      continue;
    }
    // The candidates under test take the time (the network trains); the baselines do not.
    if (candidate.report) options.onProgress?.(`${fitPart.name}: training ${candidate.name} on ${fitPart.values.length} periods up to ${lastDate}`);
    try {
      const fit = await fitCalibrated(
        candidate.family,
        fitPart,
        { config, signal: options.signal, name: candidate.name },
        {
          split: splitBounds(fitPart.values.length, config.data.val_fraction, 0),
          ...(candidate.calibrate ? { intervals: { horizon: options.horizon, levels: config.model.interval_levels } } : {}),
        },
      );
      models.push(fit.final);
      if (candidate.calibrate) intervals = fit.intervals;
    } catch (error) {
      if (error instanceof ModelInputError) throw new BacktestError(`backtest of category "${fitPart.name}": ${error.message}`);
      throw error;
    }
  }
  return { models, ...(intervals ? { intervals } : {}) };
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

/** RMSE, MAE, sMAPE and MASE per model and step (and over all steps), from the rows of one category. */
export function aggregateRows(
  rows: readonly BacktestRow[],
  cutoffs: readonly string[],
  scales: readonly number[],
  models: readonly string[],
  horizon: number,
): BacktestAggregate[] {
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
export async function backtest(
  config: Config,
  categories: readonly string[] | undefined,
  options: BacktestRunOptions,
  data?: SalesData,
): Promise<BacktestReport> {
  checkWindowOptions(options);
  const candidates = candidatesFor(config, options.variants ?? [], options.horizon);
  checkCandidates(candidates);
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
  // Global candidates: fitted here once per cutoff on every series of the data, before the categories run.
  const fittedGlobal = candidates.some(isGlobal)
    ? await fitGlobalCandidates(
        config,
        candidates,
        globalSeries(config, sales),
        jobs.map((job) => job.category),
        options,
      )
    : undefined;
  const global = fittedGlobal?.fits;
  // A category whose global model could not be fitted at one of its cutoffs ends with that error.
  const runnable = jobs.filter((job) => !fittedGlobal?.errors.has(job.category));
  // With refit every, each cutoff trains its own network: one thread job per cutoff keeps
  // every core busy even for a single category. With refit once, one job per category.
  const split = options.refit === "every" ? options.windows : 1;
  // options.runJobs (the queue's workers) takes the jobs the threads would, cut the same way.
  const threads = options.runJobs ? 1 : backtestThreads(runnable.length * split, options.threads);
  const ran: (CategoryBacktest | Error)[] = [];
  if (threads > 0) {
    const parts = runnable.flatMap((job) =>
      Array.from({ length: split }, (_, position) => ({
        ...job,
        cutoffSubset: split > 1 ? [position] : undefined,
        ...(global
          ? { global: savedGlobalFits(global.get(job.category) ?? [], split > 1 ? [cutoffDatesOf(global.get(job.category) ?? [])[position]] : undefined) }
          : {}),
      })),
    );
    const done = options.runJobs ? await options.runJobs(parts, options) : await backtestInWorkers(parts, options, threads);
    for (let j = 0; j < runnable.length; j++) {
      const mine = done.slice(j * split, (j + 1) * split);
      const error = mine.find((part): part is Error => part instanceof Error);
      ran.push(error ?? mergeBacktests(mine as CategoryBacktest[]));
    }
  } else {
    for (const job of runnable) {
      try {
        ran.push(
          await backtestSeries(job.config, job.category, job.values, job.dates, job.frequency, {
            ...options,
            covariates: job.covariates,
            global: global?.get(job.category),
          }),
        );
      } catch (error) {
        ran.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
  const outcomes = jobs.map((job) => fittedGlobal?.errors.get(job.category) ?? ran[runnable.indexOf(job)]);
  const report: BacktestReport = { results: [], skipped: [] };
  outcomes.forEach((outcome, i) => {
    if (!(outcome instanceof Error)) report.results.push(outcome);
    else if (outcome instanceof BacktestError && jobs.length > 1) report.skipped.push({ category: jobs[i].category, reason: outcome.message });
    else throw outcome;
  });
  return report;
}

/** Every series of the data as the global candidates fit it (the selected categories and the others). */
function globalSeries(config: Config, sales: SalesData): GlobalSeries[] {
  const names = covariatesOf(featureSpecOf(config));
  return sales.series.map((s) => {
    const columns = seriesCovariates(config, sales, s);
    return {
      input: seriesInput(s.category, s.values, s.start, sales.frequency, columns ? { names, columns } : undefined),
      dates: periodDates(s, sales.frequency),
    };
  });
}

/** A category's cutoff dates (oldest first) from its global fits: position p of its cutoffs is the p-th. */
function cutoffDatesOf(fits: readonly GlobalFit[]): string[] {
  return [...new Set(fits.map((fit) => fit.cutoff))].sort();
}
