// A global family in the backtest (src/backtest/global.ts): fitted ONCE per cutoff on every
// series of the data cut at that cutoff (twice with the configured model's intervals: once more
// on the training parts), not once per series; each category forecasts with its cutoff's model.
// The same rows whether the categories run in this thread or on worker threads (the built
// dist/, which gets the saved models and loads them).
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as sourceBacktest from "../../src/backtest/backtest.js";
import type { SalesData } from "../../src/data/types.js";
import * as sourceFamily from "../../src/models/gbdt/family.js";
import { fitGbdtForecaster, forecastGbdtForecaster } from "../../src/models/gbdt/index.js";
import type { SeriesInput } from "../../src/models/model.js";
import { builtDistProblem } from "../built-dist.js";
import { gbdtConfig } from "../models/gbdt-helpers.js";
import { dailyDates, syntheticSeries } from "../training/helpers.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const N = 150;
const data: SalesData = {
  frequency: "D",
  source: { path: "memory", sha256: "", rows: 0 },
  series: [
    { category: "A", start: "2024-01-01", values: syntheticSeries(N, 1, 100), filledPeriods: 0, total: 0 },
    { category: "B", start: "2024-01-01", values: syntheticSeries(N, 2, 400), filledPeriods: 0, total: 0 },
    { category: "C", start: "2024-01-01", values: syntheticSeries(N, 3, 20), filledPeriods: 0, total: 0 },
    // Too short for the windows: skipped, but its periods up to each cutoff still train the global model.
    { category: "Short", start: "2024-01-01", values: syntheticSeries(20, 4, 50), filledPeriods: 0, total: 0 },
  ],
};
const config = gbdtConfig();
const options = { horizon: 7, windows: 3, step: 7, refit: "every" as const, threads: 0 };
const dates = dailyDates(N);

afterEach(() => vi.restoreAllMocks());

describe("a global family in the backtest (in this thread)", () => {
  it("is fitted once per cutoff on every series, twice with intervals, however many categories", async () => {
    const fit = vi.spyOn(sourceFamily.gbdtFamily, "fit");
    const report = await sourceBacktest.backtest(config, undefined, options, data);
    expect(report.results.map((r) => r.category)).toEqual(["A", "B", "C"]);
    expect(report.skipped.map((s) => s.category)).toEqual(["Short"]);
    // 3 cutoffs × (the model that forecasts + the one its intervals are calibrated with); every fit sees all 4 series.
    expect(fit).toHaveBeenCalledTimes(6);
    for (const [series] of fit.mock.calls) expect(series.map((s) => s.name)).toEqual(["A", "B", "C", "Short"]);
    const cutoffs = report.results[0].cutoffs;
    expect(cutoffs).toEqual([dates[N - 22], dates[N - 15], dates[N - 8]]);
    // The forecasting fit of each cutoff ends there for every series (Short ended before).
    const forecastingFits = fit.mock.calls.filter((_, i) => i % 2 === 0).map(([series]) => series.map((s) => s.values.length));
    expect(forecastingFits).toEqual([
      [N - 21, N - 21, N - 21, 20],
      [N - 14, N - 14, N - 14, 20],
      [N - 7, N - 7, N - 7, 20],
    ]);
    // Coverage of the configured global model is reported, from intervals calibrated per category.
    expect(report.results[0].coverage.length).toBeGreaterThan(0);
  });

  it("forecasts each category with the model fitted on every series at that cutoff", async () => {
    const report = await sourceBacktest.backtest(config, ["B"], options, data);
    const rows = report.results[0].rows.filter((r) => r.model === "gbdt");
    expect(rows).toHaveLength(3 * 7);
    const cut = (s: (typeof data.series)[number], end: number): SeriesInput => ({
      name: s.category,
      values: s.values.subarray(0, Math.min(end, s.values.length)),
      start: s.start,
      frequency: "D",
    });
    const end = N - 7;
    const byHand = fitGbdtForecaster(
      data.series.map((s) => cut(s, end)),
      sourceFamily.gbdtOptions(config),
    );
    const expected = forecastGbdtForecaster(byHand, cut(data.series[1], end), 7);
    expect(rows.filter((r) => r.cutoff === dates[end - 1]).map((r) => r.forecast)).toEqual(Array.from(expected));
    for (const row of rows) expect(Number.isFinite(row.forecast)).toBe(true);
  });

  it("fits each global variant once per cutoff too (direct: one model per step of the backtest's horizon)", async () => {
    const fit = vi.spyOn(sourceFamily.gbdtFamily, "fit");
    const report = await sourceBacktest.backtest(config, ["A", "B"], { ...options, variants: ["direct"] }, data);
    expect(report.results[0].models.slice(0, 2)).toEqual(["gbdt", "gbdt_direct"]);
    // 3 cutoffs × (gbdt + its intervals' fit + gbdt_direct).
    expect(fit).toHaveBeenCalledTimes(9);
    const direct = report.results[1].rows.filter((r) => r.model === "gbdt_direct");
    const recursive = report.results[1].rows.filter((r) => r.model === "gbdt");
    expect(direct).toHaveLength(21);
    expect(direct.map((r) => r.forecast)).not.toEqual(recursive.map((r) => r.forecast));
  });

  it("skips, with the reason, a category whose cutoff is too early for the global model; the others go on", async () => {
    // Early ends after 30 days: its first cutoff (day 9) leaves every series a training part of 7 periods, too few for lag 7 + 1.
    const early = {
      ...data,
      series: [...data.series, { category: "Early", start: "2024-01-01", values: syntheticSeries(30, 5, 80), filledPeriods: 0, total: 0 }],
    };
    const report = await sourceBacktest.backtest(config, undefined, options, early);
    expect(report.results.map((r) => r.category)).toEqual(["A", "B", "C"]);
    expect(report.skipped.map((s) => s.category)).toEqual(["Short", "Early"]);
    expect(report.skipped[1].reason).toMatch(
      /category "Early": backtest of the global gbdt model at cutoff 2024-01-09: .*no series is long enough for a training row/,
    );
  });

  it("with refit once, is fitted at the first cutoff only", async () => {
    const fit = vi.spyOn(sourceFamily.gbdtFamily, "fit");
    const report = await sourceBacktest.backtest(config, ["A", "C"], { ...options, refit: "once" }, data);
    expect(report.results).toHaveLength(2);
    expect(fit).toHaveBeenCalledTimes(2);
    expect(fit.mock.calls[0][0].map((s) => s.values.length)).toEqual([N - 21, N - 21, N - 21, 20]);
  });
});

function distProblem(): string | undefined {
  return builtDistProblem(
    ["dist/src/backtest/backtest.js", "dist/src/backtest/worker.js", "dist/src/models/gbdt/family.js"],
    ["src/backtest", "src/models", "src/data", "src/engine"],
  );
}
const problem = distProblem();
describe.skipIf(problem !== undefined)(`a global family on worker threads (built dist/)${problem ? ` - skipped: ${problem}` : ""}`, () => {
  let built: typeof sourceBacktest;
  let builtFamily: typeof sourceFamily;
  beforeAll(async () => {
    built = (await import(pathToFileURL(join(projectRoot, "dist/src/backtest/backtest.js")).href)) as typeof sourceBacktest;
    builtFamily = (await import(pathToFileURL(join(projectRoot, "dist/src/models/gbdt/family.js")).href)) as typeof sourceFamily;
  });

  it("gives the same rows and coverage as in one thread, still one fit per cutoff (two with intervals)", async () => {
    const fit = vi.spyOn(builtFamily.gbdtFamily, "fit");
    const threaded = await built.backtest(config, undefined, { ...options, threads: 2 }, data);
    expect(fit).toHaveBeenCalledTimes(6);
    const serial = await built.backtest(config, undefined, { ...options, threads: 0 }, data);
    expect(threaded.results.map((r) => r.category)).toEqual(["A", "B", "C"]);
    for (let i = 0; i < 3; i++) {
      expect(threaded.results[i].rows).toEqual(serial.results[i].rows);
      expect(threaded.results[i].coverage).toEqual(serial.results[i].coverage);
      expect(threaded.results[i].aggregates).toEqual(serial.results[i].aggregates);
    }
    expect(threaded.skipped).toEqual(serial.skipped);
  });
});
