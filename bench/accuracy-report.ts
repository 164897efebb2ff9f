// The result of one dataset: one row per model (salescast's and the anchors'), mean MASE, wins
// per series against the best anchor, interval coverage and time; whether salescast's `auto`
// (or, while it does not exist, its best row) beats every anchor. As JSON (snake_case keys),
// markdown (bench/results/, the README) and a text table (stdout).
import { formatTextTable } from "../src/util/text-table.js";
import type { ModelScore, Protocol, Scores } from "./accuracy-protocol.js";
import type { Source, ToolRun } from "./accuracy-tools.js";

export interface ReportRow {
  model: string;
  source: Source;
  anchor: boolean;
  mean_mase: number | null;
  series_scored: number;
  /** Series where this model's MASE is below the best anchor's; null for the best anchor itself. */
  wins_vs_best_anchor: number | null;
  /** Series both were scored on. */
  compared: number;
  coverage_80: number | null;
  coverage_95: number | null;
  /** "rows": counted here from the rows' intervals; "tool": the tool's own count; null: no intervals. */
  coverage_from: "rows" | "tool" | null;
  /** Fit + forecast seconds of this model ("model"), or the tool's whole run ("run", shared by its models). */
  seconds: number | null;
  seconds_of: "model" | "run" | null;
  /** The model's own seconds per series and cutoff fitted (fit + forecast), when the tool timed it per model. */
  seconds_per_fit: number | null;
}

/**
 * Speed side by side: salescast's kind and the anchor that fits the same family, each one's
 * seconds per series and cutoff (fit + forecast) in the same run, and their ratio (salescast /
 * anchor: below 1 is faster).
 */
export interface SpeedRow {
  salescast: string;
  anchor: string;
  salescast_seconds_per_fit: number;
  anchor_seconds_per_fit: number;
  ratio: number;
}

/** Which anchor model fits the same family as a salescast kind (the issue's speed claims). */
export const SPEED_PAIRS: readonly [salescast: string, anchor: string][] = [
  ["ets", "sf_autoets"],
  ["ets", "r_ets"],
  ["theta", "sf_autotheta"],
  ["arima", "sf_autoarima"],
  ["mstl", "sf_mstl"],
  ["ensemble", "sf_ensemble"],
  ["gbdt", "mlf_lightgbm"],
];

export interface DatasetReport {
  dataset: string;
  measured_at: string;
  command: string;
  data: { path: string; sha256: string; frequency: string; series: number };
  /** cutoffs: those of most series; series that end on another date have theirs apart. */
  protocol: Protocol & { cutoffs: { first: string; last: string; other_series: Record<string, [string, string]> }; mase_lags: number[] };
  rows: ReportRow[];
  best_anchor: { model: string; mean_mase: number } | null;
  speed: SpeedRow[];
  verdict: { model: string; mean_mase: number; beats_every_anchor: boolean; text: string } | null;
  runs: { source: Source; status: string; reason: string | null; wall_seconds: number | null; cpu_seconds: number | null; command: string | null }[];
  per_series: Record<string, Record<string, number>>;
  notes: string[];
  machine: { cores: number; load_average: number[] };
  versions: Record<string, string>;
}

export interface ReportInput {
  dataset: string;
  command: string;
  data: DatasetReport["data"];
  protocol: DatasetReport["protocol"];
  scores: Scores;
  runs: ToolRun[];
  /** model → where it came from */
  sources: Map<string, Source>;
  machine: DatasetReport["machine"];
  versions: Record<string, string>;
  measuredAt?: Date;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function coverageOf(score: ModelScore, run: ToolRun | undefined, level: number): { value: number | null; from: "rows" | "tool" | null } {
  const own = score.coverage.get(level);
  if (own && own.total > 0) return { value: own.covered / own.total, from: "rows" };
  const tool = run?.ownCoverage.get(score.model)?.get(level);
  if (tool && tool.total > 0) return { value: tool.covered / tool.total, from: "tool" };
  return { value: null, from: null };
}

/** The best anchor: the anchor model with the lowest mean MASE. */
function bestAnchorOf(scores: readonly ModelScore[], sources: Map<string, Source>): ModelScore | undefined {
  return scores.filter((s) => sources.get(s.model) !== "salescast" && Number.isFinite(s.meanMase)).sort((a, b) => a.meanMase - b.meanMase)[0];
}

export function buildReport(input: ReportInput): DatasetReport {
  const { scores, sources } = input;
  const runOf = new Map(input.runs.map((run) => [run.source, run]));
  // A model's own time from whichever run of its tool timed it (salescast runs once per --kinds entry).
  const timed = (source: Source, model: string) => {
    const ofSource = input.runs.filter((r) => r.source === source && r.modelSeconds.has(model));
    const run = ofSource.find((r) => r.modelFits.has(model)) ?? ofSource[0];
    const seconds = run?.modelSeconds.get(model);
    const fits = run?.modelFits.get(model);
    return { seconds, perFit: seconds !== undefined && fits ? seconds / fits : null };
  };
  const best = bestAnchorOf(scores.models, sources);
  const rows = scores.models.map((score): ReportRow => {
    const source = sources.get(score.model)!;
    const run = runOf.get(source);
    let wins: number | null = null;
    let compared = 0;
    if (best && score.model !== best.model) {
      wins = 0;
      for (const [series, mase] of score.perSeries) {
        const anchor = best.perSeries.get(series);
        if (anchor === undefined) continue;
        compared++;
        if (mase < anchor) wins++;
      }
    }
    const c80 = coverageOf(score, run, 80);
    const c95 = coverageOf(score, run, 95);
    const { seconds: modelSeconds, perFit } = timed(source, score.model);
    return {
      model: score.model,
      source,
      anchor: source !== "salescast",
      mean_mase: finite(score.meanMase),
      series_scored: score.perSeries.size,
      wins_vs_best_anchor: wins,
      compared,
      coverage_80: c80.value,
      coverage_95: c95.value,
      coverage_from: c80.from ?? c95.from,
      seconds: modelSeconds ?? run?.wallSeconds ?? null,
      seconds_of: modelSeconds !== undefined ? "model" : run?.wallSeconds !== undefined ? "run" : null,
      seconds_per_fit: perFit,
    };
  });
  rows.sort((a, b) => (a.mean_mase ?? Infinity) - (b.mean_mase ?? Infinity) || a.model.localeCompare(b.model));

  const notes: string[] = [];
  if (scores.unscaled.length) notes.push(`not scored (no change in the history before the first cutoff, MASE scale 0): ${scores.unscaled.join(", ")}`);
  for (const score of scores.models) {
    if (score.incomplete.size) {
      const list = [...score.incomplete].slice(0, 6).map(([series, n]) => `${series} (${n}/${input.protocol.windows * input.protocol.horizon})`);
      notes.push(
        `${score.model}: left out of its mean, forecasts missing or not finite on ${score.incomplete.size} series: ${list.join(", ")}${score.incomplete.size > 6 ? ", …" : ""}`,
      );
    }
  }
  for (const run of input.runs) {
    for (const s of run.skippedSeries) notes.push(`${run.source} skipped ${s.series}: ${s.reason}`);
    if (run.status !== "ok") notes.push(`${run.source} ${run.status}: ${run.reason}`);
  }
  const seriesCount = input.data.series - scores.unscaled.length;
  for (const row of rows) {
    if (row.series_scored < seriesCount && row.series_scored > 0 && !notes.some((n) => n.startsWith(`${row.model}:`))) {
      notes.push(`${row.model}: scored on ${row.series_scored} of ${seriesCount} series`);
    }
  }

  const perSeries: DatasetReport["per_series"] = {};
  for (const score of scores.models) {
    for (const [series, mase] of score.perSeries) (perSeries[series] ??= {})[score.model] = mase;
  }

  return {
    dataset: input.dataset,
    measured_at: (input.measuredAt ?? new Date()).toISOString(),
    command: input.command,
    data: input.data,
    protocol: input.protocol,
    rows,
    best_anchor: best ? { model: best.model, mean_mase: best.meanMase } : null,
    speed: speedRows(rows),
    verdict: verdictOf(rows, best),
    runs: input.runs.map((run) => ({
      source: run.source,
      status: run.status,
      reason: run.reason ?? null,
      wall_seconds: run.wallSeconds ?? null,
      cpu_seconds: run.cpuSeconds !== undefined && Number.isFinite(run.cpuSeconds) ? run.cpuSeconds : null,
      command: run.command ?? null,
    })),
    per_series: perSeries,
    notes,
    machine: input.machine,
    versions: input.versions,
  };
}

/** The pairs of SPEED_PAIRS both timed per fit in this run. */
function speedRows(rows: readonly ReportRow[]): SpeedRow[] {
  const perFit = (model: string, anchor: boolean) => rows.find((r) => r.model === model && r.anchor === anchor)?.seconds_per_fit ?? null;
  return SPEED_PAIRS.flatMap(([salescast, anchor]) => {
    const ours = perFit(salescast, false);
    const theirs = perFit(anchor, true);
    if (ours === null || theirs === null || theirs <= 0) return [];
    return [{ salescast, anchor, salescast_seconds_per_fit: ours, anchor_seconds_per_fit: theirs, ratio: ours / theirs }];
  });
}

/** salescast's `auto` row, or its best row until `auto` exists, against every anchor's mean MASE. */
function verdictOf(rows: readonly ReportRow[], best: ModelScore | undefined): DatasetReport["verdict"] {
  const ours = rows.filter((r) => !r.anchor && r.mean_mase !== null);
  const pick = ours.find((r) => r.model === "auto") ?? ours[0];
  if (!pick || pick.mean_mase === null) return null;
  const label = pick.model === "auto" ? "salescast auto" : `salescast's best row (${pick.model}; no auto row yet)`;
  if (!best)
    return {
      model: pick.model,
      mean_mase: pick.mean_mase,
      beats_every_anchor: false,
      text: `${label}: ${fmt(pick.mean_mase)}; no anchor ran, nothing to beat.`,
    };
  const beats = pick.mean_mase < best.meanMase;
  const text =
    `${label}: mean MASE ${fmt(pick.mean_mase)} against the best anchor ${best.model} ${fmt(best.meanMase)}: ` +
    (beats ? "beats every anchor" : "does NOT beat every anchor") +
    `; lower on ${pick.wins_vs_best_anchor} of ${pick.compared} series.`;
  return { model: pick.model, mean_mase: pick.mean_mase, beats_every_anchor: beats, text };
}

const fmt = (x: number | null, digits = 3) => (x === null || !Number.isFinite(x) ? "-" : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);

function cells(report: DatasetReport): string[][] {
  return report.rows.map((r) => [
    r.model,
    r.source,
    fmt(r.mean_mase),
    r.wins_vs_best_anchor === null ? (r.anchor && report.best_anchor?.model === r.model ? "(best anchor)" : "-") : `${r.wins_vs_best_anchor}/${r.compared}`,
    `${pct(r.coverage_80)}${r.coverage_from === "tool" ? "‡" : ""}`,
    `${pct(r.coverage_95)}${r.coverage_from === "tool" ? "‡" : ""}`,
    r.seconds === null ? "-" : `${r.seconds.toFixed(1)}${r.seconds_of === "run" ? "†" : ""}`,
    r.seconds_per_fit === null ? "-" : fmt(r.seconds_per_fit, 4),
  ]);
}

const HEADER = ["model", "from", "mean MASE", "wins vs best anchor", "80% covered", "95% covered", "seconds", "s per fit"];
const SPEED_HEADER = ["salescast", "anchor", "salescast s per fit", "anchor s per fit", "ratio"];

function speedCells(report: DatasetReport): string[][] {
  return report.speed.map((s) => [
    s.salescast,
    s.anchor,
    fmt(s.salescast_seconds_per_fit, 4),
    fmt(s.anchor_seconds_per_fit, 4),
    `${s.ratio < 0.1 ? s.ratio.toPrecision(2) : s.ratio.toFixed(2)}×`,
  ]);
}

const SPEED_NOTE =
  "speed: seconds per series and cutoff (fit + forecast), each tool timing its own models in this run; ratio = salescast / anchor (below 1: salescast is faster). salescast's time per cutoff also forecasts the interval origins after it.";

function footnotes(report: DatasetReport): string[] {
  const lines: string[] = [];
  if (report.rows.some((r) => r.coverage_from === "tool")) lines.push("‡ coverage counted by the tool itself (its rows carry no intervals)");
  if (report.rows.some((r) => r.seconds_of === "run"))
    lines.push(
      "† wall time of the tool's whole run (all its models together); other rows: the model's own fit + forecast time summed over series and cutoffs (salescast auto's candidates: over the selection and evaluation cutoffs)",
    );
  const runs = report.runs.map((r) => {
    if (r.status !== "ok") return `${r.source} ${r.status}${r.reason ? ` (${r.reason})` : ""}`;
    if (r.wall_seconds === null) return `${r.source} ${r.command ?? "(not run)"}`;
    return `${r.source} ${fmt(r.wall_seconds, 1)} s wall, ${fmt(r.cpu_seconds, 1)} s CPU`;
  });
  lines.push(
    `runs: ${runs.join("; ")}; ${report.machine.cores} cores, load average ${report.machine.load_average.map((x) => x.toFixed(1)).join(" ")} at the end`,
  );
  const versions = Object.entries(report.versions).map(([tool, version]) => `${tool.replaceAll("_", " ")} ${version}`);
  if (versions.length) lines.push(`versions: ${versions.join(", ")}`);
  return lines;
}

function title(report: DatasetReport): string {
  const p = report.protocol;
  return (
    `${report.dataset}: ${report.data.series} series (${report.data.frequency === "W" ? "weekly" : "daily"}), h ${p.horizon}, ${p.windows} cutoffs ` +
    `${p.cutoffs.first} .. ${p.cutoffs.last}${otherCutoffs(p.cutoffs.other_series)} every ${p.step} period${p.step === 1 ? "" : "s"}, refit at each cutoff, MASE lag ${[...new Set(p.mase_lags)].join("/")} ` +
    `(scale: the history up to the first cutoff), mean over series; measured ${report.measured_at.slice(0, 16).replace("T", " ")} UTC`
  );
}

function otherCutoffs(other: Record<string, [string, string]>): string {
  const entries = Object.entries(other);
  if (entries.length === 0) return "";
  const shown = entries.slice(0, 3).map(([series, [first, last]]) => `${series}: ${first} .. ${last}`);
  return ` (${shown.join("; ")}${entries.length > 3 ? `; ${entries.length - 3} more series end on other dates` : ""})`;
}

export function formatReportText(report: DatasetReport): string {
  return [
    title(report),
    formatTextTable(HEADER, cells(report), { textColumns: 2 }),
    report.verdict?.text ?? "",
    ...(report.speed.length ? [SPEED_NOTE, formatTextTable(SPEED_HEADER, speedCells(report), { textColumns: 2 })] : []),
    ...footnotes(report),
    ...report.notes.map((n) => `note: ${n}`),
  ]
    .filter(Boolean)
    .join("\n");
}

export function formatReportMarkdown(report: DatasetReport): string {
  const best = Math.min(...report.rows.map((r) => r.mean_mase ?? Infinity));
  const body = cells(report).map((row, i) => {
    const copy = [...row];
    if (report.rows[i].mean_mase === best) copy[2] = `**${copy[2]}**`;
    return `| ${copy.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  });
  return [
    `### ${report.dataset}`,
    "",
    title(report),
    "",
    `| ${HEADER.join(" | ")} |`,
    `| --- | --- | ${HEADER.slice(2)
      .map(() => "---:")
      .join(" | ")} |`,
    ...body,
    "",
    ...(report.verdict ? [`**${report.verdict.text}**`, ""] : []),
    ...(report.speed.length
      ? [
          SPEED_NOTE,
          "",
          `| ${SPEED_HEADER.join(" | ")} |`,
          "| --- | --- | ---: | ---: | ---: |",
          ...speedCells(report).map((row) => `| ${row.join(" | ")} |`),
          "",
        ]
      : []),
    ...footnotes(report).map((line) => `${line}  `),
    ...report.notes.map((n) => `- ${n}`),
    "",
    `Command: \`${report.command}\``,
    "",
  ].join("\n");
}
