// R's fallback for series too short to estimate an ETS model's initial states (forecast::ets
// hands them to HoltWintersZZ): Holt–Winters smoothing with the classical starting values
// (first value, first difference; first season's mean and values), smoothing parameters in
// [0, 1] chosen by least squares. The same recursions as ETS once β is rescaled (ETS β = α·β of
// Holt–Winters), so the result is returned as ETS parameters and initial states and forecasts
// like any ETS fit. R's optimiser here is L-BFGS-B; this one is Nelder–Mead on the same box.
import { NelderMead } from "./nelder-mead.js";
import { ADDITIVE, etsCriterion, MULTIPLICATIVE, NONE } from "./recursions.js";
import type { EtsModelFit } from "./fit-model.js";

export interface HoltWintersRequest {
  trend: boolean;
  season: "N" | "A" | "M";
  /** The series' period (R starts α at 0.2/m even without a season). */
  m: number;
}

/** Undefined when the series is too short for the request's starting values. */
export function fitHoltWinters(y: Float64Array, req: HoltWintersRequest): EtsModelFit | undefined {
  const n = y.length;
  const seasonal = req.season !== "N";
  const m = seasonal ? req.m : 1;
  if (seasonal && n < 2 * m) return undefined;
  if (req.trend && !seasonal && n < 2) return undefined;
  if (req.season === "M" && y.some((v) => v <= 0)) return undefined;
  // starting states, R's layout [l, b?, s_1 .. s_m] (s_m applies to the first value)
  const states: number[] = [];
  if (!seasonal) {
    states.push(y[0]);
    if (req.trend) states.push(y[1] - y[0]);
  } else {
    let first = 0;
    let second = 0;
    for (let i = 0; i < m; i++) {
      first += y[i] / m;
      second += y[m + i] / m;
    }
    states.push(first, (second - first) / m);
    for (let k = m - 1; k >= 0; k--) states.push(req.season === "A" ? y[k] - first : y[k] / first);
  }
  const trend = req.trend || seasonal;
  const shape = {
    error: ADDITIVE,
    trend: trend ? ADDITIVE : NONE,
    season: req.season === "N" ? NONE : req.season === "A" ? ADDITIVE : MULTIPLICATIVE,
    m,
  };
  const x0 = Float64Array.from(states);
  const ring = new Float64Array(m);
  const sums = new Float64Array(2);
  const params = { alpha: 0, beta: 0, gamma: 0, phi: 1 };
  const setParams = (p: Float64Array): boolean => {
    for (let i = 0; i < p.length; i++) if (!(p[i] >= 0 && p[i] <= 1)) return false;
    params.alpha = p[0];
    params.beta = trend ? p[0] * p[1] : 0;
    params.gamma = seasonal ? p[trend ? 2 : 1] : 0;
    return true;
  };
  const sse = (p: Float64Array): number => {
    if (!setParams(p)) return Infinity;
    etsCriterion(y, n, shape, params, x0, ring, null, sums);
    return sums[0];
  };
  const alpha0 = 0.2 / req.m;
  const start = [alpha0];
  if (trend) start.push(0.1 * Math.min(1, alpha0));
  if (seasonal) start.push(0.05 * (1 - alpha0));
  const result = new NelderMead(start.length).minimise(sse, Float64Array.from(start));
  if (!Number.isFinite(result.value)) return undefined;
  setParams(result.x);
  return {
    components: { error: req.season === "M" ? "M" : "A", trend: trend ? "A" : "N", season: req.season, damped: false },
    m,
    alpha: params.alpha,
    beta: trend ? params.beta : null,
    gamma: seasonal ? params.gamma : null,
    phi: null,
    initial_states: states,
    loglik: null,
    aic: null,
    aicc: null,
    bic: null,
    // R's HoltWintersZZ: the mean squared one-step error
    sigma2: result.value / n,
    n,
    evaluations: result.evaluations,
  };
}
