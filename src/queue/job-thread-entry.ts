// A job thread (job-thread.ts starts it; the worker keeps it for job after job): runs the named
// job function and sends its log lines, progress and result, or its error, to the main thread;
// asks the main thread to check the job's lock (the lock and its token live there).
//
// Nothing of a job outlives it here: its pending lock checks belong to its run, and once the run
// ended a check from work it left behind fails at once (WorkLostError: such work must write
// nothing), and a late answer for it is dropped. What the job functions set for the whole thread
// (the engine backend) is set again from each job's own config.
// Loaded only from the compiled dist/ (a worker always runs the built CLI).
import { parentPort, threadId } from "node:worker_threads";
import { WorkLostError } from "../training/work-lost.js";
import { JobRefusedError } from "./errors.js";
import { runJobFunction } from "./job-functions.js";
import type { FromJobThread, ToJobThread } from "./job-thread-messages.js";
import type { ThreadJob } from "./thread-job.js";

if (!parentPort) throw new Error("src/queue/job-thread-entry.ts is a worker_threads entry point; job-thread.ts starts it");
const port = parentPort;

/** A run's lock checks asked of the main thread, by number, until it answers. */
interface Run {
  checks: Map<number, { resolve: () => void; reject: (error: Error) => void }>;
  nextCheck: number;
}
const runs = new Map<string, Run>();
// How many jobs this thread took: in each job's first log line, to show the thread is reused.
let jobsHere = 0;

function startRun(message: Extract<ToJobThread, { type: "start" }>): void {
  const { run, name, id, jobName, data, children, queue, config } = message;
  const state: Run = { checks: new Map(), nextCheck: 0 };
  runs.set(run, state);
  const send = (reply: FromJobThread) => port.postMessage(reply);
  const ended = () => new WorkLostError(`job ${id} has ended on this thread: work it left running writes nothing more`);
  const checkOwnership = (): Promise<void> => {
    if (runs.get(run) !== state) return Promise.reject(ended());
    const check = state.nextCheck++;
    return new Promise((resolve, reject) => {
      state.checks.set(check, { resolve, reject });
      send({ run, type: "check", check });
    });
  };
  const job: ThreadJob = {
    id,
    name: jobName,
    data,
    children,
    ...(queue ? { queue } : {}),
    thread: { id: threadId, job: ++jobsHere },
    updateProgress: (progress) => Promise.resolve(send({ run, type: "progress", progress })),
    checkOwnership,
  };
  const end = () => {
    runs.delete(run);
    for (const pending of state.checks.values()) pending.reject(ended());
  };
  // Called from a promise, so that an error it throws at once fails the job, not the thread.
  Promise.resolve()
    .then(() => runJobFunction(name, job, config, (line) => send({ run, type: "log", line })))
    .then(
      (result) => {
        end();
        send({ run, type: "result", result });
      },
      (error: unknown) => {
        end();
        send({
          run,
          type: "error",
          message: error instanceof Error ? error.message : String(error),
          kind: error instanceof JobRefusedError ? "refused" : error instanceof WorkLostError ? "lost" : "failed",
        });
      },
    );
}

port.on("message", (message: ToJobThread) => {
  if (message.type === "start") return startRun(message);
  const checks = runs.get(message.run)?.checks;
  const pending = checks?.get(message.check);
  if (!checks || !pending) return; // an answer for a run that is over
  checks.delete(message.check);
  if (message.error === undefined) pending.resolve();
  else pending.reject(message.error.lost ? new WorkLostError(message.error.message) : new Error(message.error.message));
});
