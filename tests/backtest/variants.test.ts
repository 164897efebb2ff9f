// The network's comparison variants in the backtest: calendar features and a direct horizon.
import { describe, expect, it } from "vitest";
import { backtest, backtestSeries, candidatesFor, parseVariants, type CategoryBacktest } from "../../src/backtest/backtest.js";
import { formatBacktestReport } from "../../src/backtest/format.js";
import { dailyDates, syntheticSeries, tinyConfig } from "../training/helpers.js";

const config = tinyConfig({ maxEpochs: 1, patience: 1 });
const n = 60;
const values = syntheticSeries(n, 3);
const dates = dailyDates(n);
const MODELS = ["cnn_lstm", "cnn_lstm+calendar", "cnn_lstm_direct", "naive", "seasonal_naive", "moving_average", "holt_winters"];

describe("parseVariants and the variants' candidates", () => {
  it("reads a comma-separated list and refuses unknown names, listing the choices", () => {
    expect(parseVariants("calendar, direct,calendar")).toEqual(["calendar", "direct"]);
    expect(parseVariants("")).toEqual([]);
    // Without a configuration: any family's variant (the network's and the GBDT's), each name once.
    expect(() => parseVariants("calendar,weather")).toThrow(/unknown variant "weather": choose from calendar, direct, l2 \(/);
    expect(() => parseVariants("calendar,weather", tinyConfig())).toThrow(/unknown network variant "weather": choose from calendar, direct \(/);
  });

  it("derives each variant's configuration from the configured one", () => {
    const [base, calendar, direct] = candidatesFor(config, ["calendar", "direct"], 7);
    expect({ name: base.name, config: base.config }).toEqual({ name: "cnn_lstm", config });
    expect(calendar.name).toBe("cnn_lstm+calendar");
    expect(calendar.config.model.features).toEqual({ day_of_week: true, month: true, holidays: [], covariates: [] });
    expect(calendar.config.model.horizon).toBe(1);
    expect(direct.name).toBe("cnn_lstm_direct");
    expect(direct.config.model.horizon).toBe(7);
    expect(direct.config.model.features).toEqual(config.model.features);
  });
});

describe("backtest with variants", () => {
  const options = { horizon: 3, windows: 3, step: 2, refit: "every" as const, variants: ["calendar", "direct"] as const };

  it("adds one row per variant, cutoff and step, and a column in the report", async () => {
    const result = await backtestSeries(config, "A", values, dates, "D", { ...options, refit: "once" });
    expect(result.models).toEqual(MODELS);
    expect(result.rows).toHaveLength(MODELS.length * 3 * 3);
    for (const model of ["cnn_lstm+calendar", "cnn_lstm_direct"]) {
      const mine = result.rows.filter((row) => row.model === model);
      expect(mine).toHaveLength(9);
      expect(mine.every((row) => Number.isFinite(row.forecast))).toBe(true);
      expect(result.aggregates.find((a) => a.model === model && a.step === "all")?.n).toBe(9);
    }
    // The variants are other networks: their forecasts differ from the configured one.
    const forecasts = (model: string) => result.rows.filter((row) => row.model === model).map((row) => row.forecast);
    expect(forecasts("cnn_lstm+calendar")).not.toEqual(forecasts("cnn_lstm"));
    expect(forecasts("cnn_lstm_direct")).not.toEqual(forecasts("cnn_lstm"));
    // Coverage stays that of the configured network.
    expect(result.coverage.length).toBeGreaterThan(0);
    const text = formatBacktestReport({ results: [result], skipped: [] }, 1);
    expect(text).toMatch(/cnn_lstm\+calendar/);
    expect(text).toMatch(/cnn_lstm_direct/);
  });

  it("never looks past the cutoff (refit every): the calendar and direct variants are unchanged by poisoned later values", async () => {
    const clean = await backtestSeries(config, "A", values, dates, "D", options);
    const poisoned = values.slice();
    poisoned.fill(1e9, 55); // everything after the second cutoff (55 periods seen)
    const dirty = await backtestSeries(config, "A", poisoned, dates, "D", options);
    const upTo = (result: CategoryBacktest, model: string) =>
      result.rows.filter((row) => row.cutoff <= dates[54] && row.model === model).map((row) => [row.cutoff, row.step, row.forecast]);
    for (const model of ["cnn_lstm+calendar", "cnn_lstm_direct"]) {
      expect(upTo(clean, model)).toHaveLength(2 * 3);
      expect(upTo(dirty, model)).toEqual(upTo(clean, model));
      // The last cutoff reads the poison, so its forecasts change (the model does use its input).
      const last = (result: CategoryBacktest) => result.rows.filter((row) => row.cutoff === dates[56] && row.model === model).map((row) => row.forecast);
      expect(last(dirty)).not.toEqual(last(clean));
    }
  });

  it("needs the history the direct variant trains on (H targets and a validation part of H periods)", async () => {
    const data = {
      frequency: "D" as const,
      source: { path: "x.csv", sha256: "0", rows: n },
      series: [{ category: "A", start: dates[0], values, filledPeriods: 0, total: 0 }],
    };
    // Horizon 10: the first cutoff leaves 45 periods; the direct network needs 46 (36 to train on, 10 to validate).
    const windows = { horizon: 10, windows: 2, step: 5, refit: "once" as const };
    await expect(backtest(config, ["A"], { ...windows, variants: ["direct"] }, data)).rejects.toThrow(/at least 46 are needed/);
    const plain = await backtest(config, ["A"], windows, data);
    expect(plain.results[0].cutoffs).toHaveLength(2);
  });
});
