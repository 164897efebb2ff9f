// Bad input to the reconciliation library: each case throws a ModelInputError whose message
// says what was wrong.
import { describe, expect, it } from "vitest";
import { ModelInputError } from "../../src/models/errors.js";
import { type ReconcileOptions, reconcile } from "../../src/models/reconcile/index.js";

const structure = {
  bottom_count: 3,
  aggregates: [
    [0, 1, 2],
    [0, 1],
  ],
}; // 5 series
const h = 2;
const base = Float64Array.of(10, 11, 6, 7, 3, 3, 2, 2, 1, 1);
const T = 12;
const noisyResiduals = (seed: number) => {
  const out = new Float64Array(5 * T);
  for (let j = 0; j < out.length; j++) out[j] = Math.sin(j * 1.7 + seed) + 0.3 * Math.cos(j * 0.37);
  return out;
};

function thrown(run: () => unknown): ModelInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelInputError);
    return error as ModelInputError;
  }
  throw new Error("expected a ModelInputError, nothing was thrown");
}
const run = (options: ReconcileOptions, forecasts = base, s: unknown = structure, steps = h) => reconcile(s as typeof structure, forecasts, steps, options);

describe("reconcile refuses bad input clearly", () => {
  it("an empty hierarchy", () => {
    expect(thrown(() => run({ method: "bottom_up" }, base, { bottom_count: 0, aggregates: [] })).message).toMatch(/bottom_count 0: an empty hierarchy/);
    expect(thrown(() => run({ method: "bottom_up" }, base, { bottom_count: 3, aggregates: [] })).message).toMatch(
      /no aggregate series: there is nothing to reconcile/,
    );
    expect(thrown(() => run({ method: "ols" }, base, { bottom_count: 3, aggregates: [[0, 1, 2], []] })).message).toMatch(/aggregate 1 sums no bottom series/);
  });

  it("aggregates naming bottom series that do not exist or twice", () => {
    expect(thrown(() => run({ method: "ols" }, base, { bottom_count: 3, aggregates: [[0, 3]] })).message).toMatch(/names bottom series 3, outside 0 .. 2/);
    expect(thrown(() => run({ method: "ols" }, base, { bottom_count: 3, aggregates: [[0, 1.5]] })).message).toMatch(/bottom series 1.5/);
    expect(thrown(() => run({ method: "ols" }, base, { bottom_count: 3, aggregates: [[1, 1]] })).message).toMatch(/names bottom series 1 twice/);
  });

  it("forecasts, residuals and sigma of the wrong size", () => {
    expect(thrown(() => run({ method: "bottom_up" }, base.subarray(0, 9))).message).toMatch(
      /9 values, not a positive multiple of the 5 series \(2 aggregates \+ 3 bottom\)/,
    );
    expect(thrown(() => run({ method: "bottom_up" }, base, structure, 3)).message).toMatch(
      /10 values, not a positive multiple|has 2 columns per series, expected 3/,
    );
    expect(thrown(() => run({ method: "bottom_up" }, Float64Array.of(...base, ...base.subarray(0, 5)), structure, 2)).message).toMatch(
      /3 columns per series, expected 2/,
    );
    expect(thrown(() => run({ method: "wls_var", residuals: new Float64Array(7) })).message).toMatch(/in-sample residuals has 7 values/);
    expect(thrown(() => run({ method: "bottom_up", sigma: new Float64Array(4), levels: [80] })).message).toMatch(
      /standard deviations have 4 values, expected 5 series × 2 steps/,
    );
    expect(thrown(() => run({ method: "bottom_up", levels: [80] })).message).toMatch(/without the base forecasts' sigma/);
  });

  it("non-finite forecasts, residuals and sigma", () => {
    const nan = base.slice();
    nan[7] = Number.NaN;
    expect(thrown(() => run({ method: "ols" }, nan)).message).toMatch(/non-finite value \(NaN\) for series 3, column 1/);
    const infinite = noisyResiduals(1);
    infinite[3] = Number.POSITIVE_INFINITY;
    expect(thrown(() => run({ method: "mint_shrink", residuals: infinite })).message).toMatch(/residuals has a non-finite value \(Infinity\) for series 0/);
    const sigma = new Float64Array(10).fill(1);
    sigma[2] = -1;
    expect(thrown(() => run({ method: "bottom_up", sigma, levels: [80] })).message).toMatch(/standard deviation of series 1 at step 1 is -1/);
  });

  it("a singular covariance: constant residuals with no ridge", () => {
    const constant = new Float64Array(5 * T).fill(1);
    expect(thrown(() => run({ method: "mint_shrink", residuals: constant, ridge: 0 })).message).toMatch(/covariance is singular/);
  });

  it("residuals that are all zero (fitted values equal to the actuals)", () => {
    expect(thrown(() => run({ method: "mint_shrink", residuals: new Float64Array(5 * T) })).message).toMatch(/5 of 5 series sum to ~0/);
  });

  it("methods that need residuals without them, and too few residuals", () => {
    expect(thrown(() => run({ method: "wls_var" })).message).toMatch(/MinT wls_var needs the in-sample residuals/);
    expect(thrown(() => run({ method: "mint_shrink", residuals: noisyResiduals(2).subarray(0, 5) })).message).toMatch(
      /at least 2 in-sample residuals per series, got 1/,
    );
  });

  it("unknown methods, bad levels, bad horizons and unsupported intervals", () => {
    expect(thrown(() => run({ method: "middle_out" as never })).message).toMatch(/unknown reconciliation method "middle_out"/);
    expect(thrown(() => run({ method: "bottom_up", sigma: new Float64Array(10), levels: [100] })).message).toMatch(/level 100 is outside \(0, 100\)/);
    expect(thrown(() => run({ method: "bottom_up" }, base, structure, 0)).message).toMatch(/horizon h must be a positive integer, got 0/);
    expect(thrown(() => run({ method: "top_down", sigma: new Float64Array(10), levels: [80] })).message).toMatch(
      /top-down by forecast proportions has no normality intervals/,
    );
    expect(thrown(() => run({ method: "ols", sigma: new Float64Array(10), levels: [80], dense_limit: 4 })).message).toMatch(/5 series is above the limit of 4/);
  });

  it("top-down over crossing levels, and a tree that names unknown aggregates", () => {
    const crossing = {
      bottom_count: 4,
      aggregates: [
        [0, 1, 2, 3],
        [0, 1],
        [2, 3],
        [1, 2],
      ],
    };
    const forecasts = new Float64Array(8).fill(1);
    expect(thrown(() => run({ method: "top_down" }, forecasts, crossing, 1)).message).toMatch(/cannot split aggregate 0: .* cover 6 of its 4 bottom series/);
    // Naming the nested ones works: total 1 → halves → quarters; aggregate [1, 2] is their sum.
    expect(Array.from(run({ method: "top_down", top_down_aggregates: [0, 1, 2] }, forecasts, crossing, 1).forecasts)).toEqual([
      1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25,
    ]);
    expect(thrown(() => run({ method: "top_down", top_down_aggregates: [7] }, forecasts, crossing, 1)).message).toMatch(/names aggregate 7, outside 0 .. 3/);
  });
});
