// Trains one category end to end, for any model kind (model.architecture): the series -> the
// family's fit and its intervals (src/models/fit-calibrated.ts) -> evaluation against the
// baselines -> files staged in the registry -> tracking run -> registry commit. No model code
// here: the families list says which family fits.
//
// Ordering is what keeps the store honest: every file is written to a registry staging
// folder and logged to the tracking run BEFORE the version is committed, and the run is
// ended FINISHED only after the commit. Any failure discards the staging folder (the
// previously registered model stays in place) and ends the run FAILED with the error
// (KILLED when interrupted).
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import type { Config } from "../config/schema.js";
import { withoutSecrets } from "../config/without-secrets.js";
import { lastPeriodDate } from "../data/calendar.js";
import { findSeries, loadConfiguredData, withCovariates, type TrainingData } from "../data/model-data.js";
import { splitBounds } from "../data/split.js";
import type { CategorySeries, SalesData } from "../data/types.js";
import { ModelInputError } from "../models/errors.js";
import { BENCHMARK, configuredFamily } from "../models/families.js";
import { TrainingAbortedError } from "../models/fit-errors.js";
import { checkFitInput, fitCalibrated, type CalibratedFit } from "../models/fit-calibrated.js";
import { checkIntervalHorizon, describeCalibration } from "../models/intervals.js";
import type { FitProgress } from "../models/model.js";
import { configuredSeries } from "../models/series-input.js";
import { LocalRegistry, localRegistryRoot, servedRegistry } from "../registry/index.js";
import type { MlflowRegistry } from "../registry/index.js";
import { flattenParams, trackingStoreFor, type MetricPoint, type TrackingStore } from "../tracking/index.js";
import { DiskFullError, freeBytesNear, isDiskFull } from "../util/disk-full.js";
import { failpoint } from "../util/failpoint.js";
import { salescastVersion } from "../version.js";
import { evaluateModel, evaluationMetricPoints } from "./evaluation.js";
import { calibratedFromGlobal, describeGlobalFit, fitGlobal, type GlobalTraining } from "./global-fit.js";
import { writeModelFiles } from "./model-files.js";
import { mlflowModelTags, writeMlflowModel } from "./mlflow-model.js";
import { silentProgress, type ProgressSink } from "./progress.js";
import { holdBackReason } from "./promotion.js";
import type { CategoryResult } from "./result.js";
import { checkTrainingFolders } from "./training-folders.js";
import { WorkLostError } from "./work-lost.js";
import { applyChampionDecision, type ChampionDecision } from "../registry/champion.js";
import { BacktestError } from "../backtest/windows.js";
import {
  categoryTournament,
  championConfig,
  checkAutoConfig,
  compareWithServed,
  isAuto,
  leaderboardMetricPoints,
  writeAutoFiles,
  type AutoOutcome,
} from "./auto.js";

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
  /** A global kind's fit on every series of the data, made once by trainAll (global-fit.ts); made here when absent. */
  global?: GlobalTraining;
  /**
   * Called before each write to the run once training started and just before the registry
   * commit; throws WorkLostError when this process no longer owns the work (a queue worker whose
   * job lock lapsed), and then nothing more is written.
   */
  checkOwnership?: () => Promise<void>;
}

/** The configuration as this run used it: data.item_id is the category trained. */
export function resolvedConfigFor(config: Config, category: string): Config {
  return { ...config, data: { ...config.data, item_id: category } };
}

/** Refuses settings the configured model cannot be trained with, before any work starts. */
export function checkTrainingConfig(config: Config): void {
  if (isAuto(config)) checkAutoConfig(config);
  else configuredFamily(config).checkConfig?.(config);
}

/** One line saying how a category ended, for progress output. */
export function describeResult(result: CategoryResult): string {
  if (result.status !== "ok") return `${result.status}: ${result.reason ?? "no reason given"}`;
  if (result.heldBack) return `ok, but ${result.reason}`;
  const m = result.metrics!;
  const benchmark = result.baselines?.[BENCHMARK.kind]?.mase;
  const fit = result.epochs > 0 ? `best epoch ${result.bestEpoch}/${result.epochs}` : (result.description ?? result.model);
  return (
    `ok in ${result.seconds.toFixed(1)}s: MASE ${m.mase.toFixed(3)} (${BENCHMARK.label} ${benchmark?.toFixed(3) ?? "n/a"}), ` +
    `${fit}, registered as version ${result.version}`
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
  data: TrainingData,
  series: CategorySeries,
  options: TrainCategoryOptions,
  progress: ProgressSink,
  started: number,
): Promise<CategoryResult> {
  const category = series.category;
  const elapsed = () => (performance.now() - started) / 1000;
  const input = configuredSeries(config, data, series);
  const split = splitBounds(input.values.length, config.data.val_fraction, config.data.test_fraction);
  const none = { epochs: 0, bestEpoch: 0 };
  // architecture auto: the tournament's champion is the family trained (auto.ts).
  let auto: AutoOutcome | undefined;
  if (isAuto(config)) {
    try {
      auto = await categoryTournament(config, input, progress, options.signal);
    } catch (error) {
      if (error instanceof BacktestError) return { category, status: "skipped", reason: error.message, ...none, seconds: elapsed() };
      throw error;
    }
  }
  const family = auto?.family ?? configuredFamily(config);
  // A combination champion is trained as an ensemble of its members (auto.ts).
  config = championConfig(config, auto);
  try {
    checkFitInput(family, input, config, split);
  } catch (error) {
    if (!(error instanceof ModelInputError)) throw error;
    return { category, status: "skipped", reason: error.message, ...none, seconds: elapsed() };
  }
  try {
    if (!auto) checkIntervalHorizon(config, category, split);
  } catch (error) {
    // A setting this category's data cannot honour: failed (not skipped), before any run is made.
    return { category, status: "failed", reason: (error as Error).message, ...none, seconds: elapsed() };
  }

  const resolved = resolvedConfigFor(config, category);
  // An MLflow server that keeps silent is said so while training waits (tracking.timeout_seconds
  // bounds the wait), and why the run goes to the offline queue when it gives up.
  const say = (text: string) => progress.report({ kind: "message", category, text });
  const store =
    options.store ??
    trackingStoreFor(config, {
      onWait: say,
      onPending: (runId, reason) =>
        say(`the run ${runId} is kept in the offline queue (${reason}); the model is saved locally, send the run with: salescast runs sync`),
    });
  const stillOwned = options.checkOwnership ?? (() => Promise.resolve());
  await stillOwned(); // preparing may have taken long (a tournament): no run for work that is no longer ours
  let runId: string;
  try {
    const experimentId = await store.getOrCreateExperiment(config.train.experiment_name);
    runId = await store.createRun(experimentId, `${auto ? `auto-${family.kind}` : config.model.architecture}-${category}`, {
      item_id: category,
      model: auto ? family.kind : config.model.architecture,
      ...(auto ? { auto_champion: family.kind } : {}),
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
  let fitStats: Readonly<Record<string, number>> | undefined;
  try {
    await stillOwned(); // the process may have stalled since it created the run
    // Fail before training, not after, when the tracking server cannot take the model (issue 18).
    await store.checkArtifactWrite?.(runId);
    // Passwords inside urls (queue.url, tracking.uri) never reach the tracking store.
    await store.logParams(runId, flattenParams(withoutSecrets(resolved)));

    // Epoch metrics go to the store as they come (the dashboard can follow a run), chained
    // so they arrive in order; the chain is awaited before the run ends. Its first error is
    // kept and rethrown then (a rejection nobody awaits yet would crash the process).
    let pendingMetrics: Promise<void> = Promise.resolve();
    let metricsError: unknown;
    const onProgress = (event: FitProgress) => {
      if (event.kind === "batch") failpoint("train:batch");
      progress.report({ ...event, category });
      if (event.kind !== "epoch") return;
      const timestamp = Date.now();
      const points: MetricPoint[] = [
        { key: "train_loss", value: event.trainLoss, step: event.epoch, timestamp },
        { key: "val_loss", value: event.valLoss, step: event.epoch, timestamp },
      ];
      pendingMetrics = pendingMetrics
        .then(() => stillOwned())
        .then(() => store.logMetrics(runId, points))
        .catch((error: unknown) => void (metricsError ??= error));
    };
    let fit: CalibratedFit;
    if (family.scope === "global") {
      // One model of every series of the file (global-fit.ts); this category's version serves this category.
      const global = options.global ?? (await fitGlobal(family, config, data, options.signal));
      progress.report({ kind: "message", category, text: describeGlobalFit(global, category, options.global === undefined) });
      fit = calibratedFromGlobal(global, input, split, config);
    } else {
      fit = await fitCalibrated(
        family,
        input,
        { config, signal: options.signal, onProgress },
        {
          split,
          // With auto the intervals come from the tournament's residuals.
          ...(auto ? {} : { intervals: { horizon: config.model.interval_horizon, levels: config.model.interval_levels } }),
          evaluate: true,
        },
      );
    }
    const intervals = auto ? auto.intervals : fit.intervals;
    fitStats = fit.final.fitStats;
    await pendingMetrics;
    if (metricsError !== undefined) throw metricsError;

    // Held-out metrics from the model fitted before the held-out parts (for the network, the model kept).
    const evaluation = await evaluateModel(fit.evaluated, input, split, config);
    // Absurd validation errors: registered (to inspect or promote by hand), never served by default.
    const heldBack = holdBackReason(evaluation.validation, config.train.max_baseline_ratio);
    const epochs = fitStats?.epochs ?? 0;
    const finalPoints = { ...evaluationMetricPoints(evaluation), ...fitStats };
    if (intervals) progress.report({ kind: "message", category, text: describeCalibration(intervals) });
    await stillOwned();
    const timestamp = Date.now();
    await store.logMetrics(
      runId,
      Object.entries(finalPoints).map(([key, value]) => ({ key, value, step: epochs, timestamp })),
    );

    stagingDir = await inRegistry(registry, () => registry.stage(category));
    const staged = stagingDir;
    const files = await inRegistry(registry, () =>
      writeModelFiles(staged, {
        model: fit.final,
        series,
        data,
        end: lastPeriodDate(series, data.frequency),
        split,
        evaluation,
        resolved,
        runId,
        ...(intervals ? { intervals } : {}),
      }),
    );
    // The network's folder is an MLflow model too (MLmodel, model.onnx): MLflow's tools load it.
    const mlflowModel = await inRegistry(registry, () => writeMlflowModel(staged, category));
    if (mlflowModel.status === "written") files.model.push(...mlflowModel.files);
    await stillOwned();
    await store.setTags(runId, mlflowModelTags(mlflowModel));
    const comparison = auto ? await compareWithServed(registry, config, input, auto, options.signal) : undefined;
    if (auto && comparison) {
      for (const file of await inRegistry(registry, () => writeAutoFiles(staged, auto, comparison))) files.artifacts.push(file);
      await stillOwned(); // the comparison with the served version may have taken long
      await store.logMetrics(runId, leaderboardMetricPoints(auto.leaderboard));
      await store.setTags(runId, { auto_decision: comparison.decision });
    }
    for (const [file, folder] of [...files.artifacts.map((f) => [f, undefined] as const), ...files.model.map((f) => [f, "model"] as const)]) {
      await stillOwned();
      await store.logArtifact(runId, file, folder);
    }

    const { validation, test } = evaluation;
    await stillOwned();
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
    // A held-back version never takes an alias: the version served before stays served.
    if (comparison && !heldBack) {
      await applyChampionDecision(registry, category, info.version, comparison.decision);
      progress.report({ kind: "message", category, text: `version ${info.version}: ${comparison.decision} (${comparison.reason})` });
    }
    await store.setTags(runId, { registry_version: String(info.version), ...(heldBack ? { held_back: heldBack } : {}) });
    await store.endRun(runId, "FINISHED");
    const notServed = heldBack ? `registered as version ${info.version} but not served: ${heldBack}` : undefined;
    if (notServed) progress.report({ kind: "message", category, text: notServed });
    if (store.kind === "mlflow") await registerInMlflow(config, store, category, runId, info.metrics, progress, heldBack, comparison?.decision);
    return {
      category,
      status: "ok",
      model: fit.final.kind,
      description: fit.final.describe(),
      ...(auto && comparison
        ? {
            auto: {
              champion: auto.leaderboard.champion.model,
              reason: auto.leaderboard.champion.reason,
              evaluationMase: auto.leaderboard.champion.evaluation_mase,
              decision: comparison.decision,
              comparison: comparison.reason,
            },
          }
        : {}),
      ...(heldBack ? { heldBack, reason: `${notServed}; the version served before stays served (salescast promote serves it anyway)` } : {}),
      metrics: validation.metrics,
      baselines: validation.baselines,
      ...(test ? { testMetrics: test.metrics, testBaselines: test.baselines } : {}),
      epochs,
      bestEpoch: fitStats?.best_epoch ?? 0,
      seconds: elapsed(),
      checkpointDir: info.dir,
      version: info.version,
      runId,
    };
  } catch (caught) {
    // Someone else owns the work (and its run) now: only this process's own staging folder goes.
    if (caught instanceof WorkLostError) {
      if (stagingDir !== undefined) await registry.discard(stagingDir).catch(() => undefined);
      // Still RUNNING: the new owner never heard of this run (the process stalled before telling
      // it, see src/queue/once.ts), so nobody else will end it.
      const run = await store.getRun(runId).catch(() => undefined);
      if (run?.status === "RUNNING") await store.endRun(runId, "FAILED", caught.message).catch(() => undefined);
      throw caught;
    }
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
      epochs: fitStats?.epochs ?? 0,
      bestEpoch: fitStats?.best_epoch ?? 0,
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
  decision?: ChampionDecision,
): Promise<void> {
  const registry = servedRegistry(config, store) as MlflowRegistry;
  try {
    const outcome = await registry.registerOrQueue(category, runId, { windowSize: config.data.window_size, metrics, ...(heldBack ? { heldBack } : {}) });
    // auto: the same champion/challenger decision on MLflow's aliases.
    if (outcome.status === "registered" && decision && !heldBack) await applyChampionDecision(registry, category, outcome.version.version, decision);
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
      `saving the model in ${registry.root} failed: ${error.message}. ` + `The folder of train.checkpoint_path must be a writable folder (or not exist yet).`,
      { cause: error },
    );
  }
}

/** The registry index is JSON: an undefined MASE (NaN) is left out rather than written as null. */
function finiteOnly(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value)));
}
