// Reconciliation against hierarchicalforecast 1.5.3 (BottomUp, TopDown forecast_proportions,
// MinTrace ols / wls_struct / wls_var / mint_shrink, normality intervals) on the seeded synthetic
// hierarchies of tools/hierarchicalforecast_fixtures.py: one strict (total → region → store →
// store×item), one grouped (M5-like: states, stores, categories, items and state×item).
import { describe, expect, it } from "vitest";
import { type ReconcileMethod, reconcile } from "../../src/models/reconcile/index.js";
import { shrunkCovariance } from "../../src/models/reconcile/shrinkage.js";
import { maxRelativeDifference, readFixture } from "./fixtures.js";

interface MethodResult {
  mean: number[][];
  sigma?: number[][];
  [bound: string]: number[][] | undefined;
}
interface ReconcileCase {
  name: string;
  bottom_count: number;
  aggregates: number[][];
  h: number;
  strict: boolean;
  y_hat: number[][];
  residuals: number[][];
  sigma: number[][];
  levels: number[];
  results: Record<string, MethodResult>;
  mint_shrink_lambda: number;
}

const fixture = readFixture<ReconcileCase>("reconcile", "hierarchicalforecast.json");
const flat = (rows: number[][]) => Float64Array.from(rows.flat());
const TOLERANCE = 1e-7;

describe.each(fixture.cases)("reconcile matches hierarchicalforecast: $name", (c) => {
  const structure = { bottom_count: c.bottom_count, aggregates: c.aggregates };
  const methods = Object.keys(c.results) as ReconcileMethod[];

  it.each(methods)("%s: mean and, where hierarchicalforecast gives them, normality intervals", (method) => {
    const expected = c.results[method];
    const wantIntervals = expected.sigma !== undefined;
    const result = reconcile(structure, flat(c.y_hat), c.h, {
      method,
      residuals: flat(c.residuals),
      sigma: flat(c.sigma),
      levels: wantIntervals ? c.levels : undefined,
    });
    const meanDifference = maxRelativeDifference(result.forecasts, flat(expected.mean));
    console.log(`${c.name} ${method}: mean max rel. difference ${meanDifference.toExponential(2)} (tolerance ${TOLERANCE})`);
    expect(meanDifference).toBeLessThan(TOLERANCE);
    if (!wantIntervals) return;
    expect(maxRelativeDifference(result.intervals!.sigma, flat(expected.sigma!))).toBeLessThan(TOLERANCE);
    for (const interval of result.intervals!.intervals) {
      expect(maxRelativeDifference(interval.lower, flat(expected[`lo-${interval.level}`]!))).toBeLessThan(TOLERANCE);
      expect(maxRelativeDifference(interval.upper, flat(expected[`hi-${interval.level}`]!))).toBeLessThan(TOLERANCE);
    }
  });

  it("the Schäfer–Strimmer shrinkage intensity equals hierarchicalforecast's", () => {
    const n = c.aggregates.length + c.bottom_count;
    const lambda = shrunkCovariance(flat(c.residuals), n, 2e-8).lambda;
    expect(Math.abs(lambda - c.mint_shrink_lambda)).toBeLessThan(1e-9);
    expect(lambda).toBeGreaterThan(0);
    expect(lambda).toBeLessThan(1);
  });
});

describe("the fixtures exercise what they claim", () => {
  it("the base forecasts are incoherent, so reconciliation has work to do", () => {
    for (const c of fixture.cases) {
      const yHat = c.y_hat;
      const total = yHat[0][0];
      const bottomSum = yHat.slice(c.aggregates.length).reduce((acc, row) => acc + row[0], 0);
      expect(Math.abs(total - bottomSum)).toBeGreaterThan(1e-3);
    }
  });

  it("top-down is compared on the strict hierarchy", () => {
    expect(fixture.cases.some((c) => c.strict && c.results.top_down !== undefined)).toBe(true);
  });
});
