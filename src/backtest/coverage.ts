// Empirical coverage of the network's prediction intervals on the backtest windows.
//
// The intervals are calibrated the way `salescast train` does it (split conformal on the
// validation part of the history the network was fitted on, see intervals.ts), then every
// held-out forecast of that network is checked: does the actual lie within forecast ± the
// half-width of its step? The share that does is the number to compare with the nominal level.
// A step whose calibration has no half-width for a level (too few validation residuals) has no
// interval to check: its forecasts are counted as `uncalibrated`, not in `total`.
import { intervalCoverage, type IntervalCalibration } from "../models/intervals.js";

export interface BacktestCoverage {
  /** Nominal level in percent (80, 95, ...). */
  level: number;
  /** Steps ahead, 1..H, or "all" for every step together. */
  step: number | "all";
  /** Forecasts whose actual fell inside the band. */
  covered: number;
  /** Forecasts that had a band for this level. */
  total: number;
  /** covered / total; NaN (null in JSON) when total is 0. */
  coverage: number;
  /** Forecasts left out because their step had no half-width for this level. */
  uncalibrated: number;
}

export interface CoveragePoint {
  step: number;
  actual: number;
  forecast: number;
}

/**
 * Coverage counts of one calibration over the held-out forecasts made with it: one entry per
 * level and step 1..horizon, then one per level for all steps.
 */
export function countCoverage(calibration: IntervalCalibration, points: readonly CoveragePoint[], horizon: number): BacktestCoverage[] {
  const out: BacktestCoverage[] = [];
  for (let step = 1; step <= horizon; step++) {
    const mine = points.filter((point) => point.step === step);
    for (const { level, covered, total, coverage } of intervalCoverage(calibration, mine)) {
      out.push({ level, step, covered, total, coverage, uncalibrated: mine.length - total });
    }
  }
  return mergeCoverage([out, allSteps(out)]);
}

/** The per-step entries summed over steps. */
function allSteps(entries: readonly BacktestCoverage[]): BacktestCoverage[] {
  return mergeCoverage([entries.map((entry) => ({ ...entry, step: "all" as const }))]);
}

/**
 * Sums counts of the same level and step (e.g. cutoffs run apart, each with its own
 * calibration) and recomputes the fractions. Order: by level, steps ascending, "all" last.
 */
export function mergeCoverage(parts: readonly (readonly BacktestCoverage[])[]): BacktestCoverage[] {
  const byKey = new Map<string, BacktestCoverage>();
  for (const part of parts) {
    for (const entry of part) {
      const key = `${entry.level}/${entry.step}`;
      const sum = byKey.get(key);
      if (!sum) byKey.set(key, { ...entry });
      else {
        sum.covered += entry.covered;
        sum.total += entry.total;
        sum.uncalibrated += entry.uncalibrated;
      }
    }
  }
  const stepOrder = (step: number | "all") => (step === "all" ? Number.POSITIVE_INFINITY : step);
  return [...byKey.values()]
    .map((entry) => ({ ...entry, coverage: entry.total === 0 ? Number.NaN : entry.covered / entry.total }))
    .sort((a, b) => a.level - b.level || stepOrder(a.step) - stepOrder(b.step));
}

/**
 * One line for the text report, e.g. "interval coverage: 80% -> 0.79 (44/56), 95% -> 0.95 (53/56)",
 * plus which steps were left out for lack of validation residuals.
 */
export function formatCoverage(coverage: readonly BacktestCoverage[]): string {
  const overall = coverage.filter((entry) => entry.step === "all");
  if (overall.length === 0) return "interval coverage: not computed";
  const figures = overall.map(({ level, covered, total, coverage: share }) =>
    total === 0 ? `${level}% -> n/a (no interval)` : `${level}% -> ${share.toFixed(2)} (${covered}/${total})`,
  );
  const notes = overall
    .filter((entry) => entry.uncalibrated > 0)
    .map(({ level, uncalibrated }) => {
      const steps = coverage.filter((e) => e.level === level && e.step !== "all" && e.uncalibrated > 0).map((e) => e.step);
      return `${level}%: ${uncalibrated} forecasts at step${steps.length === 1 ? "" : "s"} ${steps.join(",")} left out (too few validation residuals for an interval)`;
    });
  return `interval coverage: ${figures.join(", ")}${notes.length ? `; ${notes.join("; ")}` : ""}`;
}
