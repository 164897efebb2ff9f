/**
 * Automatic ARIMA order selection as R's forecast::auto.arima (Hyndman & Khandakar 2008) does
 * it with its defaults: differencing orders from unit-root tests (unit-root.ts), then a stepwise
 * search from four start models through neighbouring orders (each of p, q, P, Q one up or
 * down, pairs moved together, the constant toggled), keeping a move as soon as it lowers the
 * information criterion. For long series (more than 150 values) or long periods (above 12) the
 * search compares models by the conditional-sum-of-squares approximation, offset so that its
 * AIC is comparable with the exact one, then refits the best models by exact likelihood in
 * order until one succeeds. A model whose fit fails, whose roots come within 1.01 of the unit
 * circle, or whose coefficient variances are not all positive is never chosen.
 */

import { ModelInputError } from "../errors.js";
import { ArimaFitError, expandedPolynomials, fitModel, type ModelFit } from "./fit-model.js";
import { difference, rootsOutside } from "./polynomials.js";
import type { ArimaFit, ArimaOptions, ArimaSearchTrace, ArimaSpec } from "./types.js";
import { isConstant, ndiffs, nsdiffs } from "./unit-root.js";

interface Tried {
  spec: ArimaSpec;
  ic: number;
  model: ModelFit | null;
}

/** auto.arima on y with R's defaults unless options say otherwise. */
export function autoArima(y: Float64Array, options: ArimaOptions): ArimaFit {
  const n = y.length;
  const trace: ArimaSearchTrace = { kpssStatistics: [], seasonalStrength: [], approximation: false, tried: [] };
  const m = Math.max(1, Math.round(options.period));

  if (isConstant(y)) return constantFit(y, m, trace);

  let ic = options.ic ?? "aicc";
  let maxp = Math.min(options.maxP ?? 5, Math.floor(n / 3));
  let maxq = Math.min(options.maxQ ?? 5, Math.floor(n / 3));
  let maxSP = Math.min(options.maxSeasonalP ?? 2, Math.floor(n / 3 / m));
  let maxSQ = Math.min(options.maxSeasonalQ ?? 2, Math.floor(n / 3 / m));
  // maxOrder bounds only R's non-stepwise search; the stepwise search (the one here) ignores it.
  if (n <= 3) ic = "aic";

  // Differencing.
  let D = options.D ?? null;
  if (m === 1) {
    D = 0;
    maxSP = 0;
    maxSQ = 0;
  } else if (D === null && n <= 2 * m) {
    D = 0;
  } else if (D === null) {
    const tested = nsdiffs(y, m, options.seasonalStrengthThreshold ?? 0.64, options.maxSeasonalD ?? 1);
    D = tested.D;
    trace.seasonalStrength = tested.strengths;
  }
  let dx: Float64Array = D > 0 ? difference(y, 0, D, m) : Float64Array.from(y);
  let d = options.d ?? null;
  if (d === null) {
    const tested = ndiffs(dx, options.alpha ?? 0.05, options.maxD ?? 2);
    d = tested.d;
    trace.kpssStatistics = tested.statistics;
  }
  if (d > 0) dx = difference(dx, d, 0, 1);
  if (dx.length === 0) {
    throw new ModelInputError(`ARIMA: ${n} values are not enough after ${d} difference(s) and ${D} seasonal one(s); give a longer history.`);
  }
  if (isConstant(dx)) return differencedConstantFit(y, d, D, m, dx, trace);

  if (m > 1) {
    if (maxSP > 0) maxp = Math.min(maxp, m - 1);
    if (maxSQ > 0) maxq = Math.min(maxq, m - 1);
  }

  const approximation = options.approximation ?? (n > 150 || m > 12);
  trace.approximation = approximation;
  let offset = 0;
  if (approximation) {
    // The CSS criterion is shifted by the exact fit of the differencing-only model, so that
    // approximate and exact criteria sit on one scale (as auto.arima).
    try {
      const base = fitModel(y, { p: 0, d, q: 0, P: 0, D, Q: 0, period: m, constant: true }, "CSS-ML");
      if (base.fit.loglik !== null && base.exactSigma2 !== null) offset = -2 * base.fit.loglik - n * Math.log(base.exactSigma2);
    } catch (error) {
      if (!(error instanceof ArimaFitError)) throw error;
    }
  }

  const allowDrift = (options.allowDrift ?? true) && d + D === 1;
  const allowMean = (options.allowMean ?? true) && d + D === 0;
  let constant = allowDrift || allowMean;
  const maxModels = options.maxModels ?? 94;
  const tried: Tried[] = [];
  const [dFinal, DFinal] = [d, D];
  const fitOne = (p: number, q: number, P: number, Q: number, withConstant: boolean, approx: boolean): Tried => {
    const spec: ArimaSpec = { p, d: dFinal, q, P, D: DFinal, Q, period: m, constant: withConstant };
    return { spec, ...scoreModel(y, spec, ic, approx, offset) };
  };
  const isNew = (p: number, q: number, P: number, Q: number, c: boolean) =>
    !tried.some((t) => t.spec.p === p && t.spec.q === q && t.spec.P === P && t.spec.Q === Q && t.spec.constant === c);

  let startP = 2;
  let startQ = 2;
  let startSP = 1;
  let startSQ = 1;
  if (n < 10) {
    startP = Math.min(startP, 1);
    startQ = Math.min(startQ, 1);
    startSP = 0;
    startSQ = 0;
  }
  let p = Math.min(startP, maxp);
  let q = Math.min(startQ, maxq);
  let P = Math.min(startSP, maxSP);
  let Q = Math.min(startSQ, maxSQ);

  let best = fitOne(p, q, P, Q, constant, approximation);
  tried.push(best);
  const consider = (fit: Tried): boolean => {
    tried.push(fit);
    if (fit.ic < best.ic) {
      best = fit;
      return true;
    }
    return false;
  };
  if (consider(fitOne(0, 0, 0, 0, constant, approximation))) p = q = P = Q = 0;
  if (maxp > 0 || maxSP > 0) {
    const np = maxp > 0 ? 1 : 0;
    const nP = m > 1 && maxSP > 0 ? 1 : 0;
    if (consider(fitOne(np, 0, nP, 0, constant, approximation))) {
      p = np;
      P = nP;
      q = Q = 0;
    }
  }
  if (maxq > 0 || maxSQ > 0) {
    const nq = maxq > 0 ? 1 : 0;
    const nQ = m > 1 && maxSQ > 0 ? 1 : 0;
    if (consider(fitOne(0, nq, 0, nQ, constant, approximation))) {
      p = P = 0;
      Q = nQ;
      q = nq;
    }
  }
  if (constant) {
    if (consider(fitOne(0, 0, 0, 0, false, approximation))) p = q = P = Q = 0;
  }

  // Neighbours in R's order; the first improvement restarts the scan from the new model.
  const moves: [number, number, number, number][] = [
    [0, 0, -1, 0],
    [0, 0, 0, -1],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
    [0, 0, -1, -1],
    [0, 0, -1, 1],
    [0, 0, 1, -1],
    [0, 0, 1, 1],
    [-1, 0, 0, 0],
    [0, -1, 0, 0],
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [-1, -1, 0, 0],
    [-1, 1, 0, 0],
    [1, -1, 0, 0],
    [1, 1, 0, 0],
  ];
  let k = tried.length;
  let startk = 0;
  while (startk < k && k < maxModels) {
    startk = k;
    let improved = false;
    for (const [dp, dq, dP, dQ] of moves) {
      const np = p + dp;
      const nq = q + dq;
      const nP = P + dP;
      const nQ = Q + dQ;
      if (np < 0 || nq < 0 || nP < 0 || nQ < 0 || np > maxp || nq > maxq || nP > maxSP || nQ > maxSQ) continue;
      if (!isNew(np, nq, nP, nQ, constant)) continue;
      k++;
      if (k > maxModels) break;
      if (consider(fitOne(np, nq, nP, nQ, constant, approximation))) {
        p = np;
        q = nq;
        P = nP;
        Q = nQ;
        improved = true;
        break;
      }
    }
    if (improved || k > maxModels) continue;
    if (allowDrift || allowMean) {
      if (isNew(p, q, P, Q, !constant)) {
        k++;
        if (k > maxModels) continue;
        if (consider(fitOne(p, q, P, Q, !constant, approximation))) constant = !constant;
      }
    }
  }

  let chosen: Tried | null = best.ic < Infinity ? best : null;
  if (approximation && best.model) {
    // Refit by exact likelihood, best approximate criterion first, until one succeeds.
    chosen = null;
    const order = tried.map((t, i) => ({ t, i })).sort((a, b) => (a.t.ic === b.t.ic ? a.i - b.i : a.t.ic < b.t.ic ? -1 : 1));
    for (const { t } of order) {
      const exact = fitOne(t.spec.p, t.spec.q, t.spec.P, t.spec.Q, t.spec.constant, false);
      if (exact.ic < Infinity) {
        chosen = exact;
        break;
      }
    }
  }
  trace.tried = tried.map((t) => ({ spec: t.spec, ic: Number.isFinite(t.ic) ? t.ic : null }));
  if (!chosen || !chosen.model) return fallbackFit(y, d, D, m, allowDrift || allowMean, trace);
  return { ...chosen.model.fit, search: trace };
}

/** forecast's myarima: fit, criterion, and the checks that rule a model out. */
function scoreModel(
  y: Float64Array,
  spec: ArimaSpec,
  ic: "aicc" | "aic" | "bic",
  approximation: boolean,
  offset: number,
): { ic: number; model: ModelFit | null } {
  let model: ModelFit;
  try {
    model = fitModel(y, spec, approximation ? "CSS" : "CSS-ML");
  } catch (error) {
    if (error instanceof ArimaFitError) return { ic: Infinity, model: null };
    throw error;
  }
  const fit = model.fit;
  const nstar = fit.nobs;
  const npar = spec.p + spec.q + spec.P + spec.Q + (spec.constant && spec.d + spec.D <= 1 ? 1 : 0) + 1;
  let aic: number | null = fit.aic;
  if (approximation) aic = model.cssSigma2 !== null ? offset + nstar * Math.log(model.cssSigma2) + 2 * npar : null;
  if (aic === null || !Number.isFinite(aic)) return { ic: Infinity, model };
  const criteria = {
    aic,
    bic: aic + npar * (Math.log(nstar) - 2),
    aicc: aic + (2 * npar * (npar + 1)) / (nstar - npar - 1),
  };
  let value = criteria[ic];
  if (Number.isNaN(value)) value = Infinity;
  const { phi, theta } = expandedPolynomials(fit);
  if (spec.p + spec.P > 0 && !rootsOutside(phi, -1, 1.01)) value = Infinity;
  if (spec.q + spec.Q > 0 && value < Infinity && !rootsOutside(theta, 1, 1.01)) value = Infinity;
  // Last, as it needs the Hessian: only a model that passed everything else pays for it.
  if (value < Infinity) {
    try {
      if (!model.varianceOk()) value = Infinity;
    } catch (error) {
      if (!(error instanceof ArimaFitError)) throw error;
      return { ic: Infinity, model: null };
    }
  }
  if (approximation) {
    model = { ...model, fit: { ...fit, aic, aicc: criteria.aicc, bic: criteria.bic } };
  }
  return { ic: value, model };
}

/** A constant series: its value is the forecast (R: ARIMA(0,0,0) with the mean fixed). */
function constantFit(y: Float64Array, m: number, trace: ArimaSearchTrace): ArimaFit {
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  return {
    family: "arima",
    spec: { p: 0, d: 0, q: 0, P: 0, D: 0, Q: 0, period: m, constant: true },
    coef: { ar: [], ma: [], sar: [], sma: [], intercept: mean, drift: null },
    sigma2: 0,
    loglik: null,
    aic: null,
    aicc: null,
    bic: null,
    nobs: y.length,
    method: "CSS-ML",
    constantSeries: true,
    search: trace,
  };
}

/** The differenced series is constant: a pure differencing model, as auto.arima picks it. */
function differencedConstantFit(y: Float64Array, d: number, D: number, m: number, dx: Float64Array, trace: ArimaSearchTrace): ArimaFit {
  let mean = 0;
  for (const v of dx) mean += v;
  mean /= dx.length;
  const spec: ArimaSpec = { p: 0, d, q: 0, P: 0, D, Q: 0, period: m, constant: false };
  const empty = { ar: [], ma: [], sar: [], sma: [], intercept: null, drift: null };
  let fit: ArimaFit;
  if (D > 0 && d === 0) {
    fit = fitModel(y, { ...spec, constant: true }, "CSS-ML", { ...empty, drift: mean / m }).fit;
  } else if (D > 0 || d === 2) {
    fit = fitModel(y, spec, "CSS-ML").fit;
  } else if (d < 2) {
    fit = fitModel(y, { ...spec, constant: true }, "CSS-ML", d === 0 ? { ...empty, intercept: mean } : { ...empty, drift: mean }).fit;
  } else {
    throw new ModelInputError("ARIMA: the series follows a simple polynomial and is not suitable for ARIMA modelling; use a trend model.");
  }
  return { ...fit, search: trace };
}

/**
 * No candidate could be fitted (R stops with "No suitable ARIMA model found"): the pure
 * differencing model, with the constant where allowed, so that a forecast is still possible.
 */
function fallbackFit(y: Float64Array, d: number, D: number, m: number, constant: boolean, trace: ArimaSearchTrace): ArimaFit {
  for (const withConstant of constant ? [true, false] : [false]) {
    try {
      const fit = fitModel(y, { p: 0, d, q: 0, P: 0, D, Q: 0, period: m, constant: withConstant }, "CSS-ML").fit;
      return { ...fit, search: trace };
    } catch (error) {
      if (!(error instanceof ArimaFitError)) throw error;
    }
  }
  throw new ModelInputError("ARIMA: no model could be fitted to this series; use a simpler model (naive or mean).");
}
