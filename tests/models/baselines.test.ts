import { describe, expect, it } from "vitest";
import { MovingAverageForecaster, NaiveForecaster, SeasonalNaiveForecaster, standardBaselines } from "../../src/models/baselines/baselines.js";
import { NotFittedError } from "../../src/models/forecaster.js";

const series = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const train = series.slice(0, 8);

describe("baselines", () => {
  it("naive repeats the previous value", () => {
    const f = new NaiveForecaster().fit(train);
    expect(Array.from(f.predictAt(series, [8, 9, 11]))).toEqual([8, 9, 11]);
  });

  it("seasonal naive repeats the value one season earlier", () => {
    const f = new SeasonalNaiveForecaster(7).fit(train);
    expect(Array.from(f.predictAt(series, [8, 11]))).toEqual([2, 5]);
  });

  it("seasonal naive falls back to the previous value with less than a season of history", () => {
    const f = new SeasonalNaiveForecaster(52).fit(train);
    expect(Array.from(f.predictAt(series, [8, 10]))).toEqual([8, 10]);
  });

  it("moving average takes the mean of the window before the target", () => {
    const f = new MovingAverageForecaster(4).fit(train);
    // target 8: mean of 5,6,7,8 = 6.5; target 11: mean of 8,9,10,11 = 9.5
    expect(Array.from(f.predictAt(series, [8, 11]))).toEqual([6.5, 9.5]);
  });

  it("never reads the target or later values", () => {
    const changed = series.slice();
    changed[8] = 1e9;
    changed[9] = -1e9;
    for (const f of standardBaselines(train, 7, 4)) {
      expect(Array.from(f.predictAt(changed, [8]))).toEqual(Array.from(f.predictAt(series, [8])));
    }
  });

  it("share one interface and names used in metric keys", () => {
    expect(standardBaselines(train, 7, 4).map((f) => f.name)).toEqual(["naive", "seasonal_naive", "moving_average"]);
  });

  it("say to call fit first", () => {
    expect(() => new NaiveForecaster().predictAt(series, [8])).toThrow(NotFittedError);
    expect(() => new NaiveForecaster().predictAt(series, [8])).toThrow(/call fit/);
  });

  it("refuse targets without enough history or beyond the series", () => {
    const f = new MovingAverageForecaster(4).fit(train);
    expect(() => f.predictAt(series, [3])).toThrow(/target index 3 is out of range/);
    expect(() => f.predictAt(series, [12])).toThrow(/out of range/);
    expect(() => new MovingAverageForecaster(0)).toThrow(/positive integer/);
    expect(() => new SeasonalNaiveForecaster(1.5)).toThrow(/positive integer/);
  });
});
