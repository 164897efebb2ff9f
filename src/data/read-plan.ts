// Which columns of the file are read, and how: the configured names resolved against the
// file's columns, and for the wide layout the series columns (given or detected).

import { DataError } from "./errors.js";
import { resolveColumn, type DataSource } from "./source.js";
import { amountOf, cleanText, dateKeyOf, isNumber, rawText } from "./sql.js";
import type { DataSettings } from "./types.js";

export type ReadPlan =
  | { layout: "long"; dateColumn: string; categoryColumn: string; valueColumn: string }
  | { layout: "wide"; dateColumn: string; seriesColumns: string[] };

/**
 * Columns that describe the date rather than measure sales, so the wide layout never takes them
 * for a series even when they are numeric. Compared after lower-casing and removing everything
 * but letters and digits ("Weekday Name" -> "weekdayname", "day_of_week" -> "dayofweek").
 */
export const CALENDAR_PART_COLUMNS: readonly string[] = [
  "year", "quarter", "month", "monthname", "week", "weekofyear", "isoweek", "yearweek",
  "day", "dayofmonth", "dayofyear", "doy", "dayofweek", "dow", "weekday", "weekdayname", "dayname",
  "hour", "minute", "second", "date", "datetime", "time", "timestamp", "isweekend", "weekend",
];

export function isCalendarPart(column: string): boolean {
  return CALENDAR_PART_COLUMNS.includes(column.toLowerCase().replace(/[^a-z0-9]/g, ""));
}

export async function planRead(source: DataSource, settings: DataSettings): Promise<ReadPlan> {
  const dateColumn = resolveColumn(source, settings.date_column, "data.date_column");
  if (settings.layout === "long") {
    const wideHint = " (or set data.layout: wide if each series is its own column)";
    const categoryColumn = resolveColumn(source, settings.category_column, "data.category_column", wideHint);
    const valueColumn = resolveColumn(source, settings.value_column, "data.value_column", wideHint);
    return { layout: "long", dateColumn, categoryColumn, valueColumn };
  }
  const seriesColumns =
    settings.series_columns.length > 0
      ? givenSeriesColumns(source, settings.series_columns, dateColumn)
      : await detectSeriesColumns(source, dateColumn);
  return { layout: "wide", dateColumn, seriesColumns };
}

function givenSeriesColumns(source: DataSource, wanted: readonly string[], dateColumn: string): string[] {
  const columns = [...new Set(wanted.map((name) => resolveColumn(source, name, "data.series_columns")))];
  if (columns.includes(dateColumn)) {
    throw new DataError(
      `data.series_columns lists the date column "${dateColumn}".`,
      "Remove it from data.series_columns: the date column gives the periods, it is not a series.",
    );
  }
  return columns;
}

/**
 * Every column but the date and the calendar parts whose non-empty values are mostly numbers.
 * "Mostly" rather than "all": a series with one typo must be reported (by the value check that
 * follows, with its row number), not silently dropped from the data.
 */
async function detectSeriesColumns(source: DataSource, dateColumn: string): Promise<string[]> {
  const candidates = source.columns.filter((column) => column !== dateColumn && !isCalendarPart(column));
  const numeric: string[] = [];
  if (candidates.length > 0) {
    const counts = candidates.flatMap((column, i) => [
      `count(${cleanText(rawText(column))})::DOUBLE AS filled_${i}`,
      `count(*) FILTER (WHERE ${isNumber(amountOf(rawText(column)))})::DOUBLE AS numbers_${i}`,
    ]);
    const reader = await source.connection.runAndReadAll(`SELECT ${counts.join(", ")} FROM ${source.relation}`);
    const row = reader.getRowObjectsJS()[0];
    candidates.forEach((column, i) => {
      const filled = Number(row[`filled_${i}`]);
      const numbers = Number(row[`numbers_${i}`]);
      if (filled > 0 && numbers * 2 > filled) numeric.push(column);
    });
  }
  if (numeric.length === 0) {
    const skipped = source.columns.filter((column) => column === dateColumn || isCalendarPart(column));
    throw new DataError(
      `No numeric series column found in ${source.path} (data.layout wide). ` +
        `Columns found: ${source.columns.map((column) => `"${column}"`).join(", ")}; ` +
        `not series: ${skipped.map((column) => `"${column}"`).join(", ")} (date and calendar parts).`,
      "List the series in data.series_columns, or set data.layout: long with data.category_column and data.value_column.",
    );
  }
  return numeric;
}

/**
 * SQL select list of the planned columns, per row, with stable aliases: date_key (dateKeyOf),
 * then category_raw and amount_text (long) or v0, v1, ... one per series (wide). Texts are
 * untrimmed: trimming per row costs more than the rest of the pass (see sql.ts).
 */
export function cellColumns(plan: ReadPlan): string {
  const date = `${dateKeyOf(rawText(plan.dateColumn))} AS date_key`;
  if (plan.layout === "long") {
    return `${date}, ${rawText(plan.categoryColumn)} AS category_raw, ${rawText(plan.valueColumn)} AS amount_text`;
  }
  return [date, ...plan.seriesColumns.map((column, i) => `${rawText(column)} AS v${i}`)].join(", ");
}
