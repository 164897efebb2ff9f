import { describe, expect, it } from "vitest";
import { forecastMetrics, mae, mase, maseLag, maseScale, rmse, seasonLength, smape } from "../../src/models/metrics.js";

describe("metrics against hand-computed values", () => {
  const actual = [10, 20, 30, 0];
  const predicted = [12, 18, 33, 0];

  it("RMSE and MAE", () => {
    // errors 2, -2, 3, 0 -> squares 4, 4, 9, 0
    expect(rmse(actual, predicted)).toBeCloseTo(Math.sqrt(17 / 4), 12);
    expect(mae(actual, predicted)).toBeCloseTo(7 / 4, 12);
  });

  it("sMAPE counts 0/0 as a perfect forecast", () => {
    // 2*2/22, 2*2/38, 2*3/63, 0 (0/0) -> mean * 100
    const expected = ((4 / 22 + 4 / 38 + 6 / 63 + 0) / 4) * 100;
    expect(smape(actual, predicted)).toBeCloseTo(expected, 10);
    expect(smape([0, 0], [0, 0])).toBe(0);
    expect(smape([0], [5])).toBeCloseTo(200, 12); // the maximum
  });

  it("MASE scales by the in-sample seasonal naive MAE of the training part", () => {
    // 14 daily values = two seasons: lag 7. |y_t - y_{t-7}| for t = 7..13.
    const train = [1, 2, 3, 4, 5, 6, 7, 3, 2, 5, 4, 9, 6, 7];
    // diffs: |3-1|=2, |2-2|=0, |5-3|=2, |4-4|=0, |9-5|=4, |6-6|=0, |7-7|=0 -> 8/7
    expect(maseLag(train.length, 7)).toBe(7);
    expect(maseScale(train, 7)).toBeCloseTo(8 / 7, 12);
    expect(mase(actual, predicted, 8 / 7)).toBeCloseTo(7 / 4 / (8 / 7), 12);
  });

  it("MASE falls back to lag 1 when the training part is shorter than two seasons", () => {
    const train = [1, 4, 2, 8, 5];
    expect(maseLag(train.length, 7)).toBe(1);
    // |4-1| + |2-4| + |8-2| + |5-8| = 3 + 2 + 6 + 3 = 14 over 4
    expect(maseScale(train, 7)).toBeCloseTo(3.5, 12);
    expect(maseLag(103, 52)).toBe(1);
    expect(maseLag(104, 52)).toBe(52);
  });

  it("MASE is NaN when the scale is 0, never Infinity", () => {
    expect(Number.isNaN(mase([1, 2], [1, 3], 0))).toBe(true);
  });

  it("seasons: 7 for daily, 52 for weekly", () => {
    expect(seasonLength("D")).toBe(7);
    expect(seasonLength("W")).toBe(52);
  });

  it("forecastMetrics bundles all four", () => {
    const m = forecastMetrics(actual, predicted, 2);
    expect(m).toEqual({ rmse: rmse(actual, predicted), mae: 1.75, smape: smape(actual, predicted), mase: 0.875 });
  });

  it("refuses mismatched or empty inputs", () => {
    expect(() => rmse([1, 2], [1])).toThrow(/1 forecasts for 2 values/);
    expect(() => mae([], [])).toThrow(/at least one/);
    expect(() => maseScale([5], 7)).toThrow(/longer than 1/);
  });
});
