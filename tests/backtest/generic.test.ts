// The backtest is generic over model families: a family it has never heard of (not in the
// families list) is fitted through the same pipeline as training's and backtested beside the
// baselines, its intervals calibrated and their coverage counted, with no special case.
import { describe, expect, it } from "vitest";
import { backtestSeries, type BacktestCandidate } from "../../src/backtest/backtest.js";
import { naiveFamily } from "../../src/models/baselines/family.js";
import type { FitContext, FittedModel, ModelFamily, SavedModel, SeriesInput } from "../../src/models/model.js";
import { dailyDates, tinyConfig } from "../training/helpers.js";

/** Fake "drift": last value + h × the mean step of the fitted periods. Records every fit. */
function driftFamily(fits: Array<{ length: number; holdoutStart?: number }>): ModelFamily {
  const model = (slope: number, name: string): FittedModel => ({
    kind: "fake_drift",
    name,
    forecast: (history: SeriesInput, horizon: number) => {
      const last = history.values[history.values.length - 1];
      return Float64Array.from({ length: horizon }, (_, k) => last + (k + 1) * slope);
    },
    save: (): SavedModel => ({ kind: "fake_drift", format_version: 1, state: { slope } }),
    describe: () => `drift ${slope}`,
  });
  return {
    kind: "fake_drift",
    label: "drift",
    scope: "local",
    refitOnAllData: true,
    minHistory: () => 2,
    async fit(series: readonly SeriesInput[], context: FitContext) {
      const values = series[0].values;
      fits.push({ length: values.length, ...(context.holdoutStart === undefined ? {} : { holdoutStart: context.holdoutStart }) });
      const end = context.holdoutStart ?? values.length;
      return model((values[end - 1] - values[0]) / (end - 1), context.name ?? "fake_drift");
    },
    load: (saved: SavedModel) => model((saved.state as { slope: number }).slope, "fake_drift"),
  };
}

describe("backtest of a family outside the families list", () => {
  const n = 80;
  // A line with a weekly wiggle: the drift is not exact, so residuals and coverage are non-trivial.
  const values = Float64Array.from({ length: n }, (_, t) => 10 + 2 * t + (t % 7 === 0 ? 3 : 0));
  const dates = dailyDates(n);
  const config = tinyConfig();

  it("fits it like training does at every cutoff, forecasts through the interface and reports its coverage", async () => {
    const fits: Array<{ length: number; holdoutStart?: number }> = [];
    const family = driftFamily(fits);
    const candidates: BacktestCandidate[] = [
      { family, config, name: "fake_drift", calibrate: true, report: true },
      { family: naiveFamily, config, name: "naive", calibrate: false, report: false },
    ];
    const progress: string[] = [];
    const result = await backtestSeries(config, "A", values, dates, "D", {
      horizon: 3,
      windows: 2,
      step: 3,
      refit: "every",
      candidates,
      onProgress: (line) => progress.push(line),
    });
    expect(result.models).toEqual(["fake_drift", "naive"]);
    // Cutoffs 74 and 77. At each: one fit with the validation part held out (to calibrate the
    // intervals: ceil(0.2 × c) periods), then one on every period (the model that forecasts).
    expect(fits).toEqual([{ length: 74, holdoutStart: 74 - 15 }, { length: 74 }, { length: 77, holdoutStart: 77 - 16 }, { length: 77 }]);
    expect(progress).toEqual([`A: training fake_drift on 74 periods up to ${dates[73]}`, `A: training fake_drift on 77 periods up to ${dates[76]}`]);
    for (const cutoff of [74, 77]) {
      const slope = (values[cutoff - 1] - values[0]) / (cutoff - 1);
      const rows = result.rows.filter((row) => row.model === "fake_drift" && row.cutoff === dates[cutoff - 1]);
      expect(rows.map((row) => row.forecast)).toEqual([1, 2, 3].map((h) => values[cutoff - 1] + h * slope));
      expect(rows.map((row) => row.actual)).toEqual([values[cutoff], values[cutoff + 1], values[cutoff + 2]]);
    }
    // Coverage of its calibrated intervals, one count per cutoff and step.
    const all80 = result.coverage.find((entry) => entry.level === 80 && entry.step === "all")!;
    expect(all80.total + all80.uncalibrated).toBe(2 * 3);
    expect(all80.total).toBeGreaterThan(0);
    expect(result.aggregates.filter((a) => a.step === "all").map((a) => a.model)).toEqual(["fake_drift", "naive"]);
  });

  it("refits once before the first cutoff with refit once, and later cutoffs read their own history", async () => {
    const fits: Array<{ length: number; holdoutStart?: number }> = [];
    const candidates: BacktestCandidate[] = [{ family: driftFamily(fits), config, name: "fake_drift", calibrate: false, report: false }];
    const result = await backtestSeries(config, "A", values, dates, "D", { horizon: 2, windows: 3, step: 2, refit: "once", candidates });
    // Not calibrated and cheap to refit: one fit on the history before the first cutoff, nothing held out.
    expect(fits).toEqual([{ length: 74 }]);
    const slope = (values[73] - values[0]) / 73;
    const last = result.rows.filter((row) => row.cutoff === dates[77]);
    expect(last.map((row) => row.forecast)).toEqual([values[77] + slope, values[77] + 2 * slope]);
    expect(result.coverage).toEqual([]);
  });
});
