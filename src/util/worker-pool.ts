// Runs jobs on a few worker threads. Each slot owns at most one worker and feeds it jobs until
// none are left; a worker that dies is replaced for the next job; aborting posts a message to
// every live worker (they stop between two batches). Used by `train --all` and the backtest.
import { Worker } from "node:worker_threads";

export interface WorkerPoolOptions<Job, Result> {
  url: URL;
  jobs: readonly Job[];
  threads: number;
  signal?: AbortSignal;
  /** What live workers are sent when `signal` aborts. */
  abortMessage: unknown;
  /** Runs one job on a worker; `alive: false` when the worker died doing it. */
  run(worker: Worker, job: Job): Promise<{ value: Result; alive: boolean }>;
  /** The result for a job that is not started because the signal aborted first (default: start it anyway). */
  notStarted?(job: Job): Result;
  /** Called after a job whose worker died, before the next job gets a fresh worker. */
  afterDeath?(job: Job, value: Result): Promise<void>;
}

/** The jobs' results, in the jobs' order. */
export async function runOnWorkerPool<Job, Result>(options: WorkerPoolOptions<Job, Result>): Promise<Result[]> {
  const { url, jobs, signal } = options;
  const results: Result[] = new Array(jobs.length);
  const live = new Set<Worker>();
  const onAbort = () => {
    for (const worker of live) worker.postMessage(options.abortMessage);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  let next = 0;
  const slot = async () => {
    let worker: Worker | undefined;
    try {
      while (next < jobs.length) {
        const index = next++;
        const job = jobs[index];
        if (signal?.aborted && options.notStarted) {
          results[index] = options.notStarted(job);
          continue;
        }
        if (!worker) {
          worker = new Worker(url);
          live.add(worker);
        }
        const outcome = await options.run(worker, job);
        results[index] = outcome.value;
        if (!outcome.alive) {
          live.delete(worker);
          worker = undefined;
          await options.afterDeath?.(job, outcome.value);
        }
      }
    } finally {
      if (worker) {
        live.delete(worker);
        await worker.terminate();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.threads }, slot));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  return results;
}

/**
 * Posts `message` to `worker` and waits for the reply that ends the job: `onReply` reads every
 * reply (progress too) and calls `settle` on the one that ends it. A worker that fails or exits
 * first ends it with an error naming `thread` (`alive: false`): the shape `run` returns.
 */
export function exchangeWithWorker<Reply, Value>(
  worker: Worker,
  message: unknown,
  thread: string,
  onReply: (reply: Reply, settle: (value: Value | Error) => void) => void,
): Promise<{ value: Value | Error; alive: boolean }> {
  return new Promise((resolve) => {
    const settle = (value: Value | Error, alive = true) => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      resolve({ value, alive });
    };
    const onMessage = (reply: Reply) => onReply(reply, (value) => settle(value));
    const onError = (error: Error) => settle(new Error(`the ${thread} thread stopped unexpectedly: ${error.message}`), false);
    const onExit = (code: number) => settle(new Error(`the ${thread} thread stopped unexpectedly (exit code ${code})`), false);
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(message);
  });
}
