// A job's work on a job thread (job-thread-entry.ts), its progress and log lines relayed to the
// job and the worker's log from the main thread.
//
// Why a thread: BullMQ renews a job's lock from the worker's event loop (every half of
// queue.stalled_ms). A fit is one synchronous computation (a GBDT over every series of a
// tournament's global part or of a shard's global model, a catalogue group, a long backtest)
// that can last minutes; on the main thread it would hold the event loop past the lock, and
// another worker's stalled-job check would take the job and run it again. On a thread the event
// loop stays free, so the lock is renewed, and a graceful stop still waits for the job. The
// thread runs the same function as the main thread would (job-functions.ts), so its result is
// the same, bit for bit.
//
// Why the threads are kept: starting one and loading salescast's modules costs about 0.75 s,
// more than many jobs' own work, so each of the worker's concurrency slots keeps its thread for
// job after job (src/util/reused-threads.ts); a thread that died is replaced for the next job.
//
// From .ts sources (no built thread, e.g. the unit tests) the function runs on the main thread.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Job } from "bullmq";
import type { Config } from "../config/schema.js";
import { WorkLostError } from "../training/work-lost.js";
import { ReusedThreads } from "../util/reused-threads.js";
import { exchangeWithWorker } from "../util/worker-pool.js";
import { JobRefusedError } from "./errors.js";
import { runJobFunction, type JobFunctionName } from "./job-functions.js";
import type { JobProgress } from "./job-progress.js";
import type { FromJobThread, ToJobThread } from "./job-thread-messages.js";
import type { ThreadJob } from "./thread-job.js";

export interface JobThreadOptions {
  /** Read the job's children's results first (a parent job; the thread has no queue of its own). */
  children?: boolean;
  /** The worker's queue, for work that keeps markers there. */
  queue?: { url: string; prefix: string };
  /** The job's lock check (lock.ts); none: the work never asks. */
  checkOwnership?: () => Promise<void>;
}

/** The worker's job threads, started as jobs need them; none from .ts sources (the work then runs on the main thread). */
export function jobThreads(): ReusedThreads | undefined {
  if (!import.meta.url.endsWith(".js")) return undefined;
  const url = new URL("./job-thread-entry.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? new ReusedThreads(url) : undefined;
}

const errorFrom = (message: Extract<FromJobThread, { type: "error" }>) =>
  message.kind === "refused" ? new JobRefusedError(message.message) : message.kind === "lost" ? new WorkLostError(message.message) : new Error(message.message);

// Runs started in this process: with the job's id, each run's name in the thread's messages.
let runs = 0;

/** Runs the named job function for `job` on one of `threads` (on the main thread without them); its result. */
export async function runOnJobThread(
  threads: ReusedThreads | undefined,
  name: JobFunctionName,
  job: Job,
  config: Config,
  log: (line: string) => void,
  options: JobThreadOptions = {},
): Promise<unknown> {
  const children = options.children ? await job.getChildrenValues<string>() : {};
  // A progress report lost while Redis is away only makes the submitter's bar skip a step.
  const updateProgress = (progress: JobProgress) => job.updateProgress(progress).catch(() => undefined);
  const checkOwnership = options.checkOwnership ?? (() => Promise.resolve());
  const queue = options.queue ? { queue: options.queue } : {};
  if (!threads) {
    const here: ThreadJob = { id: job.id!, name: job.name, data: job.data, children, ...queue, updateProgress, checkOwnership };
    return runJobFunction(name, here, config, log);
  }
  const run = `${job.id}#${++runs}`;
  const start: ToJobThread = { type: "start", run, name, id: job.id!, jobName: job.name, data: job.data, children, ...queue, config };
  const outcome = await threads.use((thread) =>
    exchangeWithWorker<FromJobThread, unknown>(thread, start, `job ${job.id} (${name})`, (message, settle) => {
      if (message.run !== run) return; // a late message of the job this thread ran before
      // Answered even once the job ended: the thread drops answers for a run that is over.
      const answer = (check: number, error?: unknown) =>
        thread.postMessage({
          type: "checked",
          run,
          check,
          ...(error === undefined ? {} : { error: { message: error instanceof Error ? error.message : String(error), lost: error instanceof WorkLostError } }),
        } satisfies ToJobThread);
      if (message.type === "progress") void updateProgress(message.progress);
      else if (message.type === "log") log(message.line);
      else if (message.type === "check") {
        const { check } = message;
        checkOwnership().then(
          () => answer(check),
          (error: unknown) => answer(check, error ?? new Error("the lock check failed")),
        );
      } else if (message.type === "result") settle(message.result);
      else settle(errorFrom(message));
    }),
  );
  if (outcome instanceof Error) throw outcome;
  return outcome;
}
