// The interpolated quantile the tournament's intervals take of their pooled scores
// (interpolatedQuantile; the scores: tests/backtest/interval-calibration.test.ts): hand-computed
// values on small residual sets, the same minimum residual count as the conformal rank, and
// expected coverage at the nominal level where the rounded-up conformal rank over-covers.
import { describe, expect, it } from "vitest";
import { Random } from "../../src/engine/random.js";
import { conformalQuantile, interpolatedQuantile, minimumResiduals } from "../../src/models/intervals.js";

describe("interpolatedQuantile (hand-computed, rank (n+1)·L/100)", () => {
  const residuals = [5, 1, 4, 2, 3]; // sorted 1..5, n = 5

  it("interpolates between the order statistics around the rank", () => {
    expect(interpolatedQuantile(residuals, 50)).toBe(3); // rank 3 exactly
    expect(interpolatedQuantile(residuals, 60)).toBeCloseTo(3.6, 12); // rank 3.6: 3 + 0.6·(4 − 3)
    expect(interpolatedQuantile(residuals, 80)).toBeCloseTo(4.8, 12); // rank 4.8: conformal says 5
    expect(conformalQuantile(residuals, 80)).toBe(5);
    expect(interpolatedQuantile([0, 40, 10, 20], 70)).toBeCloseTo(30, 12); // rank 3.5: 20 + 0.5·(40 − 20)
    expect(interpolatedQuantile([0, 40, 10, 20], 80)).toBe(40); // rank 4 = n
    // 16 residuals 1..16 (walmart's count per step): rank 17·0.8 = 13.6, not the conformal 14.
    const sixteen = Array.from({ length: 16 }, (_, i) => 16 - i);
    expect(interpolatedQuantile(sixteen, 80)).toBeCloseTo(13.6, 12);
    expect(conformalQuantile(sixteen, 80)).toBe(14);
  });

  it("gives the smallest residual below rank 1 and no half-width above rank n (same minimum count as the conformal rank)", () => {
    expect(interpolatedQuantile(residuals, 10)).toBe(1); // rank 0.6
    expect(interpolatedQuantile(residuals, 95)).toBeNull(); // rank 5.7 > 5
    expect(interpolatedQuantile([], 80)).toBeNull();
    for (const level of [80, 90, 95]) {
      const n = minimumResiduals(level);
      const values = Array.from({ length: n }, (_, i) => i + 1);
      expect(interpolatedQuantile(values, level)).not.toBeNull();
      expect(interpolatedQuantile(values.slice(1), level)).toBeNull();
    }
    // (19 + 1)·0.95 = 19.000000000000004 in floating point: still rank 19, the largest.
    expect(
      interpolatedQuantile(
        Array.from({ length: 19 }, (_, i) => i),
        95,
      ),
    ).toBe(18);
  });

  it("rejects a level that is not a percentage", () => {
    for (const bad of [0, 100, -5, 150, Number.NaN]) expect(() => interpolatedQuantile(residuals, bad)).toThrow(/strictly between 0 and 100/);
  });

  it("covers a new exchangeable residual at the nominal level on average, where the conformal rank over-covers", () => {
    const random = new Random(17);
    const reps = 20000;
    let interpolated = 0;
    let conformal = 0;
    for (let r = 0; r < reps; r++) {
      const calibration = Array.from({ length: 16 }, () => Math.abs(random.uniform(-1, 1) + random.uniform(-1, 1)));
      const fresh = Math.abs(random.uniform(-1, 1) + random.uniform(-1, 1));
      if (fresh <= interpolatedQuantile(calibration, 80)!) interpolated++;
      if (fresh <= conformalQuantile(calibration, 80)!) conformal++;
    }
    // Expected: 0.800 exactly for the interpolated rank, 14/17 = 0.824 for the conformal one.
    expect(Math.abs(interpolated / reps - 0.8)).toBeLessThan(0.01);
    expect(conformal / reps - 0.8).toBeGreaterThan(0.015);
  });
});
