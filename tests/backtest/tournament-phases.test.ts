// The tournament's phases run apart, as the queue runs them on different machines
// (src/queue/tournament-jobs.ts): local trials per shard of series, the global entrant on every
// series, the trials carried as v8-serialised records, then finished together. The report must
// be the one runTournament gives on one machine.
import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import {
  finishTournament,
  planTournament,
  restoreTrials,
  runTournament,
  runTrials,
  trialRecords,
  type SeriesPlan,
  type TournamentReport,
} from "../../src/backtest/tournament.js";
import type { SeriesInput } from "../../src/models/model.js";
import { syntheticSeries } from "../training/helpers.js";

// One global candidate (a small GBDT) beside two local ones; combinations allowed, so the size
// chosen over every series matters.
const config = configFromDefaults({
  model: {
    auto: { candidates: ["ets", "holt_winters", "gbdt"], selection_windows: 2, evaluation_windows: 2, horizon: 3, combine_max: 3 },
    gbdt: { max_rounds: 30, early_stopping_rounds: 10, num_leaves: 7, min_data_in_leaf: 5, threads: 1 },
  },
});
const series = (name: string, seed: number, length = 90): SeriesInput => ({ name, values: syntheticSeries(length, seed), start: "2024-01-01", frequency: "D" });
// C is too short for the windows: skipped, in its place in the list.
const all = [series("A", 1), series("B", 2), series("C", 3, 8), series("D", 4), series("E", 5)];

const trip = <T>(value: T): T => deserialize(serialize(value)) as T;
const untimed = (report: TournamentReport) => JSON.parse(JSON.stringify(report, (key, value: unknown) => (key === "seconds" ? undefined : value))) as unknown;

async function apart(shards: SeriesInput[][]): Promise<TournamentReport> {
  const isGlobal = (planned: ReturnType<typeof planTournament>, global: boolean) =>
    planned.entrants.flatMap((entrant, e) => ((entrant.family.scope === "global") === global ? [e] : []));
  // The global part: every series.
  const everything = planTournament(config, shards.flat());
  await runTrials(everything, "global");
  const globals = trip(new Map(everything.plans.map((plan) => [plan.series.name, trialRecords(everything, plan, isGlobal(everything, true))])));
  // The local parts, each on its own series only.
  const parts = [];
  for (const shard of shards) {
    const planned = planTournament(config, shard);
    await runTrials(planned, "local");
    parts.push(
      trip({
        plans: planned.plans.map((plan) => ({ ...plan, trials: trialRecords(planned, plan, isGlobal(planned, false)) })),
        skipped: planned.skipped,
      }),
    );
  }
  // The finish: nothing but the records.
  const finishing = planTournament(config, []);
  for (const part of parts) {
    finishing.skipped.push(...part.skipped);
    for (const record of part.plans) {
      const plan: SeriesPlan = { series: record.series, cutoffs: record.cutoffs, dates: record.dates, trials: [] };
      restoreTrials(finishing, plan, record.trials);
      restoreTrials(finishing, plan, globals.get(record.series.name)!);
      finishing.plans.push(plan);
    }
  }
  return finishTournament(finishing);
}

describe("the tournament's phases run apart", () => {
  it("give the one-machine report, whatever the shards", async () => {
    const whole = await runTournament(config, all);
    expect(whole.skipped.map((s) => s.series)).toEqual(["C"]);
    // The GBDT was scored on the others (a global part that did nothing would pass otherwise).
    expect(whole.results.every((r) => r.leaderboard.entries.some((e) => e.kind === "gbdt" && e.status === "ok"))).toBe(true);
    expect(untimed(await apart([all.slice(0, 2), all.slice(2, 4), all.slice(4)]))).toEqual(untimed(whole));
    expect(untimed(await apart(all.map((one) => [one])))).toEqual(untimed(whole));
  });

  it("differ when the global entrant is fitted on a shard's series only (why the queue fits it once on every series)", async () => {
    const whole = await runTournament(config, all);
    const perShard = [];
    for (const shard of [all.slice(0, 2), all.slice(2)]) perShard.push(...(await runTournament(config, shard)).results);
    const gbdt = (results: TournamentReport["results"]) =>
      results.map((r) => r.leaderboard.entries.find((e) => e.kind === "gbdt")!.windows.map((w) => w.forecast));
    expect(gbdt(perShard)).not.toEqual(gbdt(whole.results));
  });
});
