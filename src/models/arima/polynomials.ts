/**
 * Lag polynomials of ARIMA models: the partial-autocorrelation reparametrisation that keeps an
 * AR polynomial stationary during optimisation, the expansion of multiplicative seasonal
 * polynomials, the differencing polynomial, and root checks.
 *
 * Sign conventions as R: AR polynomial 1 - phi_1 z - ... - phi_p z^p, MA polynomial
 * 1 + theta_1 z + ... + theta_q z^q. Parameter vectors are laid out [ar, ma, sar, sma, xreg].
 */

/**
 * Maps unconstrained values to the coefficients of a stationary AR(p): each value becomes a
 * partial autocorrelation in (-1, 1) through tanh, and the Durbin-Levinson recursion turns the
 * partial autocorrelations into AR coefficients (Jones 1980, as R's arima). Reads
 * raw[from .. from+p), writes out[from .. from+p); `work` holds at least p values.
 */
export function pacfToAr(raw: ArrayLike<number>, out: Float64Array | number[], from: number, p: number, work: Float64Array): void {
  for (let j = 0; j < p; j++) {
    const v = Math.tanh(raw[from + j]);
    out[from + j] = v;
    work[j] = v;
  }
  for (let j = 1; j < p; j++) {
    const a = out[from + j];
    for (let k = 0; k < j; k++) work[k] -= a * out[from + j - k - 1];
    for (let k = 0; k < j; k++) out[from + k] = work[k];
  }
}

/** The inverse of pacfToAr: AR coefficients of a stationary AR(p) to unconstrained values. */
export function arToPacf(coef: ArrayLike<number>, out: Float64Array | number[], from: number, p: number): void {
  const cur = new Float64Array(p);
  const work = new Float64Array(p);
  for (let j = 0; j < p; j++) cur[j] = coef[from + j];
  // Step the Durbin-Levinson recursion down: the last coefficient of each order is its pacf.
  for (let j = p - 1; j > 0; j--) {
    const a = cur[j];
    for (let k = 0; k < j; k++) work[k] = (cur[k] + a * cur[j - k - 1]) / (1 - a * a);
    for (let k = 0; k < j; k++) cur[k] = work[k];
  }
  for (let j = 0; j < p; j++) out[from + j] = Math.atanh(cur[j]);
}

/** Counts of each coefficient block, in parameter-vector order. */
export interface ArmaCounts {
  p: number;
  q: number;
  P: number;
  Q: number;
  period: number;
}

/**
 * The AR and MA polynomials of the multiplicative model as plain lag coefficients:
 * phi has p + period * P entries, theta q + period * Q. `params` holds [ar, ma, sar, sma]
 * already on the coefficient scale.
 */
export function expandArma(params: ArrayLike<number>, c: ArmaCounts, phi: Float64Array, theta: Float64Array): void {
  const { p, q, P, Q, period: s } = c;
  const np = p + s * P;
  const nq = q + s * Q;
  for (let i = 0; i < np; i++) phi[i] = i < p ? params[i] : 0;
  for (let i = 0; i < nq; i++) theta[i] = i < q ? params[p + i] : 0;
  for (let j = 0; j < P; j++) {
    const sar = params[p + q + j];
    phi[(j + 1) * s - 1] += sar;
    for (let i = 0; i < p; i++) phi[(j + 1) * s + i] -= params[i] * sar;
  }
  for (let j = 0; j < Q; j++) {
    const sma = params[p + q + P + j];
    theta[(j + 1) * s - 1] += sma;
    for (let i = 0; i < q; i++) theta[(j + 1) * s + i] += params[p + i] * sma;
  }
}

/**
 * The differencing polynomial (1-B)^d (1-B^s)^D written as y_t = sum_k delta_k y_{t-k} + w_t:
 * returns delta (length d + s D), R's `Delta`.
 */
export function differencingDelta(d: number, D: number, period: number): Float64Array {
  let poly = [1];
  const times = (factor: number[]) => {
    const out = new Array(poly.length + factor.length - 1).fill(0);
    for (let i = 0; i < poly.length; i++) for (let j = 0; j < factor.length; j++) out[i + j] += poly[i] * factor[j];
    poly = out;
  };
  for (let i = 0; i < d; i++) times([1, -1]);
  const seasonal = new Array(period + 1).fill(0);
  seasonal[0] = 1;
  seasonal[period] = -1;
  for (let i = 0; i < D; i++) times(seasonal);
  return Float64Array.from(poly.slice(1), (v) => -v);
}

/** Applies (1-B)^d (1-B^s)^D to x: returns the n - d - sD differenced values. */
export function difference(x: ArrayLike<number>, d: number, D: number, period: number): Float64Array {
  let w: Float64Array = Float64Array.from(x as ArrayLike<number>);
  for (let i = 0; i < d; i++) w = lagDifference(w, 1);
  for (let i = 0; i < D; i++) w = lagDifference(w, period);
  return w;
}

function lagDifference(x: Float64Array, lag: number): Float64Array {
  const out = new Float64Array(Math.max(0, x.length - lag));
  for (let t = 0; t < out.length; t++) out[t] = x[t + lag] - x[t];
  return out;
}

/**
 * True when every root of 1 + sign * (c_1 z + ... + c_k z^k) lies outside the circle of radius
 * `radius` (sign -1 for an AR polynomial, +1 for MA). Trailing coefficients of magnitude
 * 1e-8 or less are dropped first, as forecast's myarima does. Uses the step-down (Schur-Cohn)
 * recursion on the polynomial rescaled to the unit circle, which needs no root finding and
 * stays cheap for the long expanded seasonal polynomials.
 */
export function rootsOutside(coefs: ArrayLike<number>, sign: 1 | -1, radius: number): boolean {
  let k = coefs.length;
  while (k > 0 && Math.abs(coefs[k - 1]) <= 1e-8) k--;
  if (k === 0) return true;
  // a(u) = poly(r u) = 1 - sum a_j u^j with a_j = -sign c_j r^j has roots z / r: outside the
  // unit circle exactly when those of the original lie outside radius r.
  let a = new Float64Array(k);
  let scale = 1;
  for (let j = 0; j < k; j++) {
    scale *= radius;
    a[j] = -sign * coefs[j] * scale;
  }
  for (let order = k; order > 0; order--) {
    const kappa = a[order - 1];
    if (!(Math.abs(kappa) < 1)) return false;
    const next = new Float64Array(order - 1);
    const denom = 1 - kappa * kappa;
    for (let j = 0; j < order - 1; j++) next[j] = (a[j] + kappa * a[order - 2 - j]) / denom;
    a = next;
  }
  return true;
}

/**
 * Makes an MA polynomial invertible the way R's arima does after its CSS stage: roots inside
 * the unit circle are replaced by their reciprocals (same autocorrelations, invertible form).
 * Returns a new coefficient array of the same length.
 */
export function invertMa(ma: ArrayLike<number>): number[] {
  const q = ma.length;
  let q0 = q;
  while (q0 > 0 && ma[q0 - 1] === 0) q0--;
  const out = Array.from(ma);
  if (q0 === 0) return out;
  const roots = polynomialRoots([1, ...Array.from(ma).slice(0, q0)]);
  if (roots.every(([re, im]) => Math.hypot(re, im) >= 1)) return out;
  if (q0 === 1) {
    out[0] = 1 / ma[0];
    return out;
  }
  // Rebuild prod (1 - z / root) from the reflected roots; its coefficients are real.
  let polyRe = [1];
  let polyIm = [0];
  for (const [re0, im0] of roots) {
    let re = re0;
    let im = im0;
    const mod2 = re * re + im * im;
    if (Math.sqrt(mod2) < 1) {
      re = re / mod2;
      im = -im / mod2;
    }
    // 1 / root
    const m2 = re * re + im * im;
    const ir = re / m2;
    const ii = -im / m2;
    const nextRe = new Array(polyRe.length + 1).fill(0);
    const nextIm = new Array(polyRe.length + 1).fill(0);
    for (let j = 0; j < polyRe.length; j++) {
      nextRe[j] += polyRe[j];
      nextIm[j] += polyIm[j];
      // minus (poly_j * (1/root)) z^{j+1}
      nextRe[j + 1] -= polyRe[j] * ir - polyIm[j] * ii;
      nextIm[j + 1] -= polyRe[j] * ii + polyIm[j] * ir;
    }
    polyRe = nextRe;
    polyIm = nextIm;
  }
  for (let j = 0; j < q0; j++) out[j] = polyRe[j + 1];
  return out;
}

/**
 * Complex roots of c_0 + c_1 z + ... + c_n z^n (real coefficients, c_n != 0) by the
 * Durand-Kerner iteration; used only for short MA polynomials (degree <= 5 here).
 */
export function polynomialRoots(coefs: number[]): [number, number][] {
  const n = coefs.length - 1;
  const lead = coefs[n];
  const c = coefs.map((v) => v / lead);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Starting points spread on a circle, off the real axis.
    const angle = (2 * Math.PI * i) / n + 0.4;
    re[i] = Math.cos(angle) * 0.9;
    im[i] = Math.sin(angle) * 0.9;
  }
  for (let iter = 0; iter < 500; iter++) {
    let change = 0;
    for (let i = 0; i < n; i++) {
      // p(z_i) by Horner in complex arithmetic.
      let pr = 1;
      let pi = 0;
      for (let k = n - 1; k >= 0; k--) {
        const tr = pr * re[i] - pi * im[i] + c[k];
        pi = pr * im[i] + pi * re[i];
        pr = tr;
      }
      let dr = 1;
      let di = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const ar = re[i] - re[j];
        const ai = im[i] - im[j];
        const tr = dr * ar - di * ai;
        di = dr * ai + di * ar;
        dr = tr;
      }
      const m2 = dr * dr + di * di;
      const qr = (pr * dr + pi * di) / m2;
      const qi = (pi * dr - pr * di) / m2;
      re[i] -= qr;
      im[i] -= qi;
      change = Math.max(change, Math.hypot(qr, qi));
    }
    if (change < 1e-14) break;
  }
  return Array.from(re, (r, i) => [r, im[i]] as [number, number]);
}
