import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import { SalesForecaster } from "../forecaster/index.js";
import { servedRegistry, localRegistryRoot } from "../registry/index.js";
import { findSeries } from "../training/train-category.js";
import { servedVersion } from "../training/evaluate.js";
import { parseIntegerOption } from "./parse.js";
import { chosenCategory, CommandData } from "./category.js";
import type { TrainingData } from "../training/network-config.js";
import { lastPeriodDate } from "../data/calendar.js";

export const predictCommand: CommandSpec = {
  name: "predict",
  summary: "forecast a category's next period(s) from --series v1,v2,... or from the data's last window",
  options: (command) =>
    command
      .option("--category <name>", "the category (default: data.item_id)")
      .option("--series <values>", "comma-separated window of window_size values (default: the last window in the data)")
      .option("--horizon <n>", "periods to forecast (recursive)", "1")
      .option("--level <levels>", "prediction interval levels, e.g. 80,95 (calibrated when the model was trained)")
      .option("--last-date <YYYY-MM-DD>", "date of the window's last value (models with calendar features; default with the data's last window: its last date)"),
  async run({ config, out }, options) {
    const horizon = parseIntegerOption("--horizon", options.horizon, 1);
    const registry = servedRegistry(config);
    // From the data's last window, data.item_id is resolved against the data; with --series
    // (no data read) against the registry's categories.
    const data = new CommandData(config);
    const category = await chosenCategory(config, out, options.category, options.series === undefined ? data.categories : () => registry.categories());
    const version = await servedVersion(registry, category, localRegistryRoot(config));
    const forecaster = await SalesForecaster.fromRegistered(version);
    const fromData = options.series === undefined ? lastWindow(await data.get(), category, version.windowSize) : undefined;
    const series = fromData?.values ?? parseNumbers("--series", String(options.series));
    const lastDate = options.lastDate === undefined ? fromData?.lastDate : String(options.lastDate);
    const levels = options.level === undefined ? [] : parseNumbers("--level", String(options.level));
    const { forecast, intervals } = levels.length
      ? forecaster.forecastWithIntervals(series, { horizon, levels, lastDate })
      : { forecast: forecaster.forecast(series, { horizon, lastDate }), intervals: [] };
    out.result({ category, version: version.version, series, predicted_sales: forecast[0], forecast, ...(levels.length ? { intervals } : {}) }, () =>
      [
        `${category} (version ${version.version}): next ${horizon === 1 ? "period" : `${horizon} periods`} ${forecast.map((v) => v.toFixed(2)).join(", ")}`,
        ...intervals.map((band) => `  ${band.level}% interval: ${band.lower.map((low, i) => `[${low.toFixed(2)}, ${band.upper[i].toFixed(2)}]`).join(", ")}`),
      ].join("\n"),
    );
  },
};

/** "12.5,14,9" => [12.5, 14, 9]; anything that is not a finite number is refused, naming its position. */
function parseNumbers(option: string, text: string): number[] {
  const values = text.split(",").map((part) => part.trim());
  const bad = values.findIndex((part) => part === "" || !Number.isFinite(Number(part)));
  if (bad >= 0) throw new UsageError(`${option} value ${bad + 1} ("${values[bad]}") is not a number: write ${option} 12.5,14,9,...`);
  return values.map(Number);
}

function lastWindow(data: TrainingData, category: string, windowSize: number): { values: number[]; lastDate: string } {
  const series = findSeries(data, category);
  return { values: Array.from(series.values.subarray(Math.max(0, series.values.length - windowSize))), lastDate: lastPeriodDate(series, data.frequency) };
}
