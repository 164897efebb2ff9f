// The global_network kind in the backtest: like every global family (src/backtest/global.ts), one
// network per cutoff on every series cut there (a second one with the configured model's
// intervals), each category forecast by its cutoff's network; a series too short for the
// windows is skipped (and left out of the fits, which are still given it).
import { afterEach, describe, expect, it, vi } from "vitest";
import { backtest } from "../../src/backtest/backtest.js";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import type { SalesData } from "../../src/data/types.js";
import { globalNetworkFamily } from "../../src/models/global_network/family.js";
import { syntheticSeries } from "../training/helpers.js";

const N = 120;
const data: SalesData = {
  frequency: "D",
  source: { path: "memory", sha256: "", rows: 0 },
  series: [
    { category: "A", start: "2024-01-01", values: syntheticSeries(N, 1, 100), filledPeriods: 0, total: 0 },
    { category: "B", start: "2024-01-01", values: syntheticSeries(N, 2, 400), filledPeriods: 0, total: 0 },
    { category: "Short", start: "2024-01-01", values: syntheticSeries(20, 4, 50), filledPeriods: 0, total: 0 },
  ],
};
const config = configFromDefaults(
  {
    data: { window_size: 7 },
    model: { architecture: "global_network", global_network: { window_size: 14, conv_channels: 4, lstm_hidden: 8, max_epochs: 2 } },
    train: { mlflow_tracking_uri: "" },
  },
  { folder: "/nonexistent" },
);

afterEach(() => vi.restoreAllMocks());

describe("the global network in the backtest", () => {
  it("is fitted once per cutoff on every series (twice with intervals), and forecasts every window of each category", async () => {
    const fit = vi.spyOn(globalNetworkFamily, "fit");
    const report = await backtest(config, undefined, { horizon: 7, windows: 2, step: 7, refit: "every", threads: 0 }, data);
    expect(report.results.map((r) => r.category)).toEqual(["A", "B"]);
    expect(report.skipped.map((s) => s.category)).toEqual(["Short"]);
    expect(fit).toHaveBeenCalledTimes(4);
    for (const [series] of fit.mock.calls) expect(series.map((s) => s.name)).toEqual(["A", "B", "Short"]);
    for (const result of report.results) {
      const rows = result.rows.filter((r) => r.model === "global_network");
      expect(rows).toHaveLength(2 * 7);
      expect(rows.every((r) => Number.isFinite(r.forecast))).toBe(true);
    }
  });
});
