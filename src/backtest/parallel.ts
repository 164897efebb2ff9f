// Runs the backtest of several categories on worker threads, one category per thread at a
// time, as many threads as cores (at most one per category). Like train-all.ts, the worker
// only exists in the build (dist/src/backtest/worker.js); from .ts sources (vitest)
// backtestWorkerUrl() is undefined and the caller runs the categories in its own thread.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Config } from "../config/schema.js";
import type { SavedGlobalFit } from "./global.js";
import type { BacktestOptions, CategoryBacktest } from "./types.js";
import { BacktestError } from "./windows.js";
import type { Frequency } from "../models/metrics.js";
import { exchangeWithWorker, runOnWorkerPool } from "../util/worker-pool.js";
import { withThreadBackend } from "../engine/backends/index.js";

export type BacktestJob = {
  config: Config;
  category: string;
  values: Float64Array;
  dates: string[];
  frequency: Frequency;
  /** Only these cutoff positions (one job per cutoff with refit every); all when undefined. */
  cutoffSubset?: number[];
  /** The series' covariate values per period (model.features.covariates); undefined when none. */
  covariates?: Float64Array[];
  /** The global candidates' saved models at this job's cutoffs (global.ts); undefined when none is global. */
  global?: SavedGlobalFit[];
};

/**
 * backtest()'s options, and a runner that takes the jobs it would give its worker threads
 * somewhere else (the queue's workers, src/queue/backtest-jobs.ts), each settling with its
 * result or its error.
 */
export interface BacktestRunOptions extends BacktestOptions {
  runJobs?: (jobs: BacktestJob[], options: BacktestOptions) => Promise<(CategoryBacktest | Error)[]>;
}

export type BacktestToWorker = ({ type: "backtest"; options: ReturnType<typeof plainBacktestOptions> } & BacktestJob) | { type: "abort" };

export type BacktestFromWorker =
  { type: "progress"; text: string } | { type: "result"; result: CategoryBacktest } | { type: "error"; name: string; message: string };

export function backtestWorkerUrl(): URL | undefined {
  if (!import.meta.url.endsWith(".js")) return undefined;
  const url = new URL("./worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Threads for this many jobs: 0 (in this thread) when there is no built worker or only one job. */
export function backtestThreads(jobCount: number, requested?: number): number {
  if (jobCount < 2 || backtestWorkerUrl() === undefined) return 0;
  return Math.max(0, Math.min(requested ?? availableParallelism(), jobCount));
}

/**
 * Backtests every job on `threads` workers. Each job settles with its result or its error
 * (a BacktestError stays one, so the caller can skip a series that is too short).
 */
export async function backtestInWorkers(jobs: BacktestJob[], options: BacktestOptions, threads: number): Promise<(CategoryBacktest | Error)[]> {
  const plain = plainBacktestOptions(options);
  const { signal, onProgress } = options;
  return runOnWorkerPool<BacktestJob, CategoryBacktest | Error>({
    url: backtestWorkerUrl()!,
    jobs,
    threads,
    signal,
    abortMessage: { type: "abort" } satisfies BacktestToWorker,
    run: (worker, job) => runOne(worker, { type: "backtest", options: plain, ...job, config: withThreadBackend(job.config) }, onProgress),
  });
}

/** The options a job carries to another thread or machine: no callbacks, no per-job parts. */
export function plainBacktestOptions(options: BacktestRunOptions): Omit<BacktestOptions, "signal" | "onProgress" | "cutoffSubset" | "covariates" | "runJobs"> {
  const { signal: _signal, onProgress: _onProgress, cutoffSubset: _all, covariates: _perJob, runJobs: _elsewhere, ...plain } = options;
  return plain;
}

function runOne(worker: Worker, message: BacktestToWorker, onProgress?: (text: string) => void): Promise<{ value: CategoryBacktest | Error; alive: boolean }> {
  return exchangeWithWorker<BacktestFromWorker, CategoryBacktest>(worker, message, "backtest", (reply, settle) => {
    if (reply.type === "progress") onProgress?.(reply.text);
    else if (reply.type === "result") settle(reply.result);
    else if (reply.name === "BacktestError") settle(new BacktestError(reply.message));
    else settle(Object.assign(new Error(reply.message), { name: reply.name }));
  });
}
