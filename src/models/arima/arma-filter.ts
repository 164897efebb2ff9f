/**
 * The fast exact likelihood used inside the optimiser: the Kalman filter of a stationary ARMA
 * model run over the differenced series. Differencing first removes the nd diffuse states of
 * the reference filter (kalman.ts), so a step costs O(r^2) instead of O((r + nd)^2), and the
 * sparse seasonal AR and MA polynomials are visited through their non-zero lags only. All
 * buffers live in an ArmaFilter made once per model order: a likelihood call allocates nothing.
 *
 * Same likelihood as the reference filter up to O(1/kappa) (kappa = 1e6, the reference's
 * diffuse prior): observations w_t = (differenced y)_t - (differenced regression)_t.
 */

import { covarianceWork, stationaryCovariance, type CovarianceWork } from "./stationary-covariance.js";

export class ArmaFilter {
  readonly r: number;
  private readonly P: Float64Array;
  private readonly Pnew: Float64Array;
  private readonly a: Float64Array;
  private readonly anew: Float64Array;
  private readonly M: Float64Array;
  private readonly cov: CovarianceWork;
  private readonly phiIndex: Int32Array;
  private readonly loadIndex: Int32Array;
  private readonly load: Float64Array;

  /** p and q are the lengths of the expanded AR and MA polynomials. */
  constructor(
    readonly p: number,
    readonly q: number,
  ) {
    const r = Math.max(p, q + 1);
    this.r = r;
    this.P = new Float64Array(r * r);
    this.Pnew = new Float64Array(r * r);
    this.a = new Float64Array(r);
    this.anew = new Float64Array(r);
    this.M = new Float64Array(r);
    this.cov = covarianceWork(r, p);
    this.phiIndex = new Int32Array(p);
    this.loadIndex = new Int32Array(q + 1);
    this.load = new Float64Array(r);
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
    const { r, p, q, P, Pnew, a, anew, M, load } = this;
    if (!stationaryCovariance(phi, p, theta, q, Pnew, this.cov)) return null;
    // Non-zero lags of phi and of the loading (1, theta).
    let nPhi = 0;
    for (let i = 0; i < p; i++) if (phi[i] !== 0) this.phiIndex[nPhi++] = i;
    let nLoad = 0;
    for (let i = 0; i < r; i++) {
      load[i] = i === 0 ? 1 : i - 1 < q ? theta[i - 1] : 0;
      if (load[i] !== 0) this.loadIndex[nLoad++] = i;
    }
    const phiIndex = this.phiIndex;
    const loadIndex = this.loadIndex;
    a.fill(0);
    let ssq = 0;
    let sumlog = 0;
    let nu = 0;
    const n = w.length;
    for (let t = 0; t < n; t++) {
      // anew = T a
      const a0 = a[0];
      for (let i = 0; i < r - 1; i++) anew[i] = a[i + 1];
      anew[r - 1] = 0;
      for (let k = 0; k < nPhi; k++) anew[phiIndex[k]] += phi[phiIndex[k]] * a0;
      if (t > 0) {
        // Pnew = T P T' + load load' (row-major, symmetric).
        for (let i = 0; i < r - 1; i++) {
          const src = (i + 1) * r + 1;
          const dst = i * r;
          for (let j = 0; j < r - 1; j++) Pnew[dst + j] = P[src + j];
          Pnew[dst + r - 1] = 0;
        }
        Pnew.fill(0, (r - 1) * r, r * r);
        const p00 = P[0];
        for (let k = 0; k < nPhi; k++) {
          const i = phiIndex[k];
          const f = phi[i];
          // phi_i P[0][j+1] into row i, phi_i P[j+1][0] into column i.
          for (let j = 0; j < r - 1; j++) {
            const c = f * P[j + 1];
            Pnew[i * r + j] += c;
            Pnew[j * r + i] += c;
          }
          for (let l = 0; l < nPhi; l++) {
            const j = phiIndex[l];
            Pnew[i * r + j] += f * phi[j] * p00;
          }
        }
        for (let k = 0; k < nLoad; k++) {
          const i = loadIndex[k];
          const li = load[i];
          for (let l = 0; l < nLoad; l++) {
            const j = loadIndex[l];
            Pnew[i * r + j] += li * load[j];
          }
        }
      }
      const gain = Pnew[0];
      const resid = w[t] - anew[0];
      if (!(gain > 0)) return null;
      // As the reference: a prediction variance of 1e4 or more (a nearly non-stationary start)
      // does not enter the likelihood sums.
      if (gain < 1e4) {
        nu++;
        ssq += (resid * resid) / gain;
        sumlog += Math.log(gain);
      }
      const scale = resid / gain;
      for (let i = 0; i < r; i++) {
        M[i] = Pnew[i * r];
        a[i] = anew[i] + M[i] * scale;
      }
      for (let i = 0; i < r; i++) {
        const mi = M[i] / gain;
        const row = i * r;
        for (let j = 0; j < r; j++) P[row + j] = Pnew[row + j] - mi * M[j];
      }
    }
    return { ssq, sumlog, nu };
  }
}
