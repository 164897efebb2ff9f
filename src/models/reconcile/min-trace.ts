// MinT (trace minimisation): the coherent forecasts closest to the base forecasts in the W⁻¹
// norm, written as hierarchicalforecast writes it with Uᵀ = [I_{n_a} | −S_a] (so Uᵀ y = 0 is
// coherence):  ỹ = ŷ − W U (Uᵀ W U)⁻¹ Uᵀ ŷ.
// Uᵀ W U is n_a × n_a; it is solved by conjugate gradients through its product, O(entries of S)
// for a diagonal W and O(n T) more for mint_shrink's low-rank part, so no dense matrix is built.
// The bottom rows of ỹ are then summed up so the result is coherent to the last bit.
import { ModelInputError } from "../errors.js";
import { conjugateGradient, solveWorkspace } from "./conjugate-gradient.js";
import { type MinTraceMethod, MIN_TRACE_METHODS, type WeightMatrix, weightMatrix } from "./covariance.js";
import { schurPreconditioner, type Preconditioner } from "./preconditioner.js";
import { type SummingStructure, sumFromBottom } from "./structure.js";

export interface MinTraceOptions {
  method: MinTraceMethod;
  /** n × T in-sample residuals (actual − fitted), needed by wls_var and mint_shrink. */
  residuals?: Float64Array;
  /** Smallest diagonal of mint_shrink's W (hierarchicalforecast's mint_shr_ridge). Default 2e-8. */
  ridge?: number;
  /** Relative residual at which the solver stops. Default 1e-10. */
  tolerance?: number;
  /** Solver iterations before giving up. Default min(2 n_a + 50, 10,000). */
  max_iterations?: number;
}

/** The linear map behind MinT, reused for the forecasts and for the intervals. */
export interface MinTraceProjector {
  weights: WeightMatrix;
  preconditioner: Preconditioner;
  /** out = ŷ − W U (Uᵀ W U)⁻¹ Uᵀ ŷ for one step (n values); returns the solver's iterations. */
  project(yHat: Float64Array, out: Float64Array): number;
}

export function minTraceProjector(s: SummingStructure, options: MinTraceOptions): MinTraceProjector {
  if (!MIN_TRACE_METHODS.includes(options?.method)) {
    throw new ModelInputError(`unknown MinT method ${JSON.stringify(options?.method)}`, `use one of ${MIN_TRACE_METHODS.join(", ")}`);
  }
  const ridge = options.ridge ?? 2e-8;
  if (!(ridge >= 0) || !Number.isFinite(ridge)) throw new ModelInputError(`the MinT ridge must be a finite number ≥ 0, got ${ridge}`);
  const weights = weightMatrix(s, options.method, options.residuals, ridge);
  const n = s.seriesCount;
  const na = s.aggregateCount;
  const { offsets, members } = s;
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  // (Uᵀ W U) x: u = U x, v = W u, out = Uᵀ v.
  const apply = (x: Float64Array, out: Float64Array) => {
    u.fill(0, na);
    for (let i = 0; i < na; i++) {
      u[i] = x[i];
      for (let e = offsets[i]; e < offsets[i + 1]; e++) u[na + members[e]] -= x[i];
    }
    weights.apply(u, v);
    for (let i = 0; i < na; i++) {
      let acc = v[i];
      for (let e = offsets[i]; e < offsets[i + 1]; e++) acc -= v[na + members[e]];
      out[i] = acc;
    }
  };
  // Preconditioner: the exact inverse of Uᵀ diag(W) U (preconditioner.ts), else Jacobi.
  const inverseDiagonal = new Float64Array(na);
  for (let i = 0; i < na; i++) {
    let d = weights.variances[i];
    for (let e = offsets[i]; e < offsets[i + 1]; e++) d += weights.variances[na + members[e]];
    inverseDiagonal[i] = 1 / d;
  }
  const preconditioner = schurPreconditioner(s, weights.variances, inverseDiagonal);
  const solveOptions = {
    tolerance: options.tolerance ?? 1e-10,
    maxIterations: options.max_iterations ?? Math.min(2 * na + 50, 10_000),
  };
  const work = solveWorkspace(na);
  const b = new Float64Array(na);
  const z = new Float64Array(na);
  let solved = false; // z holds an earlier step's solution: start from it
  const project = (yHat: Float64Array, out: Float64Array) => {
    for (let i = 0; i < na; i++) {
      let acc = yHat[i];
      for (let e = offsets[i]; e < offsets[i + 1]; e++) acc -= yHat[na + members[e]];
      b[i] = acc;
    }
    const iterations = conjugateGradient(apply, preconditioner.apply, b, z, solveOptions, work, `MinT ${options.method}`, solved);
    solved = true;
    u.fill(0, na);
    for (let i = 0; i < na; i++) {
      u[i] = z[i];
      for (let e = offsets[i]; e < offsets[i + 1]; e++) u[na + members[e]] -= z[i];
    }
    weights.apply(u, v);
    for (let i = 0; i < n; i++) out[i] = yHat[i] - v[i];
    return iterations;
  };
  return { weights, preconditioner, project };
}

/** Coherent n × h MinT forecasts; `iterations` is the most any step's solve took. */
export function minTrace(
  s: SummingStructure,
  baseForecasts: Float64Array,
  h: number,
  options: MinTraceOptions,
  projector = minTraceProjector(s, options),
): { forecasts: Float64Array; iterations: number } {
  const n = s.seriesCount;
  const column = new Float64Array(n);
  const projected = new Float64Array(n);
  const out = new Float64Array(n * h);
  let iterations = 0;
  for (let t = 0; t < h; t++) {
    for (let i = 0; i < n; i++) column[i] = baseForecasts[i * h + t];
    iterations = Math.max(iterations, projector.project(column, projected));
    for (let i = s.aggregateCount; i < n; i++) out[i * h + t] = projected[i];
  }
  sumFromBottom(s, out, h, out);
  return { forecasts: out, iterations };
}
