// `backtest --all` with queue.url set: the jobs backtest() would give its worker threads (one per
// category, or per cutoff with --refit every; parallel.ts) go to the queue's workers instead, and
// their results come back in the same order. Each worker runs the same backtestSeries on the same
// inputs as a thread would, so the report is the same, bit for bit.
//
// A job carries its series, dates, covariates and saved global fits with it, encoded by v8's
// serializer (typed arrays, NaN and -0 survive it; JSON would not), so a backtest needs no shared
// folder: workers read no file and write nothing. A BacktestError (a series too short for the
// windows) comes back as a result, not a failure: retrying it would fail again.
import { serialize, deserialize } from "node:v8";
import { Queue, QueueEvents } from "bullmq";
import type { Config } from "../config/schema.js";
import { plainBacktestOptions, type BacktestJob, type BacktestRunOptions } from "../backtest/parallel.js";
import type { CategoryBacktest } from "../backtest/types.js";
import { BacktestError } from "../backtest/windows.js";
import { checkQueueServer, queueConnection } from "./connection.js";
import { BACKTEST_JOB, portableConfig, stamped, TRAIN_QUEUE } from "./payload.js";

export interface BacktestPart {
  job: Omit<BacktestJob, "config">;
  options: ReturnType<typeof plainBacktestOptions>;
}

/** What a worker sends back: the category's backtest, or the BacktestError that skips it. */
export type BacktestOutcome = { result: CategoryBacktest } | { backtest_error: string };

export const encode = (value: unknown): string => serialize(value).toString("base64");
export const decode = <T>(text: string): T => deserialize(Buffer.from(text, "base64")) as T;

/** A runner for backtest()'s options.runJobs that sends the jobs to the queue's workers. */
export async function backtestOnQueue(config: Config, log: (line: string) => void): Promise<NonNullable<BacktestRunOptions["runJobs"]>> {
  const check = await checkQueueServer(config.queue.url);
  for (const warning of check.warnings) log(`warning: ${warning}`);
  return async (jobs, options) => {
    const connection = queueConnection(config.queue.url);
    const eventsConnection = queueConnection(config.queue.url);
    const prefix = config.queue.prefix;
    const queue = new Queue(TRAIN_QUEUE, { connection, prefix });
    const events = new QueueEvents(TRAIN_QUEUE, { connection: eventsConnection, prefix });
    try {
      await events.waitUntilReady();
      const portable = portableConfig(config);
      const plain = plainBacktestOptions(options);
      const added = await queue.addBulk(
        jobs.map(({ config: _own, ...job }) => ({
          name: BACKTEST_JOB,
          data: stamped(portable, { category: job.category, part: encode({ job, options: plain } satisfies BacktestPart) }),
          opts: { attempts: 3, backoff: { type: "fixed", delay: 1000 }, removeOnComplete: { age: 24 * 3600 } },
        })),
      );
      log(`queued ${jobs.length} backtest jobs (${added[0]?.id}…${added[added.length - 1]?.id}); waiting for workers`);
      const aborted = new Promise<never>((_, reject) =>
        options.signal?.addEventListener("abort", () => reject(new Error("interrupted: stopped waiting; the queued backtest jobs still run on the workers")), {
          once: true,
        }),
      );
      return await Promise.race([
        Promise.all(
          added.map(async (job, at) => {
            try {
              const outcome = decode<BacktestOutcome>((await job.waitUntilFinished(events)) as string);
              if ("backtest_error" in outcome) return new BacktestError(outcome.backtest_error);
              options.onProgress?.(`${jobs[at].category}: backtested on the queue (job ${job.id})`);
              return outcome.result;
            } catch (error) {
              return new Error(`the backtest job ${job.id} (${jobs[at].category}) failed on the queue: ${(error as Error).message}`);
            }
          }),
        ),
        aborted,
      ]);
    } finally {
      await events.close();
      await queue.close();
      connection.disconnect();
      eventsConnection.disconnect();
    }
  };
}
