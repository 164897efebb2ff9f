// Which columns of the file are read, and how: the configured names resolved against the
// file's columns, and for the wide layout the series columns (given or detected).

import { detectSeriesColumns, type SeriesDetection } from "./detect-series.js";
import { DataError } from "./errors.js";
import { resolveColumn, type DataSource } from "./source.js";
import { dateKeyOf, quoteString, rawText } from "./sql.js";
import type { DataSettings } from "./types.js";

export type ReadPlan =
  | {
      layout: "long";
      dateColumn: string;
      /** null: the file holds one series (data.category_column empty or null), named after the value column. */
      categoryColumn: string | null;
      valueColumn: string;
    }
  | {
      layout: "wide";
      dateColumn: string;
      seriesColumns: string[];
      /** Set when data.series_columns is [] and the series were detected: what became of each column. */
      detection?: SeriesDetection;
    };

/**
 * The name of a series as salescast shows and stores it: a category or column name trimmed and
 * in Unicode NFC, so the two ways of writing "é" (one code point, or "e" + a combining accent)
 * name one series. The same as categoryText (sql.ts) does in DuckDB.
 */
export function seriesName(name: string): string {
  return name.trim().normalize("NFC");
}

export async function planRead(source: DataSource, settings: DataSettings): Promise<ReadPlan> {
  const dateColumn = resolveColumn(source, settings.date_column, "data.date_column");
  if (settings.layout === "long") {
    const wideHint = " (or set data.layout: wide if each series is its own column)";
    const categoryColumn =
      settings.category_column === null ? null : resolveColumn(source, settings.category_column, "data.category_column", singleSeriesHint(wideHint));
    const valueColumn = resolveColumn(source, settings.value_column, "data.value_column", wideHint);
    return { layout: "long", dateColumn, categoryColumn, valueColumn };
  }
  if (settings.series_columns.length > 0) {
    return { layout: "wide", dateColumn, seriesColumns: givenSeriesColumns(source, settings.series_columns, dateColumn) };
  }
  const detection = await detectSeriesColumns(source, dateColumn);
  refuseNameClash(source, detection.series, "the detected series columns");
  return { layout: "wide", dateColumn, seriesColumns: detection.series, detection };
}

/** A file with one series and no category column is read with data.category_column empty. */
function singleSeriesHint(wideHint: string): string {
  return `${wideHint}, or leave it empty (data.category_column=) if the file holds a single series`;
}

function givenSeriesColumns(source: DataSource, wanted: readonly string[], dateColumn: string): string[] {
  const columns = [...new Set(wanted.map((name) => resolveColumn(source, name, "data.series_columns")))];
  if (columns.includes(dateColumn)) {
    throw new DataError(
      `data.series_columns lists the date column "${dateColumn}".`,
      "Remove it from data.series_columns: the date column gives the periods, it is not a series.",
    );
  }
  refuseNameClash(source, columns, "data.series_columns");
  return columns;
}

/** Two columns whose names differ only in Unicode normalisation would be two series that look identical. */
function refuseNameClash(source: DataSource, columns: readonly string[], what: string): void {
  const seen = new Map<string, string>();
  for (const column of columns) {
    const earlier = seen.get(seriesName(column));
    if (earlier !== undefined) {
      throw new DataError(
        `Columns ${JSON.stringify(earlier)} and ${JSON.stringify(column)} of ${source.path} (${what}) have the same name written ` +
          "two ways (Unicode NFC and NFD): they would be two series that look identical.",
        "Rename one of the columns, or list only one of them in data.series_columns.",
      );
    }
    seen.set(seriesName(column), column);
  }
}

/**
 * SQL select list of the planned columns, per row, with stable aliases: date_key (dateKeyOf),
 * then category_raw and amount_text (long) or v0, v1, ... one per series (wide). Texts are
 * untrimmed: trimming per row costs more than the rest of the pass (see sql.ts). Without a category
 * column (long), category_raw is the value column's name.
 */
export function cellColumns(plan: ReadPlan): string {
  const date = `${dateKeyOf(rawText(plan.dateColumn))} AS date_key`;
  if (plan.layout === "long") {
    // Without a category column every row belongs to the one series named after the value column.
    const category = plan.categoryColumn === null ? quoteString(seriesName(plan.valueColumn)) : rawText(plan.categoryColumn);
    return `${date}, ${category} AS category_raw, ${rawText(plan.valueColumn)} AS amount_text`;
  }
  return [date, ...plan.seriesColumns.map((column, i) => `${rawText(column)} AS v${i}`)].join(", ");
}
