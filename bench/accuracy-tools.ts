// How each tool is run on one dataset and read back into the protocol's forecast rows:
// salescast's own `backtest` CLI, and the anchor runners of bench/anchors/ (one per tool, all
// reading the long CSV unique_id,ds,y and writing unique_id,cutoff,ds,model,y_hat[,lo_L,hi_L]).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "./accuracy-csv.js";
import type { FrequencyDefaults } from "./accuracy-datasets.js";
import { runMeasured, type ProcessResult } from "./accuracy-process.js";
import type { BenchSeries, ForecastRow, Protocol } from "./accuracy-protocol.js";
import { checkSameActuals, checkSameCutoffs, parseAnchorRows, parseSalescastRows } from "./accuracy-rows.js";
import type { Frequency } from "../src/data/types.js";

export const LEVELS = [80, 95] as const;

/** Where the rows of a model come from: salescast, or one of the anchors it is compared with. */
export type Source = "salescast" | "R forecast" | "statsforecast" | "mlforecast";

export interface ToolRun {
  source: Source;
  status: "ok" | "skipped" | "failed";
  /** Why it was skipped or failed. */
  reason?: string;
  wallSeconds?: number;
  cpuSeconds?: number;
  rows: ForecastRow[];
  /** Fit + forecast seconds per model as the tool measured them (summed over series and cutoffs). */
  modelSeconds: Map<string, number>;
  /** The series × cutoffs those seconds cover (a global model's cutoff counts once per series), to compare per fit. */
  modelFits: Map<string, number>;
  /** Interval coverage a tool counted itself, for models whose rows carry no intervals. */
  ownCoverage: Map<string, Map<number, { covered: number; total: number }>>;
  /** Series the tool left out, with its reason. */
  skippedSeries: { series: string; reason: string }[];
  /** The command, as a user would type it. */
  command?: string;
}

export interface DatasetRun {
  name: string;
  root: string;
  work: string;
  /** The long CSV every anchor reads. */
  longCsv: string;
  series: BenchSeries[];
  frequency: Frequency;
  protocol: Protocol;
  defaults: FrequencyDefaults;
  configPath: string;
  overrides: string[];
  jobs: number;
}

function emptyRun(source: Source, status: ToolRun["status"], reason?: string): ToolRun {
  return { source, status, reason, rows: [], modelSeconds: new Map(), modelFits: new Map(), ownCoverage: new Map(), skippedSeries: [] };
}

function failure(source: Source, result: ProcessResult): ToolRun {
  const run = emptyRun(
    source,
    result.startError ? "skipped" : "failed",
    result.startError ?? `exit status ${result.status}: ${result.stderrTail.slice(-3).join(" | ")}`,
  );
  return { ...run, wallSeconds: result.wallSeconds, cpuSeconds: result.cpuSeconds };
}

/**
 * Sums the seconds column of a runner's timings CSV per model, and counts the series × cutoffs
 * they cover: one per line where lines are per series (unique_id), else `seriesCount` per line
 * (a global model's line per cutoff).
 */
function secondsPerModel(path: string, seriesCount: number): { seconds: Map<string, number>; fits: Map<string, number> } {
  const seconds = new Map<string, number>();
  const fits = new Map<string, number>();
  if (!existsSync(path)) return { seconds, fits };
  for (const row of parseCsv(readFileSync(path, "utf8"), path)) {
    seconds.set(row.model, (seconds.get(row.model) ?? 0) + Number(row.seconds));
    fits.set(row.model, (fits.get(row.model) ?? 0) + ("unique_id" in row ? 1 : seriesCount));
  }
  return { seconds, fits };
}

const quote = (arg: string) => (/^[\w./=,:@+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

/** The backtest's --out CSV and its --json report of one run, read and checked against the protocol. */
export function readSalescastRun(
  d: DatasetRun,
  rowsText: string,
  json: string | undefined,
  configured = "cnn_lstm",
): Pick<ToolRun, "rows" | "ownCoverage" | "skippedSeries" | "modelSeconds" | "modelFits"> {
  const rows = parseSalescastRows(
    rowsText,
    d.series.map((s) => s.id),
  );
  checkSameCutoffs(rows, d.series, d.protocol);
  checkSameActuals(rows, d.series);
  const ownCoverage = new Map<string, Map<number, { covered: number; total: number }>>();
  const skippedSeries: ToolRun["skippedSeries"] = [];
  const modelSeconds = new Map<string, number>();
  const modelFits = new Map<string, number>();
  if (json) {
    const report = JSON.parse(json) as {
      categories: {
        category: string;
        coverage?: { level: number; step: number | string; covered: number; total: number }[];
        auto?: { model_seconds?: { model: string; seconds: number; fits: number }[] };
      }[];
      skipped?: { category: string; reason: string }[];
    };
    // backtest --auto: each entrant's own time per series (selection and evaluation cutoffs alike).
    const kept = new Set(d.series.map((s) => s.id));
    for (const category of report.categories) {
      if (!kept.has(category.category)) continue;
      for (const m of category.auto?.model_seconds ?? []) {
        modelSeconds.set(m.model, (modelSeconds.get(m.model) ?? 0) + m.seconds);
        modelFits.set(m.model, (modelFits.get(m.model) ?? 0) + m.fits);
      }
    }
    // The backtest counts the coverage of its configured model (the network's "cnn_lstm", or the kind run) itself.
    const counts = new Map<number, { covered: number; total: number }>();
    for (const category of report.categories) {
      for (const c of category.coverage ?? []) {
        if (c.step !== "all") continue;
        const count = counts.get(c.level) ?? { covered: 0, total: 0 };
        counts.set(c.level, { covered: count.covered + c.covered, total: count.total + c.total });
      }
    }
    if (counts.size) ownCoverage.set(configured, counts);
    for (const s of report.skipped ?? []) skippedSeries.push({ series: s.category, reason: s.reason });
  }
  return { rows, ownCoverage, skippedSeries, modelSeconds, modelFits };
}

/** What each kind's backtest runs beside it (--kinds): the network's variants, the GBDT's direct one; auto: the tournament. */
const KIND_ARGS: Record<string, string[]> = {
  configured: ["--refit", "every", "--variants", "calendar,direct"],
  cnn_lstm: ["--refit", "every", "--variants", "calendar,direct"],
  gbdt: ["--refit", "every", "--variants", "direct"],
  auto: ["--auto"],
};

/**
 * salescast backtest --all of one kind, or a given --out file. "configured" is the reference's
 * network (model.architecture CNNLSTM) with its variants, refit at every cutoff; "auto" is the
 * tournament (backtest --auto: every candidate and the row auto, each series' champion chosen on
 * the selection windows before the protocol's cutoffs, which are its evaluation windows). A run
 * of another kind keeps its own rows only (the baselines come with the first run).
 */
export async function runSalescast(d: DatasetRun, extraArgs: string[], rowsFile?: string, kind = "configured"): Promise<ToolRun> {
  if (rowsFile) {
    return {
      ...emptyRun("salescast", "ok"),
      ...readSalescastRun(d, readFileSync(rowsFile, "utf8"), undefined),
      command: `(rows read from ${rowsFile})`,
    };
  }
  const out = join(d.work, `${d.name}-salescast${kind === "configured" ? "" : `-${kind}`}-rows.csv`);
  const architecture = kind === "configured" ? "CNNLSTM" : kind === "auto" ? undefined : kind;
  const { horizon, windows, step } = d.protocol;
  const argv = [
    join(d.root, "bin/salescast.js"),
    "backtest",
    "--all",
    "--config",
    d.configPath,
    "--horizon",
    String(horizon),
    "--windows",
    String(windows),
    "--step",
    String(step),
    ...(KIND_ARGS[kind] ?? ["--refit", "every"]),
    "--out",
    out,
    "--json",
    ...extraArgs,
    ...d.overrides,
    ...(architecture ? [`model.architecture=${architecture}`] : []),
  ];
  const command = `salescast ${argv.slice(1).map(quote).join(" ")}`;
  const result = await runMeasured("salescast", process.execPath, argv, { cwd: d.root });
  if (result.status !== 0 || !existsSync(out)) return { ...failure("salescast", result), command };
  return {
    ...emptyRun("salescast", "ok"),
    ...ownRows(readSalescastRun(d, readFileSync(out, "utf8"), result.stdout, kind === "configured" ? "cnn_lstm" : kind), kind),
    wallSeconds: result.wallSeconds,
    cpuSeconds: result.cpuSeconds,
    command,
  };
}

/** A kind's run keeps the rows of that kind and its variants ("gbdt", "gbdt_direct"), not the baselines again. */
function ownRows<T extends Pick<ToolRun, "rows">>(run: T, kind: string): T {
  // The tournament's run brings every candidate; accuracy.ts keeps the rows of models no earlier run had.
  return kind === "configured" || kind === "auto"
    ? run
    : { ...run, rows: run.rows.filter((row) => row.model === kind || row.model.startsWith(`${kind}_`) || row.model.startsWith(`${kind}+`)) };
}

async function runAnchor(d: DatasetRun, source: Source, command: string, args: string[], out: string, timings: string): Promise<ToolRun> {
  const shown = `${source === "R forecast" ? "Rscript" : "python"} ${args.map((a) => quote(a.replace(`${d.root}/`, ""))).join(" ")}`;
  const result = await runMeasured(source, command, args, { cwd: d.root });
  if (result.status !== 0 || !existsSync(out)) return { ...failure(source, result), command: shown };
  const measured = secondsPerModel(timings, d.series.length);
  return {
    ...emptyRun(source, "ok"),
    rows: parseAnchorRows(readFileSync(out, "utf8"), out),
    modelSeconds: measured.seconds,
    modelFits: measured.fits,
    wallSeconds: result.wallSeconds,
    cpuSeconds: result.cpuSeconds,
    command: shown,
  };
}

function anchorArgs(d: DatasetRun, tool: string): { out: string; timings: string; windowArgs: string[] } {
  const out = join(d.work, `${d.name}-${tool}.csv`);
  const timings = join(d.work, `${d.name}-${tool}-timings.csv`);
  const { horizon, windows, step } = d.protocol;
  return { out, timings, windowArgs: [d.longCsv, out, String(horizon), String(windows), String(step)] };
}

/** R's forecast::ets with R's defaults and its own 80/95% intervals. */
export function runR(d: DatasetRun): Promise<ToolRun> {
  const { out, timings, windowArgs } = anchorArgs(d, "r");
  const args = [join(d.root, "bench/anchors/r_forecast.R"), ...windowArgs, String(d.defaults.season), "ets", timings, "--levels", LEVELS.join(",")];
  return runAnchor(d, "R forecast", "Rscript", args, out, timings);
}

/** statsforecast's AutoETS, AutoARIMA, AutoTheta, MSTL and the mean of the four. */
export function runStatsforecast(d: DatasetRun, python: string): Promise<ToolRun> {
  const { out, timings, windowArgs } = anchorArgs(d, "statsforecast");
  const args = [
    join(d.root, "bench/anchors/statsforecast_run.py"),
    ...windowArgs,
    String(d.defaults.season),
    "autoets,autoarima,autotheta,mstl,ensemble",
    timings,
    "--levels",
    LEVELS.join(","),
    "--mstl-seasons",
    d.defaults.mstlSeasons.join(","),
    "--jobs",
    String(d.jobs),
  ];
  return runAnchor(d, "statsforecast", python, args, out, timings);
}

/** mlforecast with one global LightGBM, refit at every cutoff. */
export function runMlforecast(d: DatasetRun, python: string): Promise<ToolRun> {
  const { out, timings, windowArgs } = anchorArgs(d, "mlforecast");
  const args = [join(d.root, "bench/anchors/mlforecast_run.py"), ...windowArgs, d.frequency, timings, "--threads", String(d.jobs), "--seed", "0"];
  return runAnchor(d, "mlforecast", python, args, out, timings);
}

export { emptyRun };
