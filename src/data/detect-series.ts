// Which columns of a wide file are sales series when data.series_columns is []: every column
// but the date, the calendar parts, the text columns and the 0/1 flag columns.
//
// One scan per slice of COLUMNS_PER_SCAN columns (sql.ts): the columns are unpivoted into
// (column, cell) pairs and counted per column, so DuckDB holds one small group per column.
// (Two aggregates per column in one SELECT, the first version, made DuckDB use 2.9 GB and 20 s
// for 1,000 columns of 28 rows.)

import { DataError, quotedList } from "./errors.js";
import { unreadableFile, type DataSource } from "./source.js";
import { amountOf, cleanText, columnSlices, rawText } from "./sql.js";

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

/** What detection decided about each column of the file, for the ingest output and messages. */
export interface SeriesDetection {
  /** Taken as series, in file order. */
  series: string[];
  /** Numeric columns whose numbers are 0s and 1s, both present (promotion, holiday, open/closed flags). */
  flags: string[];
  /** Columns that are mostly not numbers, or empty. */
  text: string[];
  /** The date column and the calendar parts (Year, Month, Weekday Name, ...). */
  calendar: string[];
}

/**
 * Every column but the date and the calendar parts whose non-empty values are mostly numbers,
 * unless those numbers are 0s and 1s only (both present: a promotion or holiday flag; a column of
 * only zeros or only ones stays a series). "Mostly" rather than "all": a series with one typo
 * must be reported (by the value check that follows, with its row number), not silently dropped.
 */
export async function detectSeriesColumns(source: DataSource, dateColumn: string): Promise<SeriesDetection> {
  const calendar = source.columns.filter((column) => column === dateColumn || isCalendarPart(column));
  const candidates = source.columns.filter((column) => !calendar.includes(column));
  const detection: SeriesDetection = { series: [], flags: [], text: [], calendar };
  const counts = new Map<string, ColumnCounts>();
  for (const slice of columnSlices(candidates)) {
    for (const [column, count] of await countCells(source, slice)) counts.set(column, count);
  }
  for (const column of candidates) {
    const count = counts.get(column) ?? { filled: 0, numbers: 0, zeros: 0, ones: 0 };
    if (count.filled === 0 || count.numbers * 2 <= count.filled) detection.text.push(column);
    else if (count.zeros > 0 && count.ones > 0 && count.zeros + count.ones === count.numbers) detection.flags.push(column);
    else detection.series.push(column);
  }
  if (detection.series.length === 0) {
    const list = (columns: string[]) => quotedList(columns) || "none";
    throw new DataError(
      `No numeric series column found in ${source.path} (data.layout wide, data.series_columns []). ` +
        `Columns found: ${list(source.columns)}; not series: ${list(calendar)} (date and calendar parts)` +
        (detection.flags.length > 0 ? `, ${list(detection.flags)} (only 0 and 1: read as flags)` : "") +
        (detection.text.length > 0 ? `, ${list(detection.text)} (not numbers)` : "") +
        ".",
      "List the series in data.series_columns (e.g. data.series_columns=[Sales]), or set data.layout: long with " +
        "data.category_column and data.value_column.",
    );
  }
  return detection;
}

type ColumnCounts = Record<"filled" | "numbers" | "zeros" | "ones", number>;

/** Per column: non-blank cells, finite numbers, zeros and ones (one scan of the file). */
async function countCells(source: DataSource, columns: readonly string[]): Promise<Map<string, ColumnCounts>> {
  const indexes = columns.map((_, i) => i).join(", ");
  const cells = columns.map((column) => rawText(column)).join(", ");
  const sql = `
    SELECT column_index, count(filled)::DOUBLE AS filled, count(*) FILTER (WHERE isfinite(amount))::DOUBLE AS numbers,
           count(*) FILTER (WHERE amount = 0)::DOUBLE AS zeros, count(*) FILTER (WHERE amount = 1)::DOUBLE AS ones
    FROM (SELECT column_index, ${cleanText("cell")} AS filled, ${amountOf("cell")} AS amount
          FROM (SELECT unnest([${indexes}]) AS column_index, unnest([${cells}]) AS cell FROM ${source.relation}))
    GROUP BY column_index`;
  let rows: Record<string, unknown>[];
  try {
    rows = (await source.connection.runAndReadAll(sql)).getRowObjectsJS();
  } catch (error) {
    throw unreadableFile(source.path, source.kind, error);
  }
  return new Map(
    rows.map((row) => [
      columns[Number(row.column_index)],
      { filled: Number(row.filled), numbers: Number(row.numbers), zeros: Number(row.zeros), ones: Number(row.ones) },
    ]),
  );
}
