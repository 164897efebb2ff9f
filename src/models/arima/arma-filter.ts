/**
 * The fast exact likelihood used inside the optimiser: the Kalman filter of a stationary ARMA
 * model over the differenced series, propagated by the Chandrasekhar recursions instead of the
 * Riccati equation. Differencing first removes the nd diffuse states of the reference filter
 * (kalman.ts); and because the filter starts from the stationary covariance P0 of a
 * time-invariant model, each step's change of the prediction covariance has rank one,
 * P_{t+1} - P_t = mu_t w_t w_t', so a step costs O(r) instead of O(r^2) (Morf, Sidhu & Kailath
 * 1974). With y_t = z'a_t, z = e_1, K_t = T P_t z, F_t = z'P_t z:
 *
 *   F_{t+1} = F_t + mu_t (z'w_t)^2          K_{t+1} = K_t + mu_t (z'w_t) T w_t
 *   w_{t+1} = T w_t - (z'w_t / F_{t+1}) K_{t+1}      mu_{t+1} = mu_t F_{t+1} / F_t
 *   from F_0 = P0[0][0], K_0 = T P0 z, w_0 = K_0, mu_0 = -1 / F_0 (P0 being the fixed point of
 *   the prediction step, P_1 - P_0 = -K_0 K_0' / F_0).
 *
 * Only P0's first column is needed. Same likelihood as the reference filter up to O(1/kappa)
 * (kappa = 1e6, the reference's diffuse prior) and rounding. All buffers live in an ArmaFilter
 * made once per model order (the sliding buffers grow once to the series' length): a likelihood
 * call allocates nothing.
 */

import { covarianceWork, stationaryFirstColumn, type CovarianceWork } from "./stationary-covariance.js";

export class ArmaFilter {
  readonly r: number;
  private readonly column: Float64Array;
  private readonly K: Float64Array;
  private A = new Float64Array(0);
  private Wb = new Float64Array(0);
  private readonly cov: CovarianceWork;
  private readonly phiIndex: Int32Array;

  /** p and q are the lengths of the expanded AR and MA polynomials. */
  constructor(
    readonly p: number,
    readonly q: number,
  ) {
    const r = Math.max(p, q + 1);
    this.r = r;
    this.column = new Float64Array(r + 1);
    this.K = new Float64Array(r);
    this.cov = covarianceWork(r, p);
    this.phiIndex = new Int32Array(p);
  }

  /**
   * Concentrated -log-likelihood term of R's armafn, 0.5 (log(ssq / nu) + sumlog / nu), for the
   * series w and expanded coefficients phi (p values) and theta (q values). Returns null when
   * the AR part is not stationary or the filter breaks down.
   */
  objective(w: ArrayLike<number>, phi: Float64Array, theta: Float64Array): number | null {
    const sums = this.run(w, phi, theta);
    if (sums === null || sums.nu === 0) return null;
    const value = 0.5 * (Math.log(sums.ssq / sums.nu) + sums.sumlog / sums.nu);
    return Number.isFinite(value) ? value : null;
  }

  /** The likelihood sums over w (see objective). */
  run(w: ArrayLike<number>, phi: Float64Array, theta: Float64Array): { ssq: number; sumlog: number; nu: number } | null {
    const { r, p, q, column, K, phiIndex } = this;
    if (!stationaryFirstColumn(phi, p, theta, q, column, this.cov)) return null;
    column[r] = 0;
    let nPhi = 0;
    for (let i = 0; i < p; i++) if (phi[i] !== 0) phiIndex[nPhi++] = i;
    const n = w.length;
    // The state a_t and the vector w_t shift by one place each step (T's superdiagonal): they
    // live as sliding windows a_t[i] = A[t + i], w_t[i] = Wb[t + i] over zeroed buffers, so a
    // shift costs nothing and each step is two fused passes over r values.
    if (this.A.length < n + r + 1) {
      this.A = new Float64Array(n + r + 1);
      this.Wb = new Float64Array(n + r + 1);
    }
    const A = this.A;
    const Wb = this.Wb;
    A.fill(0, 0, n + r + 1);
    Wb.fill(0, 0, n + r + 1);

    let F = column[0];
    // K_0 = T P0 e_1: the first column shifted up, plus phi times P0[0][0]; w_0 = K_0.
    for (let i = 0; i < r; i++) K[i] = column[i + 1];
    for (let k = 0; k < nPhi; k++) K[phiIndex[k]] += phi[phiIndex[k]] * F;
    Wb.set(K.subarray(0, r), 0);
    let mu = -1 / F;
    // Once the rank-one correction no longer moves the gain, the covariance recursion is done.
    let converged = false;
    let ssq = 0;
    let sumlog = 0;
    let nu = 0;
    for (let t = 0; t < n; t++) {
      if (!(F > 0)) return null;
      const a0 = A[t];
      const v = w[t] - a0;
      // As the reference: a prediction variance of 1e4 or more (a nearly non-stationary start)
      // does not enter the likelihood sums.
      if (F < 1e4) {
        nu++;
        ssq += (v * v) / F;
        sumlog += Math.log(F);
      }
      // a_{t+1} = T a_t + K_t v_t / F_t
      const next = t + 1;
      const step = v / F;
      for (let k = 0; k < nPhi; k++) A[next + phiIndex[k]] += phi[phiIndex[k]] * a0;
      for (let i = 0; i < r; i++) A[next + i] += K[i] * step;
      if (converged) continue;

      // T w_t in place, then K_{t+1} = K_t + mu c T w_t and w_{t+1} = T w_t - (c / F_{t+1}) K_{t+1}.
      const c = Wb[t];
      for (let k = 0; k < nPhi; k++) Wb[next + phiIndex[k]] += phi[phiIndex[k]] * c;
      const muc = mu * c;
      const F1 = F + muc * c;
      const f = c / F1;
      let largest = 0;
      for (let i = 0; i < r; i++) {
        const tw = Wb[next + i];
        const k = K[i] + muc * tw;
        K[i] = k;
        const wi = tw - f * k;
        Wb[next + i] = wi;
        const m = Math.abs(wi);
        if (m > largest) largest = m;
      }
      mu *= F1 / F;
      // mu w w' below rounding relative to F: the covariance has stopped changing (w shrinks
      // geometrically from here, the filter being stable).
      if (Math.abs(mu) * largest * largest <= 1e-15 * F1) converged = true;
      F = F1;
    }
    return { ssq, sumlog, nu };
  }
}
