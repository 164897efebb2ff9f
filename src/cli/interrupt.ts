import type { Output } from "./output.js";

/**
 * Runs `work` with an AbortSignal that the first Ctrl-C (SIGINT) or SIGTERM fires, so training
 * stops between two batches and the previously registered model stays in place. A second
 * Ctrl-C exits at once.
 */
export async function withInterrupt<T>(out: Output, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    out.log(`\n${signal}: stopping after the current batch (press Ctrl-C again to quit at once)`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
