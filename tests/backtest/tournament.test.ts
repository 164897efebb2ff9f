// The tournament (model.architecture: auto): nested selection and evaluation windows, the
// champion chosen on the selection windows only, skipped and failed candidates with their
// reasons, the baseline fallback, and intervals calibrated on the selection windows.
import { describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { runTournament, AUTO_ROW } from "../../src/backtest/tournament.js";
import { tournamentCutoffs } from "../../src/backtest/tournament-windows.js";
import { tournamentEntrants, type TournamentEntrant } from "../../src/backtest/tournament-candidates.js";
import { BacktestError } from "../../src/backtest/windows.js";
import { EVALUATION_BASELINES, FAMILIES } from "../../src/models/families.js";
import { ModelInputError } from "../../src/models/errors.js";
import type { SeriesInput } from "../../src/models/model.js";
import { fakeFamily } from "./fake-family.js";
import { syntheticSeries } from "../training/helpers.js";

// combine_max 1: these cases are about choosing one candidate (the combination rule has its own file, tournament-combination.test.ts).
const config = configFromDefaults({
  model: { auto: { candidates: ["ets", "holt_winters"], selection_windows: 3, evaluation_windows: 2, horizon: 7, combine_max: 1 } },
});
const series = (values: Float64Array, name = "A"): SeriesInput => ({ name, values, start: "2024-01-01", frequency: "D" });

const baselines: TournamentEntrant[] = EVALUATION_BASELINES.map((family) => ({ family, role: "baseline" }));
/** The series' own weekly pattern: exact where the series is periodic. */
const weeklyRepeat = (history: Float64Array, k: number) => history[history.length - 7 + (k % 7)];
const lastValue = (history: Float64Array) => history[history.length - 1];

describe("tournament cutoffs", () => {
  it("puts every selection target before the first evaluation cutoff, whatever the step", () => {
    const { selection, evaluation } = tournamentCutoffs(100, { horizon: 7, selectionWindows: 3, evaluationWindows: 2, step: 3 }, 3);
    expect(evaluation).toEqual([90, 93]);
    expect(selection).toEqual([77, 80, 83]);
    expect(selection[selection.length - 1] + 7).toBeLessThanOrEqual(evaluation[0]);
  });

  it("spaces the selection windows by their own step when given (backtest --auto: model.auto's, whatever the evaluation step)", () => {
    const { selection, evaluation } = tournamentCutoffs(100, { horizon: 4, selectionWindows: 3, evaluationWindows: 3, step: 1, selectionStep: 4 }, 3);
    expect(evaluation).toEqual([94, 95, 96]);
    expect(selection).toEqual([82, 86, 90]);
    expect(selection[2] + 4).toBeLessThanOrEqual(evaluation[0]);
  });

  it("says how many selection windows fit when the series is too short", () => {
    expect(() => tournamentCutoffs(40, { horizon: 7, selectionWindows: 6, evaluationWindows: 2, step: 7 }, 3)).toThrow(
      /At most 3 selection windows fit: set model.auto.selection_windows=3/,
    );
    expect(() => tournamentCutoffs(40, { horizon: 7, selectionWindows: 6, evaluationWindows: 2, step: 7 }, 3)).toThrow(BacktestError);
  });
});

describe("the candidates", () => {
  it("are every kind of the families list that is not a baseline (nor left out by defaultCandidate), by default, and the baselines follow", () => {
    const entrants = tournamentEntrants(configFromDefaults());
    const candidates = entrants.filter((e) => e.role === "candidate").map((e) => e.family.kind);
    expect(candidates).toEqual(FAMILIES.filter((f) => !EVALUATION_BASELINES.includes(f) && f.defaultCandidate !== false).map((f) => f.kind));
    expect(entrants.filter((e) => e.role === "baseline").map((e) => e.family.kind)).toEqual(EVALUATION_BASELINES.map((f) => f.kind));
  });
});

describe("runTournament", () => {
  const values = syntheticSeries(160, 3);

  it("chooses by the selection windows only: a poisoned evaluation window changes its score, never the choice", async () => {
    const clean = await runTournament(config, [series(values)]);
    const poisoned = Float64Array.from(values);
    const firstEvaluation = 160 - 7 - 7; // evaluation cutoffs 146, 153 (step = horizon)
    for (let t = firstEvaluation; t < 160; t++) poisoned[t] = t % 2 ? 1e6 : -1e6;
    const dirty = await runTournament(config, [series(poisoned)]);
    const [a, b] = [clean.results[0].leaderboard, dirty.results[0].leaderboard];
    expect(a.evaluation_cutoffs).toEqual(b.evaluation_cutoffs);
    expect(b.champion.model).toBe(a.champion.model);
    for (const entry of a.entries) {
      const other = b.entries.find((e) => e.model === entry.model)!;
      expect(other.selection_mase).toBe(entry.selection_mase);
      expect(other.evaluation_mase).not.toBe(entry.evaluation_mase);
    }
    // And the champion is the lowest selection score among the candidates.
    const candidates = a.entries.filter((e) => e.role === "candidate" && e.selection_mase !== null);
    expect(a.champion.selection_mase).toBe(Math.min(...candidates.map((e) => e.selection_mase!)));
  });

  it("with the combination rule on (the shipped combine_max), a poisoned evaluation window changes neither k, the members nor the selection score", async () => {
    const combining = configFromDefaults({ model: { auto: { ...config.model.auto, combine_max: 5 } } });
    const poisoned = Float64Array.from(values);
    for (let t = 160 - 14; t < 160; t++) poisoned[t] = t % 2 ? 1e6 : -1e6;
    const [a, b] = [
      (await runTournament(combining, [series(values)])).results[0].leaderboard,
      (await runTournament(combining, [series(poisoned)])).results[0].leaderboard,
    ];
    expect(b.champion.model).toBe(a.champion.model);
    expect(b.champion.members).toEqual(a.champion.members);
    expect(b.champion.reason).toBe(a.champion.reason);
    expect(b.champion.selection_mase).toBe(a.champion.selection_mase);
    expect(b.champion.evaluation_mase).not.toBe(a.champion.evaluation_mase);
  });

  it("picks the candidate with the lowest selection MASE, and reports the others beside it", async () => {
    const periodic = Float64Array.from({ length: 120 }, (_, t) => [5, 9, 4, 7, 12, 3, 2][t % 7] + t * 0.0);
    const entrants: TournamentEntrant[] = [
      { family: fakeFamily("flat", lastValue), role: "candidate" },
      { family: fakeFamily("weekly", weeklyRepeat), role: "candidate" },
      ...baselines,
    ];
    const report = await runTournament(config, [series(periodic)], { entrants });
    const board = report.results[0].leaderboard;
    expect(board.champion.model).toBe("weekly");
    expect(board.champion.selection_mase).toBe(0);
    expect(board.champion.reason).toMatch(/lowest mean MASE on the 3 selection windows: 0.000 \(next: flat/);
    const flat = board.entries.find((e) => e.model === "flat")!;
    expect(flat.selection_mase).toBeGreaterThan(0);
    expect(flat.windows.filter((w) => w.part === "selection")).toHaveLength(3);
    expect(flat.windows[0].step_error).toHaveLength(7);
    // The auto row repeats the champion's evaluation forecasts.
    const rows = report.results[0].rows;
    const auto = rows.filter((r) => r.model === AUTO_ROW);
    expect(auto.map((r) => r.forecast)).toEqual(rows.filter((r) => r.model === "weekly").map((r) => r.forecast));
    expect(auto).toHaveLength(2 * 7);
  });

  it("skips a candidate too short for the series with the reason, and the others still compete", async () => {
    const entrants: TournamentEntrant[] = [
      { family: fakeFamily("long_memory", lastValue, { minHistory: 500 }), role: "candidate" },
      { family: fakeFamily("weekly", weeklyRepeat), role: "candidate" },
      ...baselines,
    ];
    const board = (await runTournament(config, [series(values)], { entrants })).results[0].leaderboard;
    const skipped = board.entries.find((e) => e.model === "long_memory")!;
    expect(skipped.status).toBe("skipped");
    expect(skipped.reason).toMatch(/needs at least 500/);
    expect(skipped.selection_mase).toBeNull();
    expect(board.champion.model).toBe("weekly");
  });

  it("falls back to the seasonal naive baseline, saying why, when every candidate fails", async () => {
    const entrants: TournamentEntrant[] = [
      { family: fakeFamily("broken", lastValue, { throws: new Error("matrix not invertible") }), role: "candidate" },
      { family: fakeFamily("picky", lastValue, { throws: new ModelInputError("the series is constant") }), role: "candidate" },
      ...baselines,
    ];
    const board = (await runTournament(config, [series(values)], { entrants })).results[0].leaderboard;
    expect(board.champion).toMatchObject({ model: "seasonal_naive", fallback: true });
    expect(board.champion.reason).toMatch(/no candidate could be scored.*broken: matrix not invertible.*picky: the series is constant/);
    expect(board.entries.find((e) => e.model === "broken")).toMatchObject({ status: "failed", reason: "matrix not invertible" });
    expect(board.entries.find((e) => e.model === "picky")).toMatchObject({ status: "skipped" });
  });

  it("a series too short for the windows is skipped with the reason; the others go on", async () => {
    const report = await runTournament(config, [series(values, "long"), series(values.subarray(0, 30), "short")]);
    expect(report.results.map((r) => r.leaderboard.series)).toEqual(["long"]);
    expect(report.skipped[0]).toMatchObject({ series: "short" });
    expect(report.skipped[0].reason).toMatch(/too short for 3 selection and 2 evaluation windows/);
  });

  it("calibrates intervals on the selection windows and checks them on the evaluation windows; a constant series gets finite scores", async () => {
    const report = await runTournament(config, [series(values)]);
    const result = report.results[0];
    const champion = result.leaderboard.entries.find((e) => e.model === result.leaderboard.champion.model)!;
    // 3 selection windows × 7 origins: 21 residuals at step 1, enough for 80% (4) and 95% (19).
    expect(result.intervals!.steps[0].n).toBe(21 + 14);
    expect(champion.coverage.map((c) => c.level)).toEqual([80, 95]);
    expect(champion.coverage[0].total).toBeGreaterThan(0);
    const auto = result.rows.find((r) => r.model === AUTO_ROW)!;
    expect(auto.intervals!.lo_80).toBeLessThan(auto.forecast);
    expect(auto.intervals!.hi_95).toBeGreaterThan(auto.intervals!.hi_80!);

    const constant = await runTournament(config, [series(new Float64Array(120).fill(4))]);
    const board = constant.results[0].leaderboard;
    for (const entry of board.entries) for (const w of entry.windows) expect(w.step_error.every(Number.isFinite)).toBe(true);
    expect(board.champion.selection_mase).toBe(0);
  });
});
