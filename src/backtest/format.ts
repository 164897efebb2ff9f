// How a backtest is shown: a MASE table (and the network's interval coverage) per category for
// the terminal, the rows as CSV.
import type { BacktestReport, BacktestRow, CategoryBacktest } from "./backtest.js";
import { formatCoverage } from "./coverage.js";
import { formatTextTable } from "../util/text-table.js";
import { csvCell } from "../data/csv-cell.js";
import { PERIOD_WORD } from "../data/calendar.js";

const number = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

/** One category: MASE of every model at every step and over all steps, best mean marked. */
export function formatCategoryBacktest(result: CategoryBacktest): string {
  const steps = Array.from({ length: result.horizon }, (_, k) => k + 1);
  const mean = (model: string) => result.aggregates.find((a) => a.model === model && a.step === "all")!.mase;
  const best = Math.min(...result.models.map(mean).filter(Number.isFinite));
  const rows = result.models.map((model) => [
    model,
    ...steps.map((step) => number(result.aggregates.find((a) => a.model === model && a.step === step)!.mase)),
    `${number(mean(model))}${mean(model) === best ? " *" : "  "}`,
  ]);
  const title =
    `${result.category}: MASE by ${PERIOD_WORD[result.frequency]} ahead (h1 = the next ${PERIOD_WORD[result.frequency]}), ${result.cutoffs.length} cutoffs ${result.cutoffs[0]} .. ${result.cutoffs[result.cutoffs.length - 1]}, ` +
    `refit ${result.refit} (compute ${result.seconds.toFixed(1)} s)`;
  const coverage = result.coverage.length ? `\n${result.auto ? "auto " : ""}${formatCoverage(result.coverage)}` : "";
  const auto = result.auto
    ? `\nauto = ${result.auto.champion}, chosen on ${result.auto.selection_cutoffs.length} earlier selection windows (${result.auto.selection_cutoffs[0]} .. ${result.auto.selection_cutoffs.at(-1)}): ${result.auto.reason}` +
      result.auto.unscored.map((u) => `\n${u.model} ${u.status}: ${u.reason ?? "no reason given"}`).join("")
    : "";
  return `${title}\n${formatTextTable(["model", ...steps.map((s) => `h${s}`), "mean  "], rows)}${auto}${coverage}`;
}

/** Mean MASE (over steps) of every model for every category, and the mean over categories. */
export function formatBacktestSummary(report: BacktestReport): string {
  const results = report.results;
  if (results.length === 0) return "";
  const models = results[0].models;
  const meanOf = (result: CategoryBacktest, model: string) => result.aggregates.find((a) => a.model === model && a.step === "all")?.mase ?? Number.NaN;
  const rows = results.map((result) => [result.category, ...models.map((model) => number(meanOf(result, model)))]);
  const overall = models.map((model) => {
    const values = results.map((result) => meanOf(result, model)).filter(Number.isFinite);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
  });
  rows.push(["mean", ...overall.map((value) => number(value))]);
  return `mean MASE over all steps (lower is better; < 1 beats the in-sample seasonal naive)\n${formatTextTable(["category", ...models], rows)}`;
}

export function formatBacktestReport(report: BacktestReport, seconds: number): string {
  const parts = report.results.map(formatCategoryBacktest);
  if (report.results.length > 1) parts.push(formatBacktestSummary(report));
  for (const { category, reason } of report.skipped) parts.push(`skipped ${category}: ${reason}`);
  parts.push(`total ${seconds.toFixed(1)} s`);
  return parts.join("\n\n");
}

const CSV_COLUMNS = ["category", "model", "cutoff", "step", "date", "forecast", "actual", "error"] as const;

/** The interval columns any row has, lo_<level>,hi_<level> by level ascending. */
function intervalColumns(rows: readonly BacktestRow[]): string[] {
  const levels = new Set<number>();
  for (const row of rows) for (const key of Object.keys(row.intervals ?? {})) levels.add(Number(key.slice(3)));
  return [...levels].sort((a, b) => a - b).flatMap((level) => [`lo_${level}`, `hi_${level}`]);
}

/**
 * The rows as CSV with a header line (numbers in full precision), then lo_<level>,hi_<level>
 * for each interval level any row has (empty where a row has no interval for it).
 */
export function backtestRowsCsv(rows: readonly BacktestRow[]): string {
  const bounds = intervalColumns(rows);
  const lines = [[...CSV_COLUMNS, ...bounds].join(",")];
  for (const row of rows) {
    const cells = CSV_COLUMNS.map((column) => csvCell(row[column]));
    for (const column of bounds) {
      const value = row.intervals?.[column];
      cells.push(typeof value === "number" ? csvCell(value) : "");
    }
    lines.push(cells.join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** What --json prints: the full table of rows (with the cutoff column) and the aggregates. */
export function backtestJson(report: BacktestReport, seconds: number) {
  return {
    seconds,
    categories: report.results.map(({ rows: _rows, ...rest }) => rest),
    skipped: report.skipped,
    // Interval bounds flat beside the forecast, as in the CSV: lo_80, hi_80, ...
    rows: report.results.flatMap((result) => result.rows.map(({ intervals, ...row }) => ({ ...row, ...intervals }))),
  };
}
