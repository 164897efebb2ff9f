// salescast's model kinds in `npm run bench:accuracy`: besides the backtest of the configured
// model (runSalescast: the network and its variants), one `salescast backtest` per kind of
// --kinds with model.architecture=<kind>, its rows (and the coverage of its calibrated
// intervals) added to salescast's. Each backtest also forecasts the baselines; those rows are
// already in the configured model's run and are dropped here.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MODEL_KINDS } from "../src/config/model-kinds.js";
import { runMeasured } from "./accuracy-process.js";
import { quoteArg, readSalescastRun, type DatasetRun, type ToolRun } from "./accuracy-tools.js";

/** The local statistical kinds the bench runs by default (the baselines are in every backtest already). */
export const DEFAULT_BENCH_KINDS = ["ets", "theta", "arima", "mstl", "intermittent", "ensemble"] as const;
/** Rows every backtest has: a kind among them would only repeat them. */
const BASELINE_ROWS = ["naive", "seasonal_naive", "moving_average", "holt_winters"];

/** "theta,arima" -> the kinds; "none" -> none; an unknown kind or a baseline is refused with the known ones. */
export function parseBenchKinds(text: string | undefined): string[] {
  if (text === undefined) return [...DEFAULT_BENCH_KINDS];
  const kinds = text.split(",").map((k) => k.trim()).filter(Boolean);
  if (kinds.length === 1 && kinds[0] === "none") return [];
  const known = MODEL_KINDS.filter((k) => !BASELINE_ROWS.includes(k));
  for (const kind of kinds) {
    if (BASELINE_ROWS.includes(kind)) throw new RangeError(`--kinds: ${kind} is a baseline, in every backtest's rows already; list other kinds (${known.join(", ")})`);
    if (!(MODEL_KINDS as readonly string[]).includes(kind)) throw new RangeError(`--kinds: unknown kind "${kind}"; known: ${known.join(", ")}, or none`);
  }
  return [...new Set(kinds)];
}

/** One backtest with model.architecture=<kind>, refit at every cutoff: its rows of that kind, its coverage and its time. */
export async function runSalescastKind(d: DatasetRun, kind: string, extraArgs: string[]): Promise<{ kind: string; run: Pick<ToolRun, "rows" | "ownCoverage" | "skippedSeries">; seconds?: number; command: string; problem?: string }> {
  const out = join(d.work, `${d.name}-salescast-${kind}-rows.csv`);
  const { horizon, windows, step } = d.protocol;
  const args = [
    join(d.root, "bin/salescast.js"), "backtest", "--all", "--config", d.configPath,
    "--horizon", String(horizon), "--windows", String(windows), "--step", String(step),
    "--refit", "every", "--out", out, "--json",
    ...extraArgs, ...d.overrides, `model.architecture=${kind}`,
  ];
  const command = `salescast ${args.slice(1).map(quoteArg).join(" ")}`;
  const result = await runMeasured(`salescast ${kind}`, process.execPath, args, { cwd: d.root });
  if (result.status !== 0 || !existsSync(out)) {
    const problem = result.startError ?? `exit status ${result.status}: ${result.stderrTail.slice(-3).join(" | ")}`;
    return { kind, run: { rows: [], ownCoverage: new Map(), skippedSeries: [] }, command, problem };
  }
  const read = readSalescastRun(d, readFileSync(out, "utf8"), result.stdout, kind);
  return { kind, run: { ...read, rows: read.rows.filter((row) => row.model === kind) }, seconds: result.wallSeconds, command };
}

/** The kinds' rows, coverage, times and skipped series added to salescast's run (a kind that failed: a note, its rows missing). */
export function addKindRuns(main: ToolRun, kindRuns: Awaited<ReturnType<typeof runSalescastKind>>[]): string[] {
  const notes: string[] = [];
  for (const k of kindRuns) {
    if (k.problem) {
      notes.push(`salescast ${k.kind} failed (${k.problem}); command: ${k.command}`);
      continue;
    }
    main.rows.push(...k.run.rows);
    for (const [model, coverage] of k.run.ownCoverage) main.ownCoverage.set(model, coverage);
    if (k.seconds !== undefined) main.modelSeconds.set(k.kind, k.seconds);
    for (const s of k.run.skippedSeries) main.skippedSeries.push({ series: s.series, reason: `${k.kind}: ${s.reason}` });
  }
  return notes;
}
