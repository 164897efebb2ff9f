// backtest --auto: every entrant and the row "auto" on the evaluation windows (the backtest's own
// windows), the champion chosen on the selection windows before them; rows with interval bounds.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoBacktest } from "../../src/backtest/auto-backtest.js";
import { backtestJson, backtestRowsCsv, formatBacktestReport } from "../../src/backtest/format.js";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { writeSalesCsv } from "../training/helpers.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-auto-backtest-"));
  await writeSalesCsv(join(root, "sales.csv"), { categories: ["Beauty", "Clothing"], days: 150, shortCategories: ["Tiny"], shortDays: 20 });
});
afterAll(async () => rm(root, { recursive: true, force: true }));

/** combine_max 1: the champion is one entrant (the combination has its own case below). */
const config = (combineMax = 1) =>
  configFromDefaults(
    { model: { architecture: "auto", auto: { candidates: ["ets", "holt_winters"], selection_windows: 3, combine_max: combineMax } } },
    { folder: root },
  );

describe("autoBacktest", () => {
  it("reports the auto row beside every entrant on the evaluation windows, with the champion's forecasts and interval bounds", async () => {
    const report = await autoBacktest(config(), undefined, { horizon: 7, windows: 2, step: 7 });
    expect(report.results.map((r) => r.category)).toEqual(["Beauty", "Clothing"]);
    expect(report.skipped.map((s) => s.category)).toEqual(["Tiny"]);
    const beauty = report.results[0];
    expect(beauty.models).toEqual(["auto", "ets", "holt_winters", "naive", "seasonal_naive", "moving_average"]);
    expect(beauty.cutoffs).toHaveLength(2);
    // The last evaluation cutoff leaves exactly one horizon: 150 - 7 = 143 periods seen.
    expect(beauty.rows.at(-1)!.date).toBe("2024-05-29");
    const champion = beauty.auto!.champion;
    const rowsOf = (model: string) => beauty.rows.filter((r) => r.model === model).map((r) => [r.cutoff, r.step, r.forecast]);
    expect(rowsOf("auto")).toEqual(rowsOf(champion));
    const mean = (model: string) => beauty.aggregates.find((a) => a.model === model && a.step === "all")!.mase;
    expect(mean("auto")).toBe(mean(champion));
    expect(beauty.auto!.selection_cutoffs).toHaveLength(3);
    expect(beauty.auto!.selection_cutoffs.at(-1)! < beauty.cutoffs[0]).toBe(true);
    expect(beauty.coverage.find((c) => c.level === 80 && c.step === "all")!.total).toBeGreaterThan(0);

    const csv = backtestRowsCsv(beauty.rows).split("\n");
    expect(csv[0]).toBe("category,model,cutoff,step,date,forecast,actual,error,lo_80,hi_80,lo_95,hi_95");
    const cells = csv[1].split(",");
    expect(Number(cells[8])).toBeLessThan(Number(cells[5]));
    expect(Number(cells[9])).toBeGreaterThan(Number(cells[5]));
    const json = backtestJson(report, 1);
    expect(json.rows[0]).toHaveProperty("lo_95");
    expect(json.categories[0].auto?.champion).toBe(champion);
    const text = formatBacktestReport(report, 1);
    expect(text).toContain(`auto = ${champion}, chosen on 3 earlier selection windows`);
    expect(text).toMatch(/skipped Tiny: .*too short/);
    // Each scored entrant's own time and the cutoffs it covers (3 selection + 2 evaluation), for the accuracy bench's speed table.
    expect(beauty.auto!.model_seconds.map((m) => m.model)).toEqual(["ets", "holt_winters", "naive", "seasonal_naive", "moving_average"]);
    for (const m of beauty.auto!.model_seconds) expect(m.fits).toBe(5);
  });

  it("with the combination rule on, a combined champion's auto rows are the mean of its members' rows", async () => {
    const report = await autoBacktest(config(5), ["Beauty", "Clothing"], { horizon: 7, windows: 2, step: 7 });
    const combined = report.results.filter((r) => r.auto!.champion.startsWith("mean of "));
    expect(combined.length).toBeGreaterThan(0); // on this seeded data the leave-one-window-out rule combines
    for (const result of combined) {
      const members = result.auto!.champion.replace("mean of ", "").split(", ");
      expect([...members].sort()).toEqual(["ets", "holt_winters"]);
      const forecasts = (model: string) => result.rows.filter((r) => r.model === model).map((r) => r.forecast);
      const expected = forecasts(members[0]).map((f, i) => (f + forecasts(members[1])[i]) / 2);
      forecasts("auto").forEach((f, i) => expect(f).toBeCloseTo(expected[i], 9));
      expect(result.auto!.reason).toMatch(/^mean of the 2 candidates with the lowest mean MASE on the 3 selection windows/);
    }
  });

  it("a single series too short for the windows is an error that says what to change", async () => {
    await expect(autoBacktest(config(), ["Tiny"], { horizon: 7, windows: 2, step: 7 })).rejects.toThrow(/too short for 3 selection and 2 evaluation windows/);
  });
});
