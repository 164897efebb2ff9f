// The table `salescast train` prints: one row per category, the model's validation metrics
// next to the baselines' MASE, so "did the model beat seasonal naive?" is answered at a
// glance. (The JSON form for --json is in result-json.ts.)
import type { ForecastMetrics } from "../models/metrics.js";
import type { CategoryResult } from "./result.js";
import type { CategoryEvaluation } from "./evaluate.js";
import { BENCHMARK, EVALUATION_BASELINES, familyOf } from "../models/families.js";
import { formatTextTable } from "../util/text-table.js";

/** The baselines every model is compared with, as [kind, column title]. */
const BASELINE_COLUMNS: ReadonlyArray<[name: string, header: string]> = EVALUATION_BASELINES.map((family) => [family.kind, family.shortLabel ?? family.kind]);

function formatNumber(value: number | undefined, digits: number): string {
  if (value === undefined) return "";
  if (!Number.isFinite(value)) return "n/a";
  return value.toFixed(digits);
}

/** Fixed-width text table; reasons for skipped/failed categories follow below it. */
export function formatSummaryTable(results: readonly CategoryResult[]): string {
  const header = ["category", "status", "RMSE", "MAE", "sMAPE%", "MASE", ...BASELINE_COLUMNS.map(([, title]) => `${title} MASE`), "best/epochs", "seconds"];
  // architecture auto: the champion, its MASE on the tournament's evaluation windows (the honest
  // figure: the validation part may overlap the windows it was chosen on) and its alias.
  const auto = results.some((r) => r.auto);
  if (auto) header.splice(2, 0, "model", "auto eval MASE", "alias");
  const rows = results.map((r) => [
    r.category,
    r.status,
    formatNumber(r.metrics?.rmse, 2),
    formatNumber(r.metrics?.mae, 2),
    formatNumber(r.metrics?.smape, 1),
    formatNumber(r.metrics?.mase, 3),
    ...BASELINE_COLUMNS.map(([name]) => formatNumber(r.baselines?.[name]?.mase, 3)),
    r.status === "ok" && r.epochs > 0 ? `${r.bestEpoch}/${r.epochs}` : "",
    r.seconds.toFixed(1),
  ]);
  if (auto)
    results.forEach((r, i) =>
      rows[i].splice(2, 0, r.auto?.champion ?? r.model ?? "", formatNumber(r.auto?.evaluationMase ?? undefined, 3), r.auto?.decision ?? ""),
    );
  const out = [formatTextTable(header, rows, { textColumns: auto ? 3 : 2 })];

  const notes = results.filter((r) => r.reason).map((r) => `${r.category} (${r.status}): ${r.reason}`);
  if (notes.length > 0) out.push("", ...notes);

  const compared = results.filter((r) => r.metrics && r.baselines?.[BENCHMARK.kind]);
  if (compared.length > 0) {
    const wins = compared.filter((r) => r.metrics!.mase < r.baselines![BENCHMARK.kind].mase).length;
    const kinds = [...new Set(compared.map((r) => r.model).filter((kind) => kind !== undefined))];
    const who = kinds.length === 1 ? `The ${familyOf(kinds[0]!).label}` : "The model";
    out.push(
      "",
      `MASE: validation MAE / in-sample ${BENCHMARK.label} MAE of the training part (< 1 = better than that benchmark).`,
      `${who} beats the ${BENCHMARK.label} forecast (by MASE) on ${wins} of ${compared.length} categories.`,
    );
  }
  return out.join("\n");
}

/** What `salescast evaluate` prints: the model and each baseline, one row each. */
export function formatEvaluationTable(evaluation: CategoryEvaluation): string {
  const parts: Array<[string, ForecastMetrics | undefined, Record<string, ForecastMetrics> | undefined]> = [
    ["validation", evaluation.metrics, evaluation.baselines],
    ["test", evaluation.testMetrics, evaluation.testBaselines],
  ];
  const header = ["part", "forecaster", "RMSE", "MAE", "sMAPE%", "MASE"];
  const rows: string[][] = [];
  for (const [part, network, baselines] of parts) {
    if (!network) continue;
    const all: Array<[string, ForecastMetrics]> = [[evaluation.model, network], ...Object.entries(baselines ?? {})];
    for (const [name, m] of all) {
      rows.push([part, name, formatNumber(m.rmse, 2), formatNumber(m.mae, 2), formatNumber(m.smape, 1), formatNumber(m.mase, 3)]);
    }
  }
  const out = [
    `${evaluation.category}, model version ${evaluation.version}: ${evaluation.targets} validation targets ${evaluation.from} .. ${evaluation.to}`,
    "",
    formatTextTable(header, rows, { textColumns: 2 }),
  ];
  if (evaluation.dataChanged) out.push("", "note: the data file differs from the one this model was trained on (sha256).");
  return out.join("\n");
}
