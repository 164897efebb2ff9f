// One catalogue forecast, from a cutoff: the global GBDT fitted on the bottom series (every one
// at once, or one fit per value of catalogue.group_by), forecasting `horizon` days of each; a
// fast local model (catalogue.aggregate_model) on each aggregate series when the reconciliation
// reads them; then every level made to add up (catalogue.reconcile).
//
// The common calendar: period p of the catalogue matrix; `end` periods are kept (the history up
// to the cutoff), the forecast covers end .. end + horizon − 1. A bottom series keeps its own
// calendar from its first period (no zeros invented before it started selling) and counts 0
// after it stopped; a series that had not started by the cutoff is forecast 0 and not fitted on.
// Each series' history is cut to its last catalogue.training_days + the longest lag reach, so
// rows, scales and memory stay those of the recent period.
import type { Config } from "../../config/schema.js";
import { covariatePeriods } from "../../data/covariate-periods.js";
import { isoFromEpochDay } from "../../data/dates.js";
import type { FutureCovariates } from "../../data/future-covariates.js";
import { covariatesOf } from "../../data/features.js";
import { featureSpecOf, type TrainingData } from "../../data/model-data.js";
import { ModelInputError } from "../../models/errors.js";
import { gbdtOptions } from "../../models/gbdt/family.js";
import { fitGbdtForecaster } from "../../models/gbdt/fit.js";
import { forecastGbdtForecaster } from "../../models/gbdt/forecast.js";
import { FEATURE_DEFAULTS, FORECASTER_PARAMS } from "../../models/gbdt/options.js";
import type { GbdtForecasterFit, GbdtForecasterOptions, GbdtSeries } from "../../models/gbdt/types.js";
import { reconcile } from "../../models/reconcile/index.js";
import { aggregateWorkUnits, forecastAggregates, type LevelChoice } from "./aggregate-forecasts.js";
import { RESIDUAL_METHODS, writeGbdtErrors } from "./residuals.js";
import { catalogueRows, columnValues, type CatalogueRows } from "./catalogue-rows.js";
import { checkFitMemory, fitBytes } from "./memory.js";

export interface CatalogueProgress {
  /** "fit" (a GBDT group), "forecast" (bottom series), "aggregates" (their base models), "reconcile", "write" (train.ts: the version). */
  stage: "fit" | "forecast" | "aggregates" | "reconcile" | "write";
  done: number;
  total: number;
  /** What is being done, for a log line. */
  text: string;
  /** The pass's work ahead, with its first event (progress-estimate.ts prices it). */
  plan?: CataloguePlan;
  /** Within stages "fit" and "forecast": the part of group `group` under way and its own count. */
  part?: CatalogueGroupPart;
}

/** The work of one forecastCatalogue pass, in the units progress-estimate.ts prices. */
export interface CataloguePlan {
  /** Series fitted in each GBDT group, in fitting order (each group then forecasts its series). */
  groups: number[];
  /** GBDT models per group: 1 recursive, horizon direct. */
  models: number;
  /** Most trees a model grows, and early stopping's patience (rounds without a better held-out metric). */
  maxTrees: number;
  patience: number;
  /** Early stopping's least improvement that counts, relative to the best metric (catalogue.early_stopping_min_delta). */
  minDelta: number;
  /** Aggregate series given base forecasts (0 with bottom_up), and every level's series (reconciled). */
  aggregates: number;
  rows: number;
}

/**
 * The part of a group's work under way: its series cut and their covariates read ("series",
 * done = series), the training rows built ("rows", no count), the trees ("trees", done = trees
 * grown over all its models, `metric` the held-out metric of the last one, `work` the mean
 * histogram work of the trees since the last event), its series forecast ("forecast", done =
 * series).
 */
export interface CatalogueGroupPart {
  group: number;
  kind: "series" | "rows" | "trees" | "forecast";
  done: number;
  metric?: number;
  /** Rows summed into histograms per training row, per tree (engine/gbdt/tree.ts, histogramRows): what a tree's time follows. */
  work?: number;
}

export interface CatalogueForecastOptions {
  /** Periods of the common calendar kept as history (default: all of them). */
  end?: number;
  onProgress?: (event: CatalogueProgress) => void;
  signal?: AbortSignal;
  /** Planned covariates of the forecast days (catalogue.future_covariates), read by readCataloguePlan. */
  plan?: FutureCovariates;
  /** Fits the GBDT groups elsewhere (queue.url: src/queue/catalogue-jobs.ts); in this process, one after another, without it. */
  runGroups?: CatalogueGroupRunner;
}

export interface CatalogueForecast {
  rows: CatalogueRows;
  horizon: number;
  /** ISO date of the first forecast day. */
  firstDate: string;
  /** n × horizon base forecasts (GBDT for bottom rows, aggregate_model for aggregate rows). */
  base: Float64Array;
  /** n × horizon reconciled forecasts: every aggregate the sum of its bottom series. */
  forecasts: Float64Array;
  /** n × horizon in-sample errors of every row (wls_var and mint_shrink only; residuals.ts). */
  residuals?: Float64Array;
  /** The local model of each aggregate level (none with bottom_up, which reads no aggregate forecast). */
  aggregateModels: LevelChoice[];
  /** The GBDT fits, one per group (the catalogue's model). */
  fits: { group: string | null; series: number; fit: GbdtForecasterFit }[];
  seconds: { fit: number; forecast: number; aggregates: number; reconcile: number };
}

/** The GBDT options of a catalogue fit: model.gbdt's learning settings, the catalogue's horizon, strategy, loss and row window. */
export function catalogueGbdtOptions(config: Config): GbdtForecasterOptions {
  const c = config.catalogue;
  const names = covariatesOf(featureSpecOf(config));
  const base = gbdtOptions(config);
  return {
    ...base,
    // Early stopping measured in the loss's own metric (LightGBM's default), not model.gbdt's L1:
    // on intermittent items the L1-best prediction is near 0, so L1 stopped a Tweedie fit after
    // 25 trees on the full demo catalogue.
    // A tree must beat the best by more than early_stopping_min_delta of it to count: at 0 the
    // Tweedie curve keeps setting tiny new bests and every fit ran to max_rounds.
    params: {
      ...base.params,
      num_iterations: c.max_rounds,
      learning_rate: c.learning_rate,
      metric: c.loss,
      early_stopping_min_relative_delta: c.early_stopping_min_delta,
    },
    horizon: c.horizon,
    strategy: c.strategy,
    loss: c.loss,
    scaling: c.scaling,
    trainingWindow: c.training_days,
    // Early stopping picks the trees; training again on every row would double the time at catalogue scale.
    refit: false,
    // Without early stopping no day is held out: every row is trained on, built once.
    earlyStopping: c.early_stopping,
    ...(c.early_stopping ? {} : { validationPeriods: 0 }),
    // Without held-out rows (early_stopping off, short series) max_rounds trees are grown.
    fixedIterations: c.max_rounds,
    ...(names.length ? { covariates: names } : {}),
  };
}

/** Periods before a target its features read: the longest lag (a year with yearly_lag) and the default windows' reach. */
function lagReach(config: Config): number {
  const lags = config.model.gbdt.lags.length > 0 ? config.model.gbdt.lags : FEATURE_DEFAULTS.D.lags;
  const longest = Math.max(...lags, config.model.gbdt.yearly_lag ? FEATURE_DEFAULTS.D.yearlyLag : 0);
  return Math.max(longest, 35) + config.catalogue.horizon;
}

export function checkCatalogueData(config: Config, data: TrainingData): asserts data is TrainingData & { catalogue: NonNullable<TrainingData["catalogue"]> } {
  if (!data.catalogue) {
    throw new ModelInputError(
      "train --catalogue needs a catalogue: data.series_key names the columns that together name a series",
      "set data.series_key (e.g. [store_id, item_id]) and data.hierarchy (e.g. [[], [store_id], [store_id, item_id]]); README, Catalogues",
    );
  }
  if (!data.catalogue.hierarchy || data.catalogue.hierarchy.levels.every((level) => level.bottom)) {
    throw new ModelInputError(
      "train --catalogue needs aggregation levels above the series: data.hierarchy has none",
      "set data.hierarchy, e.g. [[], [store_id], [store_id, item_id]] ([] = the total)",
    );
  }
  if (data.frequency !== "D") throw new ModelInputError("train --catalogue forecasts daily catalogues; this data is weekly", "set data.frequency=D");
}

/** Fits and forecasts the catalogue of `data` from period `options.end` (see the top of the file). */
export async function forecastCatalogue(config: Config, data: TrainingData, options: CatalogueForecastOptions = {}): Promise<CatalogueForecast> {
  checkCatalogueData(config, data);
  const catalogue = data.catalogue;
  const matrix = catalogue.matrix;
  const T = matrix.periods;
  const end = options.end ?? T;
  const h = config.catalogue.horizon;
  if (!Number.isInteger(end) || end < 2 || end > T) throw new ModelInputError(`the cutoff keeps ${end} periods of ${T}`, "keep at least 2 periods");
  const rows = catalogueRows(
    catalogue,
    data.series.map((s) => s.category),
  );
  const nb = data.series.length;
  const na = rows.structure.aggregates.length;
  const n = na + nb;
  const report = options.onProgress ?? (() => undefined);
  const aborted = () => {
    if (options.signal?.aborted) throw new Error("interrupted: the catalogue training stopped");
  };

  // Groups of bottom series fitted together.
  const groupBy = config.catalogue.group_by;
  let groupOf: string[] | undefined;
  if (groupBy !== null) {
    groupOf = columnValues(catalogue, groupBy);
    if (!groupOf) {
      throw new ModelInputError(
        `catalogue.group_by is "${groupBy}", not a column of the catalogue (known: ${[...catalogue.keyColumns, ...catalogue.attributeColumns].join(", ")})`,
        "use a column of data.series_key or data.hierarchy, or null for one model of every series",
      );
    }
  }
  const groups = new Map<string | null, number[]>();
  for (let b = 0; b < nb; b++) {
    if (matrix.firstPeriod[b] >= end) continue; // not selling yet at the cutoff: forecast 0
    const key = groupOf ? groupOf[b] : null;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(b);
  }

  // History cut to the recent period the rows come from.
  const days = config.catalogue.training_days;
  const keep = days > 0 ? days + lagReach(config) : Number.POSITIVE_INFINITY;
  const names = covariatesOf(featureSpecOf(config));
  const gbdt = catalogueGbdtOptions(config);
  const minLag = Math.min(...(gbdt.lags ?? FEATURE_DEFAULTS.D.lags));
  const covariateData = data.covariates;
  if (names.length > 0 && !covariateData) throw new ModelInputError("model.features.covariates are set but were not loaded with the data");
  const seriesOf = (b: number): GbdtSeries => {
    const first = Math.max(matrix.firstPeriod[b], end - keep);
    const start = isoFromEpochDay(matrix.firstDay + first * matrix.step);
    const length = end - first;
    const name = data.series[b].category;
    const covariates =
      names.length > 0
        ? Object.fromEntries(
            covariatePeriods(covariateData!, name, start, length + h, "D", config.data.fill).map((values, i) => [
              names[i],
              planned(carriedPastFile(values, first), first, name, names[i]),
            ]),
          )
        : undefined;
    return { name, values: matrix.values.subarray(b * T + first, b * T + end), start, frequency: "D", ...(covariates ? { covariates } : {}) };
  };

  // Days after the file's last one have no covariate rows: each value holds its last one (a
  // price stays, as a plan would say; a flag set on the last day stays set). Without this they
  // would read as 0, a price of 0 the trees never saw, and the forecasts would collapse.
  const fileEnd = covariateData?.bySeries ? covariateData.bySeries.firstDay + covariateData.bySeries.days : matrix.firstDay + T * matrix.step;
  function carriedPastFile(values: Float64Array, first: number): Float64Array {
    const firstDay = matrix.firstDay + first * matrix.step;
    const lastKnown = Math.min(values.length, fileEnd - firstDay) - 1;
    for (let t = lastKnown + 1; t < values.length && lastKnown >= 0; t++) values[t] = values[lastKnown];
    return values;
  }

  // Days after the file's last one that the plan gives: its values, not the carried ones.
  function planned(values: Float64Array, first: number, series: string, covariate: string): Float64Array {
    const plan = options.plan;
    const k = plan ? plan.names.indexOf(covariate) : -1;
    if (!plan || k < 0) return values;
    const row = plan.values.get(series)?.[k];
    const firstDay = matrix.firstDay + first * matrix.step;
    for (let t = Math.max(0, fileEnd - firstDay); t < values.length && row; t++) {
      const d = firstDay + t - plan.firstDay;
      if (d >= 0 && d < plan.days) values[t] = row[d];
    }
    return values;
  }

  // Memory, before any work: the largest group's rows.
  let largest = { rows: 0, features: 0, bytes: 0 };
  const features = (gbdt.lags ?? FEATURE_DEFAULTS.D.lags).length + 1 + 2 + 3 + 2 + names.length;
  for (const members of groups.values()) {
    let rowCount = 0;
    let history = 0;
    for (const b of members) {
      const length = end - Math.max(matrix.firstPeriod[b], end - keep);
      history += length;
      rowCount += Math.max(0, Math.min(length, days > 0 ? days : length) - minLag);
    }
    const bytes = fitBytes(rowCount, features, history, (history + h * members.length) * names.length);
    if (bytes > largest.bytes) largest = { rows: rowCount, features, bytes };
  }
  checkFitMemory(config, largest, nb);

  const base = new Float64Array(n * h);
  // wls_var and mint_shrink weigh the levels by their errors: every row's in-sample errors over
  // the last h days before the cutoff (residuals.ts says why these).
  const method = config.catalogue.reconcile;
  const residuals = RESIDUAL_METHODS.has(method) ? new Float64Array(n * h) : undefined;
  const fits: CatalogueForecast["fits"] = [];
  const seconds = { fit: 0, forecast: 0, aggregates: 0, reconcile: 0 };
  let groupDone = 0;
  const models = config.catalogue.strategy === "direct" ? h : 1;
  const plan: CataloguePlan = {
    groups: [...groups.values()].map((members) => members.length),
    models,
    maxTrees: config.catalogue.max_rounds,
    // Patience 0: no early stopping, max_rounds trees (progress-curve.ts reads it so).
    patience: config.catalogue.early_stopping ? Number(gbdt.params?.early_stopping_round ?? FORECASTER_PARAMS.early_stopping_round) : 0,
    minDelta: config.catalogue.early_stopping_min_delta,
    aggregates: method !== "bottom_up" ? aggregateWorkUnits(config, na) : 0,
    rows: n,
  };
  // A few events a second at most: a fit cuts thousands of series.
  const often = throttle();
  const entries = [...groups];
  const labelOf = (group: string | null, members: number[]) => `the GBDT on ${members.length} series${group === null ? "" : ` of ${groupBy} ${group}`}`;
  // A group's own events (fitCatalogueGroup) as the pass's: counts over every group and series.
  let forecastBefore = 0;
  const groupEvent = (g: number, event: CatalogueGroupEvent): CatalogueProgress => {
    const part = {
      group: g,
      kind: event.kind,
      done: event.done,
      ...(event.metric !== undefined ? { metric: event.metric } : {}),
      ...(event.work !== undefined ? { work: event.work } : {}),
    };
    if (event.stage === "forecast") return { stage: "forecast", done: forecastBefore + event.done, total: nb, text: event.text, part };
    return { stage: "fit", done: g + (event.fitted ? 1 : 0), total: groups.size, text: event.text, part };
  };
  const readSeries = (g: number, what: string, members: number[]) => {
    report({ ...groupEvent(g, { stage: "fit", kind: "series", done: 0, text: `reading the series for ${what}` }), ...(g === 0 ? { plan } : {}) });
    return members.map((b, i) => {
      if (often(false)) report(groupEvent(g, { stage: "fit", kind: "series", done: i, text: `reading the series for ${what}` }));
      return seriesOf(b);
    });
  };
  const keepGroup = (g: number, members: number[], result: CatalogueGroupFit) => {
    fits.push({ group: entries[g][0], series: members.length, fit: result.fit });
    members.forEach((b, i) => {
      base.set(result.base.subarray(i * h, (i + 1) * h), (na + b) * h);
      if (residuals && result.residuals) residuals.set(result.residuals.subarray(i * h, (i + 1) * h), (na + b) * h);
    });
    seconds.fit += result.seconds.fit;
    seconds.forecast += result.seconds.forecast;
    forecastBefore += members.length;
    groupDone++;
  };
  if (options.runGroups && entries.length > 0) {
    // Elsewhere (the queue's workers, src/queue/catalogue-jobs.ts): every group's series first, then the fits at once.
    const work = entries.map(([group, members], g) => ({ group, what: labelOf(group, members), series: readSeries(g, labelOf(group, members), members) }));
    aborted();
    const before: number[] = [];
    let total = 0;
    for (const [, members] of entries) before.push((total += members.length) - members.length);
    const results = await options.runGroups(config, work, residuals !== undefined, (g, event) => {
      const saved = forecastBefore;
      forecastBefore = before[g];
      report(groupEvent(g, event));
      forecastBefore = saved;
    });
    results.forEach((result, g) => keepGroup(g, entries[g][1], result));
  }
  for (const [g, [group, members]] of options.runGroups ? [] : entries.entries()) {
    aborted();
    const what = labelOf(group, members);
    const series = readSeries(g, what, members);
    keepGroup(
      g,
      members,
      fitCatalogueGroup(config, series, what, residuals !== undefined, (event) => report(groupEvent(g, event))),
    );
  }
  report({
    stage: "forecast",
    done: nb,
    total: nb,
    text: "forecast the bottom series",
    ...(groupDone > 0 ? { part: { group: groupDone - 1, kind: "forecast" as const, done: plan.groups[groupDone - 1] } } : {}),
  });

  // Aggregates' own forecasts: only what the reconciliation reads.
  let started = performance.now();
  let aggregateModels: LevelChoice[] = [];
  if (method !== "bottom_up" && na > 0) {
    report({ stage: "aggregates", done: 0, total: aggregateWorkUnits(config, na), text: "the aggregate series' base models" });
    aggregateModels = await forecastAggregates(config, catalogue, rows, end, h, {
      base,
      residuals,
      aborted,
      onProgress: (done, total, text) => report({ stage: "aggregates", done, total, text }),
    });
  }
  seconds.aggregates = (performance.now() - started) / 1000;

  started = performance.now();
  report({ stage: "reconcile", done: 0, total: 1, text: `reconciling (${method})` });
  const forecasts = reconcile(rows.structure, base, h, { method, residuals }).forecasts;
  seconds.reconcile = (performance.now() - started) / 1000;
  report({ stage: "reconcile", done: 1, total: 1, text: `reconciled (${method})` });
  return {
    rows,
    horizon: h,
    firstDate: isoFromEpochDay(matrix.firstDay + end * matrix.step),
    base,
    forecasts,
    ...(residuals ? { residuals } : {}),
    aggregateModels,
    fits,
    seconds,
  };
}

/** True at most every 250 ms (or when forced: the time counts from then): a few progress events a second. */
function throttle(): (force: boolean) => boolean {
  let reported = 0;
  return (force) => {
    const now = performance.now();
    if (!force && now - reported < 250) return false;
    reported = now;
    return true;
  };
}

/** An event of one group's fit and forecast (fitCatalogueGroup); the pass makes it a CatalogueProgress. */
export interface CatalogueGroupEvent {
  stage: "fit" | "forecast";
  kind: CatalogueGroupPart["kind"];
  done: number;
  metric?: number;
  work?: number;
  text: string;
  /** The group's fit is done (its last tree count). */
  fitted?: boolean;
}

/** What one group gives the catalogue: plain data (it crosses to the submitter from a queue's worker). */
export interface CatalogueGroupFit {
  fit: GbdtForecasterFit;
  /** members × horizon base forecasts, in the order of the group's series. */
  base: Float64Array;
  /** members × horizon in-sample errors (residuals.ts), when the reconciliation reads them. */
  residuals?: Float64Array;
  seconds: { fit: number; forecast: number };
}

/** A group of bottom series to fit together: its series cut to the cutoff (and covariates over the horizon). */
export interface CatalogueGroupWork {
  group: string | null;
  /** "the GBDT on 12 series of store_id CA_1", for the progress lines. */
  what: string;
  series: GbdtSeries[];
}

/** Fits the groups elsewhere (the queue's workers), results in the order of `groups`; forecastCatalogue calls fitCatalogueGroup in order without it. */
export type CatalogueGroupRunner = (
  config: Config,
  groups: CatalogueGroupWork[],
  withResiduals: boolean,
  onEvent: (group: number, event: CatalogueGroupEvent) => void,
) => Promise<CatalogueGroupFit[]>;

/**
 * One group's GBDT fitted on its series, and each of them forecast (and its in-sample errors
 * with `withResiduals`): the same whether it runs in forecastCatalogue's loop or on a queue's
 * worker, so a distributed catalogue forecasts the same, bit for bit.
 */
export function fitCatalogueGroup(
  config: Config,
  series: GbdtSeries[],
  what: string,
  withResiduals: boolean,
  onEvent: (event: CatalogueGroupEvent) => void = () => undefined,
): CatalogueGroupFit {
  const h = config.catalogue.horizon;
  const gbdt = catalogueGbdtOptions(config);
  const minLag = Math.min(...(gbdt.lags ?? FEATURE_DEFAULTS.D.lags));
  // A few events a second at most: a fit grows hundreds of trees.
  const often = throttle();
  onEvent({ stage: "fit", kind: "rows", done: 0, text: `building the training rows of ${what}` });
  let started = performance.now();
  let grown = 0;
  const onTrainingRows = (_step: number | null, count: number) => {
    often(true);
    // done: the trees grown so far (a direct fit builds each day ahead's rows after the earlier days' trees).
    onEvent({ stage: "fit", kind: "trees", done: grown, text: `fitting ${what}: ${count.toLocaleString("en-US")} rows` });
  };
  // The trees between two events (a few a second at most) are sent as their mean work.
  let work = 0;
  let trees = 0;
  const onIteration = (_step: number | null, _iteration: number, metric: number, histogramWork: number) => {
    grown++;
    work += histogramWork;
    trees++;
    if (!often(false)) return;
    onEvent({ stage: "fit", kind: "trees", done: grown, metric, work: work / trees, text: `fitting ${what}: ${grown} trees` });
    work = 0;
    trees = 0;
  };
  const fit = fitGbdtForecaster(series, { ...gbdt, onIteration, onTrainingRows });
  const fitSeconds = (performance.now() - started) / 1000;
  onEvent({ stage: "fit", kind: "trees", done: grown, fitted: true, text: `fitted ${fit.models.reduce((sum, m) => sum + m.trees, 0)} trees (${grown} grown)` });
  started = performance.now();
  const text = "forecasting the bottom series";
  onEvent({ stage: "forecast", kind: "forecast", done: 0, text });
  const base = new Float64Array(series.length * h);
  const residuals = withResiduals ? new Float64Array(series.length * h) : undefined;
  series.forEach((one, i) => {
    base.set(forecastGbdtForecaster(fit, one, h), i * h);
    if (residuals) writeGbdtErrors(residuals, i, fit, one, h, minLag);
    if (often(false)) onEvent({ stage: "forecast", kind: "forecast", done: i + 1, text });
  });
  return { fit, base, ...(residuals ? { residuals } : {}), seconds: { fit: fitSeconds, forecast: (performance.now() - started) / 1000 } };
}
