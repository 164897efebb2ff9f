// What a job's work sees when it runs on a job thread (job-thread.ts): the job's id, name and
// data, its children's results when it gathers them, a progress report and a lock check that the
// main thread carries out for it. The same shape on the main thread (no built thread: .ts sources).
import type { JobProgress } from "./job-progress.js";

export interface ThreadJob {
  id: string;
  name: string;
  data: unknown;
  /** The children's return values (job.getChildrenValues), read on the main thread for a parent job. */
  children: Record<string, string>;
  /** The worker's queue (its own url and prefix), for work that keeps markers there (once.ts). */
  queue?: { url: string; prefix: string };
  /** The job thread running it (its threadId) and how many jobs that thread has taken, this one included; none on the main thread. */
  thread?: { id: number; job: number };
  updateProgress(progress: JobProgress): Promise<unknown>;
  /** Throws WorkLostError once the job's lock is no longer this worker's (lock.ts); else extends it. */
  checkOwnership(): Promise<void>;
}

/** " (on job thread 3, its job 2)" on a job thread, for the job's first log line: a worker keeps its threads for job after job. */
export function threadNote(job: ThreadJob): string {
  return job.thread ? ` (on job thread ${job.thread.id}, its job ${job.thread.job})` : "";
}
