// Trains many categories, in parallel on worker threads (one category per thread at a time,
// as many threads as cores, at most one per category). One failing category never stops the
// others: every category ends with a result, in the order asked for.
//
// Where the worker file comes from: worker_threads can only start JavaScript. The worker is
// resolved next to this module as "./worker.js", which exists when salescast runs from its
// build (dist/src/training/worker.js beside dist/src/training/train-all.js: the CLI, the
// server and `npm test`'s pretest build). When this module itself runs from TypeScript
// sources (vitest imports src/*.ts directly) there is no worker.js beside it and Node 20
// cannot start a .ts worker without a loader, so trainAll trains in the calling thread, one
// category after another: same results, no parallelism. Tests of the threaded path import
// the built dist/src/training/train-all.js instead (tests/training/train-all.test.ts).
//
// Concurrency safety: the registry serialises commits with a file lock, and the local
// tracking store derives experiment ids from the name, so parallel workers creating the
// same experiment agree on it.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Config } from "../config/schema.js";
import type { CategorySeries, SalesData } from "../data/types.js";
import { ALL_SERIES, type CovariateData } from "../data/covariate-periods.js";
import { findSeries, loadConfiguredData, withCovariates, type TrainingData } from "../data/model-data.js";
import { trackingStoreFor, type TrackingStore } from "../tracking/index.js";
import { silentProgress, type ProgressSink } from "./progress.js";
import type { CategoryResult } from "./result.js";
import { checkTrainingFolders } from "./training-folders.js";
import { checkTrainingConfig, describeResult, trainCategory } from "./train-category.js";
import { ModelInputError } from "../models/errors.js";
import { configuredFamily } from "../models/families.js";
import { fitGlobal, type GlobalTraining } from "./global-fit.js";
import type { FromWorker, ToWorker } from "./worker-protocol.js";
import { runOnWorkerPool } from "../util/worker-pool.js";
import { withThreadBackend } from "../engine/backends/index.js";
import { isAuto } from "./auto.js";

export interface TrainAllOptions {
  /** Data already loaded; loaded once from config.data otherwise. */
  data?: SalesData;
  progress?: ProgressSink;
  /** Aborting stops every category between two batches; runs in flight are marked KILLED. */
  signal?: AbortSignal;
  /**
   * Worker threads. Default: min(os.availableParallelism(), number of categories).
   * 0 trains in the calling thread, one category after another.
   */
  threads?: number;
  /** Tracking store for in-thread training and for marking runs of a crashed worker FAILED. */
  store?: TrackingStore;
}

/** The compiled worker beside this module, or undefined when running from .ts sources. */
export function trainingWorkerUrl(): URL | undefined {
  if (!import.meta.url.endsWith(".js")) return undefined;
  const url = new URL("./worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Threads trainAll would use for this many categories with these options. */
export function plannedThreads(categoryCount: number, requested?: number): number {
  if (categoryCount === 0 || trainingWorkerUrl() === undefined) return 0;
  const wanted = requested ?? availableParallelism();
  if (!Number.isInteger(wanted) || wanted < 0) throw new RangeError(`threads must be a non-negative integer, got ${wanted}`);
  return Math.min(wanted, categoryCount);
}

/**
 * Trains `categories` (undefined: every category in the data, i.e. data.available_categories
 * when set, else all found). Unknown names throw before anything starts.
 */
export async function trainAll(config: Config, categories: readonly string[] | undefined, options: TrainAllOptions = {}): Promise<CategoryResult[]> {
  checkTrainingConfig(config);
  await checkTrainingFolders(config, options.store);
  // Covariates (model.features.covariates) are read here once, not by every worker thread.
  const data: TrainingData = options.data ? await withCovariates(config, options.data) : await loadConfiguredData(config);
  const names = [...new Set(categories ?? data.series.map((s) => s.category))];
  const series = names.map((name) => findSeries(data, name));
  const progress = options.progress ?? silentProgress;
  // With auto each category runs its own tournament (a global champion is fitted there); otherwise a global kind is fitted once.
  if (!isAuto(config) && configuredFamily(config).scope === "global") return trainGlobalKind(config, data, series, progress, options);
  const threads = plannedThreads(series.length, options.threads);
  const results =
    threads === 0 ? await trainInThisThread(config, data, series, progress, options) : await trainInWorkers(config, data, series, threads, progress, options);
  return names.map((name) => results.get(name)!);
}

async function trainInThisThread(
  config: Config,
  data: SalesData,
  series: CategorySeries[],
  progress: ProgressSink,
  options: TrainAllOptions,
  global?: GlobalTraining,
): Promise<Map<string, CategoryResult>> {
  const results = new Map<string, CategoryResult>();
  for (const one of series) {
    if (options.signal?.aborted) {
      results.set(one.category, notStarted(one.category, progress));
      continue;
    }
    try {
      results.set(
        one.category,
        await trainCategory(config, one.category, { data, progress, signal: options.signal, store: options.store, ...(global ? { global } : {}) }),
      );
    } catch (error) {
      // Same as a worker reporting an error: this category failed, the others go on.
      const result: CategoryResult = {
        category: one.category,
        status: "failed",
        reason: error instanceof Error ? error.message : String(error),
        epochs: 0,
        bestEpoch: 0,
        seconds: 0,
      };
      progress.report({ kind: "done", category: one.category, text: describeResult(result), result });
      results.set(one.category, result);
    }
  }
  return results;
}

/**
 * A global kind (global-fit.ts): fitted once here on every series of the file, then each
 * category asked for is evaluated and registered as its own version in this thread (the fit is
 * where the time goes, and the native learner uses its own threads for it). A fit that fails
 * fails every category with its reason.
 */
async function trainGlobalKind(
  config: Config,
  data: TrainingData,
  series: CategorySeries[],
  progress: ProgressSink,
  options: TrainAllOptions,
): Promise<CategoryResult[]> {
  const family = configuredFamily(config);
  progress.report({
    kind: "message",
    category: "all series",
    text: `fitting the global ${family.kind} model once on the ${data.series.length} series of the file`,
  });
  let global: GlobalTraining;
  try {
    global = await fitGlobal(family, config, data, options.signal);
  } catch (error) {
    const reason = `the global ${family.kind} model could not be fitted: ${error instanceof Error ? error.message : String(error)}`;
    // Input no series can be fitted on (all too short) is the data's problem: skipped, as a local kind's would be.
    const status = error instanceof ModelInputError ? "skipped" : "failed";
    return series.map((one) => {
      const result: CategoryResult = { category: one.category, status, reason, epochs: 0, bestEpoch: 0, seconds: 0 };
      progress.report({ kind: "done", category: one.category, text: describeResult(result), result });
      return result;
    });
  }
  const results = await trainInThisThread(config, data, series, progress, options, global);
  return series.map((one) => results.get(one.category)!);
}

function notStarted(category: string, progress: ProgressSink): CategoryResult {
  const result: CategoryResult = {
    category,
    status: "skipped",
    reason: "interrupted before its training started",
    epochs: 0,
    bestEpoch: 0,
    seconds: 0,
  };
  progress.report({ kind: "done", category, text: describeResult(result), result });
  return result;
}

async function trainInWorkers(
  config: Config,
  data: TrainingData,
  series: CategorySeries[],
  threads: number,
  progress: ProgressSink,
  options: TrainAllOptions,
): Promise<Map<string, CategoryResult>> {
  // Crashed runs are marked FAILED by this thread, so runOnWorker's outcome carries the run id.
  const runIds = new Map<string, string | undefined>();
  const results = await runOnWorkerPool<CategorySeries, CategoryResult>({
    url: trainingWorkerUrl()!,
    jobs: series,
    threads,
    signal: options.signal,
    abortMessage: { type: "abort" } satisfies ToWorker,
    notStarted: (next) => notStarted(next.category, progress),
    run: async (worker, next) => {
      const covariates = data.covariates && covariatesOfCategory(data.covariates, next.category);
      const outcome = await runOnWorker(
        worker,
        {
          type: "train",
          config: withThreadBackend(config),
          frequency: data.frequency,
          source: data.source,
          series: next,
          ...(covariates ? { covariates } : {}),
        },
        progress,
      );
      runIds.set(next.category, outcome.runId);
      return { value: outcome.result, alive: outcome.alive };
    },
    afterDeath: async (next, result) => {
      await markCrashedRun(config, options, runIds.get(next.category), result.reason!);
      progress.report({ kind: "done", category: next.category, text: describeResult(result), result });
    },
  });
  return new Map(results.map((result) => [result.category, result]));
}

interface WorkerOutcome {
  result: CategoryResult;
  /** False when the worker died (its thread is gone; start another). */
  alive: boolean;
  runId?: string;
}

function runOnWorker(worker: Worker, message: Extract<ToWorker, { type: "train" }>, progress: ProgressSink): Promise<WorkerOutcome> {
  const category = message.series.category;
  const started = performance.now();
  return new Promise((resolve) => {
    let runId: string | undefined;
    let crash: Error | undefined;
    const failed = (reason: string): CategoryResult => ({
      category,
      status: "failed",
      reason,
      epochs: 0,
      bestEpoch: 0,
      seconds: (performance.now() - started) / 1000,
      ...(runId ? { runId } : {}),
    });
    const settle = (outcome: WorkerOutcome) => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      resolve(outcome);
    };
    const onMessage = (reply: FromWorker) => {
      if (reply.type === "progress") progress.report(reply.event);
      else if (reply.type === "run-started") runId = reply.runId;
      else if (reply.type === "result") settle({ result: reply.result, alive: true, runId });
      else {
        // trainCategory threw before producing a result: report it like any failure.
        const result = failed(reply.message);
        progress.report({ kind: "done", category, text: describeResult(result), result });
        settle({ result, alive: true, runId });
      }
    };
    const onError = (error: Error) => {
      crash = error;
    };
    const onExit = (code: number) => {
      const reason = `the training thread stopped unexpectedly (${crash ? crash.message : `exit code ${code}`})`;
      settle({ result: failed(reason), alive: false, runId });
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(message);
  });
}

/** A worker that died cannot end its own run: mark it FAILED so it does not stay RUNNING forever. */
async function markCrashedRun(config: Config, options: TrainAllOptions, runId: string | undefined, reason: string): Promise<void> {
  if (!runId) return;
  const store = options.store ?? trackingStoreFor(config);
  await store.endRun(runId, "FAILED", reason).catch(() => undefined);
}

/**
 * The part of the covariates one category reads: its own rows, those shared by every series, and
 * a catalogue's per-series matrices (bySeries) narrowed to its row. The matrices live on a
 * SharedArrayBuffer, so the worker reads them without a copy; only the one-entry index is new.
 */
export function covariatesOfCategory(data: CovariateData, category: string): CovariateData {
  const own = data.byCategory[category];
  const shared = data.byCategory[ALL_SERIES];
  const row = data.bySeries?.index[category];
  return {
    names: data.names,
    byCategory: { ...(own ? { [category]: own } : {}), ...(shared ? { [ALL_SERIES]: shared } : {}) },
    ...(data.bySeries && row !== undefined ? { bySeries: { ...data.bySeries, index: { [category]: row } } } : {}),
  };
}
