// Fits one ETS model by maximum likelihood as R's forecast:::etsmodel does: parameters and
// initial states together, by Nelder–Mead from R's starting values, inside the usual and
// admissible bounds; then the fit statistics (loglik, AIC, AICc, BIC) of the optimum.
import { admissibleWorkspace, parametersAllowed, USUAL_LOWER, USUAL_UPPER } from "./admissible.js";
import { initialStates } from "./initial-states.js";
import { NelderMead } from "./nelder-mead.js";
import { ADDITIVE, etsCriterion, MULTIPLICATIVE, NONE, type EtsShape } from "./recursions.js";
import type { EtsComponents } from "./spec.js";

/** One fitted ETS model (plain data: it is saved as JSON). */
export interface EtsModelFit {
  components: EtsComponents;
  /** The period the recursions use: the options' period for seasonal models, else 1. */
  m: number;
  alpha: number;
  /** Present only for models with a trend / a season / damping; JSON has no undefined. */
  beta: number | null;
  gamma: number | null;
  phi: number | null;
  /** The states before the first value, R's layout [l, b?, s_1 .. s_m]. */
  initial_states: number[];
  /** R's loglik: −0.5 · (n·log Σe² + 2 Σ log|ŷ| for multiplicative errors); null for the
   *  fallbacks that are not fitted by likelihood (Holt–Winters, constant series). */
  loglik: number | null;
  aic: number | null;
  aicc: number | null;
  bic: number | null;
  /** Σe² / (n − number of parameters and free initial states), as R's sigma2. */
  sigma2: number;
  /** How many values the model was fitted on. */
  n: number;
  /** Objective evaluations the optimiser used (for benchmarks). */
  evaluations: number;
}

export function shapeOf(c: EtsComponents, m: number): EtsShape {
  return {
    error: c.error === "A" ? ADDITIVE : MULTIPLICATIVE,
    trend: c.trend === "N" ? NONE : ADDITIVE,
    season: c.season === "N" ? NONE : c.season === "A" ? ADDITIVE : MULTIPLICATIVE,
    m: c.season === "N" ? 1 : m,
  };
}

/** R's initparam for bounds = "both" with nothing fixed: where the optimiser starts. */
function startingParameters(c: EtsComponents, m: number): number[] {
  const lo = USUAL_LOWER;
  const hi = USUAL_UPPER;
  const par: number[] = [];
  let alpha = lo.alpha + (0.2 * (hi.alpha - lo.alpha)) / m;
  if (alpha > 1 || alpha < 0) alpha = lo.alpha + 0.002;
  par.push(alpha);
  if (c.trend !== "N") {
    const upper = Math.min(hi.beta, alpha);
    let beta = lo.beta + 0.1 * (upper - lo.beta);
    if (beta < 0 || beta > alpha) beta = alpha - 0.001;
    par.push(beta);
  }
  if (c.season !== "N") {
    const upper = Math.min(hi.gamma, 1 - alpha);
    let gamma = lo.gamma + 0.05 * (upper - lo.gamma);
    if (gamma < 0 || gamma > 1 - alpha) gamma = 1 - alpha - 0.001;
    par.push(gamma);
  }
  if (c.damped) {
    let phi = lo.phi + 0.99 * (hi.phi - lo.phi);
    if (phi < 0 || phi > 1) phi = hi.phi - 0.001;
    par.push(phi);
  }
  return par;
}

/**
 * The objective the optimiser sees: the vector [α, β?, γ?, φ?, l, b?, s_1 .. s_{m−1}] maps to
 * R's likelihood criterion, or Infinity outside the allowed region. Made once per model fit;
 * each call allocates nothing.
 */
export function makeObjective(y: Float64Array, c: EtsComponents, m: number): (par: Float64Array) => number {
  const shape = shapeOf(c, m);
  const period = shape.m;
  const hasTrend = c.trend !== "N";
  const seasonal = c.season !== "N";
  const nParams = 1 + (hasTrend ? 1 : 0) + (seasonal ? 1 : 0) + (c.damped ? 1 : 0);
  const nStates = 1 + (hasTrend ? 1 : 0) + (seasonal ? period : 0);
  const seasonStart = hasTrend ? 2 : 1;
  const x0 = new Float64Array(nStates);
  const ring = new Float64Array(period);
  const work = admissibleWorkspace(period);
  const params = { alpha: 0, beta: 0, gamma: 0, phi: 1 };
  const n = y.length;
  return (par: Float64Array): number => {
    let j = 0;
    const alpha = par[j++];
    const beta = hasTrend ? par[j++] : 0;
    const gamma = seasonal ? par[j++] : 0;
    // eslint-disable-next-line no-useless-assignment -- the last j++ keeps the parameter reads uniform
    const phi = c.damped ? par[j++] : 1;
    if (!parametersAllowed(alpha, beta, gamma, phi, hasTrend, c.damped, seasonal, period, work)) return Infinity;
    // free states, then the last seasonal state that makes them sum to 0 (additive) or m
    let sum = 0;
    for (let k = 0; k < nStates - (seasonal ? 1 : 0); k++) {
      const v = par[nParams + k];
      x0[k] = v;
      if (k >= seasonStart) sum += v;
    }
    if (seasonal) {
      x0[nStates - 1] = (c.season === "M" ? period : 0) - sum;
      if (c.season === "M") {
        for (let k = seasonStart; k < nStates; k++) if (x0[k] < 0) return Infinity;
      }
    }
    params.alpha = alpha;
    params.beta = beta;
    params.gamma = gamma;
    params.phi = phi;
    let lik = etsCriterion(y, n, shape, params, x0, ring, null, null);
    if (lik < -1e10) lik = -1e10; // R avoids perfect fits this way
    return Number.isNaN(lik) ? Infinity : lik;
  };
}

/** The R information criteria of a criterion value with k estimated quantities (+1 for σ²). */
export function informationCriteria(lik: number, freeCount: number, n: number): { aic: number; aicc: number; bic: number } {
  const np = freeCount + 1;
  const aic = lik + 2 * np;
  return { aic, aicc: aic + (2 * np * (np + 1)) / (n - np - 1), bic: lik + Math.log(n) * np };
}

/**
 * Fits ETS(c) to y with period m (ignored without a season). Undefined when R's etsmodel would
 * give up: more quantities to estimate than values allow, or no finite likelihood at the start.
 */
export function fitEtsModel(y: Float64Array, c: EtsComponents, m: number): EtsModelFit | undefined {
  const shape = shapeOf(c, m);
  const period = shape.m;
  const n = y.length;
  const start = startingParameters(c, period);
  const states = initialStates(y, c.trend, c.season, period);
  const nParams = start.length;
  const total = nParams + states.length;
  if (total >= n - 1) return undefined;
  const x = new Float64Array(total);
  x.set(start, 0);
  x.set(states, nParams);
  const objective = makeObjective(y, c, period);
  const result = new NelderMead(total).minimise(objective, x);
  if (!Number.isFinite(result.value)) return undefined;
  const best = Float64Array.from(result.x);
  let j = 0;
  const alpha = best[j++];
  const beta = c.trend !== "N" ? best[j++] : null;
  const gamma = c.season !== "N" ? best[j++] : null;
  // eslint-disable-next-line no-useless-assignment -- the last j++ keeps the parameter reads uniform
  const phi = c.damped ? best[j++] : null;
  const initial = Array.from(best.subarray(nParams));
  if (c.season !== "N") {
    const seasonStart = c.trend === "N" ? 1 : 2;
    let sum = 0;
    for (let k = seasonStart; k < initial.length; k++) sum += initial[k];
    initial.push((c.season === "M" ? period : 0) - sum);
  }
  const sums = new Float64Array(2);
  const lik = etsCriterion(
    y,
    n,
    shape,
    { alpha, beta: beta ?? 0, gamma: gamma ?? 0, phi: phi ?? 1 },
    Float64Array.from(initial),
    new Float64Array(period),
    null,
    sums,
  );
  if (!Number.isFinite(lik)) return undefined;
  const criteria = informationCriteria(lik, total, n);
  return {
    components: { ...c },
    m: period,
    alpha,
    beta,
    gamma,
    phi,
    initial_states: initial,
    loglik: -0.5 * lik,
    ...criteria,
    sigma2: sums[0] / (n - total),
    n,
    evaluations: result.evaluations,
  };
}
