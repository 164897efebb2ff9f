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
  const coverage = result.coverage.length ? `\n${formatCoverage(result.coverage)}` : "";
  return `${title}\n${formatTextTable(["model", ...steps.map((s) => `h${s}`), "mean  "], rows)}${coverage}`;
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

/** The rows as CSV with a header line (numbers in full precision). */
export function backtestRowsCsv(rows: readonly BacktestRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of rows) lines.push(CSV_COLUMNS.map((column) => csvCell(row[column])).join(","));
  return `${lines.join("\n")}\n`;
}

/** What --json prints: the full table of rows (with the cutoff column) and the aggregates. */
export function backtestJson(report: BacktestReport, seconds: number) {
  return {
    seconds,
    categories: report.results.map(({ rows: _rows, ...rest }) => rest),
    skipped: report.skipped,
    rows: report.results.flatMap((result) => result.rows),
  };
}
