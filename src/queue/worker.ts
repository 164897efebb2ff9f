// `salescast worker`: takes jobs from the queue until told to stop.
//
// A shard job trains its categories one after another in this process (trainOnce keeps each to
// one registry version however often the job is retried); the parent job gathers its children's
// results. Jobs are refused (failed without retry) when they come from another salescast
// version or when this machine's sales file is not the one the job was planned on.
//
// Stopping: the first SIGTERM or SIGINT lets the running jobs finish, then exits; a second one
// exits at once, and the jobs it held go back to the queue when their lock lapses (queue.stalled_ms)
// for another worker to retry.
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Config } from "../config/schema.js";
import { loadConfiguredData } from "../data/model-data.js";
import { useBackend } from "../engine/backends/index.js";
import type { CategoryResult } from "../training/result.js";
import { describeResult } from "../training/train-category.js";
import { checkQueueServer, queueConnection, redactedUrl } from "./connection.js";
import { watchConnection } from "./connection-watch.js";
import { JobRefusedError } from "./errors.js";
import { onceKeys, trainOnce } from "./once.js";
import { ownershipCheck } from "./lock.js";
import { withWorkerCredentials } from "./credentials.js";
import { applyGlobalConcurrency, describeLimits, workerLimiter } from "./limits.js";
import { WorkLostError } from "../training/work-lost.js";
import { checkSalesFileReachable, checkSharedFolders } from "./shared-folders.js";
import { queueProgressSink } from "./job-progress.js";
import { decode, encode, type BacktestOutcome, type BacktestPart } from "./backtest-jobs.js";
import { backtestSeries } from "../backtest/backtest.js";
import { loadedGlobalFits } from "../backtest/global.js";
import { BacktestError } from "../backtest/windows.js";
import {
  BACKTEST_JOB,
  CATALOGUE_GATHER_JOB,
  CATALOGUE_GROUP_JOB,
  checkPayload,
  GATHER_JOB,
  SHARD_JOB,
  TOURNAMENT_FINISH_JOB,
  TOURNAMENT_PART_JOB,
  TRAIN_QUEUE,
  type GatherPayload,
  type ShardPayload,
} from "./payload.js";
import { finishTournamentJob, runTournamentPart } from "./tournament-work.js";
import { gatherCatalogueGroups, runCatalogueGroup } from "./catalogue-work.js";

export interface WorkerOptions {
  concurrency: number;
  log: (line: string) => void;
  /** Aborted once: finish the running jobs and stop; aborted twice (force): stop at once. */
  stop: AbortSignal;
  force: AbortSignal;
}

export async function runWorker(config: Config, options: WorkerOptions): Promise<void> {
  const url = config.queue.url;
  const check = await checkQueueServer(url);
  for (const warning of check.warnings) options.log(`warning: ${warning}`);
  const connection = queueConnection(url);
  const markers = queueConnection(url);
  const prefix = config.queue.prefix;
  await applyGlobalConcurrency(markers, config);
  const worker = new Worker(TRAIN_QUEUE, (job, token) => processJob(job, token), {
    connection,
    prefix,
    concurrency: options.concurrency,
    lockDuration: config.queue.stalled_ms,
    stalledInterval: config.queue.stalled_ms,
    // A shard whose worker died is retried by another worker; dying twice in a row fails it.
    maxStalledCount: 1,
    ...(workerLimiter(config) ? { limiter: workerLimiter(config) } : {}),
  });
  const watch = watchConnection(connection, url, options.log, "the running jobs carry on, and new ones are taken once it is back");
  worker.on("failed", (job, error) => options.log(`job ${job?.id ?? "?"} (${job?.name ?? "?"}) failed: ${error.message}`));
  // While Redis is away every reconnection attempt fails: the one "lost the connection" line says it.
  // The socket's own error (a reset, when Redis goes while a command such as a lock check is under
  // way) can come just before the watch sees the loss: that line says it too.
  const socketErrors = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE"]);
  worker.on("error", (error) => {
    if (!watch.lost && !socketErrors.has((error as NodeJS.ErrnoException).code ?? "")) options.log(`queue error: ${error.message}`);
  });

  async function processJob(job: Job, token: string | undefined): Promise<unknown> {
    try {
      if (job.name === SHARD_JOB) return await runShard(job, token);
      if (job.name === GATHER_JOB) return await gather(job);
      if (job.name === BACKTEST_JOB) return await backtestPart(job);
      if (job.name === TOURNAMENT_PART_JOB || job.name === TOURNAMENT_FINISH_JOB) return await tournamentJob(job);
      if (job.name === CATALOGUE_GROUP_JOB || job.name === CATALOGUE_GATHER_JOB) return await catalogueJob(job);
      throw new JobRefusedError(`job ${job.id} has a name this salescast does not know (${job.name}): it was queued by another version or program`);
    } catch (error) {
      // A refused job would be refused again by a retry: fail it for good, with the reason.
      if (error instanceof JobRefusedError) throw new UnrecoverableError(error.message);
      // BullMQ then cannot fail it either (the lock is another worker's): this line says why.
      if (error instanceof WorkLostError) options.log(error.message);
      throw error;
    }
  }

  async function runShard(job: Job, token: string | undefined): Promise<CategoryResult[]> {
    const jobConfig = withWorkerCredentials(checkPayload(job.data, `${job.name} ${job.id}`), config, `${job.name} ${job.id}`);
    const payload = job.data as ShardPayload;
    useBackend(jobConfig.engine.backend);
    await checkSalesFileReachable(jobConfig.data.csv_path, `${job.name} ${job.id}`);
    await checkSharedFolders(payload.folder_ids, `${job.name} ${job.id}`);
    const data = await loadConfiguredData(jobConfig);
    if (data.source.sha256 !== payload.source_sha256) {
      throw new JobRefusedError(
        `the sales file ${payload.source_path} on this worker is not the one the job was planned on (sha256 ${data.source.sha256.slice(0, 12)}… here, ${payload.source_sha256.slice(0, 12)}… at the submitter): ` +
          "every worker must read the same file, from a folder shared at the same path on every machine",
      );
    }
    const keys = onceKeys(prefix, job.id!);
    const owned = ownershipCheck(job, token, config.queue.stalled_ms);
    const results: CategoryResult[] = [];
    // Batches, epochs and finished categories go to the submitter's bar or job events (job-progress.ts).
    const progress = queueProgressSink(job, payload.categories.length, () => results.length);
    for (const category of payload.categories) {
      await owned();
      const result = await trainOnce(markers, keys, jobConfig, category, data, (text) => options.log(`job ${job.id}: ${text}`), progress, owned);
      options.log(`job ${job.id}: ${category}: ${describeResult(result)}`);
      results.push(result);
      await job.updateProgress({ done: results.length, of: payload.categories.length, category });
    }
    return results;
  }

  async function backtestPart(job: Job): Promise<string> {
    const jobConfig = checkPayload(job.data, `${job.name} ${job.id}`);
    useBackend(jobConfig.engine.backend);
    const { job: part, options: plain } = decode<BacktestPart>((job.data as { part: string }).part);
    options.log(`job ${job.id}: backtesting ${part.category}`);
    try {
      const result = await backtestSeries(jobConfig, part.category, part.values, part.dates, part.frequency, {
        ...plain,
        cutoffSubset: part.cutoffSubset,
        covariates: part.covariates,
        ...(part.global ? { global: loadedGlobalFits(part.global) } : {}),
      });
      options.log(`job ${job.id}: ${part.category}: backtested`);
      return encode({ result } satisfies BacktestOutcome);
    } catch (error) {
      // Too short for the windows: the same on every retry, so a result saying so.
      if (error instanceof BacktestError) return encode({ backtest_error: error.message } satisfies BacktestOutcome);
      throw error;
    }
  }

  async function tournamentJob(job: Job): Promise<string> {
    const jobConfig = checkPayload(job.data, `${job.name} ${job.id}`);
    useBackend(jobConfig.engine.backend);
    const log = (line: string) => options.log(line);
    return job.name === TOURNAMENT_PART_JOB ? runTournamentPart(job, jobConfig, log) : finishTournamentJob(job, jobConfig, log);
  }

  async function catalogueJob(job: Job): Promise<string> {
    const jobConfig = checkPayload(job.data, `${job.name} ${job.id}`);
    if (job.name === CATALOGUE_GATHER_JOB) return gatherCatalogueGroups(job);
    return runCatalogueGroup(job, jobConfig, (line) => options.log(line));
  }

  async function gather(job: Job): Promise<CategoryResult[]> {
    checkPayload(job.data, `${job.name} ${job.id}`);
    const payload = job.data as GatherPayload;
    const byCategory = new Map<string, CategoryResult>();
    for (const results of Object.values(await job.getChildrenValues<CategoryResult[]>())) {
      for (const result of results) byCategory.set(result.category, result);
    }
    const missing = payload.categories.filter((category) => !byCategory.has(category));
    if (missing.length > 0) throw new Error(`the shards returned no result for ${missing.join(", ")}`);
    return payload.categories.map((category) => byCategory.get(category)!);
  }

  options.log(
    `worker: taking jobs from ${redactedUrl(url)} (Redis ${check.redisVersion}, queue ${prefix}:${TRAIN_QUEUE}, concurrency ${options.concurrency}${describeLimits(config)})`,
  );
  await new Promise<void>((resolve) => {
    if (options.stop.aborted) resolve();
    else options.stop.addEventListener("abort", () => resolve(), { once: true });
  });
  options.log("worker: finishing the running jobs, then stopping (signal again to stop at once; its jobs are then retried elsewhere)");
  const forced = new Promise<void>((resolve) => options.force.addEventListener("abort", () => resolve(), { once: true }));
  await Promise.race([worker.close(), forced]);
  if (options.force.aborted) await worker.close(true).catch(() => undefined);
  watch.stop();
  connection.disconnect();
  markers.disconnect();
  options.log("worker: stopped");
}
