// A backtest worker thread: backtests the categories the main thread sends it, one at a time.
// Loaded only from the compiled dist/ (see parallel.ts).
import { parentPort } from "node:worker_threads";
import { useBackend } from "../engine/backends/index.js";
import { backtestSeries } from "./backtest.js";
import { loadedGlobalFits } from "./global.js";
import type { BacktestFromWorker, BacktestToWorker } from "./parallel.js";

if (!parentPort) throw new Error("src/backtest/worker.ts is a worker_threads entry point; backtest() starts it");
const port = parentPort;
const send = (message: BacktestFromWorker) => port.postMessage(message);
const controller = new AbortController();
let queue: Promise<void> = Promise.resolve();

port.on("message", (message: BacktestToWorker) => {
  if (message.type === "abort") {
    controller.abort();
    return;
  }
  queue = queue.then(async () => {
    const { config, category, values, dates, frequency, options, cutoffSubset, covariates, global } = message;
    // A thread has its own engine state: the main thread's engine.backend reaches it here.
    useBackend(config.engine.backend);
    try {
      const result = await backtestSeries(config, category, values, dates, frequency, {
        ...options,
        cutoffSubset,
        covariates,
        ...(global ? { global: loadedGlobalFits(global) } : {}),
        signal: controller.signal,
        onProgress: (text) => send({ type: "progress", text }),
      });
      send({ type: "result", result });
    } catch (error) {
      const known = error instanceof Error ? error : new Error(String(error));
      send({ type: "error", name: known.name, message: known.message });
    }
  });
});
