// The messages between a worker's main thread and a job thread (job-thread.ts, job-thread-entry.ts).
// A thread runs job after job, so every message names its run: a message of a job that already
// ended (a progress report or lock check its work sent after it failed) must never be taken for
// the next job's. The run is the job's id and a count kept by the main thread, since a job
// retried on the same worker comes back with the same id.
import type { Config } from "../config/schema.js";
import type { JobFunctionName } from "./job-functions.js";
import type { JobProgress } from "./job-progress.js";

export type ToJobThread =
  | {
      type: "start";
      run: string;
      name: JobFunctionName;
      id: string;
      jobName: string;
      data: unknown;
      children: Record<string, string>;
      queue?: { url: string; prefix: string };
      config: Config;
    }
  | { type: "checked"; run: string; check: number; error?: { message: string; lost: boolean } };

export type FromJobThread = { run: string } & (
  | { type: "progress"; progress: JobProgress }
  | { type: "log"; line: string }
  | { type: "check"; check: number }
  | { type: "result"; result: unknown }
  | { type: "error"; message: string; kind: "refused" | "lost" | "failed" }
);
