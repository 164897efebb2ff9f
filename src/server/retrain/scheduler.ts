// schedule.retrain in `salescast serve`: a round of retrain-round.ts at each time of the cron
// schedule (UTC). Training runs as an ordinary job (worker threads, visible in GET /api/jobs and
// its runs in the Runs page), so the server keeps answering; a round that finds a training job
// already running is skipped and said so in the log, and the next time comes as scheduled.
import type { FastifyInstance } from "fastify";
import { SalesForecaster } from "../../forecaster/sales-forecaster.js";
import { parseCron } from "../../util/cron.js";
import { formatOutcome, retrainRound, retrainStatePath, type RetrainOutcome } from "./retrain-round.js";

/** setTimeout's longest wait; a later time is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RetrainSchedule {
  /** The next scheduled round (ISO), or null when stopped. */
  nextAt(): string | null;
  /** One round now, as the schedule runs it. */
  runNow(): Promise<RetrainOutcome[]>;
  stop(): void;
}

export function startRetrainSchedule(app: FastifyInstance, schedule: string): RetrainSchedule {
  const cron = parseCron(schedule);
  const { options, registry, jobs, data, models } = app.salescast;
  let timer: NodeJS.Timeout | undefined;
  let next: Date | undefined;
  let stopped = false;

  const runNow = async (): Promise<RetrainOutcome[]> => {
    const outcomes = await retrainRound({
      registry,
      loadData: () => data.get(),
      train: async (categories) => {
        const job = jobs.submit({ kind: "train_all", categories, experimentName: options.config.train.experiment_name });
        const done = await jobs.wait(job.id);
        if (!done) throw new Error(`retraining job ${job.id} disappeared before it finished`);
        if (done.error !== null) throw new Error(`retraining job ${job.id} ${done.state}: ${done.error}`);
        return done.results;
      },
      load: (info) => SalesForecaster.fromRegistered(info, { backend: options.backend }),
      statePath: retrainStatePath(options.config),
      recentPeriods: options.config.schedule.recent_periods,
    });
    // Promotions are served at once, not at the next look.
    await models.refresh();
    return outcomes;
  };

  const arm = () => {
    if (stopped) return;
    next = cron.next(new Date());
    const wait = () => {
      const left = next!.getTime() - Date.now();
      timer = setTimeout(left > MAX_TIMER_MS ? wait : fire, Math.min(Math.max(left, 0), MAX_TIMER_MS));
      timer.unref();
    };
    wait();
  };
  const fire = async () => {
    app.log.info({ schedule }, "scheduled retraining: round started");
    try {
      const outcomes = await runNow();
      for (const o of outcomes) app.log.info({ retrain: o }, `scheduled retraining: ${formatOutcome(o)}`);
    } catch (error) {
      app.log.error({ err: error }, `scheduled retraining: round failed (${(error as Error).message}); the next one runs as scheduled`);
    } finally {
      arm();
    }
  };
  arm();
  app.log.info({ schedule, next: next?.toISOString() }, `scheduled retraining on "${schedule}" (UTC), next at ${next?.toISOString()}`);
  return {
    nextAt: () => (stopped || !next ? null : next.toISOString()),
    runNow,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
