import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSales } from "../../src/data/ingest.js";
import { loadCheckpoint } from "../../src/engine/checkpoint.js";
import { Random } from "../../src/engine/random.js";
import { SalesForecaster } from "../../src/forecaster/index.js";
import { buildCategoryDataset } from "../../src/models/cnn_lstm/dataset.js";
import {
  calibratedSteps,
  calibrateIntervals,
  conformalQuantile,
  intervalBands,
  intervalCoverage,
  minimumResiduals,
  parseIntervalCalibration,
  stepResiduals,
  type PathForecaster,
} from "../../src/models/intervals.js";
import { oneStepAhead } from "../../src/models/forecast-at.js";
import { loadVersion } from "../../src/models/version-file.js";
import { trainCategory } from "../../src/training/train-category.js";
import { dailyDates, tinyConfig, writeSalesCsv } from "../training/helpers.js";

/** Recursive seasonal naive: series[t] forecast by the last observed value one or more weeks earlier. */
const seasonalNaive: PathForecaster = (series, origins, horizon) =>
  origins.map((o) =>
    Array.from({ length: horizon }, (_, i) => {
      let t = o + i - 7;
      while (t >= o) t -= 7;
      return series[t];
    }),
  );

/** A weekly signal plus Gaussian noise of known sigma. */
function noisySeasonal(n: number, sigma: number, seed: number): Float64Array {
  const random = new Random(seed);
  const weekly = [100, 120, 90, 110, 140, 60, 50];
  return Float64Array.from({ length: n }, (_, t) => weekly[t % 7] + random.normal(0, sigma));
}

/** Share of held-out (origin, step) pairs whose actual lies inside forecast ± half-width. */
function empiricalCoverage(series: Float64Array, origins: number[], step: number, halfWidth: number): number {
  const paths = seasonalNaive(series, origins, step);
  let inside = 0;
  origins.forEach((o, i) => {
    if (Math.abs(series[o + step - 1] - paths[i][step - 1]) <= halfWidth) inside++;
  });
  return inside / origins.length;
}

describe("conformalQuantile (hand-checked ranks)", () => {
  const residuals = [5, 1, 4, 2, 3];
  it("takes the ceil((n+1)L/100)-th smallest residual", () => {
    expect(conformalQuantile(residuals, 50)).toBe(3); // ceil(6 * 0.5) = 3
    expect(conformalQuantile(residuals, 60)).toBe(4); // ceil(3.6) = 4
    expect(conformalQuantile(residuals, 80)).toBe(5); // ceil(4.8) = 5
    expect(conformalQuantile([4, 1, 3, 2], 80)).toBe(4); // ceil(5 * 0.8) = 4 exactly, no float drift to 5
    expect(
      conformalQuantile(
        Array.from({ length: 19 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(19); // (20 * 0.95) = 19
  });
  it("gives null when there are too few residuals for the level", () => {
    expect(conformalQuantile(residuals, 95)).toBeNull(); // rank ceil(5.7) = 6 > 5
    expect(
      conformalQuantile(
        Array.from({ length: 18 }, (_, i) => i),
        95,
      ),
    ).toBeNull();
    expect(conformalQuantile([], 80)).toBeNull();
    expect(minimumResiduals(80)).toBe(4);
    expect(minimumResiduals(95)).toBe(19);
    expect(minimumResiduals(50)).toBe(1);
  });
  it("refuses levels outside (0, 100)", () => {
    for (const bad of [0, 100, -5, 150, Number.NaN]) expect(() => conformalQuantile(residuals, bad)).toThrow(/strictly between 0 and 100/);
  });
});

describe("stepResiduals bookkeeping", () => {
  // The series value is its index and the forecast is always 0: each residual names its target.
  const series = Float64Array.from({ length: 20 }, (_, i) => i);
  const zero: PathForecaster = (_s, origins, horizon) => origins.map(() => new Array(horizon).fill(0));
  it("uses every origin whose h-step target is inside the calibration part", () => {
    const r = stepResiduals({ series, start: 10, end: 15, horizon: 3, forecast: zero });
    expect(r).toEqual([
      [10, 11, 12, 13, 14],
      [11, 12, 13, 14],
      [12, 13, 14],
    ]);
  });
  it("skips origins without enough history", () => {
    const r = stepResiduals({ series, start: 2, end: 6, horizon: 1, forecast: zero, minHistory: 4 });
    expect(r).toEqual([[4, 5]]);
  });
  it("refuses a part outside the series", () => {
    expect(() => stepResiduals({ series, start: 10, end: 25, horizon: 1, forecast: zero })).toThrow(/does not lie inside/);
  });
});

describe("split conformal coverage on a seasonal series with Gaussian noise (sigma 5)", () => {
  const sigma = 5;
  const series = noisySeasonal(1500, sigma, 7);
  const calibration = calibrateIntervals({ series, start: 100, end: 400, horizon: 7, levels: [95, 80], forecast: seasonalNaive, minHistory: 7 });
  // Held-out origins: every period after the calibration part (never used to calibrate).
  const heldOut = Array.from({ length: 1000 }, (_, i) => 400 + i);

  it("stores levels sorted, steps 1..H with their residual counts", () => {
    expect(calibration.levels).toEqual([80, 95]);
    expect(calibration.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(calibration.steps.map((s) => s.n)).toEqual([300, 299, 298, 297, 296, 295, 294]);
  });

  it("half-widths match the known noise: seasonal naive errors are N(0, 2 sigma^2)", () => {
    const sd = Math.SQRT2 * sigma;
    expect(calibration.steps[0].halfWidth["80"]).toBeGreaterThan(1.2816 * sd * 0.85);
    expect(calibration.steps[0].halfWidth["80"]).toBeLessThan(1.2816 * sd * 1.15);
    expect(calibration.steps[0].halfWidth["95"]).toBeGreaterThan(1.96 * sd * 0.85);
    expect(calibration.steps[0].halfWidth["95"]).toBeLessThan(1.96 * sd * 1.15);
  });

  it("covers held-out windows close to nominal at every step", () => {
    for (const step of calibration.steps) {
      const c80 = empiricalCoverage(series, heldOut, step.step, step.halfWidth["80"]!);
      const c95 = empiricalCoverage(series, heldOut, step.step, step.halfWidth["95"]!);
      expect(c80, `80% at step ${step.step}`).toBeGreaterThan(0.74);
      expect(c80, `80% at step ${step.step}`).toBeLessThan(0.86);
      expect(c95, `95% at step ${step.step}`).toBeGreaterThan(0.92);
      expect(c95, `95% at step ${step.step}`).toBeLessThan(0.98);
    }
  });

  it("intervalCoverage counts held-out points inside each level's band, per step", () => {
    const points = heldOut.flatMap((o) => seasonalNaive(series, [o], 7)[0].map((forecast, i) => ({ step: i + 1, actual: series[o + i], forecast })));
    const [c80, c95] = intervalCoverage(calibration, points);
    expect(c80.level).toBe(80);
    expect(c80.total).toBe(7000);
    expect(c80.coverage).toBeGreaterThan(0.74);
    expect(c80.coverage).toBeLessThan(0.86);
    expect(c95.coverage).toBeGreaterThan(0.92);
    expect(c95.coverage).toBeLessThan(0.98);
    // Hand-checked: step 1 half-widths {80: 2, 95: null}; step 9 is not calibrated at all.
    const small = { ...calibration, steps: [{ step: 1, n: 9, halfWidth: { "80": 2, "95": null } }] };
    expect(
      intervalCoverage(small, [
        { step: 1, actual: 10, forecast: 11 },
        { step: 1, actual: 10, forecast: 13 },
        { step: 9, actual: 10, forecast: 10 },
      ]),
    ).toEqual([
      { level: 80, covered: 1, total: 2, coverage: 0.5 },
      { level: 95, covered: 0, total: 0, coverage: Number.NaN },
    ]);
  });

  it("the coverage check is sensitive: half the width covers far less than 80%", () => {
    const c = empiricalCoverage(series, heldOut, 1, calibration.steps[0].halfWidth["80"]! / 2);
    expect(c).toBeLessThan(0.6);
  });
});

describe("too few residuals", () => {
  it("leaves a level without interval where n is below its minimum, and counts calibrated steps", () => {
    const series = noisySeasonal(40, 5, 3);
    // 10 calibration periods: n = 10, 9, ..., 1 for steps 1..10.
    const calibration = calibrateIntervals({ series, start: 30, end: 40, horizon: 10, levels: [80, 95], forecast: seasonalNaive, minHistory: 7 });
    expect(calibration.steps.map((s) => s.n)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(calibration.steps.every((s) => s.halfWidth["95"] === null)).toBe(true);
    expect(calibration.steps.map((s) => s.halfWidth["80"] !== null)).toEqual([true, true, true, true, true, true, true, false, false, false]);
    expect(calibratedSteps(calibration, 80)).toBe(7);
    expect(calibratedSteps(calibration, 95)).toBe(0);
    expect(calibratedSteps(calibration, 50)).toBe(0); // never calibrated
  });
});

describe("stored form", () => {
  const calibration = calibrateIntervals({
    series: Float64Array.from({ length: 30 }, (_, i) => i),
    start: 10,
    end: 30,
    horizon: 2,
    levels: [80, 95],
    forecast: (_s, origins, horizon) => origins.map((o) => Array.from({ length: horizon }, (_, i) => o + i + ((o % 3) - 1))),
  });

  it("survives JSON (null half-widths included) and rejects what is not a calibration", () => {
    expect(parseIntervalCalibration(JSON.parse(JSON.stringify(calibration)))).toEqual(calibration);
    expect(calibration.steps[1].halfWidth["95"]).toBe(1); // n = 19: rank 19 of {0,1,1,...}
    for (const bad of [
      undefined,
      null,
      3,
      {},
      { ...calibration, method: "other" },
      { ...calibration, levels: [120] },
      { ...calibration, steps: [{ step: 2, halfWidth: {} }] },
    ]) {
      expect(parseIntervalCalibration(bad)).toBeUndefined();
    }
  });

  it("bands are forecast ± half-width per step", () => {
    const c = {
      ...calibration,
      steps: [
        { step: 1, n: 9, halfWidth: { "80": 2, "95": 5 } },
        { step: 2, n: 8, halfWidth: { "80": 3, "95": null } },
      ],
    };
    expect(intervalBands(c, [10, 20], [80])).toEqual([{ level: 80, lower: [8, 17], upper: [12, 23] }]);
    expect(intervalBands(c, [10], [95, 80])).toEqual([
      { level: 95, lower: [5], upper: [15] },
      { level: 80, lower: [8], upper: [12] },
    ]);
    expect(() => intervalBands(c, [10, 20], [95])).toThrow(/no calibrated half-width for step 2/);
  });
});

describe("calibration after training (end to end with the network)", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "salescast-intervals-"));
    await writeSalesCsv(join(root, "sales.csv"), { categories: ["Beauty"], days: 150 });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("stores validation residual quantiles in model.json and the forecaster answers bands from them", async () => {
    const base = tinyConfig({ root, maxEpochs: 2 });
    const config = { ...base, model: { ...base.model, interval_horizon: 4, interval_levels: [95, 80] } };
    const messages: string[] = [];
    const result = await trainCategory(config, "Beauty", { progress: { report: (e) => e.kind === "message" && messages.push(e.text) } });
    expect(result.status, result.reason).toBe("ok");
    expect(messages.some((m) => /intervals: split conformal on the validation part, 30 residuals at step 1/.test(m))).toBe(true);

    const { meta } = await loadCheckpoint(result.checkpointDir!);
    const calibration = parseIntervalCalibration(meta.extra?.intervals);
    expect(calibration?.levels).toEqual([80, 95]);
    expect(calibration?.steps.map((s) => s.n)).toEqual([30, 29, 28, 27]); // 150 days, 20% validation

    // Step 1 must be the conformal quantile of the one-step validation errors the evaluation sees.
    const data = await loadSales(config.data);
    const values = data.series[0].values;
    const dataset = buildCategoryDataset("Beauty", values, dailyDates(values.length), { windowSize: 7, valFraction: 0.2, testFraction: 0 });
    const { model } = await loadVersion(result.checkpointDir!);
    const oneStep = oneStepAhead(model, { name: "Beauty", values, start: "2024-01-01", frequency: "D" }, dataset.validation.targetIndices);
    const residuals = Array.from(oneStep, (p, i) => Math.abs(dataset.validation.actual[i] - p));
    expect(calibration!.steps[0].halfWidth["80"]).toBeCloseTo(conformalQuantile(residuals, 80)!, 3);
    expect(calibration!.steps[0].halfWidth["95"]).toBeCloseTo(conformalQuantile(residuals, 95)!, 3);

    const forecaster = await SalesForecaster.fromDirectory(result.checkpointDir!);
    const window = Array.from(values.slice(-7));
    const answer = forecaster.forecastWithIntervals(window, { horizon: 4, levels: [80, 95] });
    expect(answer.forecast).toEqual(forecaster.forecast(window, { horizon: 4 }));
    const [b80, b95] = answer.intervals;
    answer.forecast.forEach((f, i) => {
      expect(b80.lower[i]).toBeLessThanOrEqual(f);
      expect(b80.upper[i]).toBeGreaterThanOrEqual(f);
      expect(b95.lower[i]).toBeLessThanOrEqual(b80.lower[i]);
      expect(b95.upper[i]).toBeGreaterThanOrEqual(b80.upper[i]);
      expect(b80.upper[i] - f).toBeCloseTo(calibration!.steps[i].halfWidth["80"]!, 6);
    });
  });
});
