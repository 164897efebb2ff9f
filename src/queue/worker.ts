// `salescast worker`: takes jobs from the queue until told to stop.
//
// A shard job trains its categories one after another (shard-work.ts; trainOnce keeps each to one
// registry version however often the job is retried); the parent job gathers its children's
// results. The work of every job but a gathering parent's runs on a job thread, one per job
// running at once and kept for job after job (job-thread.ts), so a long fit never keeps BullMQ
// from renewing the job's lock. Jobs are
// refused (failed without retry) when they come from another salescast version or when this
// machine's sales file is not the one the job was planned on.
//
// Stopping: the first SIGTERM or SIGINT lets the running jobs finish, then exits; a second one
// exits at once, and the jobs it held go back to the queue when their lock lapses (queue.stalled_ms)
// for another worker to retry.
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Config } from "../config/schema.js";
import type { CategoryResult } from "../training/result.js";
import { checkQueueServer, queueConnection, redactedUrl } from "./connection.js";
import { watchConnection } from "./connection-watch.js";
import { JobRefusedError } from "./errors.js";
import { ownershipCheck } from "./lock.js";
import { withWorkerCredentials } from "./credentials.js";
import { applyGlobalConcurrency, describeLimits, workerLimiter } from "./limits.js";
import { WorkLostError } from "../training/work-lost.js";
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
} from "./payload.js";
import { gatherCatalogueGroups } from "./catalogue-work.js";
import { jobThreads, runOnJobThread } from "./job-thread.js";

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
  // One thread per job running at once, each kept for job after job (job-thread.ts says why).
  const threads = jobThreads();
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

  // The work of these jobs runs on a job thread (job-thread.ts says why).
  async function runShard(job: Job, token: string | undefined): Promise<unknown> {
    const jobConfig = withWorkerCredentials(checkPayload(job.data, `${job.name} ${job.id}`), config, `${job.name} ${job.id}`);
    const checkOwnership = ownershipCheck(job, token, config.queue.stalled_ms);
    return runOnJobThread(threads, "train-shard", job, jobConfig, options.log, { queue: { url, prefix }, checkOwnership });
  }

  async function backtestPart(job: Job): Promise<unknown> {
    const jobConfig = checkPayload(job.data, `${job.name} ${job.id}`);
    return runOnJobThread(threads, "backtest-part", job, jobConfig, options.log);
  }

  async function tournamentJob(job: Job): Promise<unknown> {
    const jobConfig = checkPayload(job.data, `${job.name} ${job.id}`);
    if (job.name === TOURNAMENT_PART_JOB) return runOnJobThread(threads, "tournament-part", job, jobConfig, options.log);
    return runOnJobThread(threads, "tournament-finish", job, jobConfig, options.log, { children: true });
  }

  async function catalogueJob(job: Job): Promise<unknown> {
    const jobConfig = checkPayload(job.data, `${job.name} ${job.id}`);
    if (job.name === CATALOGUE_GATHER_JOB) return gatherCatalogueGroups(job);
    return runOnJobThread(threads, "catalogue-group", job, jobConfig, options.log);
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
  // The jobs under way have ended (or are abandoned, when forced): no thread may keep the process alive.
  await threads?.close();
  watch.stop();
  connection.disconnect();
  markers.disconnect();
  options.log("worker: stopped");
}
