import type { CommandSpec } from "./spec.js";
import type { Config } from "../config/schema.js";
import type { SalesForecaster } from "../forecaster/index.js";
import type { Frequency, SalesData } from "../data/types.js";
import { UsageError } from "./spec.js";
import { parseIntegerOption } from "./parse.js";
import { assembleCovariates, parseCovariateArgs, type CovariateArgs, type DayValues } from "./predict-covariates.js";
import { formatTextTable } from "../util/text-table.js";

export const predictCommand: CommandSpec = {
  name: "predict",
  summary: "forecast a category's next period(s) from --series v1,v2,... or from the data's last window",
  options: (command) =>
    command
      .option("--category <name>", "the category (default: data.item_id)")
      .option("--series <values>", "comma-separated window of window_size values (default: the last window in the data)")
      .option("--horizon <n>", "periods to forecast (recursive)", "1")
      .option("--level <levels>", "prediction interval levels, e.g. 80,95 (calibrated when the model was trained)")
      .option("--last-date <YYYY-MM-DD>", "date of the window's last value: dates the forecast (default with the data's last window: its last date)")
      .option(
        "--covariates <file.csv|name=v1,v2,...>",
        "covariate values for a model trained with model.features.covariates: a CSV file (a date column and one column per covariate) " +
          "or name=values, repeatable; the window's values default to the sales file's own columns, so only the forecast periods are needed",
        (value: string, previous: string[] = []) => [...previous, value],
      ),
  async run({ config, out }, options) {
    const { SalesForecaster } = await import("../forecaster/index.js");
    const { servedRegistry, localRegistryRoot } = await import("../registry/index.js");
    const { servedVersion } = await import("../training/evaluate.js");
    const { epochDayFromIso, isoFromEpochDay } = await import("../data/dates.js");
    const { PERIOD_DAYS } = await import("../data/calendar.js");
    const { chosenCategory, CommandData } = await import("./category.js");

    const horizon = parseIntegerOption("--horizon", options.horizon, 1);
    const levels = options.level === undefined ? [] : parseNumbers("--level", String(options.level));
    const covariateArgs = parseCovariateArgs((options.covariates as string[] | undefined) ?? []);
    if (options.lastDate !== undefined && epochDayFromIso(String(options.lastDate)) === undefined) {
      throw new UsageError(`--last-date must be a date written YYYY-MM-DD, got "${String(options.lastDate)}".`);
    }
    const registry = servedRegistry(config);
    // From the data's last window, data.item_id is resolved against the data; with --series
    // (no data read) against the registry's categories.
    const data = new CommandData(config);
    const category = await chosenCategory(config, out, options.category, options.series === undefined ? data.categories : () => registry.categories());
    const version = await servedVersion(registry, category, localRegistryRoot(config));
    const forecaster = await SalesForecaster.fromRegistered(version);
    const frequency = forecaster.meta.data.frequency;

    const fromData = options.series === undefined ? await lastWindow(await data.get(), category, version.windowSize) : undefined;
    const series = fromData?.values ?? parseNumbers("--series", String(options.series));
    const lastDate = options.lastDate === undefined ? fromData?.lastDate : String(options.lastDate);
    // Each period's date: the window's, then the forecast's (undefined when the window has no date).
    const step = PERIOD_DAYS[frequency];
    const lastDay = lastDate === undefined ? undefined : epochDayFromIso(lastDate)!;
    const days = lastDay === undefined ? undefined : Array.from({ length: series.length + horizon }, (_, p) => lastDay + (p - series.length + 1) * step);
    const dates = days?.map(isoFromEpochDay);
    const forecastDates = dates?.slice(series.length);

    const covariates = await covariatesFor(config, forecaster, {
      category,
      horizon,
      windowSize: series.length,
      days,
      dates,
      args: covariateArgs,
      data: fromData?.data,
    });
    const { forecast, intervals } = levels.length
      ? forecaster.forecastWithIntervals(series, { horizon, levels, lastDate, covariates })
      : { forecast: forecaster.forecast(series, { horizon, lastDate, covariates }), intervals: [] };
    const value = {
      category,
      version: version.version,
      frequency,
      series,
      ...(lastDate === undefined ? {} : { last_date: lastDate, dates: forecastDates }),
      predicted_sales: forecast[0],
      forecast,
      ...(levels.length ? { intervals } : {}),
      ...(covariates ? { covariates } : {}),
    };
    out.result(value, () => formatForecast({ category, version: version.version, frequency, lastDate, dates: forecastDates, forecast, intervals }));
  },
};

interface ForecastText {
  category: string;
  version: number;
  frequency: Frequency;
  lastDate: string | undefined;
  dates: string[] | undefined;
  forecast: number[];
  intervals: Array<{ level: number; lower: number[]; upper: number[] }>;
}

/** A header line, then one row per step: its date (or step number), the forecast, each interval. */
function formatForecast({ category, version, frequency, lastDate, dates, forecast, intervals }: ForecastText): string {
  const periods = frequency === "W" ? "week" : "day";
  const header =
    `${category} (version ${version}): ${forecast.length} ${periods}${forecast.length === 1 ? "" : "s"} ahead` +
    (lastDate === undefined ? " of the window given (add --last-date YYYY-MM-DD to date them)" : ` of ${lastDate}`);
  const rows = forecast.map((value, i) => [
    dates?.[i] ?? `+${i + 1}`,
    value.toFixed(2),
    ...intervals.map((band) => (band.lower[i] === undefined ? "-" : `[${band.lower[i].toFixed(2)}, ${band.upper[i].toFixed(2)}]`)),
  ]);
  const table = formatTextTable(
    [dates ? (frequency === "W" ? "week of" : "date") : "step", "forecast", ...intervals.map((band) => `${band.level}% interval`)],
    rows,
    { rule: false },
  );
  return `${header}\n${table}`;
}

/** "12.5,14,9" => [12.5, 14, 9]; anything that is not a finite number is refused, naming its position. */
function parseNumbers(option: string, text: string): number[] {
  const values = text.split(",").map((part) => part.trim());
  const bad = values.findIndex((part) => part === "" || !Number.isFinite(Number(part)));
  if (bad >= 0) throw new UsageError(`${option} value ${bad + 1} ("${values[bad]}") is not a number: write ${option} 12.5,14,9,...`);
  return values.map(Number);
}

async function lastWindow(data: SalesData, category: string, windowSize: number): Promise<{ values: number[]; lastDate: string; data: SalesData }> {
  const { findSeries } = await import("../data/model-data.js");
  const { lastPeriodDate } = await import("../data/calendar.js");
  const series = findSeries(data, category);
  return { values: Array.from(series.values.subarray(Math.max(0, series.values.length - windowSize))), lastDate: lastPeriodDate(series, data.frequency), data };
}

/** The covariate values of a covariate model (undefined for other models; --covariates is then refused). */
async function covariatesFor(
  config: Config,
  forecaster: SalesForecaster,
  request: {
    category: string;
    horizon: number;
    windowSize: number;
    days: number[] | undefined;
    dates: string[] | undefined;
    args: CovariateArgs;
    data?: SalesData;
  },
): Promise<Record<string, number[]> | undefined> {
  const names = forecaster.covariateNames;
  const given = request.args.inline.size > 0 || request.args.file !== undefined;
  if (names.length === 0) {
    if (given) throw new UsageError(`--covariates: the ${request.category} model reads no covariates (it was trained without model.features.covariates).`);
    return undefined;
  }
  const file = request.args.file === undefined ? undefined : await covariateFile(config, request.args.file, names);
  const stored = request.days === undefined ? { unavailable: "the window has no dates" } : await storedCovariates(config, forecaster, names, request.data);
  return assembleCovariates({ ...request, names, file, stored });
}

async function covariateFile(config: Config, path: string, names: readonly string[]): Promise<Map<string, DayValues>> {
  const { readCovariateFile } = await import("../data/covariate-file.js");
  const table = await readCovariateFile(path, config.data.date_column, names);
  return new Map(names.map((name, i) => [name, new Map([...table].map(([day, values]) => [day, values[i]]))]));
}

/** The covariate columns of the sales file, per period of the category's series, by the period's first day. */
async function storedCovariates(
  config: Config,
  forecaster: SalesForecaster,
  names: readonly string[],
  loaded?: SalesData,
): Promise<Map<string, DayValues> | { unavailable: string }> {
  const { loadSales } = await import("../data/ingest.js");
  const { loadCovariates, covariatePeriods } = await import("../data/covariates.js");
  const { periodDates } = await import("../data/calendar.js");
  const { epochDayFromIso } = await import("../data/dates.js");
  try {
    const data = loaded ?? (await loadSales(config.data));
    const series = data.series.find((s) => s.category === forecaster.category);
    if (!series) return { unavailable: `the sales file has no series ${forecaster.category}` };
    const periods = covariatePeriods(
      await loadCovariates(config.data, names),
      series.category,
      series.start,
      series.values.length,
      data.frequency,
      config.data.fill,
    );
    const days = periodDates(series, data.frequency).map((date) => epochDayFromIso(date)!);
    return new Map(names.map((name, i) => [name, new Map(days.map((day, p) => [day, periods[i][p]]))]));
  } catch (error) {
    return { unavailable: `the sales file's covariate columns could not be read: ${(error as Error).message.split("\n")[0]}` };
  }
}
