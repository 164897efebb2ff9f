// The tournament on awkward series, with the real statistical candidates and the combination
// rule on: all-zero, negative (returns) and sign-changing, and barely long enough. Each gets a
// champion with finite scores and forecasts (no NaN in a metric or a row), candidates that
// cannot apply are skipped with a reason, and a multiplicative model never serves a series
// with zeros or negative values.
import { describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { runTournament, AUTO_ROW, type SeriesTournament } from "../../src/backtest/tournament.js";
import type { SeriesInput } from "../../src/models/model.js";

const config = configFromDefaults({
  model: { auto: { candidates: ["ets", "holt_winters", "theta", "arima", "intermittent", "mstl"], selection_windows: 3, evaluation_windows: 2, horizon: 7 } },
});
const series = (name: string, values: Float64Array): SeriesInput => ({ name, values, start: "2024-01-01", frequency: "D" });

/** Seeded noise in [−0.5, 0.5). */
function noise(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

function expectSound(result: SeriesTournament): void {
  const board = result.leaderboard;
  expect(board.champion.model).toBeTruthy();
  expect(Number.isFinite(board.champion.selection_mase)).toBe(true);
  expect(Number.isFinite(board.champion.evaluation_mase)).toBe(true);
  for (const entry of board.entries) {
    if (entry.status === "ok") for (const w of entry.windows) expect([...w.forecast, ...w.step_error, w.mase].every(Number.isFinite)).toBe(true);
    else expect(entry.reason).toBeTruthy();
  }
  const auto = result.rows.filter((r) => r.model === AUTO_ROW);
  expect(auto).toHaveLength(2 * 7);
  for (const row of result.rows) expect(Number.isFinite(row.forecast) && Number.isFinite(row.error)).toBe(true);
}

/** True when a fitted description names a multiplicative error or season ("ETS(M,…" or "…,M)"). */
const multiplicative = (description: string | null) => /ETS\(M,|,M\)/.test(description ?? "");

describe("the tournament on awkward series", () => {
  it("gives an all-zero, a negative and a sign-changing series each a sound champion, never a multiplicative one", async () => {
    const r = noise(7);
    const zero = new Float64Array(120);
    const negative = Float64Array.from({ length: 120 }, (_, t) => -50 - 10 * Math.sin((2 * Math.PI * t) / 7) + 5 * r());
    const returns = Float64Array.from({ length: 120 }, (_, t) => 3 * Math.sin((2 * Math.PI * t) / 7) + 4 * r());
    const report = await runTournament(config, [series("zero", zero), series("negative", negative), series("returns", returns)]);
    expect(report.skipped).toEqual([]);
    expect(report.results.map((x) => x.leaderboard.series)).toEqual(["zero", "negative", "returns"]);
    for (const result of report.results) {
      expectSound(result);
      const served = result.leaderboard.champion.members ?? [result.leaderboard.champion.model];
      for (const model of served) expect(multiplicative(result.leaderboard.entries.find((e) => e.model === model)!.description)).toBe(false);
    }
    // An all-zero history forecasts zero.
    for (const row of report.results[0].rows.filter((x) => x.model === AUTO_ROW)) expect(row.forecast).toBe(0);
  });

  it("a series just long enough for the windows gets a champion; candidates that need more history are skipped with the reason", async () => {
    // 3 selection + 2 evaluation windows of 7: the first selection cutoff leaves 10 periods.
    const r = noise(3);
    const short = Float64Array.from({ length: 45 }, (_, t) => 20 + 5 * Math.sin((2 * Math.PI * t) / 7) + r());
    const [result] = (await runTournament(config, [series("short", short)])).results;
    expectSound(result);
    const skipped = result.leaderboard.entries.filter((e) => e.status === "skipped");
    expect(skipped.length).toBeGreaterThan(0);
    for (const entry of skipped) expect(entry.reason).toMatch(/too short or unsuitable|needs|at least/);
  });
});
