// The real data sets the model benchmarks (bench:ets, bench:stats) measure on, in ../shared/data
// beside the project (SALESCAST_SHARED_DATA points elsewhere; never part of the project): how
// each file is read, as the shipped configuration's data section with only what differs.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dataSettingsFromDefaults } from "../src/config/from-defaults.js";
import type { DataSettings } from "../src/data/types.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dataDir = process.env.SALESCAST_SHARED_DATA ?? resolve(root, "../shared/data");

/** A pharmacy's daily sales of eight drug classes, one column each. */
export const PHARMA_DAILY: DataSettings = dataSettingsFromDefaults({
  csv_path: join(dataDir, "pharma_sales_daily.csv"),
  layout: "wide",
  date_column: "date",
  series_columns: ["M01AB", "M01AE", "N02BA", "N02BE", "N05B", "N05C", "R03", "R06"],
});

/** Walmart's weekly sales per store. */
export const WALMART_WEEKLY: DataSettings = dataSettingsFromDefaults({
  csv_path: join(dataDir, "walmart_weekly.csv"),
  category_column: "Store",
  value_column: "Weekly_Sales",
  frequency: "W",
});
