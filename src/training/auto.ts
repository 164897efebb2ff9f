// Training with model.architecture: auto. Before the usual pipeline (train-category.ts) the
// tournament runs on the category's series (src/backtest/tournament.ts); its champion is the
// family trained on all the data and registered, with:
//   - its intervals: half-widths per step from the tournament's residuals (every window), each
//     step's mean absolute residual times a quantile of scores pooled over the steps
//     (backtest/interval-calibration.ts);
//   - leaderboard.json beside model.json (every entrant's errors per window and step, the
//     selection and evaluation scores, skip reasons), logged to the tracking run as an artifact,
//     with each entrant's scores as metrics;
//   - champion_challenger.json: how it compared with the version served before on the same
//     most recent windows (the evaluation windows), which decides its alias (registry/champion.ts).
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import { AUTO_ARCHITECTURE } from "../config/schema.js";
import { LEADERBOARD_FILE, type Leaderboard } from "../backtest/leaderboard.js";
import { checkEntrants, tournamentEntrants } from "../backtest/tournament-candidates.js";
import { runTournament } from "../backtest/tournament.js";
import { BacktestError } from "../backtest/windows.js";
import { familyOf } from "../models/families.js";
import type { IntervalCalibration } from "../models/intervals.js";
import type { ModelFamily, SeriesInput } from "../models/model.js";
import { readVersionMeta, versionKind } from "../models/version-file.js";
import type { ChampionDecision } from "../registry/champion.js";
import type { ModelRegistry } from "../registry/registry.js";
import type { MetricPoint } from "../tracking/index.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import type { ProgressSink } from "./progress.js";

export const COMPARISON_FILE = "champion_challenger.json";

export interface AutoOutcome {
  leaderboard: Leaderboard;
  /** The champion's family: what is trained on all the data. */
  family: ModelFamily;
  intervals?: IntervalCalibration;
  /** A combination champion: the kinds the ensemble trained combines (model.ensemble.members, by their mean). */
  members?: string[];
}

/** What champion_challenger.json records. */
export interface ChampionComparison {
  decision: ChampionDecision;
  /** The windows both were scored on: the tournament's evaluation cutoffs. */
  evaluation_cutoffs: string[];
  new_kind: string;
  new_mase: number | null;
  /** The version served before (its number in the local registry), or null when none was. */
  current_version: number | null;
  current_kind: string | null;
  /** The current champion's kind refitted at the same cutoffs, scored on the same windows. */
  current_mase: number | null;
  reason: string;
}

export function isAuto(config: Config): boolean {
  return config.model.architecture === AUTO_ARCHITECTURE;
}

/** Refuses settings a candidate cannot fit with, before any work. */
export function checkAutoConfig(config: Config): void {
  checkEntrants(config, tournamentEntrants(config));
}

/** The tournament on one category's series, progress as messages. Throws a BacktestError when the series is too short for the windows. */
export async function categoryTournament(config: Config, series: SeriesInput, progress: ProgressSink, signal?: AbortSignal): Promise<AutoOutcome> {
  const report = await runTournament(config, [series], {
    signal,
    onProgress: (text, about) => progress.report({ kind: "message", category: about ?? series.name, text }),
  });
  if (report.skipped.length) throw new BacktestError(report.skipped[0].reason);
  const [result] = report.results;
  return {
    leaderboard: result.leaderboard,
    family: familyOf(result.championKind),
    ...(result.intervals ? { intervals: result.intervals } : {}),
    ...(result.championMembers ? { members: result.championMembers } : {}),
  };
}

/** The config a version is trained with: a combination champion's members as the ensemble's, combined by their mean. */
export function championConfig(config: Config, outcome: AutoOutcome | undefined): Config {
  if (!outcome?.members) return config;
  return {
    ...config,
    model: { ...config.model, ensemble: { ...config.model.ensemble, members: outcome.members as Config["model"]["ensemble"]["members"], combination: "mean" } },
  };
}

/**
 * How the new champion compares with the version `registry` serves now, on the tournament's
 * evaluation windows: the served version's kind is scored there as the tournament scored every
 * entrant (refitted at each cutoff), from the leaderboard when it was an entrant, else by a
 * tournament of that kind alone. The new version wins ties: it has seen the latest data.
 */
export async function compareWithServed(
  registry: ModelRegistry,
  config: Config,
  series: SeriesInput,
  outcome: AutoOutcome,
  signal?: AbortSignal,
): Promise<ChampionComparison> {
  const board = outcome.leaderboard;
  const base = { evaluation_cutoffs: board.evaluation_cutoffs, new_kind: board.champion.kind, new_mase: board.champion.evaluation_mase };
  const current = await registry.resolve(series.name);
  if (!current) return { ...base, decision: "champion", current_version: null, current_kind: null, current_mase: null, reason: "no version was served before" };
  let kind: string;
  try {
    kind = versionKind(await readVersionMeta(current.dir));
  } catch (error) {
    return {
      ...base,
      decision: "champion",
      current_version: current.version,
      current_kind: null,
      current_mase: null,
      reason: `the served version ${current.version} could not be read (${(error as Error).message})`,
    };
  }
  let score = board.entries.find((entry) => entry.model === kind && entry.status === "ok")?.evaluation_mase ?? null;
  if (score === null) {
    try {
      const family = familyOf(kind);
      const alone = await runTournament(config, [series], { entrants: [{ family, role: "candidate" }], signal });
      score = alone.results[0]?.leaderboard.entries[0]?.evaluation_mase ?? null;
    } catch {
      score = null;
    }
  }
  const facts = { current_version: current.version, current_kind: kind, current_mase: score };
  const newScore = board.champion.evaluation_mase;
  if (score === null || newScore === null) {
    return { ...base, ...facts, decision: "champion", reason: `the served version ${current.version} (${kind}) could not be scored on the same windows` };
  }
  const figures = `${newScore.toFixed(3)} vs ${score.toFixed(3)} (version ${current.version}, ${kind}) on the ${board.evaluation_cutoffs.length} most recent windows`;
  return newScore <= score
    ? { ...base, ...facts, decision: "champion", reason: `it beats or matches the served version: MASE ${figures}` }
    : { ...base, ...facts, decision: "challenger", reason: `the served version stays champion: its MASE is lower, ${figures}` };
}

/** leaderboard.json and champion_challenger.json in the version's staging folder; their paths. */
export async function writeAutoFiles(dir: string, outcome: AutoOutcome, comparison: ChampionComparison): Promise<string[]> {
  const leaderboard = join(dir, LEADERBOARD_FILE);
  await writeFileAtomic(leaderboard, `${JSON.stringify(outcome.leaderboard, null, 1)}\n`);
  const compared = join(dir, COMPARISON_FILE);
  await writeFileAtomic(compared, `${JSON.stringify(comparison, null, 1)}\n`);
  return [leaderboard, compared];
}

/** Each entrant's selection and evaluation MASE (and the champion's) as run metrics: "auto.ets.selection_mase". */
export function leaderboardMetricPoints(leaderboard: Leaderboard, timestamp = Date.now()): MetricPoint[] {
  const points: MetricPoint[] = [];
  const add = (key: string, value: number | null) => {
    if (value !== null && Number.isFinite(value)) points.push({ key, value, step: 0, timestamp });
  };
  for (const entry of leaderboard.entries) {
    add(`auto.${entry.model}.selection_mase`, entry.selection_mase);
    add(`auto.${entry.model}.evaluation_mase`, entry.evaluation_mase);
  }
  // The champion's own coverage (a combination is no entry); older leaderboards: its entry's.
  const championCoverage = leaderboard.champion.coverage ?? leaderboard.entries.find((e) => e.model === leaderboard.champion.model)?.coverage ?? [];
  for (const c of championCoverage) add(`auto.coverage_${c.level}`, c.coverage);
  add("auto.champion.selection_mase", leaderboard.champion.selection_mase);
  add("auto.champion.evaluation_mase", leaderboard.champion.evaluation_mase);
  return points;
}
