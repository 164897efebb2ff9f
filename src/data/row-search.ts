// Finding the row behind a problem the aggregate pass counted (a bad cell, a future or distant
// date, an amount too large), so the error can name it. These scans run only after the first
// pass found a problem, so clean files never pay for them.

import type { DataSource } from "./source.js";
import { cellColumns, seriesName, type ReadPlan } from "./read-plan.js";
import { categoryText, quoteString, rawText } from "./sql.js";

/** "Data row 12 (line 13) of /path/file.csv" (CSV: the header is line 1), or "Row 12 of …" (Parquet). */
export function rowLocation(source: Pick<DataSource, "kind" | "path">, rowNumber: number): string {
  return source.kind === "csv" ? `Data row ${rowNumber} (line ${rowNumber + 1}) of ${source.path}` : `Row ${rowNumber} of ${source.path}`;
}

/**
 * Every row in file order with its number (rn, from 1), the date as written (date_text) and the
 * planned cells (date_key, then category_raw and amount_text, or v0, v1, ...).
 * row_number() OVER () without ORDER BY runs as DuckDB's streaming window: file order.
 */
export function numberedRowsSql(source: DataSource, plan: ReadPlan): string {
  return `SELECT row_number() OVER () AS rn, ${rawText(plan.dateColumn)} AS date_text, ${cellColumns(plan)} FROM ${source.relation}`;
}

/**
 * The rows holding a value of one series (a category of a long file, a column of a wide one),
 * in file order, as (rn, date_text, date_key, amount_text); undefined when the plan has no such series.
 */
export function seriesRowsSql(source: DataSource, plan: ReadPlan, series: string): string | undefined {
  const rows = numberedRowsSql(source, plan);
  if (plan.layout === "long") {
    const match = plan.categoryColumn === null ? "true" : `${categoryText("category_raw")} = ${quoteString(series)}`;
    return `SELECT rn, date_text, date_key, amount_text FROM (${rows}) WHERE ${match}`;
  }
  const index = plan.seriesColumns.findIndex((column) => seriesName(column) === series);
  if (index < 0) return undefined;
  return `SELECT rn, date_text, date_key, v${index} AS amount_text FROM (${rows}) WHERE v${index} IS NOT NULL`;
}
