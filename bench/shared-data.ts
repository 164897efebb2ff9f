// The real data sets the model benchmarks (bench:ets, bench:stats, bench:arima, bench:gbdt)
// measure on, in ../shared/data beside the project by default (SALESCAST_SHARED_DATA or a
// bench's own option points elsewhere; never part of the project): how each file is read, as
// the shipped configuration's data section with only what differs.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dataSettingsFromDefaults } from "../src/config/from-defaults.js";
import type { DataSettings } from "../src/data/types.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED_DATA_DIR = process.env.SALESCAST_SHARED_DATA ?? resolve(root, "../shared/data");

/** The eight drug classes of pharma_sales_daily.csv (a pharmacy's daily sales, one column each). */
export const PHARMA_SERIES = ["M01AB", "M01AE", "N02BA", "N02BE", "N05B", "N05C", "R03", "R06"];

/** A wide file of daily series with a lower-case `date` column; `series` [] takes every numeric column. */
export function wideDaily(path: string, series: string[] = []): DataSettings {
  return dataSettingsFromDefaults({ csv_path: path, layout: "wide", date_column: "date", series_columns: series });
}

/** A pharmacy's daily sales of eight drug classes. */
export function pharmaDaily(dataDir = SHARED_DATA_DIR): DataSettings {
  return wideDaily(join(dataDir, "pharma_sales_daily.csv"), PHARMA_SERIES);
}

/** Walmart's weekly sales per store. */
export function walmartWeekly(dataDir = SHARED_DATA_DIR): DataSettings {
  return dataSettingsFromDefaults({ csv_path: join(dataDir, "walmart_weekly.csv"), category_column: "Store", value_column: "Weekly_Sales", frequency: "W" });
}

/**
 * A shared data set under the project's accuracy protocol (docs/models.md), as bench:ets and
 * bench:stats walk it: `windows` cutoffs `step` periods apart, the last `h` periods before the
 * end, MASE scaled by the lag-`season` naive error.
 */
export interface ProtocolDataset {
  name: "pharma" | "walmart";
  settings: DataSettings;
  /** Seasonal period: the models' season and the MASE lag. */
  season: number;
  h: number;
  windows: number;
  /** Periods between cutoffs (7 days). */
  step: number;
  periodDays: number;
}

/** pharma (daily, season 7, 7 days ahead) and walmart (weekly, season 52, 4 weeks ahead), 8 cutoffs 7 days apart. */
export function protocolDatasets(dataDir = SHARED_DATA_DIR): ProtocolDataset[] {
  return [
    { name: "pharma", settings: pharmaDaily(dataDir), season: 7, h: 7, windows: 8, step: 7, periodDays: 1 },
    { name: "walmart", settings: walmartWeekly(dataDir), season: 52, h: 4, windows: 8, step: 1, periodDays: 7 },
  ];
}
