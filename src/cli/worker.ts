import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";

export const workerCommand: CommandSpec = {
  name: "worker",
  summary: "take training jobs from the queue (queue.url) until SIGTERM: see README, Running workers",
  options: (command) => command.option("--concurrency <n>", "jobs run at once (default: queue.concurrency)"),
  async run({ config, out }, options) {
    if (!config.queue.url) {
      throw new UsageError(
        "salescast worker needs a queue: set queue.url (e.g. queue.url=redis://127.0.0.1:6379); without one, train --all trains on this machine's threads.",
      );
    }
    const given = options.concurrency as string | undefined;
    const concurrency = given === undefined ? config.queue.concurrency : Number(given);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a positive integer, got ${given}`);
    const { runWorker } = await import("../queue/worker.js");
    const stop = new AbortController();
    const force = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (stop.signal.aborted) {
        // The job in hand is abandoned: its lock lapses after queue.stalled_ms and another worker retries it.
        out.log(`${signal} again: stopping now; the running jobs go back to the queue once their lock lapses (queue.stalled_ms)`);
        force.abort();
        process.exit(130);
      } else {
        out.log(`${signal}: stopping after the running jobs`);
        stop.abort();
      }
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    try {
      await runWorker(config, { concurrency, log: (line) => out.log(line), stop: stop.signal, force: force.signal });
    } finally {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    }
    return 0;
  },
};
