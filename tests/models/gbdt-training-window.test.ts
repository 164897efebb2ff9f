// The GBDT forecaster's trainingWindow (catalogue.training_days): rows only from each series'
// last N periods, their lags still reading the periods before; and onIteration's and
// onTrainingRows's progress.
import { describe, expect, it } from "vitest";
import { fitGbdtForecaster } from "../../src/models/gbdt/fit.js";
import type { GbdtSeries } from "../../src/models/gbdt/types.js";

function series(name: string, n: number, phase: number): GbdtSeries {
  const values = Float64Array.from({ length: n }, (_, t) => 10 + 5 * Math.sin((2 * Math.PI * (t + phase)) / 7) + (t % 3));
  return { name, values, start: "2024-01-01", frequency: "D" };
}

const options = { horizon: 7, yearlyLag: null, params: { min_data_in_leaf: 5 }, earlyStopping: false, fixedIterations: 5 } as const;

describe("GBDT trainingWindow", () => {
  it("takes rows from each series' last N periods only", () => {
    const data = [series("a", 200, 0), series("b", 150, 3)];
    const all = fitGbdtForecaster(data, options);
    const windowed = fitGbdtForecaster(data, { ...options, trainingWindow: 30 });
    const rows = (fit: typeof all) => fit.models[0].train_rows + fit.models[0].valid_rows;
    // Every period from the shortest lag (7) on makes a row without a window.
    expect(rows(all)).toBe(200 - 7 + (150 - 7));
    expect(rows(windowed)).toBe(30 + 30);
  });

  it("a window longer than a series keeps all its rows", () => {
    const data = [series("a", 40, 0)];
    expect(fitGbdtForecaster(data, { ...options, trainingWindow: 1000 }).models[0].train_rows).toBe(40 - 7);
  });

  it("refuses a window that is not a whole number ≥ 0", () => {
    expect(() => fitGbdtForecaster([series("a", 40, 0)], { ...options, trainingWindow: -1 })).toThrow(/trainingWindow must be a whole number ≥ 0/);
  });

  it("reports each tree grown through onIteration", () => {
    const seen: (number | null)[] = [];
    fitGbdtForecaster([series("a", 100, 0)], { ...options, onIteration: (step) => seen.push(step) });
    expect(seen).toEqual([null, null, null, null, null]);
  });

  it("passes each tree's held-out metric with early stopping (NaN without), and the row count before the trees", () => {
    const metrics: number[] = [];
    const rows: number[] = [];
    const fit = fitGbdtForecaster([series("a", 200, 0), series("b", 200, 2)], {
      ...options,
      earlyStopping: true,
      refit: false, // a refit grows its trees again on every row, with no held-out metric
      params: { min_data_in_leaf: 5, num_iterations: 8, metric: "l2" },
      onIteration: (_step, _i, metric) => metrics.push(metric),
      onTrainingRows: (_step, count) => rows.push(count),
    });
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.every(Number.isFinite)).toBe(true);
    // The held-out L2 falls from the first tree on: the metric is the validation curve.
    expect(metrics.at(-1)!).toBeLessThan(metrics[0]);
    expect(rows).toEqual([fit.models[0].train_rows + fit.models[0].valid_rows]);
    const fixed: number[] = [];
    fitGbdtForecaster([series("a", 100, 0)], { ...options, onIteration: (_step, _i, metric) => fixed.push(metric) });
    expect(fixed.every(Number.isNaN)).toBe(true);
  });
});
