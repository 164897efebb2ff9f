// The tournament's combination rule (src/backtest/combination.ts): the champion may be the mean
// of each series' k best candidates, k chosen by leave-one-window-out on the selection windows
// only; a combination champion is trained as an ensemble of its members.
import { describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { chooseSize, leaveOneOutScore, topCandidates, type RuleCandidate } from "../../src/backtest/combination.js";
import type { LeaderboardWindow } from "../../src/backtest/leaderboard.js";
import { runTournament, AUTO_ROW } from "../../src/backtest/tournament.js";
import type { TournamentEntrant } from "../../src/backtest/tournament-candidates.js";
import { EVALUATION_BASELINES } from "../../src/models/families.js";
import type { SeriesInput } from "../../src/models/model.js";
import { fakeFamily } from "./fake-family.js";
import { championConfig, type AutoOutcome } from "../../src/training/auto.js";

/** A selection window with actual 10 at one step, scale 1: a forecast f scores |10 − f|. */
const window = (forecast: number): LeaderboardWindow => ({
  part: "selection",
  cutoff: "2024-01-01",
  scale: 1,
  forecast: [forecast],
  actual: [10],
  step_error: [Math.abs(10 - forecast)],
  mase: Math.abs(10 - forecast),
});
const candidate = (name: string, forecasts: number[], combinable = true): RuleCandidate => ({ name, combinable, selection: forecasts.map(window) });

describe("the combination rule", () => {
  it("ranks on the given windows only, and takes only combinable candidates for k > 1", () => {
    const a = candidate("a", [10, 10, 20]);
    const b = candidate("b", [11, 11, 11]);
    const g = candidate("global", [10, 10, 10], false);
    expect(topCandidates([a, b, g], 1, [0, 1, 2])!.map((c) => c.name)).toEqual(["global"]);
    expect(topCandidates([a, b, g], 2, [0, 1, 2])!.map((c) => c.name)).toEqual(["b", "a"]); // a: 10/3, b: 1
    expect(topCandidates([a, b, g], 2, [0, 1])!.map((c) => c.name)).toEqual(["a", "b"]); // without window 2, a is exact
    expect(topCandidates([a, b, g], 3, [0, 1, 2])).toBeUndefined(); // two combinable only
  });

  it("scores a rule by leave-one-window-out, by hand", () => {
    // over is +2 on every window, under −2 except window 2 (−6).
    const over = candidate("over", [12, 12, 12]);
    const under = candidate("under", [8, 8, 4]);
    // k = 1 (ties keep the list's order): without w0 or w1, over (2) beats under (4) and scores 2;
    // without w2 they tie at 2, over is taken and scores 2 on w2. Mean 2.
    expect(leaveOneOutScore([over, under], 1)).toBeCloseTo(2, 12);
    // k = 2: the mean is 10 on w0 and w1 (0), 8 on w2 (2). Mean 2/3.
    expect(leaveOneOutScore([over, under], 2)).toBeCloseTo(2 / 3, 12);
    expect(leaveOneOutScore([candidate("one", [10])], 1)).toBeUndefined(); // one window: nothing to leave out
  });

  it("chooses k over every series, and keeps k = 1 unless a larger k is lower", () => {
    const offsetting = [candidate("over", [12, 12, 12]), candidate("under", [8, 8, 8]), candidate("far", [30, 30, 30])];
    const choice = chooseSize([offsetting, offsetting], 5);
    expect(choice.k).toBe(2);
    expect(choice.tried.map((t) => t.k)).toEqual([2, 3]); // k = 4, 5: too few candidates on every series
    expect(choice.tried[0]).toEqual({ k: 2, gain: -2, series: 2 });
    // One exact candidate: combining only adds error.
    const exact = [candidate("exact", [10, 10, 10]), candidate("over", [12, 12, 12]), candidate("under", [7, 7, 7])];
    expect(chooseSize([exact], 5).k).toBe(1);
    expect(chooseSize([offsetting], 1)).toEqual({ k: 1, tried: [] });
  });
});

const config = configFromDefaults({ model: { auto: { candidates: ["ets"], selection_windows: 3, evaluation_windows: 2, horizon: 7 } } });
const pattern = [5, 9, 4, 7, 12, 3, 2];
const weekly = (history: Float64Array, k: number) => history[history.length - 7 + (k % 7)];

describe("a combination champion in the tournament", () => {
  // over and under err by ±1 on a periodic series (their mean is exact); flat is far off.
  const entrants: TournamentEntrant[] = [
    { family: fakeFamily("flat", (h) => h[h.length - 1]), role: "candidate" },
    { family: fakeFamily("over", (h, k) => weekly(h, k) + 1), role: "candidate" },
    { family: fakeFamily("under", (h, k) => weekly(h, k) - 1), role: "candidate" },
    ...EVALUATION_BASELINES.map((family) => ({ family, role: "baseline" as const })),
  ];
  const periodic = Float64Array.from({ length: 120 }, (_, t) => pattern[t % 7]);
  const series = (values: Float64Array): SeriesInput => ({ name: "A", values, start: "2024-01-01", frequency: "D" });

  it("serves the mean of the k best when leave-one-window-out says so, with its rows, intervals and reason", async () => {
    const report = await runTournament(config, [series(periodic)], { entrants });
    const result = report.results[0];
    const board = result.leaderboard;
    expect(board.champion).toMatchObject({ kind: "ensemble", members: ["over", "under"], model: "mean of over, under", selection_mase: 0, evaluation_mase: 0 });
    expect(board.champion.reason).toMatch(/^mean of the 2 candidates with the lowest mean MASE on the 3 selection windows/);
    expect(board.champion.reason).toMatch(/k=2; against the best single, k=2 -1\.000, k=3 /);
    expect(board.champion.coverage!.map((c) => c.level)).toEqual([80, 95]);
    expect(result.championKind).toBe("ensemble");
    expect(result.championMembers).toEqual(["over", "under"]);
    // The auto row is the members' mean: exact here, while each member is 1 off.
    const auto = result.rows.filter((r) => r.model === AUTO_ROW);
    expect(auto).toHaveLength(2 * 7);
    for (const row of auto) expect(row.forecast).toBeCloseTo(row.actual, 12);
    expect(result.rows.filter((r) => r.model === "over").every((r) => Math.abs(r.error + 1) < 1e-12)).toBe(true);
    // Its residuals are the combination's (all 0), so its intervals have width 0.
    expect(result.intervals!.steps[0].halfWidth["80"]).toBe(0);
  });

  it("chooses k and the members on the selection windows only: poisoned evaluation windows change the error, never the choice", async () => {
    const clean = (await runTournament(config, [series(periodic)], { entrants })).results[0].leaderboard;
    const poisoned = Float64Array.from(periodic);
    for (let t = 120 - 14; t < 120; t++) poisoned[t] = t % 2 ? 1e6 : -1e6;
    const dirty = (await runTournament(config, [series(poisoned)], { entrants })).results[0].leaderboard;
    expect(dirty.champion.members).toEqual(clean.champion.members);
    expect(dirty.champion.reason).toBe(clean.champion.reason);
    expect(dirty.champion.selection_mase).toBe(clean.champion.selection_mase);
    expect(dirty.champion.evaluation_mase).toBeGreaterThan(1000);
  });

  it("keeps one candidate when combining does not help on the selection windows, and says so", async () => {
    const exact: TournamentEntrant[] = [{ family: fakeFamily("weekly", weekly), role: "candidate" }, ...entrants];
    const board = (await runTournament(config, [series(periodic)], { entrants: exact })).results[0].leaderboard;
    expect(board.champion.model).toBe("weekly");
    expect(board.champion.members).toBeUndefined();
    expect(board.champion.reason).toMatch(/; one candidate rather than a mean of several \(k=1; against the best single, k=2 \+0\.500, /);
  });

  it("combine_max 1 keeps the single best", async () => {
    const board = (await runTournament(config, [series(periodic)], { entrants, combineMax: 1 })).results[0].leaderboard;
    expect(board.champion.members).toBeUndefined();
    expect(["over", "under"]).toContain(board.champion.model);
    expect(board.champion.reason).toMatch(/^lowest mean MASE on the 3 selection windows/);
  });

  it("a version trained from a combination champion is an ensemble of its members, by their mean", () => {
    const outcome = { members: ["ets", "theta"] } as AutoOutcome;
    const trained = championConfig(configFromDefaults(), outcome);
    expect(trained.model.ensemble.members).toEqual(["ets", "theta"]);
    expect(trained.model.ensemble.combination).toBe("mean");
    const single = configFromDefaults();
    expect(championConfig(single, { ...outcome, members: undefined })).toBe(single);
  });
});
