// What `salescast ingest` reports: per category and overall, the date range, the number of
// periods, how many were filled, and the total.

import { lastPeriodDate, PERIOD_DAYS, PERIOD_WORD } from "./calendar.js";
import { epochDayFromIso } from "./dates.js";
import type { CatalogueSummary, CategorySummary, IngestSummary, SalesData, WideColumns } from "./types.js";

/** Rows of the text table for a catalogue. */
const CATALOGUE_ROWS_SHOWN = 20;
import { formatTextTable } from "../util/text-table.js";

export function summarize(data: SalesData): IngestSummary {
  const summary = summarizeSeries(data);
  return data.catalogue ? { ...summary, catalogue: summarizeCatalogue(data, summary) } : summary;
}

/** Series named in a message before "and N more". */
const EXAMPLES = 5;

/**
 * A catalogue's keys, levels, and the series that start after the file's first period (launched
 * mid-history) or stop before its last (discontinued): they are kept, count 0 outside their own
 * calendar in the level series, and are modelled from their own first row; the notes say so.
 */
function summarizeCatalogue(data: SalesData, summary: IngestSummary): CatalogueSummary {
  const catalogue = data.catalogue!;
  const late = summary.categories.filter((c) => c.start > summary.overall.start);
  const early = summary.categories.filter((c) => c.end < summary.overall.end);
  const names = (list: CategorySummary[]) => list.slice(0, EXAMPLES).map((c) => c.category);
  return {
    keyColumns: catalogue.keyColumns,
    series: data.series.length,
    levels: (catalogue.hierarchy?.levels ?? []).map((level, l) => ({
      label: level.label,
      series: catalogue.hierarchy!.aggregates.filter((aggregate) => aggregate.level === l).length,
    })),
    startedLate: { count: late.length, examples: names(late) },
    stoppedEarly: { count: early.length, examples: names(early) },
  };
}

/** The notes `salescast ingest` prints about series that start or stop mid-history. */
export function lifecycleNotes(summary: IngestSummary): string[] {
  const catalogue = summary.catalogue;
  if (!catalogue) return [];
  const more = (part: { count: number; examples: string[] }) =>
    part.examples.map((name) => `"${name}"`).join(", ") + (part.count > part.examples.length ? ` and ${part.count - part.examples.length} more` : "");
  const notes: string[] = [];
  if (catalogue.startedLate.count > 0) {
    notes.push(
      `${catalogue.startedLate.count} series start after ${summary.overall.start} (no row before, launched mid-history): ${more(catalogue.startedLate)}. ` +
        "Each is read from its first row; the level series count it as 0 before.",
    );
  }
  if (catalogue.stoppedEarly.count > 0) {
    notes.push(
      `${catalogue.stoppedEarly.count} series stop before ${summary.overall.end} (no row after, discontinued?): ${more(catalogue.stoppedEarly)}. ` +
        "The level series count them as 0 after; a forecast of one continues from its last row: leave them out with data.available_categories if they no longer sell.",
    );
  }
  return notes;
}

function summarizeSeries(data: SalesData): IngestSummary {
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
  const catalogue = summary.catalogue;
  return {
    source: summary.source,
    frequency: summary.frequency,
    ...(summary.columns ? { columns: summary.columns } : {}),
    ...(catalogue
      ? {
          catalogue: {
            key_columns: catalogue.keyColumns,
            series: catalogue.series,
            levels: catalogue.levels,
            started_late: catalogue.startedLate,
            stopped_early: catalogue.stoppedEarly,
            notes: lifecycleNotes(summary),
          },
        }
      : {}),
    categories: summary.categories.map((c) => ({ category: c.category, ...span(c) })),
    overall: span(summary.overall),
  };
}

/** A plain-text table of the summary, as printed by `salescast ingest`. */
export function formatSummary(summary: IngestSummary): string {
  const unit = `${PERIOD_WORD[summary.frequency]}s`;
  const amount = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 2 });
  const header = ["category", "start", "end", unit, "filled", "total"];
  // A catalogue has tens of thousands of series: the table shows the first ones (--json has all).
  const shown = summary.catalogue ? summary.categories.slice(0, CATALOGUE_ROWS_SHOWN) : summary.categories;
  const rows = shown.map((c) => [c.category, c.start, c.end, String(c.periods), String(c.filledPeriods), amount(c.total)]);
  if (shown.length < summary.categories.length) rows.push([`… ${summary.categories.length - shown.length} more (--json lists all)`, "", "", "", "", ""]);
  const o = summary.overall;
  rows.push(["(all)", o.start, o.end, String(o.periods), String(o.filledPeriods), amount(o.total)]);
  const catalogue = summary.catalogue;
  return [
    `source: ${summary.source.path} (${summary.source.rows} rows, sha256 ${summary.source.sha256.slice(0, 12)})`,
    catalogue
      ? `frequency: ${summary.frequency}, ${catalogue.series} series keyed by ${catalogue.keyColumns.join(" + ")} (names: values joined by /)`
      : `frequency: ${summary.frequency}, ${summary.categories.length} categories`,
    ...(catalogue && catalogue.levels.length > 0 ? [`levels: ${catalogue.levels.map((level) => `${level.label} (${level.series})`).join(", ")}`] : []),
    ...lifecycleNotes(summary),
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
