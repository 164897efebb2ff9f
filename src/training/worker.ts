// A training worker thread: trains the categories trainAll sends it, one at a time, and
// reports progress and results back. Loaded only from the compiled dist/ (see train-all.ts).
import { parentPort } from "node:worker_threads";
import { useBackend } from "../engine/backends/index.js";
import type { ProgressEvent, ProgressSink } from "./progress.js";
import { trainCategory } from "./train-category.js";
import type { FromWorker, ToWorker } from "./worker-protocol.js";

if (!parentPort) throw new Error("src/training/worker.ts is a worker_threads entry point; trainAll starts it");
const port = parentPort;
const send = (message: FromWorker) => port.postMessage(message);

// Batch events are frequent; forward at most ~10 per second (the display redraws at that
// rate anyway) plus the last batch of each epoch. Epoch and other events always go through.
const BATCH_INTERVAL_MS = 100;
let lastBatchSent = 0;
const progress: ProgressSink = {
  report(event: ProgressEvent) {
    if (event.kind === "batch" && event.batch !== event.batches) {
      const now = Date.now();
      if (now - lastBatchSent < BATCH_INTERVAL_MS) return;
      lastBatchSent = now;
    }
    send({ type: "progress", event });
  },
};

const controller = new AbortController();
let queue: Promise<void> = Promise.resolve();

port.on("message", (message: ToWorker) => {
  if (message.type === "abort") {
    controller.abort();
    return;
  }
  // Categories arrive one at a time, but chaining keeps them sequential regardless.
  queue = queue.then(() => train(message));
});

async function train(message: Extract<ToWorker, { type: "train" }>): Promise<void> {
  const { config, frequency, source, series, covariates } = message;
  // A thread has its own engine state: the main thread's engine.backend reaches it here.
  useBackend(config.engine.backend);
  try {
    const result = await trainCategory(config, series.category, {
      data: { frequency, source, series: [series], ...(covariates ? { covariates } : {}) },
      progress,
      signal: controller.signal,
      onRunStarted: (runId) => send({ type: "run-started", category: series.category, runId }),
    });
    send({ type: "result", result });
  } catch (error) {
    send({ type: "error", category: series.category, message: error instanceof Error ? error.message : String(error) });
  }
}
