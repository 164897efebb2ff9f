import { describe, expect, it } from "vitest";
import { holtWintersFamily } from "../../src/models/holt_winters/family.js";
import { fitAdditiveHoltWinters, forecastAdditiveHoltWinters } from "../../src/models/holt_winters/holt-winters.js";
import type { SeriesInput } from "../../src/models/model.js";
import { tinyConfig } from "../training/helpers.js";

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
/** The one-step forecast of period t, made from y[0..t) (what the backtest and evaluation ask). */
const oneStep = (fit: ReturnType<typeof fitAdditiveHoltWinters>, series: Float64Array, t: number) =>
  forecastAdditiveHoltWinters(fit, series.subarray(0, t), 1)[0];
/** Feeds each one-step forecast back as the next observation. */
function recursive(fit: ReturnType<typeof fitAdditiveHoltWinters>, history: Float64Array, horizon: number): Float64Array {
  const buffer = new Float64Array(history.length + horizon);
  buffer.set(history);
  for (let k = 0; k < horizon; k++) buffer[history.length + k] = oneStep(fit, buffer, history.length + k);
  return buffer.slice(history.length);
}

describe("additive Holt-Winters", () => {
  it("matches the hand-computed one-step forecasts", () => {
    const hw = fitAdditiveHoltWinters(y, 2, half);
    expect(hw.season).toBe(2);
    // A forecast needs 2m = 4 earlier periods: the initial state reads y[0..4).
    expect(oneStep(hw, y, 4)).toBe(13.6875);
    const longer = Float64Array.from([...y, 0]);
    expect([oneStep(hw, longer, 4), oneStep(hw, longer, 5)]).toEqual([13.6875, 24.546875]);
  });

  it("matches the hand-computed h-step forecasts, directly and recursively", () => {
    const hw = fitAdditiveHoltWinters(y, 2, half);
    expect(Array.from(forecastAdditiveHoltWinters(hw, y, 2))).toEqual([24.546875, 16.203125]);
    const fed = recursive(hw, y, 2);
    expect(fed[0]).toBeCloseTo(24.546875, 12);
    expect(fed[1]).toBeCloseTo(16.203125, 12);
  });

  it("never reads the target or later periods", () => {
    const hw = fitAdditiveHoltWinters(y, 2, half);
    const poisoned = Float64Array.from([10, 20, 12, 22, Number.NaN, 1e9]);
    expect(oneStep(hw, poisoned, 4)).toBe(oneStep(hw, y, 4));
  });

  it("falls back to Holt's linear trend (no season) on a training part under two seasons", () => {
    // ℓ = y1 = 12, b = y1 − y0 = 2; t=2: ŷ = 14, ℓ = .5(13) + .5(14) = 13.5, b = .5(1.5) + .5(2) = 1.75
    // forecast after t=2: 13.5 + 1.75 = 15.25, then 17.
    const short = Float64Array.from([10, 12, 13]);
    const hw = fitAdditiveHoltWinters(short, 7, half);
    expect(hw.season).toBe(0);
    expect(oneStep(hw, short, 2)).toBe(14);
    expect(Array.from(forecastAdditiveHoltWinters(hw, short, 2))).toEqual([15.25, 17]);
  });

  it("picks parameters on the grid that forecast a clean seasonal trend closely", () => {
    const pattern = [5, -3, 0, 8, -6, 2, -6];
    const series = Float64Array.from({ length: 140 }, (_, t) => 100 + 0.5 * t + pattern[t % 7]);
    const hw = fitAdditiveHoltWinters(series.subarray(0, 126), 7);
    const forecast = forecastAdditiveHoltWinters(hw, series.subarray(0, 126), 14);
    for (let h = 0; h < 14; h++) expect(Math.abs(forecast[h] - series[126 + h])).toBeLessThan(1);
    expect(hw.alpha).toBeGreaterThan(0);
    expect(hw.alpha).toBeLessThanOrEqual(1);
  });

  it("refuses bad use with clear errors", () => {
    expect(() => fitAdditiveHoltWinters(y, 0)).toThrow(/season must be a positive integer/);
    expect(() => fitAdditiveHoltWinters(y, 7, { alpha: 1.5, beta: 0, gamma: 0 })).toThrow(/alpha must be between 0 and 1/);
    expect(() => fitAdditiveHoltWinters(Float64Array.from([1, 2]), 2)).toThrow(/at least 3 training periods/);
    expect(() => fitAdditiveHoltWinters(Float64Array.from([1, 2, Number.NaN]), 2)).toThrow(/finite values/);
    const hw = fitAdditiveHoltWinters(y, 2, half);
    expect(() => oneStep(hw, y, 3)).toThrow(/needs 4 periods of history \(got 3\)/);
  });
});

describe("the holt_winters family", () => {
  const config = tinyConfig();
  const pattern = [5, -3, 0, 8, -6, 2, -6];
  const values = Float64Array.from({ length: 100 }, (_, t) => 100 + 0.5 * t + pattern[t % 7]);
  const series: SeriesInput = { name: "A", values, start: "2024-01-01", frequency: "D" };

  it("fits on the periods before the held-out part only, with the season of the data's frequency", async () => {
    const model = await holtWintersFamily.fit([series], { config, holdoutStart: 80 });
    expect(model.kind).toBe("holt_winters");
    expect(model.history!.values.length).toBe(80);
    const direct = fitAdditiveHoltWinters(values.subarray(0, 80), 7);
    expect(Array.from(model.forecast(series, 5))).toEqual(Array.from(forecastAdditiveHoltWinters(direct, values, 5)));
    // Later values never change the parameters: poisoning the held-out part leaves the fit alone.
    const poisoned = { ...series, values: Float64Array.from(values, (v, t) => (t >= 80 ? 1e9 : v)) };
    const again = await holtWintersFamily.fit([poisoned], { config, holdoutStart: 80 });
    expect(again.describe()).toBe(model.describe());
    expect(model.describe()).toMatch(/^Holt-Winters: α [\d.]+, β [\d.]+, additive season 7, γ [\d.]+$/);
  });

  it("saves parameters and history as JSON and loads back to the same forecasts", async () => {
    for (const frequency of ["D", "W"] as const) {
      const model = await holtWintersFamily.fit([{ ...series, frequency }], { config });
      const saved = JSON.parse(JSON.stringify(model.save()));
      expect(saved.files).toBeUndefined();
      expect(saved.state.history.values).toHaveLength(100);
      const loaded = holtWintersFamily.load(saved);
      for (const history of [series, { ...series, values: values.subarray(0, 60) }]) {
        expect(Array.from(loaded.forecast({ ...history, frequency }, 8))).toEqual(Array.from(model.forecast({ ...history, frequency }, 8)));
      }
      expect(loaded.describe()).toBe(model.describe());
    }
  });

  it("refuses a damaged saved state and a history too short to forecast from", async () => {
    const saved = (await holtWintersFamily.fit([series], { config })).save();
    expect(() => holtWintersFamily.load({ ...saved, state: { ...(saved.state as object), alpha: "high" } })).toThrow(/alpha is "high"/);
    expect(() => holtWintersFamily.load({ ...saved, state: { ...(saved.state as object), history: null } })).toThrow(/no usable history/);
    const model = holtWintersFamily.load(saved);
    expect(() => model.forecast({ ...series, values: values.subarray(0, 10) }, 1)).toThrow(/needs 14 periods of history \(got 10\)/);
  });
});
