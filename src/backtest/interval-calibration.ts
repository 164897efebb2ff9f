// How the tournament turns one series' backtest residuals into interval half-widths per step.
//
// A window gives few residuals per step (4 selection windows of step 4: 16 at step 1, 13 at
// step 4), too few for a 95% quantile of their own (19 needed) and noisy at 80%. So the widths
// separate a step's SPREAD from the SHAPE of the error distribution:
//   - the spread of step h, s_h, is the mean absolute residual of that step;
//   - each residual divided by the spread of the OTHER residuals of its step is a score
//     (leave-one-out: a new forecast's error is divided by a spread it took no part in, so the
//     scores are on the scale a new error will be);
//   - the scores of every step are pooled, and the level-L half-width at step h is s_h times
//     their quantile at rank (n+1)·L/100, interpolated (interpolatedQuantile: expected coverage
//     L for exchangeable scores).
// Steps share one shape and keep their own spread, so a 95% interval exists from 4 steps of 5
// residuals, and the shape's quantile comes from every step's residuals instead of one's.
//
// Freshness: most residuals come from origins after a fit's cutoff (parameters fitted up to 6
// periods earlier), while a served forecast (and an evaluation window's) comes from a fit on
// every period before it. Stale parameters err more: on the selection windows the champion's
// mean scaled error grows with the origin's distance from its cutoff (measured 2026-12-05 with
// the bench:accuracy runs of docs/tournament.md: pharma 0.750 at the cutoff to 0.806 six days
// later; walmart 0.539 at the cutoff, 0.553 over all origins). So the widths
// are multiplied by the mean ratio of the fresh residuals (those from a cutoff) to their step's
// spread: the spread a forecast from a fresh fit has, measured on the same windows. A series has
// few fresh residuals (16 on walmart), and a factor that noisy lowers coverage by itself (a known-
// noise test lost 1.4 points at 80%), so the tournament pools the ratios of every series trained
// together, per model kind and step (freshnessRatios, then freshnessFactors): a stale origin
// adds more to a 1-step error than to a 4-step one.
// Everything here reads the residuals it is given: the tournament gives the selection windows'
// (docs/tournament.md#intervals).
import { INTERVAL_METHOD, interpolatedQuantile, levelKey, type IntervalCalibration } from "../models/intervals.js";

/** The fewest residuals a step needs for a half-width: a spread and a leave-one-out score. */
export const MIN_STEP_RESIDUALS = 2;

/** The fewest ratios a step's freshness factor is measured from; with fewer, every step's pooled, else 1. */
export const MIN_FRESH_RESIDUALS = 8;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Leave-one-out scores of every step with at least MIN_STEP_RESIDUALS absolute residuals,
 * pooled: |r| / mean of the other residuals of its step. A score whose other residuals are all
 * zero is 0 when it is zero too, else Infinity (a quantile that reaches it gives no band).
 */
export function pooledScores(residuals: readonly (readonly number[])[]): number[] {
  const scores: number[] = [];
  for (const step of residuals) {
    if (step.length < MIN_STEP_RESIDUALS) continue;
    const total = sum(step);
    for (const r of step) {
      const others = (total - r) / (step.length - 1);
      scores.push(others > 0 ? r / others : r > 0 ? Number.POSITIVE_INFINITY : 0);
    }
  }
  return scores;
}

/**
 * |fresh residual| / its step's spread (the mean of all that step's residuals), for every fresh
 * residual of a step with MIN_STEP_RESIDUALS residuals and a positive spread: how a forecast from
 * a fit at its origin errs against the spread of every origin's.
 */
export function freshnessRatios(residuals: readonly (readonly number[])[], fresh: readonly (readonly number[])[]): number[][] {
  return residuals.map((step, h) => {
    if (step.length < MIN_STEP_RESIDUALS) return [];
    const spread = sum(step) / step.length;
    return spread > 0 ? (fresh[h] ?? []).map((r) => r / spread) : [];
  });
}

/**
 * A factor per step (index h − 1 of `ratios`): the mean of its ratios when it has
 * MIN_FRESH_RESIDUALS, else the mean of every step's when they have that many, else 1.
 */
export function freshnessFactors(ratios: readonly (readonly number[])[]): number[] {
  const all = ratios.flat();
  const fallback = all.length < MIN_FRESH_RESIDUALS ? 1 : sum(all) / all.length;
  return ratios.map((step) => (step.length < MIN_FRESH_RESIDUALS ? fallback : sum(step) / step.length));
}

/**
 * Half-widths per step (index h − 1 of `residuals`, absolute errors) and level: the step's mean
 * absolute residual times the pooled scores' interpolated quantile, times the step's freshness
 * factor (`factors[h − 1]`; absent: 1, the widths as the residuals give them).
 * null for a step with fewer than MIN_STEP_RESIDUALS residuals, and for a level whose quantile
 * needs more scores than there are or is not finite.
 */
export function calibrationFromResiduals(
  residuals: readonly (readonly number[])[],
  levels: readonly number[],
  source: string,
  factors: readonly number[] = [],
): IntervalCalibration {
  const scores = pooledScores(residuals);
  const shape = new Map(levels.map((level) => [level, interpolatedQuantile(scores, level)]));
  return {
    method: INTERVAL_METHOD,
    levels: [...levels],
    source,
    steps: residuals.map((r, i) => {
      const spread = r.length >= MIN_STEP_RESIDUALS ? sum(r) / r.length : null;
      const width = (level: number): number | null => {
        const q = shape.get(level) ?? null;
        if (spread === null || q === null || !Number.isFinite(q)) return null;
        return q * spread * (factors[i] ?? 1);
      };
      return { step: i + 1, n: r.length, halfWidth: Object.fromEntries(levels.map((level) => [levelKey(level), width(level)])) };
    }),
  };
}
