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
