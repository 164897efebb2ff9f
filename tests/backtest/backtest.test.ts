import { describe, expect, it } from "vitest";
import {
  aggregateRows,
  backtest,
  BacktestError,
  backtestCutoffs,
  backtestSeries,
  mergeBacktests,
  windowsThatFit,
  type BacktestRow,
  type CategoryBacktest,
} from "../../src/backtest/backtest.js";
import { backtestRowsCsv, formatBacktestReport } from "../../src/backtest/format.js";
import { naiveForecast, seasonalNaiveForecast } from "../../src/models/baselines/forecasts.js";
import { networkMinHistory } from "../../src/models/cnn_lstm/family.js";
import { UnknownCategoryError } from "../../src/data/model-data.js";
import type { SalesData } from "../../src/data/types.js";
import { dailyDates, syntheticSeries, tinyConfig } from "../training/helpers.js";

const config = tinyConfig({ maxEpochs: 1, patience: 1 });
const n = 60;
const values = syntheticSeries(n, 3);
const dates = dailyDates(n);
const MODELS = ["cnn_lstm", "naive", "seasonal_naive", "moving_average", "holt_winters"];

describe("backtest window arithmetic", () => {
  it("puts the last window at the series end and the cutoffs S apart", () => {
    // n = 20, H = 3: the last cutoff sees periods 0..16 and forecasts 17, 18, 19.
    expect(backtestCutoffs(20, { horizon: 3, windows: 3, step: 2 }, 5)).toEqual([13, 15, 17]);
    expect(backtestCutoffs(20, { horizon: 3, windows: 1, step: 3 }, 5)).toEqual([17]);
    // step < horizon: windows overlap.
    expect(backtestCutoffs(20, { horizon: 4, windows: 3, step: 1 }, 5)).toEqual([14, 15, 16]);
  });

  it("counts how many windows fit and says so when there are too few periods", () => {
    expect(windowsThatFit(20, { horizon: 3, step: 2 }, 5)).toBe(7); // cutoffs 5, 7, ..., 17
    expect(windowsThatFit(7, { horizon: 3, step: 2 }, 5)).toBe(0);
    expect(() => backtestCutoffs(20, { horizon: 3, windows: 8, step: 2 }, 5)).toThrow(/At most 7 windows fit: use --windows 7/);
    expect(() => backtestCutoffs(7, { horizon: 3, windows: 1, step: 2 }, 5)).toThrow(/Not even one window fits/);
    expect(() => backtestCutoffs(20, { horizon: 3, windows: 8, step: 2 }, 5)).toThrow(BacktestError);
  });

  it("rejects horizon, windows and step that are not positive whole numbers", () => {
    expect(() => backtestCutoffs(20, { horizon: 0, windows: 1, step: 1 }, 5)).toThrow(/horizon must be a positive whole number \(got 0\)/);
    expect(() => backtestCutoffs(20, { horizon: 2, windows: 1.5, step: 1 }, 5)).toThrow(/windows must be a positive whole number/);
    expect(() => backtestCutoffs(20, { horizon: 2, windows: 2, step: -1 }, 5)).toThrow(/step must be a positive whole number/);
  });

  it("needs a history the network can be trained on (window + target + validation)", () => {
    // window 7, val_fraction 0.2: 10 periods give a training part of 8 = 7 inputs + 1 target.
    expect(networkMinHistory(config)).toBe(10);
  });
});

describe("baseline forecasts over several steps", () => {
  it("feed each forecast back as the next input", () => {
    expect(Array.from(naiveForecast(Float64Array.from([1, 2, 3]), 3))).toEqual([3, 3, 3]);
    expect(Array.from(seasonalNaiveForecast(Float64Array.from([1, 2, 3, 4]), 2, 3))).toEqual([3, 4, 3]);
  });
});

describe("backtestSeries", () => {
  it("gives one row per model, cutoff and step with the right dates and errors", async () => {
    const result = await backtestSeries(config, "A", values, dates, "D", { horizon: 3, windows: 3, step: 2, refit: "once" });
    expect(result.models).toEqual(MODELS);
    // Cutoffs 53, 55, 57: their dates are those of the last period seen (52, 54, 56).
    expect(result.cutoffs).toEqual([dates[52], dates[54], dates[56]]);
    expect(result.rows).toHaveLength(MODELS.length * 3 * 3);
    for (const row of result.rows) {
      const cutoffIndex = dates.indexOf(row.cutoff);
      expect(row.date).toBe(dates[cutoffIndex + row.step]);
      expect(row.actual).toBe(values[cutoffIndex + row.step]);
      expect(row.error).toBeCloseTo(row.actual - row.forecast, 12);
      expect(Number.isFinite(row.forecast)).toBe(true);
    }
    // The naive forecast is the cutoff's last value at every step.
    const naive = result.rows.filter((row) => row.model === "naive" && row.cutoff === dates[54]);
    expect(naive.map((row) => row.forecast)).toEqual([values[54], values[54], values[54]]);
    // Aggregates: every model, steps 1..3 and "all", W = 3 forecasts per step.
    expect(result.aggregates).toHaveLength(MODELS.length * 4);
    expect(result.aggregates.filter((a) => a.step !== "all").every((a) => a.n === 3)).toBe(true);
  });

  it("never looks past the cutoff (refit every): forecasts are unchanged when later values are poisoned", async () => {
    const options = { horizon: 3, windows: 3, step: 2, refit: "every" as const };
    const clean = await backtestSeries(config, "A", values, dates, "D", options);
    const poisoned = values.slice();
    poisoned.fill(1e9, 55); // everything after the second cutoff (55 periods seen)
    const dirty = await backtestSeries(config, "A", poisoned, dates, "D", options);
    const upTo = (result: CategoryBacktest) =>
      result.rows.filter((row) => row.cutoff <= dates[54]).map((row) => [row.model, row.cutoff, row.step, row.forecast]);
    expect(upTo(dirty)).toEqual(upTo(clean));
    expect(upTo(clean)).toHaveLength(MODELS.length * 2 * 3);
    // The poison does reach the last cutoff's forecasts (the test would catch a model that ignores its input).
    const last = (result: CategoryBacktest) => result.rows.filter((row) => row.cutoff === dates[56] && row.model === "naive")[0].forecast;
    expect(last(dirty)).toBe(1e9);
  });

  it("never looks past the cutoff (refit once): NaN after the first cutoff leaves its forecasts alone", async () => {
    const options = { horizon: 4, windows: 2, step: 4, refit: "once" as const };
    const clean = await backtestSeries(config, "A", values, dates, "D", options);
    const poisoned = values.slice();
    const firstCutoff = n - 4 - 4;
    poisoned.fill(Number.NaN, firstCutoff);
    const dirty = await backtestSeries(config, "A", poisoned, dates, "D", options);
    const first = (result: CategoryBacktest) =>
      result.rows.filter((row) => row.cutoff === dates[firstCutoff - 1]).map((row) => [row.model, row.step, row.forecast]);
    expect(first(dirty)).toEqual(first(clean));
    expect(first(clean)).toHaveLength(MODELS.length * 4);
  });

  it("gives the same table when the cutoffs run apart (one thread each) and are merged", async () => {
    const options = { horizon: 2, windows: 3, step: 2, refit: "every" as const };
    const whole = await backtestSeries(config, "A", values, dates, "D", options);
    const parts = [];
    for (const position of [0, 1, 2]) parts.push(await backtestSeries(config, "A", values, dates, "D", { ...options, cutoffSubset: [position] }));
    const merged = mergeBacktests(parts);
    expect(merged.rows).toEqual(whole.rows);
    expect(merged.cutoffs).toEqual(whole.cutoffs);
    expect(merged.aggregates).toEqual(whole.aggregates);
    await expect(backtestSeries(config, "A", values, dates, "D", { ...options, cutoffSubset: [3] })).rejects.toThrow(/cutoff position 3 is out of range 0..2/);
  });

  it("reports a series too short for the windows with how many fit", async () => {
    await expect(backtestSeries(config, "A", values, dates, "D", { horizon: 7, windows: 20, step: 7, refit: "once" })).rejects.toThrow(
      /category "A" has 60 periods, too short for 20 windows.*At most 7 windows fit/,
    );
  });
});

describe("aggregateRows", () => {
  it("computes RMSE, MAE, sMAPE per step and MASE with each cutoff's own scale", () => {
    const row = (cutoff: string, step: number, forecast: number, actual: number): BacktestRow => ({
      category: "A",
      model: "m",
      cutoff,
      step,
      date: "",
      forecast,
      actual,
      error: actual - forecast,
    });
    const rows = [row("c1", 1, 8, 10), row("c2", 1, 13, 10), row("c1", 2, 10, 10), row("c2", 2, 6, 10)];
    const aggregates = aggregateRows(rows, ["c1", "c2"], [2, 1], ["m"], 2);
    const step1 = aggregates.find((a) => a.step === 1)!;
    expect(step1.mae).toBe(2.5); // (2 + 3) / 2
    expect(step1.rmse).toBeCloseTo(Math.sqrt((4 + 9) / 2), 12);
    expect(step1.mase).toBe(2); // (2/2 + 3/1) / 2
    expect(step1.smape).toBeCloseTo((((2 * 2) / 18 + (2 * 3) / 23) / 2) * 100, 10);
    const all = aggregates.find((a) => a.step === "all")!;
    expect(all.n).toBe(4);
    expect(all.mase).toBe((1 + 3 + 0 + 4) / 4);
  });
});

describe("backtest over categories", () => {
  const data: SalesData = {
    frequency: "D",
    source: { path: "memory", sha256: "", rows: 0 },
    series: [
      { category: "A", start: "2024-01-01", values, filledPeriods: 0, total: 0 },
      { category: "Short", start: "2024-01-01", values: values.slice(0, 15), filledPeriods: 0, total: 0 },
    ],
  };

  it("refuses an unknown category before any work", async () => {
    await expect(backtest(config, ["Nope"], { horizon: 3, windows: 2, step: 3, refit: "once" }, data)).rejects.toThrow(UnknownCategoryError);
  });

  it("skips a series too short for the windows among several, and the report says why", async () => {
    const report = await backtest(config, undefined, { horizon: 3, windows: 2, step: 3, refit: "once" }, data);
    expect(report.results.map((r) => r.category)).toEqual(["A"]);
    expect(report.skipped).toEqual([{ category: "Short", reason: expect.stringMatching(/At most 1 window fit/) }]);
    const text = formatBacktestReport(report, 1);
    expect(text).toMatch(/A: MASE by day ahead \(h1 = the next day\), 2 cutoffs/);
    // Weekly data: the steps are weeks.
    expect(formatBacktestReport({ ...report, results: [{ ...report.results[0], frequency: "W" }] }, 1)).toMatch(/A: MASE by week ahead \(h1 = the next week\)/);
    expect(text).toMatch(/skipped Short/);
    const csv = backtestRowsCsv(report.results[0].rows).trimEnd().split("\n");
    // The configured model's rows carry its calibrated interval bounds; the baselines' are empty.
    expect(csv[0]).toBe("category,model,cutoff,step,date,forecast,actual,error,lo_80,hi_80,lo_95,hi_95");
    expect(csv).toHaveLength(1 + MODELS.length * 2 * 3);
    const network = report.results[0].rows.find((row) => row.model === "cnn_lstm")!;
    expect(Object.keys(network.intervals!)).toEqual(["lo_80", "hi_80", "lo_95", "hi_95"]);
    expect(csv.find((line) => line.startsWith("A,naive,"))).toMatch(/,,,,$/);
  });

  it("writes a category that looks like a spreadsheet formula as text in the CSV", async () => {
    const report = await backtest(config, ["A"], { horizon: 3, windows: 2, step: 3, refit: "once" }, data);
    const rows = report.results[0].rows.map((row) => ({ ...row, category: "=cmd|' /C calc'!A0" }));
    const line = backtestRowsCsv(rows).split("\n")[1];
    expect(line.startsWith("'=cmd|' /C calc'!A0,")).toBe(true);
  });
});
