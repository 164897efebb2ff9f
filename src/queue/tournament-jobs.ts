// `backtest --all --auto` with queue.url set: the tournament (src/backtest/tournament.ts) as a
// BullMQ flow, with the same report as on one machine, bit for bit.
//
//   tournament-finish (parent): the champion of every series once every trial is in
//   ├── tournament-part, global: every global entrant (the GBDT), fitted once per window on
//   │   every series, as on one machine; only when an entrant is global
//   └── tournament-part × shards: the local entrants of queue.shard_size series each
//
// Why the globals get one child of their own rather than being fitted in every shard: a global
// model fitted on a shard's series only is another model (its forecasts, and so the champion,
// would change with the shard size), and fitting it on every series in every shard would
// multiply its cost, the tournament's largest, by the number of shards. One child runs beside
// the local shards, so the global fits and the local ones overlap in time. The parent is cheap:
// it chooses the combination size over every series (it needs them all) and scores.
//
// A part carries its series (values, dates, covariates) v8-serialised, as backtest jobs do, so
// workers read no file and write nothing; a retried part computes the same trials again.
import type { Config } from "../config/schema.js";
import type { SeriesInput } from "../models/model.js";
import type { TournamentOptions, TournamentReport, TrialRecord } from "../backtest/tournament.js";
import type { TournamentCutoffs, TournamentWindows } from "../backtest/tournament-windows.js";
import { tournamentEntrants } from "../backtest/tournament-candidates.js";
import { decode, encode } from "./backtest-jobs.js";
import { checkQueueServer } from "./connection.js";
import { openFlowSession } from "./flow-session.js";
import { followProgress } from "./job-progress.js";
import { portableConfig, stamped, TOURNAMENT_FINISH_JOB, TOURNAMENT_PART_JOB, TRAIN_QUEUE } from "./payload.js";
import { shards } from "./train-all.js";

/** The tournament's options that travel (no callbacks, no entrants: every machine builds them from the configuration). */
export interface PlainTournamentOptions {
  windows?: TournamentWindows;
  levels?: readonly number[];
  combineMax?: number;
}

/** What a tournament-part job carries: its series and whether it runs the global or the local entrants. */
export interface TournamentPart {
  /** Position of the shard (its series come in this order); -1 for the global part. */
  shard: number;
  scope: "global" | "local";
  series: SeriesInput[];
  options: PlainTournamentOptions;
}

/** One series' plan as a part returns it. */
export interface PlanRecord {
  series: SeriesInput;
  cutoffs: TournamentCutoffs;
  dates: string[];
  trials: TrialRecord[];
}

/** What a part returns: a local shard its plans (and the series too short), the global part its trials by series. */
export type PartOutcome =
  { scope: "local"; shard: number; plans: PlanRecord[]; skipped: TournamentReport["skipped"] } | { scope: "global"; trials: Array<[string, TrialRecord[]]> };

/** What the parent job carries. */
export interface FinishPart {
  options: PlainTournamentOptions;
}

/** Retries of a part that failed with an error (a worker lost, Redis away for a moment). */
const PART_ATTEMPTS = 3;

/** A copy of the series with arrays of its own: v8 would send a view's whole buffer, and refuses a shared one. */
export function portableSeries<S extends { values: Float64Array; covariates?: Readonly<Record<string, Float64Array>> }>(series: S): S {
  return {
    ...series,
    values: series.values.slice(),
    ...(series.covariates ? { covariates: Object.fromEntries(Object.entries(series.covariates).map(([name, column]) => [name, column.slice()])) } : {}),
  };
}

/** A runTournament that runs on the queue's workers (same signature, same report). */
export type TournamentRunner = (config: Config, seriesList: readonly SeriesInput[], options?: TournamentOptions) => Promise<TournamentReport>;

export async function tournamentOnQueue(config: Config, log: (line: string) => void): Promise<TournamentRunner> {
  const check = await checkQueueServer(config.queue.url);
  for (const warning of check.warnings) log(`warning: ${warning}`);
  return async (tournamentConfig, seriesList, options = {}) => {
    if (options.entrants) throw new Error("a tournament on the queue runs the configured entrants (model.auto.candidates), not a list given in code");
    const plain: PlainTournamentOptions = {
      ...(options.windows ? { windows: options.windows } : {}),
      ...(options.levels ? { levels: [...options.levels] } : {}),
      ...(options.combineMax !== undefined ? { combineMax: options.combineMax } : {}),
    };
    const portable = portableConfig(tournamentConfig);
    const series = seriesList.map(portableSeries);
    const names = series.map((one) => one.name);
    const global = tournamentEntrants(tournamentConfig).some((entrant) => entrant.family.scope === "global");
    const part = (shard: number, scope: TournamentPart["scope"], of: SeriesInput[]) => ({
      name: TOURNAMENT_PART_JOB,
      queueName: TRAIN_QUEUE,
      data: stamped(portable, {
        categories: of.map((one) => one.name),
        scope,
        part: encode({ shard, scope, series: of, options: plain } satisfies TournamentPart),
      }),
      opts: { attempts: PART_ATTEMPTS, backoff: { type: "fixed" as const, delay: 1000 }, failParentOnFailure: true, removeOnComplete: { age: 24 * 3600 } },
    });
    const children = [
      ...(global ? [part(-1, "global", series)] : []),
      ...shards(series, tournamentConfig.queue.shard_size).map((of, shard) => part(shard, "local", of)),
    ];

    const { flows, events, close } = await openFlowSession(config, log, "the workers' jobs are kept by Redis and this backtest waits for them");
    try {
      // The parts' lines ("ets selection 0.812…", "gbdt: fitting window 2/6…") as on one machine.
      const followed = followProgress(events, (event) => {
        if (event.kind === "message") options.onProgress?.(event.text, event.category === "" ? undefined : event.category);
      });
      const node = await flows.add({
        name: TOURNAMENT_FINISH_JOB,
        queueName: TRAIN_QUEUE,
        data: stamped(portable, { categories: names, part: encode({ options: plain } satisfies FinishPart) }),
        opts: { removeOnComplete: { age: 24 * 3600 } },
        children,
      });
      const ids = new Set([node.job.id!, ...(node.children ?? []).map((child) => child.job.id!)]);
      followed.ready((jobId) => ids.has(jobId));
      log(
        `queued the tournament of ${names.length} series in ${children.length - (global ? 1 : 0)} shards` +
          `${global ? " and one part for the global entrants (fitted once on every series)" : ""} (job ${node.job.id}); waiting for workers`,
      );
      const aborted = new Promise<never>((_, reject) =>
        options.signal?.addEventListener(
          "abort",
          () => reject(new Error(`interrupted: stopped waiting; the tournament's parts already queued (job ${node.job.id}) still run on the workers`)),
          { once: true },
        ),
      );
      try {
        return decode<TournamentReport>((await Promise.race([node.job.waitUntilFinished(events), aborted])) as string);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw new Error(`the tournament on the queue (job ${node.job.id}) failed: ${(error as Error).message}`, { cause: error });
      }
    } finally {
      await close();
    }
  };
}
