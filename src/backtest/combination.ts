// The tournament's combination rule: serve the mean forecast of each series' k best candidates
// (ranked on its selection windows) instead of the single best one, when the selection windows
// say combining helps.
//
// Why: choosing one model per series from a few windows is noisy (the best of many on 4
// windows is partly luck), and in the M-competitions the mean of a few good methods beats the
// pick of one (Makridakis et al., M4 2020: combinations took most top places; Petropoulos &
// Svetunkov 2020, "a simple combination of univariate models"). How many to combine (k) is not
// fixed by hand: it is chosen on the selection windows, honestly, by leave-one-window-out.
// For every k, on every selection window w of a series, the candidates are ranked on the OTHER
// selection windows, the mean of the top k is scored on w (a window the ranking did not see),
// and those scores are averaged: the rule's own out-of-sample error, with k = 1 being "pick the
// best single", scored the same way. k is chosen once for all the series run together (their
// mean leave-one-out score; one series: its own): 4 windows per series are too few to choose k
// per series, and pooling is the shrinkage toward what works across the series. k = 1 stays
// unless a larger k is lower.
//
// Only candidates an ensemble version can hold are combined (local kinds refitted on all data,
// not the ensemble kind itself): the champion a training stores is then an `ensemble` of those
// members (model.ensemble.members), so what is served is what was scored. Nothing here reads
// an evaluation window.
import type { ModelFamily } from "../models/model.js";
import type { LeaderboardWindow } from "./leaderboard.js";

/** The kind whose versions hold a combination champion. */
export const COMBINATION_KIND = "ensemble";

/** One candidate of one series as the rule sees it: its selection windows, oldest first. */
export interface RuleCandidate {
  name: string;
  /** Whether an ensemble version can hold it (see combinable()). */
  combinable: boolean;
  selection: readonly LeaderboardWindow[];
}

/** Whether an ensemble can hold this family as a member (as ensemble/family.ts's memberFamilies requires). */
export function combinable(family: ModelFamily): boolean {
  return family.scope === "local" && family.refitOnAllData && family.kind !== COMBINATION_KIND;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** MASE of a forecast on a window (the window's own scale; none: the absolute error). */
export function windowMase(forecast: readonly number[], window: Pick<LeaderboardWindow, "actual" | "scale">): number {
  return mean(forecast.map((f, h) => Math.abs(window.actual[h] - f) / (window.scale ?? 1)));
}

/** The element-wise mean of forecasts. */
export function meanForecast(forecasts: readonly (readonly number[])[]): number[] {
  return forecasts[0].map((_, h) => mean(forecasts.map((f) => f[h])));
}

/**
 * The candidates the rule of size k takes, best first, ranked by mean MASE on the selection
 * windows whose index is in `windows`: k = 1 the best of all, k > 1 the k best combinable ones.
 * undefined when fewer than k can be taken.
 */
export function topCandidates(candidates: readonly RuleCandidate[], k: number, windows: readonly number[]): RuleCandidate[] | undefined {
  const pool = k === 1 ? candidates : candidates.filter((c) => c.combinable);
  if (pool.length < k) return undefined;
  const score = (c: RuleCandidate) => mean(windows.map((w) => c.selection[w].mase));
  // Ties keep the candidates' order (the families list), so the choice is deterministic.
  return pool
    .map((c, i) => ({ c, i, s: score(c) }))
    .sort((a, b) => a.s - b.s || a.i - b.i)
    .slice(0, k)
    .map((x) => x.c);
}

/**
 * The leave-one-window-out score of the rule of size k on one series: the mean, over its
 * selection windows, of the MASE of the top-k mean ranked without that window. undefined when
 * the series has fewer than 2 selection windows or fewer than k candidates to take.
 */
export function leaveOneOutScore(candidates: readonly RuleCandidate[], k: number): number | undefined {
  const count = candidates[0]?.selection.length ?? 0;
  if (count < 2) return undefined;
  const scores: number[] = [];
  for (let w = 0; w < count; w++) {
    const others = Array.from({ length: count }, (_, i) => i).filter((i) => i !== w);
    const top = topCandidates(candidates, k, others);
    if (!top) return undefined;
    scores.push(windowMase(meanForecast(top.map((c) => c.selection[w].forecast)), candidates[0].selection[w]));
  }
  return mean(scores);
}

export interface SizeChoice {
  /** The number of candidates combined (1: the best single one). */
  k: number;
  /** Per k tried: the mean over series of (its leave-one-out score − that of k = 1), and on how many series. */
  tried: { k: number; gain: number; series: number }[];
}

/**
 * k for every series run together: the size whose leave-one-out score is lowest against
 * k = 1's, averaged over the series where both can be scored; k = 1 unless one is lower.
 */
export function chooseSize(seriesCandidates: readonly (readonly RuleCandidate[])[], maxSize: number): SizeChoice {
  const tried: SizeChoice["tried"] = [];
  let best = { k: 1, gain: 0 };
  for (let k = 2; k <= maxSize; k++) {
    const gains: number[] = [];
    for (const candidates of seriesCandidates) {
      const single = leaveOneOutScore(candidates, 1);
      const combined = leaveOneOutScore(candidates, k);
      if (single !== undefined && combined !== undefined) gains.push(combined - single);
    }
    if (gains.length === 0) continue;
    const gain = mean(gains);
    tried.push({ k, gain, series: gains.length });
    if (gain < best.gain) best = { k, gain };
  }
  return { k: best.k, tried };
}
