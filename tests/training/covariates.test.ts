// Covariates (model.features.covariates) end to end: training stores the training part's
// statistics (no leakage), the served model needs the future values, the backtest reads them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../src/engine/checkpoint.js";
import { ForecastInputError, SalesForecaster } from "../../src/forecaster/index.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { backtest, backtestSeries, type CategoryBacktest } from "../../src/backtest/backtest.js";
import { covariateStats } from "../../src/models/cnn_lstm/network-config.js";
import { trainCategory } from "../../src/training/train-category.js";
import { dailyDates, syntheticSeries, tinyConfig } from "./helpers.js";

const DAYS = 120;
const dates = dailyDates(DAYS);
/** Promotions on a fixed pattern, with sales 40% higher on promotion days. */
const promo: number[] = Array.from({ length: DAYS }, (_, i) => (i % 5 === 0 || i % 11 === 0 ? 1 : 0));
const sales = Array.from(syntheticSeries(DAYS, 2), (v, i) => v * (promo[i] ? 1.4 : 1));
let root: string;

function configWithPromo() {
  const config = tinyConfig({ root, maxEpochs: 2, patience: 5 });
  return { ...config, model: { ...config.model, features: { ...config.model.features, covariates: ["Promo"] } } };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-cov-"));
  const lines = ["Date,Product Category,Total Amount,Promo"];
  dates.forEach((date, i) => lines.push(`${date},A,${sales[i].toFixed(2)},${promo[i]}`));
  await writeFile(join(root, "sales.csv"), `${lines.join("\n")}\n`);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("covariate statistics", () => {
  it("come from the training part only: later values do not change them", () => {
    const values = [Float64Array.from([1, 0, 1, 0, 5, 9])];
    const poisoned = [Float64Array.from([1, 0, 1, 0, 1e9, -1e9])];
    expect(covariateStats(["p"], values, 4)).toEqual(covariateStats(["p"], poisoned, 4));
    const [stats] = covariateStats(["p"], values, 4);
    expect(stats.mean).toBe(0.5);
    expect(stats.std).toBeCloseTo(0.5 + 1e-6, 12);
    // Constant over the training part: std 1, not 1e-6.
    expect(covariateStats(["p"], [Float64Array.from([0, 0, 0, 1])], 3)[0].std).toBe(1);
  });
});

describe("a model trained with a covariate", () => {
  let forecaster: SalesForecaster;
  const T = 7;

  beforeAll(async () => {
    const result = await trainCategory(configWithPromo(), "A");
    expect(result.status, result.reason).toBe("ok");
    const info = await new LocalRegistry(join(root, "checkpoints")).resolve("A");
    forecaster = await SalesForecaster.fromRegistered(info!);
  }, 60_000);

  it("stores the spec and the training part's statistics in model.json", async () => {
    const { model, meta } = await loadCheckpoint(forecaster.source.dir);
    expect(model.shape.inputSize).toBe(2);
    expect(meta.extra?.features).toEqual({ day_of_week: false, month: false, holidays: [], covariates: ["Promo"] });
    // Training part: the first 96 of 120 days (val_fraction 0.2).
    const part = promo.slice(0, 96);
    const mean = part.reduce((a, b) => a + b, 0) / part.length;
    const std = Math.sqrt(part.reduce((a, b) => a + (b - mean) ** 2, 0) / part.length) + 1e-6;
    const [stats] = meta.extra?.covariate_stats as Array<{ name: string; mean: number; std: number }>;
    expect(stats.name).toBe("Promo");
    expect(stats.mean).toBeCloseTo(mean, 12);
    expect(stats.std).toBeCloseTo(std, 12);
  });

  it("forecasts from the window plus the covariate values of the window and the forecast periods", () => {
    const window = Array.from(sales.slice(DAYS - T));
    const none = Array.from({ length: T + 3 }, () => 0);
    const promoted = [...none.slice(0, T), 1, 1, 1];
    const a = forecaster.forecast(window, { horizon: 3, covariates: { Promo: none } });
    const b = forecaster.forecast(window, { horizon: 3, covariates: { Promo: promoted } });
    expect(a).toHaveLength(3);
    expect(b).not.toEqual(a);
    // Covariates alone need no last_date (they are listed by period).
    expect(forecaster.forecast(window, { covariates: { Promo: none.slice(0, T + 1) } })).toBeCloseTo(a[0], 6);
  });

  it("refuses a forecast without the covariates, with the wrong number of values, or for instances", () => {
    const window = Array.from(sales.slice(DAYS - T));
    const fail = (work: () => unknown): ForecastInputError => {
      try {
        work();
      } catch (error) {
        expect(error).toBeInstanceOf(ForecastInputError);
        return error as ForecastInputError;
      }
      throw new Error("no error");
    };
    const missing = fail(() => forecaster.forecast(window, { horizon: 2 }));
    expect(missing.code).toBe("invalid_covariates");
    expect(missing.message).toMatch(
      /reads covariates \(Promo\), so it needs "covariates": \{"Promo": \[\.\.\.\]\}, each with 9 values \(the 7 periods of the window, then the 2 forecast periods\)/,
    );
    expect(fail(() => forecaster.forecast(window, { covariates: { Promo: [0, 1] } })).message).toMatch(/covariates\.Promo must have 8 values/);
    expect(fail(() => forecaster.forecast(window, { covariates: { Promo: [0, 0, 0, 0, 0, 0, 0, Number.NaN] } })).message).toMatch(
      /covariates\.Promo\[7\] must be a finite number/,
    );
    expect(fail(() => forecaster.forecast(window, { covariates: { Promo: new Array(8).fill(0), Price: [1] } })).message).toMatch(/unknown covariate "Price"/);
    expect(fail(() => forecaster.forecastBatch([window], 1)).message).toMatch(/"instances" is not supported for such a model/);
  });
});

describe("backtest with a covariate", () => {
  it("adds the covariate channel and never reads sales past the cutoff", async () => {
    const config = configWithPromo();
    const report = await backtest(config, ["A"], { horizon: 3, windows: 2, step: 3, refit: "once" });
    const result = report.results[0];
    expect(result.rows.filter((row) => row.model === "cnn_lstm")).toHaveLength(6);

    const values = Float64Array.from(sales);
    const covariates = [Float64Array.from(promo)];
    const options = { horizon: 3, windows: 2, step: 3, refit: "every" as const, covariates };
    const clean = await backtestSeries(config, "A", values, dates, "D", options);
    const poisoned = values.slice();
    poisoned.fill(1e9, DAYS - 3); // after the first cutoff
    const dirty = await backtestSeries(config, "A", poisoned, dates, "D", options);
    const first = (r: CategoryBacktest) => r.rows.filter((row) => row.cutoff === dates[DAYS - 7] && row.model === "cnn_lstm").map((row) => row.forecast);
    expect(first(clean)).toHaveLength(3);
    expect(first(dirty)).toEqual(first(clean));
    await expect(backtestSeries(config, "A", values, dates, "D", { ...options, covariates: undefined })).rejects.toThrow(/no values for them/);
  });
});
