/**
 * The exact Gaussian likelihood of an ARIMA model by the Kalman filter, in the state-space form
 * of R's stats::arima (makeARIMA / ARIMA_Like / KalmanFore): the ARMA state of dimension
 * r = max(p, q + 1) followed by the nd = d + sD most recent undifferenced values, whose prior
 * variance is the diffuse kappa = 1e6. Observations whose prediction variance is still 1e4 or
 * more (the first nd, dominated by the diffuse prior) are left out of the likelihood sums.
 *
 * This is the reference filter: the final log-likelihood, the residuals and the forecasts
 * come from it, so they agree with R's to rounding. Optimisation uses the faster filter on the
 * differenced series (arma-filter.ts), which computes the same likelihood up to O(1/kappa).
 *
 * Matrices are r x r or rd x rd, column-major (index i + rd * j) as in R's C code.
 */

import { stationaryCovariance, covarianceWork } from "./stationary-covariance.js";

/** R's kappa: the prior variance of the differencing states, in units of sigma^2. */
export const DIFFUSE_KAPPA = 1e6;

/** A model in state-space form, and the filter's current state. */
export interface StateSpace {
  phi: Float64Array;
  theta: Float64Array;
  delta: Float64Array;
  /** ARMA state dimension max(p, q + 1) and total dimension r + delta.length. */
  r: number;
  rd: number;
  /** Filtered state and its covariance (in sigma^2 units) after the last observation. */
  a: Float64Array;
  P: Float64Array;
  /** Covariance of the first prediction (R's Pn): P0 for the ARMA block, kappa on the diagonal after it. */
  Pn: Float64Array;
}

/**
 * Builds the state-space form of ARIMA with the given expanded AR and MA coefficients and
 * differencing polynomial, its state at zero. Returns null when the AR part is not stationary.
 */
export function makeStateSpace(phi: Float64Array, theta: Float64Array, delta: Float64Array): StateSpace | null {
  const p = phi.length;
  const q = theta.length;
  const r = Math.max(p, q + 1);
  const nd = delta.length;
  const rd = r + nd;
  const Pn = new Float64Array(rd * rd);
  const P0 = new Float64Array(r * r);
  if (!stationaryCovariance(phi, p, theta, q, P0, covarianceWork(r, p))) return null;
  for (let j = 0; j < r; j++) for (let i = 0; i < r; i++) Pn[i + rd * j] = P0[i * r + j];
  for (let i = r; i < rd; i++) Pn[i + rd * i] = DIFFUSE_KAPPA;
  return { phi, theta, delta, r, rd, a: new Float64Array(rd), P: new Float64Array(rd * rd), Pn };
}

/** Sums of the concentrated likelihood: sum of squared standardised innovations, of log gains, and their count. */
export interface LikelihoodSums {
  ssq: number;
  sumlog: number;
  nu: number;
}

/**
 * Runs the filter over x (already net of any regression term) from the initial state, leaving
 * the final state in model.a and model.P. Writes standardised residuals when `residuals` is
 * given (R's resid / sqrt(gain)).
 */
export function filterDiffuse(x: ArrayLike<number>, model: StateSpace, residuals?: Float64Array): LikelihoodSums {
  const { phi, theta, delta, r, rd, a, P, Pn } = model;
  const p = phi.length;
  const q = theta.length;
  const nd = delta.length;
  const anew = new Float64Array(rd);
  const M = new Float64Array(rd);
  const mm = new Float64Array(rd * rd);
  const Pnew = Float64Array.from(Pn);
  a.fill(0);
  P.fill(0);
  let ssq = 0;
  let sumlog = 0;
  let nu = 0;

  for (let l = 0; l < x.length; l++) {
    predictState(a, anew, phi, p, delta, r, nd);
    if (l > 0) predictCovariance(P, Pnew, mm, phi, p, theta, q, delta, r, rd);
    let resid = x[l] - anew[0];
    for (let i = 0; i < nd; i++) resid -= delta[i] * anew[r + i];
    for (let i = 0; i < rd; i++) {
      let v = Pnew[i];
      for (let j = 0; j < nd; j++) v += Pnew[i + (r + j) * rd] * delta[j];
      M[i] = v;
    }
    let gain = M[0];
    for (let j = 0; j < nd; j++) gain += delta[j] * M[r + j];
    if (gain < 1e4) {
      nu++;
      ssq += (resid * resid) / gain;
      sumlog += Math.log(gain);
    }
    if (residuals) residuals[l] = resid / Math.sqrt(gain);
    for (let i = 0; i < rd; i++) a[i] = anew[i] + (M[i] * resid) / gain;
    for (let j = 0; j < rd; j++) {
      const mj = M[j] / gain;
      for (let i = 0; i < rd; i++) P[i + j * rd] = Pnew[i + j * rd] - M[i] * mj;
    }
  }
  return { ssq, sumlog, nu };
}

/**
 * Mean (and prediction variance in sigma^2 units) of the next h values from the filter's final
 * state, without changing it (R's KalmanForecast).
 */
export function forecastState(model: StateSpace, h: number): { mean: Float64Array; variance: Float64Array } {
  const { phi, theta, delta, r, rd } = model;
  const p = phi.length;
  const q = theta.length;
  const nd = delta.length;
  const a = Float64Array.from(model.a);
  const P = Float64Array.from(model.P);
  const anew = new Float64Array(rd);
  const Pnew = new Float64Array(rd * rd);
  const mm = new Float64Array(rd * rd);
  const mean = new Float64Array(h);
  const variance = new Float64Array(h);
  for (let l = 0; l < h; l++) {
    predictState(a, anew, phi, p, delta, r, nd);
    a.set(anew);
    let fc = a[0];
    for (let i = 0; i < nd; i++) fc += delta[i] * a[r + i];
    mean[l] = fc;
    predictCovariance(P, Pnew, mm, phi, p, theta, q, delta, r, rd);
    P.set(Pnew);
    // Z P Z' with Z = (1, 0, ..., 0, delta).
    let v = 0;
    for (let j = 0; j < rd; j++) {
      const zj = j === 0 ? 1 : j >= r ? delta[j - r] : 0;
      if (zj === 0) continue;
      for (let i = 0; i < rd; i++) {
        const zi = i === 0 ? 1 : i >= r ? delta[i - r] : 0;
        if (zi !== 0) v += zi * zj * P[i + j * rd];
      }
    }
    variance[l] = v;
  }
  return { mean, variance };
}

/** anew = T a. */
function predictState(a: Float64Array, anew: Float64Array, phi: Float64Array, p: number, delta: Float64Array, r: number, nd: number): void {
  for (let i = 0; i < r; i++) {
    let v = i < r - 1 ? a[i + 1] : 0;
    if (i < p) v += phi[i] * a[0];
    anew[i] = v;
  }
  if (nd > 0) {
    for (let i = r + 1; i < r + nd; i++) anew[i] = a[i - 1];
    let v = a[0];
    for (let i = 0; i < nd; i++) v += delta[i] * a[r + i];
    anew[r] = v;
  }
}

/** Pnew = T P T' + R R', using the sparsity of T (mm is scratch). */
function predictCovariance(
  P: Float64Array,
  Pnew: Float64Array,
  mm: Float64Array,
  phi: Float64Array,
  p: number,
  theta: Float64Array,
  q: number,
  delta: Float64Array,
  r: number,
  rd: number,
): void {
  const nd = delta.length;
  // mm = T P
  for (let j = 0; j < rd; j++) {
    const col = rd * j;
    for (let i = 0; i < r; i++) {
      let v = i < p ? phi[i] * P[col] : 0;
      if (i < r - 1) v += P[i + 1 + col];
      mm[i + col] = v;
    }
    if (nd > 0) {
      let v = P[col];
      for (let k = 0; k < nd; k++) if (delta[k] !== 0) v += delta[k] * P[r + k + col];
      mm[r + col] = v;
      for (let i = 1; i < nd; i++) mm[r + i + col] = P[r + i - 1 + col];
    }
  }
  // Pnew = mm T'
  for (let i = 0; i < r; i++) {
    const phiI = i < p ? phi[i] : 0;
    for (let j = 0; j < rd; j++) {
      let v = phiI !== 0 ? phiI * mm[j] : 0;
      if (i < r - 1) v += mm[rd * (i + 1) + j];
      Pnew[j + rd * i] = v;
    }
  }
  if (nd > 0) {
    for (let j = 0; j < rd; j++) {
      let v = mm[j];
      for (let k = 0; k < nd; k++) if (delta[k] !== 0) v += delta[k] * mm[rd * (r + k) + j];
      Pnew[rd * r + j] = v;
    }
    for (let i = 1; i < nd; i++) for (let j = 0; j < rd; j++) Pnew[rd * (r + i) + j] = mm[rd * (r + i - 1) + j];
  }
  // + (1, theta)(1, theta)'
  for (let i = 0; i <= q; i++) {
    const vi = i === 0 ? 1 : theta[i - 1];
    if (vi === 0) continue;
    for (let j = 0; j <= q; j++) Pnew[i + rd * j] += vi * (j === 0 ? 1 : theta[j - 1]);
  }
}
