// A worker's side of `backtest --all` on the queue (backtest-jobs.ts): a part backtests one
// series, on a job thread (job-thread.ts says why), with the global fits the submitter
// made when a candidate is global.
import { backtestSeries } from "../backtest/backtest.js";
import { loadedGlobalFits } from "../backtest/global.js";
import { BacktestError } from "../backtest/windows.js";
import type { Config } from "../config/schema.js";
import { decode, encode, type BacktestOutcome, type BacktestPart } from "./backtest-jobs.js";
import { threadNote, type ThreadJob } from "./thread-job.js";

/** Backtests the part's series; its encoded BacktestOutcome. */
export async function runBacktestPart(job: ThreadJob, config: Config, log: (line: string) => void): Promise<string> {
  const { job: part, options: plain } = decode<BacktestPart>((job.data as { part: string }).part);
  log(`job ${job.id}: backtesting ${part.category}${threadNote(job)}`);
  try {
    const result = await backtestSeries(config, part.category, part.values, part.dates, part.frequency, {
      ...plain,
      cutoffSubset: part.cutoffSubset,
      covariates: part.covariates,
      ...(part.global ? { global: loadedGlobalFits(part.global) } : {}),
    });
    log(`job ${job.id}: ${part.category}: backtested`);
    return encode({ result } satisfies BacktestOutcome);
  } catch (error) {
    // Too short for the windows: the same on every retry, so a result saying so.
    if (error instanceof BacktestError) return encode({ backtest_error: error.message } satisfies BacktestOutcome);
    throw error;
  }
}
