/**
 * The covariance of the ARMA state vector in its stationary distribution: the initial P0 of
 * the exact-likelihood Kalman filter (R: makeARIMA's Pn[1:r, 1:r]).
 *
 * The state is R's (Harvey's) form: r = max(p, q + 1), transition T with phi in the first column
 * and ones above the diagonal, disturbance loading R = (1, theta_1, ..., theta_{r-1}), so that
 *   a_t[i] = sum_{k >= i} ( phi_k y_{t-1-(k-i)} + R_k e_{t-(k-i)} ),  a_t[0] = y_t.
 * P0 solves P0 = T P0 T' + R R' (unit innovation variance). R solves that system with Gardner
 * et al.'s algorithm, O(r^4) in time and memory; here it is built from the ARMA
 * autocovariances instead, O(r^2 + p^3), which gives the same matrix (to rounding) and stays
 * fast for weekly seasonal models where r exceeds 100:
 *   1. psi weights of the MA(infinity) form and autocovariances gamma(0..r);
 *   2. the first column, P0[k][0] = cov(a[k], y) = sum_{l >= k} phi_l gamma(l+1-k) + R_l psi_{l-k};
 *   3. the rest from the fixed-point equation, from the bottom-right corner up:
 *      P0[i][j] = phi_i phi_j P0[0][0] + phi_i P0[0][j+1] + phi_j P0[i+1][0] + P0[i+1][j+1] + R_i R_j.
 */

import { solveInPlace } from "./matrix.js";

/** Scratch buffers for stationaryCovariance, sized for state dimension r and AR order p. */
export interface CovarianceWork {
  column: Float64Array;
  psi: Float64Array;
  gamma: Float64Array;
  system: Float64Array;
  rhs: Float64Array;
}

export function covarianceWork(r: number, p: number): CovarianceWork {
  return {
    column: new Float64Array(r),
    psi: new Float64Array(r + 1),
    gamma: new Float64Array(r + 2),
    system: new Float64Array((p + 1) * (p + 1)),
    rhs: new Float64Array(p + 1),
  };
}

/**
 * Writes P0 (r x r, row-major, symmetric) into `out`. phi has p entries, theta q entries,
 * r = max(p, q + 1). Returns false when the AR part is not stationary (singular system or a
 * non-positive variance), in which case `out` is not meaningful.
 */
export function stationaryCovariance(phi: Float64Array, p: number, theta: Float64Array, q: number, out: Float64Array, work: CovarianceWork): boolean {
  const r = Math.max(p, q + 1);
  const column = work.column;
  if (!stationaryFirstColumn(phi, p, theta, q, column, work)) return false;
  for (let k = 0; k < r; k++) {
    out[k * r] = column[k];
    out[k] = column[k];
  }
  const R = (k: number) => (k === 0 ? 1 : k - 1 < q ? theta[k - 1] : 0);
  // The rest, from the bottom-right corner so that P0[i+1][j+1] is known.
  const p00 = out[0];
  for (let i = r - 1; i >= 1; i--) {
    const phiI = i < p ? phi[i] : 0;
    const rI = R(i);
    for (let j = r - 1; j >= i; j--) {
      const phiJ = j < p ? phi[j] : 0;
      let v = phiI * phiJ * p00 + rI * R(j);
      if (j + 1 < r) v += phiI * out[j + 1] + out[(i + 1) * r + j + 1];
      if (i + 1 < r) v += phiJ * out[(i + 1) * r];
      out[i * r + j] = v;
      out[j * r + i] = v;
    }
  }
  return true;
}

/**
 * The first column of P0, cov(a[k], y) for k = 0..r-1, into `out` (steps 1 and 2 above): all
 * the Chandrasekhar recursions of the fast filter need. False when the AR part is not stationary.
 */
export function stationaryFirstColumn(phi: Float64Array, p: number, theta: Float64Array, q: number, out: Float64Array, work: CovarianceWork): boolean {
  const r = Math.max(p, q + 1);
  const R = (k: number) => (k === 0 ? 1 : k - 1 < q ? theta[k - 1] : 0);
  const { psi, gamma } = work;

  // psi_j = R_j + sum_{i=1..min(j,p)} phi_i psi_{j-i}
  for (let j = 0; j <= r; j++) {
    let v = R(j);
    for (let i = 1; i <= Math.min(j, p); i++) v += phi[i - 1] * psi[j - i];
    psi[j] = v;
  }
  // c_k = sum_{j=k..q} R_j psi_{j-k}: covariance of the MA side with y at lag k.
  const c = (k: number) => {
    let v = 0;
    for (let j = k; j <= q; j++) v += R(j) * psi[j - k];
    return v;
  };

  if (p === 0) {
    for (let k = 0; k <= r; k++) gamma[k] = k <= q ? c(k) : 0;
  } else {
    // gamma(k) - sum_j phi_j gamma(|k-j|) = c_k for k = 0..p, solved for gamma(0..p).
    const n = p + 1;
    const A = work.system;
    const b = work.rhs;
    A.fill(0, 0, n * n);
    for (let k = 0; k < n; k++) {
      A[k * n + k] += 1;
      for (let j = 1; j <= p; j++) A[k * n + Math.abs(k - j)] -= phi[j - 1];
      b[k] = k <= q ? c(k) : 0;
    }
    if (!solveInPlace(A, b, n)) return false;
    for (let k = 0; k < n; k++) gamma[k] = b[k];
    for (let k = n; k <= r; k++) {
      let v = k <= q ? c(k) : 0;
      for (let j = 1; j <= p; j++) v += phi[j - 1] * gamma[k - j];
      gamma[k] = v;
    }
  }
  if (!(gamma[0] > 0) || !Number.isFinite(gamma[0])) return false;

  // cov(a[k], y) = sum_{l >= k} phi_l gamma(l+1-k) + R_l psi_{l-k}, over non-zero terms only.
  out.fill(0, 0, r);
  for (let l = 0; l < r; l++) {
    const phiL = l < p ? phi[l] : 0;
    const rL = R(l);
    if (phiL !== 0) for (let k = 0; k <= l; k++) out[k] += phiL * gamma[l + 1 - k];
    if (rL !== 0) for (let k = 0; k <= l; k++) out[k] += rL * psi[l - k];
  }
  return true;
}
