// The tournament's leaderboard: what every candidate scored on every window and step, which won
// and why. Plain snake_case JSON: it is stored beside model.json (leaderboard.json), logged to the
// tracking store, printed by `salescast leaderboard` and served by the API as it is.
import type { Frequency } from "../models/model.js";

export const LEADERBOARD_FORMAT_VERSION = 1;
export const LEADERBOARD_FILE = "leaderboard.json";

export type WindowPart = "selection" | "evaluation";

export interface LeaderboardWindow {
  part: WindowPart;
  /** ISO date of the last period the model saw. */
  cutoff: string;
  /** The MASE scale of this cutoff (in-sample seasonal naive MAE before it); null when 0 (a constant history). */
  scale: number | null;
  forecast: number[];
  actual: number[];
  /** |actual − forecast| / scale per step; without a scale, the absolute error. */
  step_error: number[];
  /** Mean of step_error. */
  mase: number;
}

export interface LevelCoverageJson {
  level: number;
  covered: number;
  total: number;
  /** null when total is 0. */
  coverage: number | null;
}

export interface LeaderboardEntry {
  /** Row name (a kind, or a variant's name). */
  model: string;
  kind: string;
  /** candidate: may win; baseline: scored for comparison, the champion only when every candidate failed. */
  role: "candidate" | "baseline";
  status: "ok" | "skipped" | "failed";
  /** Why it was skipped or failed. */
  reason: string | null;
  /** The model of its last fit ("ETS(A,Ad,N)"). */
  description: string | null;
  /** Mean window MASE on the selection windows: what the choice reads. */
  selection_mase: number | null;
  /** Mean window MASE on the evaluation windows: reported, never used to choose. */
  evaluation_mase: number | null;
  selection_step_mase: number[];
  evaluation_step_mase: number[];
  windows: LeaderboardWindow[];
  /** Its conformal intervals (calibrated on its selection windows) checked on the evaluation windows. */
  coverage: LevelCoverageJson[];
  seconds: number;
}

export interface Leaderboard {
  format_version: number;
  series: string;
  frequency: Frequency;
  horizon: number;
  step: number;
  selection_cutoffs: string[];
  evaluation_cutoffs: string[];
  champion: {
    model: string;
    kind: string;
    /** A combination champion (kind "ensemble"): the kinds whose mean forecast it is. */
    members?: string[];
    /** One sentence: why this model serves. */
    reason: string;
    selection_mase: number | null;
    evaluation_mase: number | null;
    /** True when no candidate could be scored and a baseline serves. */
    fallback: boolean;
    /** Its intervals (calibrated on the selection windows) checked on the evaluation windows (absent in leaderboards written before combinations). */
    coverage?: LevelCoverageJson[];
  };
  entries: LeaderboardEntry[];
}

/** A leaderboard read back (leaderboard.json, an API answer), checked enough to be printed; undefined when not one. */
export function parseLeaderboard(value: unknown): Leaderboard | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Partial<Leaderboard>;
  if (v.format_version !== LEADERBOARD_FORMAT_VERSION || typeof v.series !== "string" || !Array.isArray(v.entries)) return undefined;
  if (typeof v.champion !== "object" || v.champion === null || typeof v.champion.model !== "string") return undefined;
  return v as Leaderboard;
}
