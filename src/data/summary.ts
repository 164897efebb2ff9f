// What `salescast ingest` reports: per category and overall, the date range, the number of
// periods, how many were filled, and the total.

import { lastPeriodDate, PERIOD_DAYS, PERIOD_WORD } from "./calendar.js";
import { epochDayFromIso } from "./dates.js";
import type { CategorySummary, IngestSummary, SalesData, WideColumns } from "./types.js";
import { formatTextTable } from "../util/text-table.js";

export function summarize(data: SalesData): IngestSummary {
  const categories: CategorySummary[] = data.series.map((series) => ({
    category: series.category,
    start: series.start,
    end: lastPeriodDate(series, data.frequency),
    periods: series.values.length,
    filledPeriods: series.filledPeriods,
    total: series.total,
  }));
  const starts = categories.map((c) => c.start).sort();
  const ends = categories.map((c) => c.end).sort();
  const start = starts[0] ?? "";
  const end = ends[ends.length - 1] ?? "";
  const span =
    categories.length === 0
      ? 0
      : ((epochDayFromIso(end) ?? 0) - (epochDayFromIso(start) ?? 0)) / PERIOD_DAYS[data.frequency] + 1;
  return {
    source: data.source,
    frequency: data.frequency,
    ...(data.columns ? { columns: data.columns } : {}),
    categories,
    overall: {
      start,
      end,
      periods: span,
      filledPeriods: categories.reduce((acc, c) => acc + c.filledPeriods, 0),
      total: categories.reduce((acc, c) => acc + c.total, 0),
    },
  };
}

/** `salescast ingest --json`: the summary in the one key style of every JSON output (snake_case). */
export function summaryJson(summary: IngestSummary) {
  const span = (s: IngestSummary["overall"]) => ({ start: s.start, end: s.end, periods: s.periods, filled_periods: s.filledPeriods, total: s.total });
  return {
    source: summary.source,
    frequency: summary.frequency,
    ...(summary.columns ? { columns: summary.columns } : {}),
    categories: summary.categories.map((c) => ({ category: c.category, ...span(c) })),
    overall: span(summary.overall),
  };
}

/** A plain-text table of the summary, as printed by `salescast ingest`. */
export function formatSummary(summary: IngestSummary): string {
  const unit = `${PERIOD_WORD[summary.frequency]}s`;
  const amount = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 2 });
  const header = ["category", "start", "end", unit, "filled", "total"];
  const rows = summary.categories.map((c) => [c.category, c.start, c.end, String(c.periods), String(c.filledPeriods), amount(c.total)]);
  const o = summary.overall;
  rows.push(["(all)", o.start, o.end, String(o.periods), String(o.filledPeriods), amount(o.total)]);
  return [
    `source: ${summary.source.path} (${summary.source.rows} rows, sha256 ${summary.source.sha256.slice(0, 12)})`,
    `frequency: ${summary.frequency}, ${summary.categories.length} categories`,
    ...(summary.columns ? describeColumns(summary.columns) : []),
    formatTextTable(header, rows, { rule: false }),
  ].join("\n");
}

/** Wide layout: which columns were taken as series and, when detected, why the others were not. */
function describeColumns(columns: WideColumns): string[] {
  const list = (names: readonly string[] | undefined) => (names ?? []).join(", ");
  if (!columns.detected) return [`series columns (data.series_columns): ${list(columns.series)}`];
  const lines = [`series columns (detected, data.series_columns is []): ${list(columns.series)}`];
  const skipped = [
    columns.flags?.length ? `${list(columns.flags)} (only 0 and 1: flags)` : "",
    columns.text?.length ? `${list(columns.text)} (not numbers)` : "",
    columns.calendar?.length ? `${list(columns.calendar)} (date and calendar parts)` : "",
  ].filter(Boolean);
  if (skipped.length) lines.push(`not series: ${skipped.join("; ")}`);
  lines.push("to choose the series yourself: data.series_columns=[A, B]");
  return lines;
}
