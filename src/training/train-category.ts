// Trains one category end to end: data -> windows -> network -> evaluation against the
// baselines -> files staged in the registry -> tracking run -> registry commit.
//
// Ordering is what keeps the store honest: every file is written to a registry staging
// folder and logged to the tracking run BEFORE the version is committed, and the run is
// ended FINISHED only after the commit. Any failure discards the staging folder (the
// previously registered model stays in place) and ends the run FAILED with the error
// (KILLED when interrupted).
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { DiskFullError, freeBytesNear, isDiskFull } from "../util/disk-full.js";
import { stringify as toYaml } from "yaml";
import type { Config } from "../config/schema.js";
import type { CategorySeries, SalesData } from "../data/types.js";
import { saveCheckpoint } from "../engine/checkpoint.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { failpoint } from "../util/failpoint.js";
import { salescastVersion } from "../version.js";
import { CnnLstmModel } from "../engine/model.js";
import { LocalRegistry, localRegistryRoot, servedRegistry } from "../registry/index.js";
import type { MlflowRegistry } from "../registry/mlflow-registry.js";
import { flattenParams, trackingStoreFor, type MetricPoint, type TrackingStore } from "../tracking/index.js";
import { DatasetError, type CategoryDataset } from "../models/cnn_lstm/dataset.js";
import { evaluateDataset, evaluationMetricPoints, type DatasetEvaluation } from "./evaluation.js";
import { calibrateIntervals, describeCalibration, networkPathForecaster, type IntervalCalibration } from "../models/intervals.js";
import { NetworkForecaster, type NetworkCalendar } from "../models/cnn_lstm/network-forecaster.js";
import { checkTrainingConfig, modelShapeFor, trainSettingsFor } from "../models/cnn_lstm/network-config.js";
import { featureSpecOf, findSeries, loadConfiguredData, withCovariates } from "../data/model-data.js";
import { checkIntervalHorizon } from "../models/cnn_lstm/model-size.js";
import { holdBackReason } from "./promotion.js";
import { datasetFor } from "../models/cnn_lstm/category-dataset.js";
import { hasFeatures, type CovariateStats } from "../data/features.js";
import { writeForecastPlot } from "./plot.js";
import { PERIOD_WORD } from "../data/calendar.js";
import { silentProgress, type ProgressSink } from "./progress.js";
import type { CategoryResult } from "./result.js";
import { checkTrainingFolders } from "./training-folders.js";
import { trainModel, TrainingAbortedError, type TrainOutcome } from "../models/cnn_lstm/trainer.js";

export interface TrainCategoryOptions {
  /** Data already loaded (trainAll loads the file once); loaded from config.data otherwise. */
  data?: SalesData;
  progress?: ProgressSink;
  /** Aborting stops training between two batches; the run is marked KILLED, nothing is registered. */
  signal?: AbortSignal;
  /** Defaults to trackingStoreFor(config). */
  store?: TrackingStore;
  /** Called as soon as the tracking run exists (lets a supervisor mark it if this thread dies). */
  onRunStarted?: (runId: string) => void;
}

/** The configuration as this run used it: data.item_id is the category trained. */
export function resolvedConfigFor(config: Config, category: string): Config {
  return { ...config, data: { ...config.data, item_id: category } };
}

/** One line saying how a category ended, for progress output. */
export function describeResult(result: CategoryResult): string {
  if (result.status !== "ok") return `${result.status}: ${result.reason ?? "no reason given"}`;
  if (result.heldBack) return `ok, but ${result.reason}`;
  const m = result.metrics!;
  const seasonal = result.baselines?.seasonal_naive?.mase;
  return (
    `ok in ${result.seconds.toFixed(1)}s: MASE ${m.mase.toFixed(3)} (seasonal naive ${seasonal?.toFixed(3) ?? "n/a"}), ` +
    `best epoch ${result.bestEpoch}/${result.epochs}, registered as version ${result.version}`
  );
}

/**
 * Trains one category. Bad input (unknown category, unusable configuration, unreadable data)
 * throws before any work; anything that goes wrong for this category afterwards comes back
 * as a result with status "skipped" (too short) or "failed" (with the error as reason).
 */
export async function trainCategory(config: Config, category: string, options: TrainCategoryOptions = {}): Promise<CategoryResult> {
  const started = performance.now();
  checkTrainingConfig(config);
  await checkTrainingFolders(config, options.store);
  const data = options.data ? await withCovariates(config, options.data) : await loadConfiguredData(config);
  const series = findSeries(data, category);
  const progress = options.progress ?? silentProgress;
  const result = await trainSeries(config, data, series, options, progress, started);
  progress.report({ kind: "done", category, text: describeResult(result), result });
  return result;
}

async function trainSeries(
  config: Config,
  data: SalesData,
  series: CategorySeries,
  options: TrainCategoryOptions,
  progress: ProgressSink,
  started: number,
): Promise<CategoryResult> {
  const category = series.category;
  const elapsed = () => (performance.now() - started) / 1000;

  let dataset: CategoryDataset;
  let dates: string[];
  let calendar: NetworkCalendar | undefined;
  let covariateStats: CovariateStats[] | undefined;
  try {
    ({ dataset, dates, calendar, covariateStats } = datasetFor(config, data, series));
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    return { category, status: "skipped", reason: error.message, epochs: 0, bestEpoch: 0, seconds: elapsed() };
  }
  try {
    checkIntervalHorizon(config, category, dataset.split);
  } catch (error) {
    // A setting this category's data cannot honour: failed (not skipped), before any run is made.
    return { category, status: "failed", reason: (error as Error).message, epochs: 0, bestEpoch: 0, seconds: elapsed() };
  }

  const resolved = resolvedConfigFor(config, category);
  const store = options.store ?? trackingStoreFor(config);
  let runId: string;
  try {
    const experimentId = await store.getOrCreateExperiment(config.train.experiment_name);
    runId = await store.createRun(experimentId, `${config.model.architecture}-${category}`, {
      item_id: category,
      model: config.model.architecture,
      dataset: basename(config.data.csv_path),
      window_size: String(config.data.window_size),
      learning_rate: String(config.model.lr),
      salescast_version: salescastVersion(),
    });
  } catch (error) {
    throw await explainDiskFull(error, config, store);
  }
  options.onRunStarted?.(runId);

  const registry = new LocalRegistry(localRegistryRoot(config));
  let stagingDir: string | undefined;
  let committed = false;
  let outcome: TrainOutcome | undefined;
  try {
    await store.logParams(runId, flattenParams(resolved));

    // Epoch metrics go to the store as they come (the dashboard can follow a run), chained
    // so they arrive in order; the chain is awaited before the run ends. Its first error is
    // kept and rethrown then (a rejection nobody awaits yet would crash the process).
    let pendingMetrics: Promise<void> = Promise.resolve();
    let metricsError: unknown;
    const model = new CnnLstmModel(modelShapeFor(config), config.train.seed);
    const maxEpochs = config.train.max_epochs;
    const trained = await trainModel(model, dataset.train, dataset.validation, {
      ...trainSettingsFor(config),
      signal: options.signal,
      onBatch: (b) => {
        failpoint("train:batch");
        progress.report({ kind: "batch", category, maxEpochs, ...b });
      },
      onEpoch: (e) => {
        progress.report({ kind: "epoch", category, maxEpochs, ...e });
        const timestamp = Date.now();
        const points: MetricPoint[] = [
          { key: "train_loss", value: e.trainLoss, step: e.epoch, timestamp },
          { key: "val_loss", value: e.valLoss, step: e.epoch, timestamp },
        ];
        pendingMetrics = pendingMetrics
          .then(() => store.logMetrics(runId, points))
          .catch((error: unknown) => void (metricsError ??= error));
      },
    });
    outcome = trained;
    await pendingMetrics;
    if (metricsError !== undefined) throw metricsError;

    const evaluation = evaluateDataset(new NetworkForecaster(model, dataset.stats, calendar), dataset, data.frequency, config.data.window_size);
    // Absurd validation errors: registered (to inspect or promote by hand), never served by default.
    const heldBack = holdBackReason(evaluation.validation, config.train.max_baseline_ratio);
    const finalPoints = { ...evaluationMetricPoints(evaluation), best_epoch: trained.bestEpoch, epochs: trained.epochs, best_val_loss: trained.bestValLoss };
    const intervals = calibrateModelIntervals(config, model, dataset, calendar);
    progress.report({ kind: "message", category, text: describeCalibration(intervals) });
    const timestamp = Date.now();
    await store.logMetrics(
      runId,
      Object.entries(finalPoints).map(([key, value]) => ({ key, value, step: trained.epochs, timestamp })),
    );

    stagingDir = await inRegistry(registry, () => registry.stage(category));
    const staged = stagingDir;
    const files = await inRegistry(registry, () => writeModelFiles(staged, {
      model,
      dataset,
      dates,
      series,
      data,
      evaluation,
      resolved,
      category,
      outcome: trained,
      runId,
      intervals,
      covariateStats,
    }));
    for (const file of files.artifacts) await store.logArtifact(runId, file);
    await store.logArtifact(runId, files.checkpointWeights, "model");
    await store.logArtifact(runId, files.checkpointMeta, "model");

    const { validation, test } = evaluation;
    const info = await inRegistry(registry, () =>
      registry.commit(category, staged, {
        runId,
        metrics: finiteOnly(evaluationMetricPoints(evaluation)),
        windowSize: config.data.window_size,
        ...(heldBack ? { heldBack } : {}),
      }),
    );
    stagingDir = undefined;
    committed = true;
    await store.setTags(runId, { registry_version: String(info.version), ...(heldBack ? { held_back: heldBack } : {}) });
    await store.endRun(runId, "FINISHED");
    const notServed = heldBack ? `registered as version ${info.version} but not served: ${heldBack}` : undefined;
    if (notServed) progress.report({ kind: "message", category, text: notServed });
    if (store.kind === "mlflow") await registerInMlflow(config, store, category, runId, info.metrics, progress, heldBack);
    return {
      category,
      status: "ok",
      ...(heldBack ? { heldBack, reason: `${notServed}; the version served before stays served (salescast promote serves it anyway)` } : {}),
      metrics: validation.metrics,
      baselines: validation.baselines,
      ...(test ? { testMetrics: test.metrics, testBaselines: test.baselines } : {}),
      epochs: trained.epochs,
      bestEpoch: trained.bestEpoch,
      seconds: elapsed(),
      checkpointDir: info.dir,
      version: info.version,
      runId,
    };
  } catch (caught) {
    // What the failed run wrote goes first (it also frees the room a full disk needs to record
    // the failure): its staging folder, and its artifacts unless its model was committed.
    if (stagingDir !== undefined) await registry.discard(stagingDir).catch(() => undefined);
    if (!committed) await store.discardArtifacts?.(runId).catch(() => undefined);
    const error = await explainDiskFull(caught, config, store);
    const interrupted = error instanceof TrainingAbortedError;
    const message = error instanceof Error ? error.message : String(error);
    await store.endRun(runId, interrupted ? "KILLED" : "FAILED", message).catch(() => undefined);
    return {
      category,
      status: "failed",
      reason: interrupted ? "interrupted: training stopped, the previously registered model (if any) stays in place" : message,
      epochs: outcome?.epochs ?? 0,
      bestEpoch: outcome?.bestEpoch ?? 0,
      seconds: elapsed(),
      runId,
    };
  }
}

/**
 * With an MLflow server the model also becomes a new version of "salescast-<category>" there.
 * It is already safe in the local registry, so a server that is down only queues the
 * registration for `salescast runs sync`; it never fails the training.
 */
async function registerInMlflow(
  config: Config,
  store: TrackingStore,
  category: string,
  runId: string,
  metrics: Record<string, number> | undefined,
  progress: ProgressSink,
  heldBack: string | undefined,
): Promise<void> {
  const registry = servedRegistry(config, store) as MlflowRegistry;
  try {
    const outcome = await registry.registerOrQueue(category, runId, { windowSize: config.data.window_size, metrics, ...(heldBack ? { heldBack } : {}) });
    const text =
      outcome.status === "registered"
        ? `registered in MLflow as ${registry.modelName(category)} version ${outcome.version.version}`
        : `MLflow registration queued (${outcome.reason}); send it with: salescast runs sync`;
    progress.report({ kind: "message", category, text });
  } catch (error) {
    progress.report({ kind: "message", category, text: `MLflow registration failed: ${(error as Error).message}; the model is in the local registry` });
  }
}

/**
 * A full disk told the user's way: "the disk holding <folder> is full (N bytes free); free
 * space or move <setting>", the folder and setting being the tracking store's (tracking.uri)
 * when the write was in it, else the registry's (train.checkpoint_path, which also holds
 * MLflow's offline queue). Other errors are returned as they are.
 */
async function explainDiskFull(error: unknown, config: Config, store: TrackingStore): Promise<unknown> {
  if (!isDiskFull(error)) return error;
  const registry = resolve(localRegistryRoot(config));
  const full = error instanceof DiskFullError ? error : new DiskFullError(join(registry, "?"), await freeBytesNear(join(registry, "?")));
  const tracking = store.kind === "local" ? resolve(store.uri) : undefined;
  if (tracking !== undefined && isInside(full.path, tracking)) return full.inFolder(tracking, "tracking.uri");
  return full.inFolder(registry, "train.checkpoint_path");
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** File-system errors while saving get the registry folder and the fix in their message (a full disk: explainDiskFull). */
async function inRegistry<T>(registry: LocalRegistry, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDiskFull(error)) throw error;
    if (!(error instanceof Error) || !("code" in error) || typeof error.code !== "string" || error.name === "RegistryError") throw error;
    throw new Error(
      `saving the model in ${registry.root} failed: ${error.message}. ` +
        `The folder of train.checkpoint_path must be a writable folder (or not exist yet).`,
    );
  }
}

/** The registry index is JSON: an undefined MASE (NaN) is left out rather than written as null. */
function finiteOnly(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value)));
}

interface ModelFilesInput {
  model: CnnLstmModel;
  dataset: CategoryDataset;
  dates: string[];
  series: CategorySeries;
  data: SalesData;
  evaluation: DatasetEvaluation;
  resolved: Config;
  category: string;
  outcome: TrainOutcome;
  runId: string;
  intervals: IntervalCalibration;
  covariateStats?: CovariateStats[];
}

/**
 * Split conformal intervals from the validation part (see intervals.ts): the trainer fits no
 * weights on it (early stopping only picks the epoch by it), and the test part stays untouched.
 */
function calibrateModelIntervals(config: Config, model: CnnLstmModel, dataset: CategoryDataset, calendar?: NetworkCalendar): IntervalCalibration {
  return calibrateIntervals({
    series: dataset.series,
    start: dataset.split.trainEnd,
    end: dataset.split.validationEnd,
    horizon: config.model.interval_horizon,
    levels: config.model.interval_levels,
    forecast: networkPathForecaster(model, dataset.stats, calendar),
    minHistory: config.data.window_size,
    source: "validation",
  });
}

/**
 * Writes into the staging folder: model.safetensors + model.json (checkpoint),
 * normalization.json ({"mean","std"} like the reference; std is the z-score divisor, its
 * 1e-6 included), eval_plot.png/.svg and config.yaml.
 */
async function writeModelFiles(dir: string, input: ModelFilesInput) {
  const { model, dataset, dates, series, data, evaluation, resolved, category, outcome, runId, intervals } = input;
  const features = featureSpecOf(resolved);
  const { weightsPath, metaPath } = await saveCheckpoint(dir, model, {
    normalization: dataset.stats,
    data: {
      file: data.source.path,
      sha256: data.source.sha256,
      category,
      start: series.start,
      end: dates[dates.length - 1],
      frequency: data.frequency,
    },
    extra: {
      run_id: runId,
      best_epoch: outcome.bestEpoch,
      epochs: outcome.epochs,
      split: dataset.split,
      validation_metrics: evaluation.validation.metrics,
      intervals,
      // Only when used: a model without features keeps the model.json older servers read.
      ...(hasFeatures(features) ? { features } : {}),
      ...(input.covariateStats ? { covariate_stats: input.covariateStats } : {}),
    },
  });

  const normalizationPath = join(dir, "normalization.json");
  await writeFileAtomic(normalizationPath, `${JSON.stringify({ mean: dataset.stats.mean, std: dataset.stats.std })}\n`);

  const configPath = join(dir, "config.yaml");
  await writeFileAtomic(configPath, toYaml(resolved));

  const { validation } = evaluation;
  const { frequency } = data;
  const m = validation.metrics;
  const seasonal = validation.baselines.seasonal_naive;
  const plot = await writeForecastPlot(
    {
      title: `${category}: validation forecasts, one ${PERIOD_WORD[frequency]} ahead`,
      subtitle: `CNN+LSTM (best epoch ${outcome.bestEpoch} of ${outcome.epochs}) vs seasonal naive`,
      metrics: {
        RMSE: m.rmse,
        MAE: m.mae,
        "sMAPE %": m.smape,
        MASE: m.mase,
        "seasonal naive MASE": seasonal.mase,
      },
      dates: validation.dates,
      actual: Array.from(validation.actual),
      predicted: Array.from(validation.predictions.cnn_lstm),
      baseline: { name: "Seasonal naive", values: Array.from(validation.predictions.seasonal_naive) },
      yAxisName: `sales per ${PERIOD_WORD[frequency]}`,
      frequency,
    },
    join(dir, "eval_plot"),
  );
  return {
    checkpointWeights: weightsPath,
    checkpointMeta: metaPath,
    artifacts: [plot.png, plot.svg, normalizationPath, configPath],
  };
}
