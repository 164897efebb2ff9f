import { describe, expect, it } from "vitest";
import { backtestSeries, mergeBacktests } from "../../src/backtest/backtest.js";
import { countCoverage, formatCoverage, mergeCoverage, type BacktestCoverage } from "../../src/backtest/coverage.js";
import { backtestJson, formatBacktestReport } from "../../src/backtest/format.js";
import { INTERVAL_METHOD, type IntervalCalibration } from "../../src/models/intervals.js";
import { dailyDates, tinyConfig } from "../training/helpers.js";

/** Half-widths by step: 80% at steps 1..3, 95% only at step 1 (as if too few residuals later). */
const calibration: IntervalCalibration = {
  method: INTERVAL_METHOD,
  levels: [80, 95],
  source: "validation",
  steps: [
    { step: 1, n: 30, halfWidth: { "80": 1, "95": 2 } },
    { step: 2, n: 29, halfWidth: { "80": 2, "95": null } },
    { step: 3, n: 28, halfWidth: { "80": 3, "95": null } },
  ],
};

const entry = (coverage: readonly BacktestCoverage[], level: number, step: number | "all") => coverage.find((e) => e.level === level && e.step === step)!;

describe("countCoverage", () => {
  // Two cutoffs x three steps. |actual - forecast|: step 1: 0.5, 1.5; step 2: 2 (on the edge: covered), 2.5; step 3: 0, 4.
  const points = [
    { step: 1, forecast: 10, actual: 10.5 },
    { step: 2, forecast: 10, actual: 12 },
    { step: 3, forecast: 10, actual: 10 },
    { step: 1, forecast: 20, actual: 18.5 },
    { step: 2, forecast: 20, actual: 17.5 },
    { step: 3, forecast: 20, actual: 24 },
  ];
  const coverage = countCoverage(calibration, points, 3);

  it("counts the actuals inside forecast ± half-width per level and step", () => {
    expect(entry(coverage, 80, 1)).toEqual({ level: 80, step: 1, covered: 1, total: 2, coverage: 0.5, uncalibrated: 0 });
    expect(entry(coverage, 80, 2)).toMatchObject({ covered: 1, total: 2 });
    expect(entry(coverage, 80, 3)).toMatchObject({ covered: 1, total: 2 });
    expect(entry(coverage, 80, "all")).toEqual({ level: 80, step: "all", covered: 3, total: 6, coverage: 0.5, uncalibrated: 0 });
    expect(entry(coverage, 95, 1)).toMatchObject({ covered: 2, total: 2, coverage: 1 });
  });

  it("leaves out steps without an interval and counts them as uncalibrated", () => {
    const step2 = entry(coverage, 95, 2);
    expect(step2).toMatchObject({ covered: 0, total: 0, uncalibrated: 2 });
    expect(Number.isNaN(step2.coverage)).toBe(true);
    expect(entry(coverage, 95, "all")).toEqual({ level: 95, step: "all", covered: 2, total: 2, coverage: 1, uncalibrated: 4 });
    expect(coverage.map((e) => `${e.level}/${e.step}`)).toEqual(["80/1", "80/2", "80/3", "80/all", "95/1", "95/2", "95/3", "95/all"]);
  });

  it("sums the counts of parts and recomputes the fractions", () => {
    const merged = mergeCoverage([coverage, countCoverage(calibration, [{ step: 1, forecast: 0, actual: 0 }], 3)]);
    expect(entry(merged, 80, 1)).toMatchObject({ covered: 2, total: 3, coverage: 2 / 3 });
    expect(entry(merged, 80, "all")).toMatchObject({ covered: 4, total: 7 });
    expect(entry(merged, 95, "all")).toMatchObject({ covered: 3, total: 3, uncalibrated: 4 });
  });

  it("says the figures in one line, with the steps left out", () => {
    expect(formatCoverage(coverage)).toBe(
      "interval coverage: 80% -> 0.50 (3/6), 95% -> 1.00 (2/2); 95%: 4 forecasts at steps 2,3 left out (too few validation residuals for an interval)",
    );
    expect(formatCoverage([])).toBe("interval coverage: not computed");
  });
});

describe("backtest coverage of the network's intervals", () => {
  // Level 100 plus Gaussian noise (sd 5) from a seeded Box-Muller: the network cannot beat the
  // noise, so the conformal half-widths come from it.
  const n = 160;
  let state = 7;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const values = Float64Array.from({ length: n }, () => 100 + 5 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
  const dates = dailyDates(n);
  const config = tinyConfig({ maxEpochs: 2, patience: 1 });

  it("reports covered / total per level and step, totals = windows x steps (refit once)", async () => {
    const result = await backtestSeries(config, "A", values, dates, "D", { horizon: 3, windows: 4, step: 3, refit: "once" });
    expect(result.coverage.map((e) => `${e.level}/${e.step}`)).toEqual(["80/1", "80/2", "80/3", "80/all", "95/1", "95/2", "95/3", "95/all"]);
    for (const e of result.coverage) {
      // The history before the first cutoff gives ~29 validation periods: enough for 95% at every step.
      expect(e.total).toBe(e.step === "all" ? 4 * 3 : 4);
      expect(e.uncalibrated).toBe(0);
      expect(e.coverage).toBeGreaterThanOrEqual(0);
      expect(e.coverage).toBeLessThanOrEqual(1);
      expect(e.coverage).toBe(e.covered / e.total);
    }
    // The 95% band is at least as wide as the 80% one at every step.
    expect(entry(result.coverage, 95, "all").covered).toBeGreaterThanOrEqual(entry(result.coverage, 80, "all").covered);
    const json = JSON.parse(JSON.stringify(backtestJson({ results: [result], skipped: [] }, 1)));
    expect(json.categories[0].coverage).toHaveLength(8);
    expect(formatBacktestReport({ results: [result], skipped: [] }, 1)).toMatch(/interval coverage: 80% -> \d\.\d\d \(\d+\/12\), 95% -> \d\.\d\d \(\d+\/12\)/);
  });

  it("sums the cutoffs' own calibrations with refit every, also when the cutoffs run apart", async () => {
    const options = { horizon: 2, windows: 2, step: 2, refit: "every" as const };
    const whole = await backtestSeries(config, "A", values, dates, "D", options);
    expect(entry(whole.coverage, 80, "all").total).toBe(2 * 2);
    const parts = [];
    for (const position of [0, 1]) parts.push(await backtestSeries(config, "A", values, dates, "D", { ...options, cutoffSubset: [position] }));
    expect(mergeBacktests(parts).coverage).toEqual(whole.coverage);
  });

  it("leaves out and reports steps whose validation part is too short for a level", async () => {
    // 60 periods: the first cutoff's history has a validation part of ~11 periods, too few for 95% (19 needed).
    const short = values.slice(0, 60);
    const result = await backtestSeries(config, "A", short, dates.slice(0, 60), "D", { horizon: 2, windows: 2, step: 2, refit: "once" });
    expect(entry(result.coverage, 95, "all")).toMatchObject({ total: 0, uncalibrated: 4 });
    expect(entry(result.coverage, 80, "all").total + entry(result.coverage, 80, "all").uncalibrated).toBe(4);
    expect(formatBacktestReport({ results: [result], skipped: [] }, 1)).toMatch(/95% -> n\/a \(no interval\).*95%: 4 forecasts at steps 1,2 left out/);
  });
});
