/**
 * Fits one ARIMA model of given orders, as R's stats::arima (called through forecast::Arima)
 * does: the constant as a regression term (intercept without differencing, drift with one
 * difference) started by least squares on the differenced series, the conditional sum of
 * squares for starting values, then exact maximum likelihood ("CSS-ML", the default), or either
 * alone ("CSS", "ML"). The likelihood is optimised over transformed parameters (partial
 * autocorrelations through tanh) so that AR parts stay stationary; a non-invertible MA part is
 * flipped to its invertible twin. Then the statistics forecast::Arima reports: loglik, AIC,
 * AICc, BIC, sigma^2, and whether the coefficient variances are all positive (auto.arima
 * rejects a model whose are not).
 */

import { ArmaFilter } from "./arma-filter.js";
import { CssFilter } from "./css.js";
import { filterDiffuse, makeStateSpace } from "./kalman.js";
import { invertLikeR } from "./matrix.js";
import { minimiseBfgs, numericHessian, OptimError, type OptimOptions } from "./optim.js";
import { arToPacf, difference, differencingDelta, expandArma, invertMa, pacfToAr, rootsOutside, type ArmaCounts } from "./polynomials.js";
import type { ArimaCoefficients, ArimaFit, ArimaMethod, ArimaSpec } from "./types.js";

/** A model R could not fit either (stats::arima stops with an error); the search skips it. */
export class ArimaFitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArimaFitError";
  }
}

/** A fit with what the search needs beyond the public statistics. */
export interface ModelFit {
  fit: ArimaFit;
  /** sigma^2 of the CSS residuals (ssq / nu) for a CSS fit: what auto.arima's approximate AIC uses. */
  cssSigma2: number | null;
  /** stats::arima's own sigma^2 of an exact fit, ssq / n.used (auto.arima's CSS offset uses it). */
  exactSigma2: number | null;
  /**
   * False when a coefficient's estimated variance is negative or undefined (forecast's
   * checkarima). Computed on first call (it needs the numerical Hessian, which costs about as
   * much as the fit), so that a model already ruled out by its roots never pays for it; throws
   * ArimaFitError where R's fit would have failed on the Hessian.
   */
  varianceOk: () => boolean;
}

/** The data and buffers of one model order; the objectives allocate nothing. */
class Problem {
  readonly counts: ArmaCounts;
  readonly narma: number;
  readonly nreg: number;
  readonly delta: Float64Array;
  readonly nUsed: number;
  readonly xreg: Float64Array | null;
  readonly dx: Float64Array;
  readonly dxreg: Float64Array | null;
  readonly w: Float64Array;
  readonly phi: Float64Array;
  readonly theta: Float64Array;
  readonly params: Float64Array;
  readonly pacfWork: Float64Array;
  readonly css: CssFilter;
  readonly arma: ArmaFilter;
  /** First CSS residual on the differenced scale: p + s P. */
  readonly ncond: number;

  constructor(
    readonly x: Float64Array,
    readonly spec: ArimaSpec,
  ) {
    const { p, d, q, P, D, Q, period } = spec;
    this.counts = { p, q, P, Q, period };
    this.narma = p + q + P + Q;
    const nd = d + D;
    // forecast::Arima's include.constant: intercept when nd = 0, drift when nd = 1, none after.
    this.nreg = spec.constant && nd <= 1 ? 1 : 0;
    this.delta = differencingDelta(d, D, period);
    this.nUsed = x.length - this.delta.length;
    if (this.nUsed <= 0) throw new ArimaFitError("too few non-missing observations");
    this.xreg = this.nreg ? Float64Array.from({ length: x.length }, (_, t) => (nd === 0 ? 1 : t + 1)) : null;
    this.dx = difference(x, d, D, period);
    this.dxreg = this.xreg ? difference(this.xreg, d, D, period) : null;
    this.w = new Float64Array(this.dx.length);
    const np = p + period * P;
    const nq = q + period * Q;
    this.phi = new Float64Array(np);
    this.theta = new Float64Array(nq);
    this.params = new Float64Array(this.narma);
    this.pacfWork = new Float64Array(Math.max(p, P, 1));
    this.css = new CssFilter(this.dx.length, np, nq);
    this.arma = new ArmaFilter(np, nq);
    this.ncond = np;
  }

  /** Expands par ([ar, ma, sar, sma, beta]) into phi and theta, through the pacf map when `trans`. */
  expand(par: ArrayLike<number>, trans: boolean): void {
    const { params, counts } = this;
    for (let i = 0; i < this.narma; i++) params[i] = par[i];
    if (trans) {
      if (counts.p > 0) pacfToAr(par, params, 0, counts.p, this.pacfWork);
      if (counts.P > 0) pacfToAr(par, params, counts.p + counts.q, counts.P, this.pacfWork);
    }
    expandArma(params, counts, this.phi, this.theta);
  }

  /** The differenced series net of the regression term. */
  net(par: ArrayLike<number>): Float64Array {
    if (!this.dxreg) return this.dx;
    const beta = par[this.narma];
    for (let t = 0; t < this.w.length; t++) this.w[t] = this.dx[t] - beta * this.dxreg[t];
    return this.w;
  }

  /** R's armaCSS: 0.5 log(mean squared conditional residual). */
  cssObjective = (par: Float64Array): number => {
    this.expand(par, false);
    return 0.5 * Math.log(this.css.meanSquare(this.net(par), this.phi, this.theta, this.ncond));
  };

  /** R's armafn through the fast filter: 0.5 (log(ssq / nu) + sumlog / nu). */
  mlObjective(trans: boolean): (par: Float64Array) => number {
    return (par) => {
      this.expand(par, trans);
      return this.arma.objective(this.net(par), this.phi, this.theta) ?? Number.MAX_VALUE;
    };
  }

  /** The undifferenced series net of the regression term, for the reference filter. */
  undifferencedNet(beta: number): Float64Array {
    if (!this.xreg) return this.x;
    return Float64Array.from(this.x, (v, t) => v - beta * this.xreg![t]);
  }
}

/**
 * Fits `spec` to x by `method`, or evaluates it at `fixed` coefficients. Throws ArimaFitError
 * where R's stats::arima would stop with an error.
 */
export function fitModel(x: Float64Array, spec: ArimaSpec, method: ArimaMethod = "CSS-ML", fixed?: ArimaCoefficients): ModelFit {
  const prob = new Problem(x, spec);
  const { narma, nreg, counts } = prob;
  const npar = narma + nreg;

  // Starting values: zero ARMA coefficients; the regression coefficient from least squares on
  // the differenced series, its parscale ten standard errors (as R).
  const init = new Float64Array(npar);
  const parscale = new Float64Array(npar).fill(1);
  if (nreg) {
    const { beta, se } = leastSquares(prob.dx, prob.dxreg!) ?? leastSquares(x, prob.xreg!) ?? { beta: 0, se: 1 };
    init[narma] = beta;
    parscale[narma] = se > 0 && Number.isFinite(se) ? 10 * se : 1;
  }
  const options: OptimOptions = { parscale };

  // With every coefficient fixed R estimates nothing but sigma^2 (npar 1 in its criteria).
  if (fixed) return evaluateFixed(prob, coefficientVector(fixed, spec, nreg), method === "CSS" ? "CSS-ML" : method, 0);

  if (method === "CSS") {
    const res = minimiseGuarded(prob.cssObjective, init, options);
    const varianceOk = once(() => varianceDiagonalOk(hessianGuarded(prob.cssObjective, res.par, options), npar, prob.nUsed, null));
    prob.expand(res.par, false);
    const residuals = new Float64Array(prob.dx.length);
    const mean = prob.css.meanSquare(prob.net(res.par), prob.phi, prob.theta, prob.ncond, residuals);
    let ssr = 0;
    for (const e of residuals) ssr += e * e;
    const coef = splitCoefficients(res.par, spec, nreg);
    const value = 2 * prob.nUsed * res.value + prob.nUsed + prob.nUsed * Math.log(2 * Math.PI);
    return {
      fit: statistics(spec, coef, prob.nUsed, npar, "CSS", -0.5 * value, ssr, false),
      cssSigma2: mean,
      exactSigma2: null,
      varianceOk,
    };
  }

  if (method === "CSS-ML") {
    const res = minimiseGuarded(prob.cssObjective, init, options);
    if (res.convergence === 0) init.set(res.par);
    if (counts.p > 0 && !rootsOutside(init.subarray(0, counts.p), -1, 1)) throw new ArimaFitError("non-stationary AR part from CSS");
    const sarFrom = counts.p + counts.q;
    if (counts.P > 0 && !rootsOutside(init.subarray(sarFrom, sarFrom + counts.P), -1, 1)) throw new ArimaFitError("non-stationary seasonal AR part from CSS");
  }

  // Exact likelihood over transformed parameters.
  if (counts.p > 0) arToPacf(init, init, 0, counts.p);
  if (counts.P > 0) arToPacf(init, init, counts.p + counts.q, counts.P);
  invertMaBlocks(init, counts);
  const objective = prob.mlObjective(true);
  let res = minimiseGuarded(objective, init, options);
  const coefRaw = Float64Array.from(res.par);
  invertMaBlocks(coefRaw, counts);
  if (coefRaw.some((v, i) => v !== res.par[i])) {
    // The MA part moved to its invertible form: the Hessian is taken there (R: optim, maxit 0).
    res = { ...res, par: coefRaw, value: objective(coefRaw) };
  }
  const optimum = res.par;
  const varianceOk = once(() => varianceDiagonalOk(hessianGuarded(objective, optimum, options), npar, prob.nUsed, transformJacobian(optimum, counts, npar)));
  // Back to AR coefficients.
  const coefVector = Float64Array.from(res.par);
  const work = new Float64Array(Math.max(counts.p, counts.P, 1));
  if (counts.p > 0) pacfToAr(res.par, coefVector, 0, counts.p, work);
  if (counts.P > 0) pacfToAr(res.par, coefVector, counts.p + counts.q, counts.P, work);
  const evaluated = evaluateFixed(prob, coefVector, method === "ML" ? "ML" : "CSS-ML", npar);
  return { ...evaluated, varianceOk };
}

/** Likelihood and statistics at given coefficients (R's arima with every coefficient fixed). */
function evaluateFixed(prob: Problem, coef: Float64Array, method: ArimaMethod, estimated: number): ModelFit {
  const { spec, nreg, narma } = prob;
  prob.expand(coef, false);
  const model = makeStateSpace(Float64Array.from(prob.phi), Float64Array.from(prob.theta), prob.delta);
  if (!model) throw new ArimaFitError("the AR part is not stationary");
  const series = prob.undifferencedNet(nreg ? coef[narma] : 0);
  const residuals = new Float64Array(series.length);
  const sums = filterDiffuse(series, model, residuals);
  const fval = 0.5 * (Math.log(sums.ssq / sums.nu) + sums.sumlog / sums.nu);
  const value = 2 * prob.nUsed * fval + prob.nUsed + prob.nUsed * Math.log(2 * Math.PI);
  let ssr = 0;
  for (const e of residuals) ssr += e * e;
  const fit = statistics(spec, splitCoefficients(coef, spec, nreg), prob.nUsed, estimated, method, -0.5 * value, ssr, true);
  return { fit, cssSigma2: null, exactSigma2: sums.ssq / prob.nUsed, varianceOk: () => true };
}

/** forecast::Arima's statistics from the log-likelihood and the residuals' sum of squares. */
function statistics(
  spec: ArimaSpec,
  coef: ArimaCoefficients,
  nUsed: number,
  estimated: number,
  method: ArimaMethod,
  loglik: number,
  ssr: number,
  exact: boolean,
): ArimaFit {
  const npar = estimated + 1;
  const aic = exact && Number.isFinite(loglik) ? -2 * loglik + 2 * npar : null;
  const aicc = aic === null ? null : aic + (2 * npar * (npar + 1)) / (nUsed - npar - 1);
  const bic = aic === null ? null : aic + npar * (Math.log(nUsed) - 2);
  return {
    family: "arima",
    spec: { ...spec },
    coef,
    sigma2: ssr / (nUsed - npar + 1),
    loglik: exact && Number.isFinite(loglik) ? loglik : null,
    aic,
    aicc: aicc !== null && Number.isFinite(aicc) ? aicc : null,
    bic,
    nobs: nUsed,
    method,
    constantSeries: false,
    search: null,
  };
}

/** fn's result, computed on the first call only. */
function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}

function minimiseGuarded(fn: (x: Float64Array) => number, x0: Float64Array, options: OptimOptions) {
  try {
    return minimiseBfgs(fn, x0, options);
  } catch (error) {
    if (error instanceof OptimError) throw new ArimaFitError(error.message);
    throw error;
  }
}

function hessianGuarded(fn: (x: Float64Array) => number, x: Float64Array, options: OptimOptions): Float64Array {
  try {
    return numericHessian(fn, x, options);
  } catch (error) {
    if (error instanceof OptimError) throw new ArimaFitError(error.message);
    throw error;
  }
}

/**
 * Whether every diagonal entry of the coefficient covariance, A' (n H)^-1 A (A the Jacobian of
 * the parameter transform, identity when null), is non-negative. A Hessian R's solve() refuses
 * fails the whole fit, as in R.
 */
function varianceDiagonalOk(H: Float64Array, n: number, nUsed: number, A: Float64Array | null): boolean {
  if (n === 0) return true;
  const scaled = H.map((v) => v * nUsed);
  const inv = invertLikeR(scaled, n);
  if (!inv) throw new ArimaFitError("the Hessian of the likelihood is singular");
  for (let k = 0; k < n; k++) {
    let v = 0;
    if (A) {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v += A[i * n + k] * inv[i * n + j] * A[j * n + k];
    } else {
      v = inv[k * n + k];
    }
    if (!(v >= 0)) return false;
  }
  return true;
}

/** Numerical Jacobian (eps 1e-3, as R's ARIMA_Gradtrans) of the pacf map at raw parameters; row-major. */
function transformJacobian(raw: Float64Array, counts: ArmaCounts, n: number): Float64Array {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) A[i * n + i] = 1;
  const eps = 1e-3;
  const block = (from: number, len: number) => {
    if (len === 0) return;
    const w1 = Array.from(raw.subarray(from, from + len));
    const base = new Float64Array(len);
    const moved = new Float64Array(len);
    const work = new Float64Array(len);
    pacfToAr(w1, base, 0, len, work);
    for (let i = 0; i < len; i++) {
      w1[i] += eps;
      pacfToAr(w1, moved, 0, len, work);
      for (let j = 0; j < len; j++) A[(from + i) * n + from + j] = (moved[j] - base[j]) / eps;
      w1[i] -= eps;
    }
  };
  block(0, counts.p);
  block(counts.p + counts.q, counts.P);
  return A;
}

function invertMaBlocks(par: Float64Array, counts: ArmaCounts): void {
  if (counts.q > 0) par.set(invertMa(par.subarray(counts.p, counts.p + counts.q)), counts.p);
  const smaFrom = counts.p + counts.q + counts.P;
  if (counts.Q > 0) par.set(invertMa(par.subarray(smaFrom, smaFrom + counts.Q)), smaFrom);
}

/** Least squares through the origin of y on one regressor: coefficient and its standard error. */
function leastSquares(y: Float64Array, x: Float64Array): { beta: number; se: number } | null {
  if (y.length < 2) return null;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < y.length; t++) {
    sxx += x[t] * x[t];
    sxy += x[t] * y[t];
  }
  if (sxx === 0) return null;
  const beta = sxy / sxx;
  let rss = 0;
  for (let t = 0; t < y.length; t++) rss += (y[t] - beta * x[t]) ** 2;
  return { beta, se: Math.sqrt(rss / (y.length - 1) / sxx) };
}

/** The parameter vector [ar, ma, sar, sma, beta] of named coefficients. */
function coefficientVector(c: ArimaCoefficients, spec: ArimaSpec, nreg: number): Float64Array {
  const checkLength = (name: string, values: number[], expected: number) => {
    if (values.length !== expected) throw new RangeError(`fixed.${name} has ${values.length} values but the model has ${expected}; give one per coefficient.`);
  };
  checkLength("ar", c.ar, spec.p);
  checkLength("ma", c.ma, spec.q);
  checkLength("sar", c.sar, spec.P);
  checkLength("sma", c.sma, spec.Q);
  const beta = nreg ? ((spec.d + spec.D === 0 ? c.intercept : c.drift) ?? 0) : null;
  return Float64Array.from([...c.ar, ...c.ma, ...c.sar, ...c.sma, ...(beta === null ? [] : [beta])]);
}

function splitCoefficients(par: ArrayLike<number>, spec: ArimaSpec, nreg: number): ArimaCoefficients {
  const v = Array.from(par);
  let at = 0;
  const take = (k: number) => v.slice(at, (at += k));
  const ar = take(spec.p);
  const ma = take(spec.q);
  const sar = take(spec.P);
  const sma = take(spec.Q);
  const beta = nreg ? v[at] : null;
  const differenced = spec.d + spec.D > 0;
  return { ar, ma, sar, sma, intercept: differenced ? null : beta, drift: differenced ? beta : null };
}

/** Expanded AR and MA polynomials of a fit's coefficients (for root checks and forecasting). */
export function expandedPolynomials(fit: ArimaFit): { phi: Float64Array; theta: Float64Array } {
  const { spec, coef } = fit;
  const phi = new Float64Array(spec.p + spec.period * spec.P);
  const theta = new Float64Array(spec.q + spec.period * spec.Q);
  expandArma([...coef.ar, ...coef.ma, ...coef.sar, ...coef.sma], { ...spec }, phi, theta);
  return { phi, theta };
}
