// Schäfer & Strimmer (2005) shrinkage of the in-sample residual covariance towards its diagonal,
// as hierarchicalforecast's MinTrace("mint_shrink") estimates it (its C++ no-NaN version):
//   Σ̂ = C Cᵀ / (T − 1), C the mean-centred residuals (n × T);
//   λ = clamp( Σ_{i<j} Var̂(r_ij) / Σ_{i<j} r_ij², 0, 1 ), r the correlations with population
//       standard deviations (+ 2e-8), Var̂(r_ij) = Σ_k (w_ijk − w̄_ij)² / (T (T − 1));
//   W_ij = (1 − λ) Σ̂_ij off the diagonal, W_ii = max(Σ̂_ii, ridge).
// hierarchicalforecast loops over all n² pairs; the sums above only need per-step sums and the
// T × T Gram matrix of the standardised residuals Z, O(n T²), so the estimate scales to M5.
// W is kept as diagonal + low rank (D + c C Cᵀ), never as an n × n matrix.
import { ModelInputError } from "../errors.js";

const EPS = 2e-8;

export interface ShrunkCovariance {
  /** n × T mean-centred residuals (series-major). */
  centred: Float64Array;
  steps: number;
  /** W = diag(diagonal) + lowRankScale · centred centredᵀ. */
  diagonal: Float64Array;
  lowRankScale: number;
  /** W_ii, the full diagonal. */
  variances: Float64Array;
  /** The shrinkage intensity λ (0: sample covariance, 1: its diagonal). */
  lambda: number;
}

/** `residuals`: n × T, series-major, finite. */
export function shrunkCovariance(residuals: Float64Array, n: number, ridge: number): ShrunkCovariance {
  const T = residuals.length / n;
  if (!Number.isInteger(T) || T < 2) {
    throw new ModelInputError(
      `MinT shrinkage needs at least 2 in-sample residuals per series, got ${T}`,
      "pass the in-sample residuals (actual − fitted) of every series over the same periods",
    );
  }
  const centred = new Float64Array(residuals.length);
  const invSd = new Float64Array(n);
  const sampleVar = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * T;
    let mean = 0;
    for (let k = 0; k < T; k++) mean += residuals[row + k];
    mean /= T;
    let ss = 0;
    for (let k = 0; k < T; k++) {
      const d = residuals[row + k] - mean;
      centred[row + k] = d;
      ss += d * d;
    }
    invSd[i] = 1 / (Math.sqrt(ss / T) + EPS);
    sampleVar[i] = ss / (T - 1);
  }
  // z_ik = c_ik / sd_i. Sums over pairs i < j from sums over all i, j minus the diagonal, halved.
  const gram = new Float64Array(T * T); // Σ_i z_ik z_il
  const z = new Float64Array(T);
  let sumDiagGramSq = 0; // Σ_i (Σ_k z_ik²)²
  let fourthPowerSum = 0; // Σ_i Σ_k z_ik⁴
  const stepSquares = new Float64Array(T); // Σ_i z_ik² for each k
  for (let i = 0; i < n; i++) {
    let selfDot = 0;
    for (let k = 0; k < T; k++) {
      z[k] = centred[i * T + k] * invSd[i];
      const z2 = z[k] * z[k];
      selfDot += z2;
      fourthPowerSum += z2 * z2;
      stepSquares[k] += z2;
    }
    sumDiagGramSq += selfDot * selfDot;
    for (let k = 0; k < T; k++) {
      const zk = z[k];
      if (zk === 0) continue;
      const row = k * T;
      for (let l = 0; l < T; l++) gram[row + l] += zk * z[l];
    }
  }
  let gramFrobenius = 0; // Σ_{i,j} (z_i · z_j)² = ‖Zᵀ Z‖²_F
  for (let e = 0; e < gram.length; e++) gramFrobenius += gram[e] * gram[e];
  let stepPairs = 0; // Σ_k Σ_{i≠j} z_ik² z_jk²
  for (let k = 0; k < T; k++) stepPairs += stepSquares[k] * stepSquares[k];
  stepPairs -= fourthPowerSum;
  const pairDotSq = (gramFrobenius - sumDiagGramSq) / 2; // Σ_{i<j} (z_i · z_j)²
  // Σ_{i<j} Σ_k (w_ijk − w̄_ij)² = Σ_{i<j} Σ_k w_ijk² − T w̄_ij², with w̄_ij = (z_i · z_j) / T.
  const varianceSum = stepPairs / 2 - pairDotSq / T;
  const correlationSq = pairDotSq / (T * T);
  const raw = varianceSum / (T * (T - 1)) / (correlationSq + EPS);
  const lambda = Math.min(1, Math.max(0, raw));
  const keep = 1 - lambda;
  const variances = new Float64Array(n);
  const diagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    variances[i] = Math.max(sampleVar[i], ridge);
    diagonal[i] = variances[i] - keep * sampleVar[i];
  }
  return { centred, steps: T, diagonal, lowRankScale: keep / (T - 1), variances, lambda };
}

/** out = W u for a shrunk covariance (O(n T)); `scratch` has length T. */
export function applyShrunk(w: ShrunkCovariance, u: Float64Array, out: Float64Array, scratch: Float64Array): void {
  const T = w.steps;
  const n = w.diagonal.length;
  scratch.fill(0);
  for (let i = 0; i < n; i++) {
    const ui = u[i];
    if (ui === 0) continue;
    const row = i * T;
    for (let k = 0; k < T; k++) scratch[k] += w.centred[row + k] * ui;
  }
  for (let k = 0; k < T; k++) scratch[k] *= w.lowRankScale;
  for (let i = 0; i < n; i++) {
    const row = i * T;
    let acc = w.diagonal[i] * u[i];
    for (let k = 0; k < T; k++) acc += w.centred[row + k] * scratch[k];
    out[i] = acc;
  }
}
