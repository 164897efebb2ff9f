// Hierarchical forecast reconciliation: base forecasts of every series of a hierarchy made to add
// up (aggregates = sums of their bottom series). A pure numeric library, after Nixtla's
// hierarchicalforecast and Hyndman & Athanasopoulos, FPP3 ch. 11 / Wickramasuriya et al. 2019.
//
// THE INPUT SHAPE (agreed with src/data, which builds it from `data.hierarchy`):
//
//   structure: { bottom_count: n_b, aggregates: number[][] }
//     aggregates[i] lists the bottom-series indices (0 .. n_b − 1) that aggregate i sums, each
//     once; aggregates are listed level by level from the top (the total first). There are
//     n_a = aggregates.length aggregates and n = n_a + n_b series in all.
//   Every series matrix is a Float64Array, series-major: row r holds series r, aggregates in
//   the order above (rows 0 .. n_a − 1), then bottom series k in row n_a + k.
//     base_forecasts  n × h    (value of series r at step t: [r * h + t])
//     residuals       n × T    in-sample actual − fitted, same periods for all series (MinT's
//                              wls_var and mint_shrink)
//     sigma           n × h    standard deviations of the base forecasts (intervals)
//
// Methods: bottom_up; top_down (forecast proportions); ols, wls_struct, wls_var, mint_shrink
// (MinT). None builds a dense n × n or n × n_b matrix, except MinT intervals (intervals.ts).
// Intervals: hierarchicalforecast's "normality" (intervals.ts) for bottom-up and the MinT family.
import { ModelInputError } from "../errors.js";
import { bottomUp } from "./bottom-up.js";
import { MIN_TRACE_METHODS, type MinTraceMethod } from "./covariance.js";
import { type CoherentIntervals, bottomUpSigma, checkLevels, intervalsFromSigma, minTraceSigma } from "./intervals.js";
import { minTrace, minTraceProjector } from "./min-trace.js";
import { type HierarchyStructure, type SummingStructure, checkSeriesMatrix, summingStructure } from "./structure.js";
import { topDownForecastProportions, topDownTree } from "./top-down.js";

export type { HierarchyStructure, SummingStructure } from "./structure.js";
export { summingStructure, sumFromBottom } from "./structure.js";
export type { MinTraceMethod } from "./covariance.js";
export type { CoherentIntervals, PredictionInterval } from "./intervals.js";
export { normalQuantile } from "./normal-quantile.js";
export { coherentErrorSigma } from "./error-sigma.js";

export type ReconcileMethod = "bottom_up" | "top_down" | MinTraceMethod;
export const RECONCILE_METHODS: readonly ReconcileMethod[] = ["bottom_up", "top_down", ...MIN_TRACE_METHODS];

export interface ReconcileOptions {
  method: ReconcileMethod;
  /** n × T in-sample residuals; required by wls_var and mint_shrink, ignored otherwise. */
  residuals?: Float64Array;
  /** n × h base standard deviations; with `levels`, asks for coherent intervals. */
  sigma?: Float64Array;
  /** Interval coverages in percent, e.g. [80, 95]. Default none. */
  levels?: readonly number[];
  /** mint_shrink's smallest diagonal of W. Default 2e-8 (hierarchicalforecast's mint_shr_ridge). */
  ridge?: number;
  /** MinT solver's relative residual. Default 1e-10. */
  tolerance?: number;
  /** MinT solver's iteration cap. Default min(2 n_a + 50, 10,000). */
  max_iterations?: number;
  /**
   * top_down only: the aggregates that form its tree (levels that split one another, e.g. M5's
   * total, category, department, item, state×item). Default: all, right for strict hierarchies.
   */
  top_down_aggregates?: ArrayLike<number>;
  /** Largest n for MinT intervals (they need n solves and an n × n matrix). Default 2,000. */
  dense_limit?: number;
}

export interface Reconciled {
  method: ReconcileMethod;
  /** n × h coherent forecasts, same layout as the base forecasts. */
  forecasts: Float64Array;
  /** Present when sigma and levels were given. */
  intervals?: CoherentIntervals;
  /** MinT: the most solver iterations one step needed. */
  iterations?: number;
  /** mint_shrink: the shrinkage intensity λ. */
  shrinkage?: number;
}

function compiled(structure: HierarchyStructure | SummingStructure): SummingStructure {
  return "offsets" in structure && structure.offsets instanceof Int32Array ? structure : summingStructure(structure as HierarchyStructure);
}

/** Reconciles n × h base forecasts; see the file comment for shapes. */
export function reconcile(structure: HierarchyStructure | SummingStructure, baseForecasts: Float64Array, h: number, options: ReconcileOptions): Reconciled {
  const s = compiled(structure);
  if (!Number.isInteger(h) || h < 1) throw new ModelInputError(`the horizon h must be a positive integer, got ${h}`);
  checkSeriesMatrix(s, baseForecasts, "the base forecasts", h);
  const method = options?.method;
  if (!RECONCILE_METHODS.includes(method)) {
    throw new ModelInputError(`unknown reconciliation method ${JSON.stringify(method)}`, `use one of ${RECONCILE_METHODS.join(", ")}`);
  }
  const levels = options.levels ?? [];
  const wantIntervals = levels.length > 0;
  if (wantIntervals) {
    checkLevels(levels);
    if (!options.sigma) throw new ModelInputError("intervals were asked for (levels) without the base forecasts' sigma", "pass sigma (n × h)");
  }
  if (method === "bottom_up") {
    const forecasts = bottomUp(s, baseForecasts, h);
    const intervals = wantIntervals ? intervalsFromSigma(forecasts, bottomUpSigma(s, options.sigma!, h), levels) : undefined;
    return { method, forecasts, intervals };
  }
  if (method === "top_down") {
    if (wantIntervals) {
      throw new ModelInputError(
        "top-down by forecast proportions has no normality intervals (hierarchicalforecast offers only bootstrap ones for it)",
        "ask for intervals with bottom_up or a MinT method",
      );
    }
    return { method, forecasts: topDownForecastProportions(s, baseForecasts, h, topDownTree(s, options.top_down_aggregates)) };
  }
  if (options.residuals !== undefined) checkSeriesMatrix(s, options.residuals, "the in-sample residuals");
  const mintOptions = { method, residuals: options.residuals, ridge: options.ridge, tolerance: options.tolerance, max_iterations: options.max_iterations };
  const projector = minTraceProjector(s, mintOptions);
  const { forecasts, iterations } = minTrace(s, baseForecasts, h, mintOptions, projector);
  const intervals = wantIntervals ? intervalsFromSigma(forecasts, minTraceSigma(s, projector, options.sigma!, h, options.dense_limit), levels) : undefined;
  return { method, forecasts, intervals, iterations, shrinkage: projector.weights.shrunk?.lambda };
}
