import { describe, expect, it } from "vitest";
import { HoltWintersForecaster } from "../../src/models/holt_winters/holt-winters.js";
import { recursiveForecast } from "../../src/backtest/backtest.js";
import { NotFittedError } from "../../src/models/forecaster.js";

// Season m = 2, α = β = γ = 0.5, y = [10, 20, 12, 22, 14]. By hand:
// init from the first two seasons: ℓ = mean(10, 20) = 15, b = (mean(12, 22) − 15) / 2 = 1,
//   s0 = 10 − 15 = −5, s1 = 20 − 15 = 5; the recursions start at t = 2.
// t=2: ŷ = 15 + 1 − 5 = 11;       ℓ = .5(12 + 5) + .5(16) = 16.5;
//      b = .5(16.5 − 15) + .5(1) = 1.25;        s0 = .5(12 − 16.5) + .5(−5) = −4.75
// t=3: ŷ = 16.5 + 1.25 + 5 = 22.75; ℓ = .5(22 − 5) + .5(17.75) = 17.375;
//      b = .5(0.875) + .5(1.25) = 1.0625;      s1 = .5(22 − 17.375) + .5(5) = 4.8125
// t=4: ŷ = 17.375 + 1.0625 − 4.75 = 13.6875;   ℓ = .5(14 + 4.75) + .5(18.4375) = 18.59375;
//      b = .5(1.21875) + .5(1.0625) = 1.140625; s0 = .5(14 − 18.59375) + .5(−4.75) = −4.671875
// forecasts after t=4: h=1 (s1): 18.59375 + 1.140625 + 4.8125 = 24.546875
//                      h=2 (s0): 18.59375 + 2.28125 − 4.671875 = 16.203125
const y = Float64Array.from([10, 20, 12, 22, 14]);
const half = { alpha: 0.5, beta: 0.5, gamma: 0.5 };

describe("HoltWintersForecaster (additive)", () => {
  it("matches the hand-computed one-step forecasts", () => {
    const hw = new HoltWintersForecaster(2, half).fit(y);
    expect(hw.seasonal).toBe(true);
    // Targets need 2m = 4 earlier periods: the initial state reads y[0..4).
    expect(Array.from(hw.predictAt(y, [4]))).toEqual([13.6875]);
    const longer = Float64Array.from([...y, 0]);
    expect(Array.from(hw.predictAt(longer, [4, 5]))).toEqual([13.6875, 24.546875]);
  });

  it("matches the hand-computed h-step forecasts, directly and recursively", () => {
    const hw = new HoltWintersForecaster(2, half).fit(y);
    expect(Array.from(hw.forecast(y, 2))).toEqual([24.546875, 16.203125]);
    const recursive = recursiveForecast(hw, y, 2);
    expect(recursive[0]).toBeCloseTo(24.546875, 12);
    expect(recursive[1]).toBeCloseTo(16.203125, 12);
  });

  it("never reads the target or later periods", () => {
    const hw = new HoltWintersForecaster(2, half).fit(y);
    const poisoned = Float64Array.from([10, 20, 12, 22, Number.NaN, 1e9]);
    expect(hw.predictAt(poisoned, [4])[0]).toBe(hw.predictAt(y, [4])[0]);
  });

  it("falls back to Holt's linear trend (no season) on a training part under two seasons", () => {
    // ℓ = y1 = 12, b = y1 − y0 = 2; t=2: ŷ = 14, ℓ = .5(13) + .5(14) = 13.5, b = .5(1.5) + .5(2) = 1.75
    // forecast after t=2: 13.5 + 1.75 = 15.25, then 17.
    const short = Float64Array.from([10, 12, 13]);
    const hw = new HoltWintersForecaster(7, half).fit(short);
    expect(hw.seasonal).toBe(false);
    expect(Array.from(hw.predictAt(short, [2]))).toEqual([14]);
    expect(Array.from(hw.forecast(short, 2))).toEqual([15.25, 17]);
  });

  it("picks parameters on the grid that forecast a clean seasonal trend closely", () => {
    const pattern = [5, -3, 0, 8, -6, 2, -6];
    const series = Float64Array.from({ length: 140 }, (_, t) => 100 + 0.5 * t + pattern[t % 7]);
    const hw = new HoltWintersForecaster(7).fit(series.subarray(0, 126));
    const forecast = hw.forecast(series.subarray(0, 126), 14);
    for (let h = 0; h < 14; h++) expect(Math.abs(forecast[h] - series[126 + h])).toBeLessThan(1);
    const params = hw.parameters!;
    expect(params.alpha).toBeGreaterThan(0);
    expect(params.alpha).toBeLessThanOrEqual(1);
  });

  it("refuses bad use with clear errors", () => {
    expect(() => new HoltWintersForecaster(0)).toThrow(/season must be a positive integer/);
    expect(() => new HoltWintersForecaster(7, { alpha: 1.5, beta: 0, gamma: 0 })).toThrow(/alpha must be between 0 and 1/);
    expect(() => new HoltWintersForecaster(2).predictAt(y, [4])).toThrow(NotFittedError);
    expect(() => new HoltWintersForecaster(2).fit(Float64Array.from([1, 2]))).toThrow(/at least 3 training periods/);
    const hw = new HoltWintersForecaster(2, half).fit(y);
    expect(() => hw.predictAt(y, [3])).toThrow(/needs 4 earlier periods/);
  });
});
