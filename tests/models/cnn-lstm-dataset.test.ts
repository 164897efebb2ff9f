import { describe, expect, it } from "vitest";
import { buildCategoryDataset, DatasetError, normalizationStats, splitBounds } from "../../src/models/cnn_lstm/dataset.js";

function dailyDates(n: number, start = "2024-01-01"): string[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

/** A series whose validation part is wildly different from its training part. */
function leakySeries(n: number, trainEnd: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (i < trainEnd ? 10 + (i % 5) : 1000 + i));
}

describe("splitBounds", () => {
  it("gives the held-out parts ceil(n * fraction) like sklearn's train_test_split", () => {
    expect(splitBounds(100, 0.2, 0)).toEqual({ trainEnd: 80, validationEnd: 100, length: 100 });
    expect(splitBounds(101, 0.2, 0)).toEqual({ trainEnd: 80, validationEnd: 101, length: 101 });
    expect(splitBounds(100, 0.2, 0.1)).toEqual({ trainEnd: 70, validationEnd: 90, length: 100 });
  });
});

describe("buildCategoryDataset", () => {
  const options = { windowSize: 4, valFraction: 0.2, testFraction: 0 };

  it("computes normalisation statistics on the training part only", () => {
    const series = leakySeries(50, 40);
    const data = buildCategoryDataset("A", series, dailyDates(50), options);
    expect(data.split.trainEnd).toBe(40);
    const train = series.slice(0, 40);
    const mean = train.reduce((a, b) => a + b, 0) / 40;
    const std = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / 40);
    expect(data.stats.mean).toBeCloseTo(mean, 12);
    expect(data.stats.std).toBeCloseTo(std + 1e-6, 12);
    // The validation values (>= 1000) would move the whole-series mean far above 20.
    expect(data.stats.mean).toBeLessThan(20);
    expect(normalizationStats(train)).toEqual(data.stats);
  });

  it("makes every validation period a target, with inputs from the periods before it", () => {
    const n = 50;
    const series = Float64Array.from({ length: n }, (_, i) => i * 3 + (i % 7));
    const dates = dailyDates(n);
    const data = buildCategoryDataset("A", series, dates, options);
    const { validation, stats } = data;
    expect(validation.count).toBe(10);
    expect(Array.from(validation.targetIndices)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    expect(validation.dates).toEqual(dates.slice(40));
    expect(Array.from(validation.actual)).toEqual(Array.from(series.slice(40)));
    // First validation window: inputs are periods 36..39 (training part), target period 40.
    for (let k = 0; k < 4; k++) {
      expect(validation.inputs[k]).toBeCloseTo((series[36 + k] - stats.mean) / stats.std, 5);
    }
    expect(validation.targets[0]).toBeCloseTo((series[40] - stats.mean) / stats.std, 5);
    // Window n: inputs end right before its target.
    const last = validation.count - 1;
    expect(validation.inputs[last * 4 + 3]).toBeCloseTo((series[48] - stats.mean) / stats.std, 5);
  });

  it("builds training windows only from the training part", () => {
    const series = Float64Array.from({ length: 50 }, (_, i) => i);
    const data = buildCategoryDataset("A", series, dailyDates(50), options);
    expect(data.train.count).toBe(36); // targets 4..39
    expect(data.train.targetIndices[0]).toBe(4);
    expect(data.train.targetIndices[35]).toBe(39);
    expect(data.train.inputs.length).toBe(36 * 4);
    expect(data.trainPart.length).toBe(40);
    expect(data.test).toBeUndefined();
  });

  it("adds a test part after validation when test_fraction > 0", () => {
    const series = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i) * 10 + 50);
    const data = buildCategoryDataset("A", series, dailyDates(100), { windowSize: 7, valFraction: 0.2, testFraction: 0.1 });
    expect(data.split).toEqual({ trainEnd: 70, validationEnd: 90, length: 100 });
    expect(data.validation.count).toBe(20);
    expect(data.test?.count).toBe(10);
    expect(data.test?.targetIndices[0]).toBe(90);
  });

  it("refuses a training part shorter than one window plus a target, naming the fix", () => {
    const series = Float64Array.from({ length: 10 }, (_, i) => i);
    expect(() => buildCategoryDataset("Tiny", series, dailyDates(10), { windowSize: 14, valFraction: 0.2, testFraction: 0 })).toThrow(DatasetError);
    expect(() => buildCategoryDataset("Tiny", series, dailyDates(10), { windowSize: 14, valFraction: 0.2, testFraction: 0 })).toThrow(
      /"Tiny".*training part has 8 periods.*at least 15.*window_size/,
    );
  });

  it("refuses a constant training part instead of dividing by 1e-6", () => {
    const series = Float64Array.from({ length: 40 }, (_, i) => (i < 32 ? 5 : i));
    expect(() => buildCategoryDataset("Flat", series, dailyDates(40), options)).toThrow(/nothing to learn/);
  });

  it("refuses non-finite values and mismatched dates", () => {
    const series = Float64Array.from({ length: 40 }, (_, i) => i);
    series[7] = Number.NaN;
    expect(() => buildCategoryDataset("A", series, dailyDates(40), options)).toThrow(/2024-01-08 is NaN/);
    expect(() => buildCategoryDataset("A", new Float64Array(40), dailyDates(39), options)).toThrow(/40 values but 39 dates/);
  });
});
