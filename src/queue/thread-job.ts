// What a job's work sees when it runs on a thread of its own (job-thread.ts): the job's id, name
// and data, its children's results when it gathers them, a progress report and a lock check that
// the main thread carries out for it. The same shape on the main thread (no built thread: .ts sources).
import { isMainThread } from "node:worker_threads";
import type { JobProgress } from "./job-progress.js";

export interface ThreadJob {
  id: string;
  name: string;
  data: unknown;
  /** The children's return values (job.getChildrenValues), read on the main thread for a parent job. */
  children: Record<string, string>;
  /** The worker's queue (its own url and prefix), for work that keeps markers there (once.ts). */
  queue?: { url: string; prefix: string };
  updateProgress(progress: JobProgress): Promise<unknown>;
  /** Throws WorkLostError once the job's lock is no longer this worker's (lock.ts); else extends it. */
  checkOwnership(): Promise<void>;
}

/** " (on a thread of its own)" off the main thread, for the job's first log line. */
export function threadNote(): string {
  return isMainThread ? "" : " (on a thread of its own)";
}
