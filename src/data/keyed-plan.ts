// Which columns a catalogue file (data.series_key) is read from, and the per-row SQL for each:
// text columns as they are (trimmed and NFC only on the few thousand distinct values later),
// typed Parquet columns used as their type (a DATE stays a DATE, a number a number), so the
// 59-million-row pass does no casting it does not need.

import { DataError } from "./errors.js";
import { resolveColumn, type DataSource } from "./source.js";
import { amountOf, dateKeyOf, quoteIdentifier, rawText } from "./sql.js";
import type { DataSettings } from "./types.js";

export interface KeyedPlan {
  dateColumn: string;
  valueColumn: string;
  /** data.series_key resolved against the file, in config order. */
  keyColumns: string[];
  /** Columns the hierarchy levels name that are not key columns (e.g. state_id, cat_id). */
  attributeColumns: string[];
  /** data.hierarchy with each column resolved to the file's name. */
  levels: string[][];
  /** Per row: the date as a key to group on (a DATE, or text reduced to its YYYY-MM-DD part). */
  dateKeySql: string;
  /** True when dateKeySql is a DATE (typed Parquet column), false when it is text. */
  typedDate: boolean;
  /** Per row: the value as DOUBLE, NULL when missing or not a number. */
  amountSql: string;
  /** Per row: the value as written, for messages (NULL when empty). */
  amountTextSql: string;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/** Per row: a column's value as DOUBLE (a typed number as it is, text parsed by the rules of sql.ts), NULL when not a number. */
export function numberSql(source: DataSource, column: string): string {
  return NUMERIC.test(typeOf(source, column)) ? `CAST(${quoteIdentifier(column)} AS DOUBLE)` : amountOf(rawText(column));
}

function typeOf(source: DataSource, column: string): string {
  return source.columnTypes?.[source.columns.indexOf(column)] ?? "VARCHAR";
}

export function planKeyed(source: DataSource, settings: DataSettings): KeyedPlan {
  const keys = settings.series_key ?? [];
  if (settings.layout !== "long") {
    throw new DataError(
      `data.series_key (${keys.join(", ")}) needs data.layout: long (one row per series and date); it is ${settings.layout}.`,
      "Set data.layout: long, or data.series_key: [] for a wide file (each column a series).",
    );
  }
  const keyColumns = keys.map((name) => resolveColumn(source, name, "data.series_key"));
  const repeated = keyColumns.filter((column, i) => keyColumns.indexOf(column) !== i);
  if (repeated.length > 0) {
    throw new DataError(`data.series_key names column "${repeated[0]}" twice.`, "List each key column once.");
  }
  const levels = (settings.hierarchy ?? []).map((level) =>
    level.map((name) =>
      resolveColumn(source, name, "data.hierarchy", ` (level [${level.join(", ")}] names a column the file does not have; each level lists columns of the file, [] is the total)`),
    ),
  );
  const dateColumn = resolveColumn(source, settings.date_column, "data.date_column");
  const valueColumn = resolveColumn(source, settings.value_column, "data.value_column");
  for (const [column, key] of [[dateColumn, "data.date_column"], [valueColumn, "data.value_column"]] as const) {
    if (keyColumns.includes(column) || levels.some((level) => level.includes(column))) {
      throw new DataError(`Column "${column}" is ${key} and also in data.series_key or data.hierarchy.`, "A key or level column names series; the date and value columns cannot be one.");
    }
  }
  const attributeColumns = [...new Set(levels.flat())].filter((column) => !keyColumns.includes(column));

  const dateType = typeOf(source, dateColumn);
  const typedDate = dateType === "DATE" || dateType.startsWith("TIMESTAMP");
  const dateKeySql = typedDate ? `CAST(${quoteIdentifier(dateColumn)} AS DATE)` : dateKeyOf(rawText(dateColumn));
  const amountSql = numberSql(source, valueColumn);
  return { dateColumn, valueColumn, keyColumns, attributeColumns, levels, dateKeySql, typedDate, amountSql, amountTextSql: rawText(valueColumn) };
}

/** Per row: each key column, then each attribute column, as text (aliases k0.., a0..). */
export function keyedTextColumns(plan: KeyedPlan): string {
  const texts = [
    ...plan.keyColumns.map((column, i) => `${rawText(column)} AS k${i}`),
    ...plan.attributeColumns.map((column, i) => `${rawText(column)} AS a${i}`),
  ];
  return texts.join(", ");
}
