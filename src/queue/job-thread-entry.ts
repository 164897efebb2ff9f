// The thread a job's work runs on (job-thread.ts starts it, one per job): runs the named job
// function and sends its log lines, progress and result, or its error, to the main thread; asks
// the main thread to check the job's lock (the lock and its token live there).
// Loaded only from the compiled dist/ (a worker always runs the built CLI).
import { parentPort } from "node:worker_threads";
import { WorkLostError } from "../training/work-lost.js";
import { JobRefusedError } from "./errors.js";
import { runJobFunction } from "./job-functions.js";
import type { FromJobThread, ToJobThread } from "./job-thread.js";
import type { ThreadJob } from "./thread-job.js";

if (!parentPort) throw new Error("src/queue/job-thread-entry.ts is a worker_threads entry point; job-thread.ts starts it");
const port = parentPort;
const send = (message: FromJobThread) => port.postMessage(message);

// Lock checks asked of the main thread, by number, until it answers.
const checks = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let nextCheck = 0;
function checkOwnership(): Promise<void> {
  const check = nextCheck++;
  return new Promise((resolve, reject) => {
    checks.set(check, { resolve, reject });
    send({ type: "check", check });
  });
}

port.on("message", (message: ToJobThread) => {
  if (message.type === "checked") {
    const pending = checks.get(message.check);
    checks.delete(message.check);
    if (!pending) return;
    if (message.error === undefined) pending.resolve();
    else pending.reject(message.error.lost ? new WorkLostError(message.error.message) : new Error(message.error.message));
    return;
  }
  const { name, id, jobName, data, children, queue, config } = message;
  const job: ThreadJob = {
    id,
    name: jobName,
    data,
    children,
    ...(queue ? { queue } : {}),
    updateProgress: (progress) => Promise.resolve(send({ type: "progress", progress })),
    checkOwnership,
  };
  runJobFunction(name, job, config, (line) => send({ type: "log", line })).then(
    (result) => send({ type: "result", result }),
    (error: unknown) =>
      send({
        type: "error",
        message: error instanceof Error ? error.message : String(error),
        kind: error instanceof JobRefusedError ? "refused" : error instanceof WorkLostError ? "lost" : "failed",
      }),
  );
});
