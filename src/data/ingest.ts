// loadSales: a sales file (CSV or Parquet, long or wide) -> one complete, gap-filled series per
// category. Steps: open (source.ts) -> resolve columns (read-plan.ts, detect-series.ts) -> one
// aggregating pass in DuckDB (aggregate.ts) -> reject bad rows (bad-rows.ts), dates after today
// (future-dates.ts) and dates far from the rest of their series (distant-dates.ts) -> calendar
// and fill (calendar.ts) -> reject amounts too large to compute with (overflow.ts).

import { sha256File } from "./file-hash.js";
import { naturalCompare } from "./natural-order.js";
import { loadKeyedSales } from "./keyed-ingest.js";
import { aggregateDaily, type DailyAggregate } from "./aggregate.js";
import { rejectBadRows } from "./bad-rows.js";
import { buildSeries, datesLookWeekly, type DailyTotal } from "./calendar.js";
import { isoFromEpochDay } from "./dates.js";
import { DataError } from "./errors.js";
import { rejectDistantDates } from "./distant-dates.js";
import { rejectFutureDates } from "./future-dates.js";
import { rejectOverflow } from "./overflow.js";
import { planRead, seriesName, type ReadPlan } from "./read-plan.js";
import { openSource, type DataSource } from "./source.js";
import type { CategorySeries, DataSettings, SalesData, WideColumns } from "./types.js";

export type { CategorySeries, DataSettings, IngestSummary, SalesData } from "./types.js";
export { periodDates } from "./calendar.js";
export { sha256File } from "./file-hash.js";
export { summarize, summaryJson, formatSummary } from "./summary.js";
export { checkLongEnough, minimumPeriods, type LengthProblem } from "./length.js";

/**
 * More distinct categories than this means the category column is probably an id column; the
 * series would be one or two points each and the aggregate would not fit comfortably in memory.
 */
const MAX_CATEGORIES = 10_000;

export async function loadSales(settings: DataSettings): Promise<SalesData> {
  // Several key columns (a store x item catalogue): the columnar path, built for tens of thousands of series.
  if ((settings.series_key ?? []).length > 0) return loadKeyedSales(settings);
  const source = await openSource(settings.csv_path);
  try {
    const plan = await planRead(source, settings);
    const hashing = sha256File(source.path);
    hashing.catch(() => undefined); // awaited below; only errors thrown first leave it dangling
    const aggregate = await aggregateDaily(source, plan);
    if (aggregate.rows === 0) {
      throw new DataError(
        `${source.path} has a header but no data rows.`,
        "Add data rows, or point data.csv_path at the full file.",
      );
    }
    await rejectBadRows(source, plan, aggregate);
    await rejectFutureDates(source, plan, aggregate);

    const dailyByCategory = groupByCategory(aggregate);
    if (dailyByCategory.size > MAX_CATEGORIES) {
      throw new DataError(
        `Column "${categoryLabel(plan)}" of ${source.path} has ${dailyByCategory.size} distinct values: that looks like an id, not a category.`,
        "Set data.category_column to the product category column.",
      );
    }
    // Before the anchor below: a distant date would move it, and stretch its calendar.
    await rejectDistantDates(source, plan, dailyByCategory);
    // The anchor is the first date in the whole file, so weekly periods do not move when
    // data.available_categories changes.
    let anchorDay = Infinity;
    for (const daily of dailyByCategory.values()) anchorDay = Math.min(anchorDay, daily[0].day);
    if (settings.frequency === "D" && datesLookWeekly(dailyByCategory.values())) {
      throw new DataError(
        `Every date in ${source.path} is a whole number of weeks after ${isoFromEpochDay(anchorDay)}, ` +
          "but data.frequency is D: six of every seven days would be filled as gaps.",
        `Set data.frequency: W (weeks are anchored on the first date, ${isoFromEpochDay(anchorDay)}).`,
      );
    }

    if (plan.layout === "wide") {
      const empty = plan.seriesColumns.filter((column) => !dailyByCategory.has(seriesName(column)));
      if (empty.length > 0) {
        throw new DataError(
          `Series column${empty.length > 1 ? "s" : ""} ${empty.map((c) => `"${c}"`).join(", ")} of ${source.path} ${empty.length > 1 ? "have" : "has"} no values.`,
          "Remove it from data.series_columns.",
        );
      }
    }
    const categories = selectCategories(source, plan, [...dailyByCategory.keys()], settings.available_categories);
    const series: CategorySeries[] = categories.map((category) =>
      buildSeries(category, dailyByCategory.get(category)!, settings.frequency, anchorDay, settings.fill),
    );
    await rejectOverflow(source, plan, series);
    return {
      frequency: settings.frequency,
      source: { path: source.path, sha256: await hashing, rows: aggregate.rows },
      series,
      ...(plan.layout === "wide" ? { columns: describeWideColumns(plan) } : {}),
    };
  } finally {
    source.close();
  }
}

/** Per category, its days with a value, in day order (the SQL sorts by category, day). */
function groupByCategory(aggregate: DailyAggregate): Map<string, DailyTotal[]> {
  const byCategory = new Map<string, DailyTotal[]>();
  for (const group of aggregate.groups) {
    // After rejectBadRows, a NULL here can only be a wide cell left empty: a missing reading.
    if (group.category === null || group.day === null || group.total === null) continue;
    let daily = byCategory.get(group.category);
    if (!daily) byCategory.set(group.category, (daily = []));
    daily.push({ day: group.day, value: group.total });
  }
  return byCategory;
}

function categoryLabel(plan: ReadPlan): string {
  return plan.layout === "long" ? (plan.categoryColumn ?? plan.valueColumn) : "series columns";
}

/** Which columns became series, and (when detected) why the others did not. */
function describeWideColumns(plan: Extract<ReadPlan, { layout: "wide" }>): WideColumns {
  const detection = plan.detection;
  if (!detection) return { detected: false, series: [...plan.seriesColumns] };
  return { detected: true, series: [...plan.seriesColumns], flags: detection.flags, text: detection.text, calendar: detection.calendar };
}

/** The configured categories in their order (compared in NFC, like the data), or every category found in natural order. */
function selectCategories(source: DataSource, plan: ReadPlan, found: string[], configured: readonly string[]): string[] {
  const natural = [...found].sort(naturalCompare);
  if (configured.length === 0) return natural;
  const wanted = configured.map(seriesName);
  const missing = wanted.filter((category) => !found.includes(category));
  if (missing.length > 0) {
    const where =
      plan.layout === "wide"
        ? `the series columns of ${source.path}`
        : plan.categoryColumn === null
          ? `${source.path} (no category column: its one series is named after data.value_column)`
          : `column "${plan.categoryColumn}" of ${source.path}`;
    const shown = natural.slice(0, 50).map((category) => `"${category}"`).join(", ");
    const rest = natural.length > 50 ? ` and ${natural.length - 50} more` : "";
    throw new DataError(
      `${missing.length === 1 ? "Category" : "Categories"} ${missing.map((c) => `"${c}"`).join(", ")} ` +
        `(data.available_categories) not found in ${where}. Categories found: ${shown}${rest}.`,
      "Fix the names in data.available_categories, or set it to [] to use every category found.",
    );
  }
  return [...new Set(wanted)];
}

