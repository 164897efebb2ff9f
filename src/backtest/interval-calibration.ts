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
// Measured on the tournament's selection windows only (docs/tournament.md#intervals).
import { INTERVAL_METHOD, interpolatedQuantile, levelKey, type IntervalCalibration } from "../models/intervals.js";

/** The fewest residuals a step needs for a half-width: a spread and a leave-one-out score. */
export const MIN_STEP_RESIDUALS = 2;

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
 * Half-widths per step (index h − 1 of `residuals`, absolute errors) and level: the step's mean
 * absolute residual times the pooled scores' interpolated quantile. null for a step with fewer
 * than MIN_STEP_RESIDUALS residuals, and for a level whose quantile needs more scores than there
 * are or is not finite.
 */
export function calibrationFromResiduals(residuals: readonly (readonly number[])[], levels: readonly number[], source: string): IntervalCalibration {
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
        return q * spread;
      };
      return { step: i + 1, n: r.length, halfWidth: Object.fromEntries(levels.map((level) => [levelKey(level), width(level)])) };
    }),
  };
}
