// The one pass over the file: parse, validate and sum per category per day inside DuckDB.
// Only the aggregate (categories x days) reaches JavaScript, never the rows. The same pass
// counts the rows that fail to parse, so the happy path needs no separate validation scan.

import { unreadableFile, type DataSource } from "./source.js";
import { amountOf, cleanText, epochDayOf, quoteString } from "./sql.js";
import { cellColumns, type ReadPlan } from "./read-plan.js";

export interface DailyGroup {
  /** NULL when the category cell is empty (long layout). */
  category: string | null;
  /** Epoch day; NULL when the date is missing or not a date. */
  day: number | null;
  /** Sum of the valid values; NULL when there are none (e.g. only empty wide cells). */
  total: number | null;
  /** Rows in the group (wide layout: cells, one per row and series). */
  rows: number;
  /** Values present but not finite numbers (at least 1 per group with inf or nan). */
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
  badValueCells: number;
  emptyValueCells: number;
}

/**
 * One row per value cell: (category_raw, date_key, amount_text). Long: one cell per row.
 * Wide: one cell per row and series; two lists unnested side by side are zipped.
 */
export function cellsSql(plan: ReadPlan, relation: string): string {
  const inner = `SELECT ${cellColumns(plan)} FROM ${relation}`;
  if (plan.layout === "long") return inner;
  const names = plan.seriesColumns.map(quoteString).join(", ");
  const cells = plan.seriesColumns.map((_, i) => `v${i}`).join(", ");
  return `SELECT date_key, unnest([${names}]) AS category_raw, unnest([${cells}]) AS amount_text FROM (${inner})`;
}

export async function aggregateDaily(source: DataSource, plan: ReadPlan): Promise<DailyAggregate> {
  // Inner: per row only a cast, plain counts and a hash on the raw texts (a few thousand
  // groups); FILTER clauses or trimming here would cost a third more on ten million rows.
  // Outer: the strict date parsing and trimming, on those groups only.
  // A value is bad when present but not parsed, or parsed but not finite (inf, nan): the
  // latter makes its group's sum non-finite, which the outer query counts once per group.
  const sql = `
    WITH grouped AS (
      SELECT category_raw, date_key, sum(amount) AS total, count(*) AS row_count,
             count(amount_text) AS present, count(amount) AS parsed
      FROM (SELECT category_raw, date_key, amount_text, ${amountOf("amount_text")} AS amount
            FROM (${cellsSql(plan, source.relation)}))
      GROUP BY category_raw, date_key)
    SELECT ${cleanText("category_raw")} AS category, ${epochDayOf("date_key")} AS day,
           sum(total) AS total, sum(row_count)::DOUBLE AS row_count,
           sum(present - parsed + CASE WHEN total IS NOT NULL AND NOT isfinite(total) THEN 1 ELSE 0 END)::DOUBLE AS bad_values,
           sum(row_count - present)::DOUBLE AS empty_values
    FROM grouped
    GROUP BY ALL
    ORDER BY category, day`;
  let rows: Record<string, unknown>[];
  try {
    rows = (await source.connection.runAndReadAll(sql)).getRowObjectsJS();
  } catch (error) {
    throw unreadableFile(source.path, source.kind, error);
  }

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
    badValueCells: sum((group) => group.badValues),
    emptyValueCells: sum((group) => group.emptyValues),
  };
}
