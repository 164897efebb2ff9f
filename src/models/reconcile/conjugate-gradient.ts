// Preconditioned conjugate gradients for A x = b with A symmetric positive definite, given only
// as a product x ↦ A x: MinT's n_a × n_a system at M5 scale (12,350 aggregates) is dense, but its
// product costs O(entries of S) with a diagonal W, so no matrix is ever formed.
import { ModelInputError } from "../errors.js";

export interface SolveOptions {
  /** Stop when ‖b − A x‖ ≤ tolerance · ‖b‖. */
  tolerance: number;
  maxIterations: number;
}

export interface SolveWorkspace {
  r: Float64Array;
  z: Float64Array;
  p: Float64Array;
  q: Float64Array;
}

export function solveWorkspace(size: number): SolveWorkspace {
  return { r: new Float64Array(size), z: new Float64Array(size), p: new Float64Array(size), q: new Float64Array(size) };
}

/**
 * Solves A x = b into `x`, started from `x`'s values when `warmStart` (MinT's steps are similar, so
 * the previous step's solution is a good start), else from zero; returns the iterations used. `inverseDiagonal`
 * applies the preconditioner M⁻¹. Throws ModelInputError when A is not positive definite (a
 * singular covariance) or the tolerance is not reached.
 */
export function conjugateGradient(
  apply: (x: Float64Array, out: Float64Array) => void,
  precondition: (r: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  x: Float64Array,
  options: SolveOptions,
  work: SolveWorkspace,
  what: string,
  warmStart = false,
): number {
  const { r, z, p, q } = work;
  const size = b.length;
  let bNorm = 0;
  for (let i = 0; i < size; i++) bNorm += b[i] * b[i];
  bNorm = Math.sqrt(bNorm);
  if (bNorm === 0) {
    x.fill(0);
    return 0;
  }
  const target = options.tolerance * bNorm;
  if (warmStart) {
    apply(x, q);
    let rNorm = 0;
    for (let i = 0; i < size; i++) {
      r[i] = b[i] - q[i];
      rNorm += r[i] * r[i];
    }
    if (Math.sqrt(rNorm) <= target) return 0;
  } else {
    x.fill(0);
    r.set(b);
  }
  let rz = 0;
  precondition(r, z);
  for (let i = 0; i < size; i++) {
    p[i] = z[i];
    rz += r[i] * z[i];
  }
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    apply(p, q);
    let pq = 0;
    let pp = 0;
    for (let i = 0; i < size; i++) {
      pq += p[i] * q[i];
      pp += p[i] * p[i];
    }
    if (!(pq > 1e-14 * pp)) {
      throw new ModelInputError(
        `${what}: the covariance is singular (not positive definite), so MinT has no unique solution`,
        "use mint_shrink (it shrinks towards the diagonal), wls_var or wls_struct, or give more in-sample residuals",
      );
    }
    const alpha = rz / pq;
    let rNorm = 0;
    for (let i = 0; i < size; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
      rNorm += r[i] * r[i];
    }
    if (Math.sqrt(rNorm) <= target) return iteration;
    let rzNext = 0;
    precondition(r, z);
    for (let i = 0; i < size; i++) rzNext += r[i] * z[i];
    const beta = rzNext / rz;
    rz = rzNext;
    for (let i = 0; i < size; i++) p[i] = z[i] + beta * p[i];
  }
  throw new ModelInputError(
    `${what}: the solver did not reach relative residual ${options.tolerance} in ${options.maxIterations} iterations (an ill-conditioned covariance)`,
    "raise mint_shrink's ridge, raise max_iterations, or use wls_struct",
  );
}
