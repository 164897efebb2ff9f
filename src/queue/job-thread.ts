// A job's work on a thread of its own (job-thread-entry.ts), its progress and log lines relayed
// to the job and the worker's log from the main thread.
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
// From .ts sources (no built thread, e.g. the unit tests) the function runs on the main thread.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Job } from "bullmq";
import type { Config } from "../config/schema.js";
import { WorkLostError } from "../training/work-lost.js";
import { JobRefusedError } from "./errors.js";
import { runJobFunction, type JobFunctionName } from "./job-functions.js";
import type { JobProgress } from "./job-progress.js";
import type { ThreadJob } from "./thread-job.js";

export type ToJobThread =
  | {
      type: "start";
      name: JobFunctionName;
      id: string;
      jobName: string;
      data: unknown;
      children: Record<string, string>;
      queue?: { url: string; prefix: string };
      config: Config;
    }
  | { type: "checked"; check: number; error?: { message: string; lost: boolean } };

export type FromJobThread =
  | { type: "progress"; progress: JobProgress }
  | { type: "log"; line: string }
  | { type: "check"; check: number }
  | { type: "result"; result: unknown }
  | { type: "error"; message: string; kind: "refused" | "lost" | "failed" };

export interface JobThreadOptions {
  /** Read the job's children's results first (a parent job; the thread has no queue of its own). */
  children?: boolean;
  /** The worker's queue, for work that keeps markers there. */
  queue?: { url: string; prefix: string };
  /** The job's lock check (lock.ts); none: the work never asks. */
  checkOwnership?: () => Promise<void>;
}

function threadUrl(): URL | undefined {
  if (!import.meta.url.endsWith(".js")) return undefined;
  const url = new URL("./job-thread-entry.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

const errorFrom = (message: Extract<FromJobThread, { type: "error" }>) =>
  message.kind === "refused" ? new JobRefusedError(message.message) : message.kind === "lost" ? new WorkLostError(message.message) : new Error(message.message);

/** Runs the named job function for `job` on a thread of its own; its result. */
export async function runOnJobThread(
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
  const url = threadUrl();
  if (!url) {
    const here: ThreadJob = {
      id: job.id!,
      name: job.name,
      data: job.data,
      children,
      ...(options.queue ? { queue: options.queue } : {}),
      updateProgress,
      checkOwnership,
    };
    return runJobFunction(name, here, config, log);
  }
  return new Promise((resolve, reject) => {
    const thread = new Worker(url);
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      void thread.terminate();
    };
    const answer = (message: ToJobThread) => {
      if (!settled) thread.postMessage(message);
    };
    thread.on("message", (message: FromJobThread) => {
      if (message.type === "progress") void updateProgress(message.progress);
      else if (message.type === "log") log(message.line);
      else if (message.type === "check") {
        checkOwnership().then(
          () => answer({ type: "checked", check: message.check }),
          (error: unknown) =>
            answer({
              type: "checked",
              check: message.check,
              error: { message: error instanceof Error ? error.message : String(error), lost: error instanceof WorkLostError },
            }),
        );
      } else if (message.type === "result") settle(() => resolve(message.result));
      else settle(() => reject(errorFrom(message)));
    });
    thread.on("error", (error) => settle(() => reject(error)));
    thread.on("exit", (code) => settle(() => reject(new Error(`the thread running job ${job.id} (${name}) exited (${code}) before it gave a result`))));
    thread.postMessage({
      type: "start",
      name,
      id: job.id!,
      jobName: job.name,
      data: job.data,
      children,
      ...(options.queue ? { queue: options.queue } : {}),
      config,
    } satisfies ToJobThread);
  });
}
