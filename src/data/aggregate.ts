// The one pass over the file: parse, validate and sum per category per day inside DuckDB.
// Only the aggregate (categories x days) reaches JavaScript, never the rows. The same pass
// counts the rows that fail to parse, so the happy path needs no separate validation scan.

import { unreadableFile, type DataSource } from "./source.js";
import { amountOf, categoryText, columnSlices, epochDayOf, quoteString } from "./sql.js";
import { cellColumns, seriesName, type ReadPlan } from "./read-plan.js";

export interface DailyGroup {
  /** NULL when the category cell is empty (long layout). */
  category: string | null;
  /** Epoch day; NULL when the date is missing or not a date. */
  day: number | null;
  /**
   * Sum of the valid values; NULL when there are none (e.g. only empty wide cells). Not finite
   * when a cell is inf or nan, or when the sum overflows (two cells of 1e308).
   */
  total: number | null;
  /** Rows in the group (wide layout: cells, one per row and series). */
  rows: number;
  /** Values present but not numbers (inf and nan are numbers here: they show in `total`). */
  badValues: number;
  /** Values missing (empty cells). */
  emptyValues: number;
}

export interface DailyAggregate {
  groups: DailyGroup[];
  /** Data rows of the file. */
  rows: number;
  /** Rows whose date is missing or not a date. */
  badDateRows: number;
  emptyCategoryRows: number;
  /** Cells that are not numbers, plus one per group whose total is not finite (inf or nan cells). */
  badValueCells: number;
  emptyValueCells: number;
  /** Groups whose total is not finite: an inf or nan cell, or amounts whose sum overflows. */
  nonFiniteGroups: number;
}

/**
 * One row per value cell: (category_raw, date_key, amount_text). Long: one cell per row.
 * Wide: one cell per row and series; two lists unnested side by side are zipped.
 */
export function cellsSql(plan: ReadPlan, relation: string): string {
  const inner = `SELECT ${cellColumns(plan)} FROM ${relation}`;
  if (plan.layout === "long") return inner;
  const names = plan.seriesColumns.map((column) => quoteString(seriesName(column))).join(", ");
  const cells = plan.seriesColumns.map((_, i) => `v${i}`).join(", ");
  return `SELECT date_key, unnest([${names}]) AS category_raw, unnest([${cells}]) AS amount_text FROM (${inner})`;
}

export async function aggregateDaily(source: DataSource, plan: ReadPlan): Promise<DailyAggregate> {
  // A wide file with many series is read in slices of columns (see COLUMNS_PER_SCAN); each
  // slice's groups belong to its own series, so the slices' groups are simply put together.
  const plans = plan.layout === "long" ? [plan] : columnSlices(plan.seriesColumns).map((seriesColumns) => ({ ...plan, seriesColumns }));
  let rows: Record<string, unknown>[] = [];
  for (const slice of plans) rows = rows.concat(await aggregateSlice(source, slice));
  const cellsPerRow = plan.layout === "wide" ? plan.seriesColumns.length : 1;
  const groups: DailyGroup[] = rows.map((row) => ({
    category: row.category === null ? null : String(row.category),
    day: row.day === null ? null : Number(row.day),
    total: row.total === null ? null : Number(row.total),
    rows: Number(row.row_count),
    badValues: Number(row.bad_values),
    emptyValues: Number(row.empty_values),
  }));
  const sum = (pick: (group: DailyGroup) => number) => groups.reduce((acc, group) => acc + pick(group), 0);
  return {
    groups,
    rows: sum((group) => group.rows) / cellsPerRow,
    badDateRows: sum((group) => (group.day === null ? group.rows : 0)) / cellsPerRow,
    emptyCategoryRows: sum((group) => (group.category === null ? group.rows : 0)),
    badValueCells: sum((group) => group.badValues + (isNonFinite(group) ? 1 : 0)),
    emptyValueCells: sum((group) => group.emptyValues),
    nonFiniteGroups: sum((group) => (isNonFinite(group) ? 1 : 0)),
  };
}

function isNonFinite(group: DailyGroup): boolean {
  return group.total !== null && !Number.isFinite(group.total);
}

/** The per category x day groups of one plan (one slice of a wide file's series). */
async function aggregateSlice(source: DataSource, plan: ReadPlan): Promise<Record<string, unknown>[]> {
  // Inner: per row only a cast, plain counts and a hash on the raw texts (a few thousand
  // groups); FILTER clauses or trimming here would cost a third more on ten million rows.
  // Outer: the strict date parsing and trimming, on those groups only.
  // A value is bad when present but not parsed, or parsed but not finite (inf, nan): the
  // latter makes its group's sum non-finite, as do amounts whose sum overflows; bad-rows.ts
  // tells the two apart only when it happens (overflow.ts reports the overflow).
  const sql = `
    WITH grouped AS (
      SELECT category_raw, date_key, sum(amount) AS total, count(*) AS row_count,
             count(amount_text) AS present, count(amount) AS parsed
      FROM (SELECT category_raw, date_key, amount_text, ${amountOf("amount_text")} AS amount
            FROM (${cellsSql(plan, source.relation)}))
      GROUP BY category_raw, date_key)
    SELECT ${categoryText("category_raw")} AS category, ${epochDayOf("date_key")} AS day,
           sum(total) AS total, sum(row_count)::DOUBLE AS row_count,
           sum(present - parsed)::DOUBLE AS bad_values,
           sum(row_count - present)::DOUBLE AS empty_values
    FROM grouped
    GROUP BY ALL
    ORDER BY category, day`;
  try {
    return (await source.connection.runAndReadAll(sql)).getRowObjectsJS();
  } catch (error) {
    throw unreadableFile(source.path, source.kind, error);
  }
}
