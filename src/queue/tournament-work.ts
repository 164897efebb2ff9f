// A worker's side of the tournament's flow (tournament-jobs.ts says why it is cut this way): a
// part runs the trials of its series, the parent puts every part's trials back into one
// tournament and finishes it with the same code as on one machine. Both run on a job thread
// (job-thread.ts says why): the global part fits its entrants on every series at once.
import type { Config } from "../config/schema.js";
import { finishTournament, planTournament, restoreTrials, runTrials, trialRecords, type SeriesPlan, type TournamentOptions } from "../backtest/tournament.js";
import { decode, encode } from "./backtest-jobs.js";
import { queueProgressSink } from "./job-progress.js";
import { threadNote, type ThreadJob } from "./thread-job.js";
import type { FinishPart, PartOutcome, TournamentPart } from "./tournament-jobs.js";

/**
 * The progress lines of a tournament, sent as the job's progress (the submitter prints them).
 * A part's series run one after another, so those before the one a line is about are done
 * (what `salescast jobs` shows); lines about no series (a global fit) leave the count as it is.
 */
function messages(job: ThreadJob, of: number): NonNullable<TournamentOptions["onProgress"]> {
  const seen = new Set<string>();
  const sink = queueProgressSink(job, of, () => Math.max(0, seen.size - 1));
  return (text, series) => {
    if (series !== undefined) seen.add(series);
    sink.report({ kind: "message", category: series ?? "", text });
  };
}

/** Runs a part's trials; its encoded PartOutcome. */
export async function runTournamentPart(job: ThreadJob, config: Config, log: (line: string) => void): Promise<string> {
  const part = decode<TournamentPart>((job.data as { part: string }).part);
  const options: TournamentOptions = { ...part.options, onProgress: messages(job, part.series.length) };
  log(
    `job ${job.id}: tournament, ${part.scope === "global" ? `global entrants on ${part.series.length} series` : `${part.series.length} series`}${threadNote(job)}`,
  );
  const planned = planTournament(config, part.series, options);
  await runTrials(planned, part.scope, options);
  const positions = planned.entrants.flatMap((entrant, e) => ((entrant.family.scope === "global") === (part.scope === "global") ? [e] : []));
  const outcome: PartOutcome =
    part.scope === "global"
      ? { scope: "global", trials: planned.plans.map((plan) => [plan.series.name, trialRecords(planned, plan, positions)]) }
      : {
          scope: "local",
          shard: part.shard,
          plans: planned.plans.map((plan) => ({
            series: plan.series,
            cutoffs: plan.cutoffs,
            dates: plan.dates,
            trials: trialRecords(planned, plan, positions),
          })),
          skipped: planned.skipped,
        };
  log(`job ${job.id}: tournament part done`);
  return encode(outcome);
}

/** Gathers the parts' trials (job.children), series in the order asked, and finishes the tournament; the encoded TournamentReport. */
export async function finishTournamentJob(job: ThreadJob, config: Config, log: (line: string) => void): Promise<string> {
  const { options: plain } = decode<FinishPart>((job.data as { part: string }).part);
  const outcomes = Object.values(job.children).map((value) => decode<PartOutcome>(value));
  const locals = outcomes.flatMap((outcome) => (outcome.scope === "local" ? [outcome] : [])).sort((a, b) => a.shard - b.shard);
  const globals = new Map(outcomes.flatMap((outcome) => (outcome.scope === "global" ? outcome.trials : [])));
  const planned = planTournament(config, [], plain);
  for (const local of locals) {
    planned.skipped.push(...local.skipped);
    for (const record of local.plans) {
      const plan: SeriesPlan = { series: record.series, cutoffs: record.cutoffs, dates: record.dates, trials: [] };
      restoreTrials(planned, plan, record.trials);
      restoreTrials(planned, plan, globals.get(record.series.name) ?? []);
      const missing = planned.entrants.filter((_, e) => plan.trials[e] === undefined).map((entrant) => entrant.family.kind);
      if (missing.length > 0) throw new Error(`the tournament's parts returned no trial of ${missing.join(", ")} for series ${record.series.name}`);
      planned.plans.push(plan);
    }
  }
  log(`job ${job.id}: finishing the tournament of ${planned.plans.length} series`);
  return encode(finishTournament(planned, { ...plain, onProgress: messages(job, planned.plans.length) }));
}
