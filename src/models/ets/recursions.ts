// The ETS state-space recursions of Hyndman, Koehler, Ord & Snyder (2008), with the numeric
// guards of R's forecast package (etscalc): one pass over y from the initial states gives the
// one-step errors and the likelihood criterion the optimiser minimises, and the last states that
// forecasts start from. This is the hot loop of a fit (it runs thousands of times), so it takes
// numbers and typed arrays the caller owns and allocates nothing.
//
// States are laid out as R lays them: [l, b?, s_1 .. s_m], s_1 the most recent seasonal state
// and s_m the one that applies to the next period.

/** Component codes for the loop (numbers, not strings, in the hot path). */
export const NONE = 0;
export const ADDITIVE = 1;
export const MULTIPLICATIVE = 2;

/** etscalc's guards: a divisor this close to zero is replaced by HUGE instead of dividing. */
const TOL = 1e-10;
const HUGE = 1e10;

/** The model's shape as the loop wants it. */
export interface EtsShape {
  /** ADDITIVE or MULTIPLICATIVE error. */
  error: number;
  /** NONE or ADDITIVE trend. */
  trend: number;
  /** NONE, ADDITIVE or MULTIPLICATIVE season. */
  season: number;
  /** The seasonal period used by the recursions (1 when there is no season). */
  m: number;
}

/** Smoothing parameters; beta, gamma ignored without trend/season; phi = 1 when undamped. */
export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/**
 * Runs the recursions over y[0..n) from the states x0 (R's layout, length 1 + trend + m·season)
 * and returns R's likelihood criterion  n·log(Σe²) + 2·Σlog|ŷ| (the last term for multiplicative
 * errors only), where e is the one-step error (relative for multiplicative errors). -2·loglik of
 * R equals this value. NaN when a forecast is not a number.
 *
 * ring: workspace of at least m values. last: when given (length of x0), receives the states
 * after the last period. sums: when given, receives [Σe², Σlog|ŷ|].
 */
export function etsCriterion(
  y: Float64Array,
  n: number,
  shape: EtsShape,
  p: EtsParams,
  x0: Float64Array,
  ring: Float64Array,
  last: Float64Array | null,
  sums: Float64Array | null,
): number {
  const { error, trend, season } = shape;
  const m = season === NONE ? 1 : shape.m;
  const { alpha, beta, gamma, phi } = p;
  const betaOverAlpha = beta / alpha;
  let l = x0[0];
  let b = trend === NONE ? 0 : x0[1];
  const seasonStart = trend === NONE ? 1 : 2;
  // ring[k] holds R's s_{m-k}: ring[pos] is the seasonal state of the current period, and its
  // update replaces it in place (the oldest leaves exactly where the newest enters).
  if (season !== NONE) for (let k = 0; k < m; k++) ring[k] = x0[seasonStart + m - 1 - k];
  let pos = 0;
  let sse = 0;
  let sumLogF = 0;
  let product = 1;
  const multiplicative = error === MULTIPLICATIVE || sums !== null;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    const phib = trend === NONE ? 0 : phi * b;
    const q = l + phib; // level forecast without season
    const s = season === NONE ? 0 : ring[pos];
    const f = season === NONE ? q : season === ADDITIVE ? q + s : q * s;
    const e = error === ADDITIVE ? yi - f : (yi - f) / f;
    sse += e * e;
    // Σlog|ŷ| as the log of running products: one log per ~100 values instead of one each
    if (multiplicative) {
      product *= Math.abs(f);
      if (product > 1e150 || product < 1e-150) {
        sumLogF += Math.log(product);
        product = 1;
      }
    }
    // new level
    let target: number;
    if (season === NONE) target = yi;
    else if (season === ADDITIVE) target = yi - s;
    else target = Math.abs(s) < TOL ? HUGE : yi / s;
    const newL = q + alpha * (target - q);
    // new growth: b = phi·b + (beta/alpha)·(l_new − l_old − phi·b)
    if (trend !== NONE) b = phib + betaOverAlpha * (newL - l - phib);
    // new season
    if (season !== NONE) {
      let t: number;
      if (season === ADDITIVE) t = yi - q;
      else t = Math.abs(q) < TOL ? HUGE : yi / q;
      ring[pos] = s + gamma * (t - s);
      pos = pos + 1 === m ? 0 : pos + 1;
    }
    l = newL;
  }
  sumLogF += Math.log(product);
  if (last !== null) {
    last[0] = l;
    if (trend !== NONE) last[1] = b;
    // the state of period n (the newest) is s_1; the one that applies next is s_m = ring[pos]
    if (season !== NONE) for (let k = 0; k < m; k++) last[seasonStart + k] = ring[(pos - 1 - k + 2 * m) % m];
  }
  if (sums !== null) {
    sums[0] = sse;
    sums[1] = sumLogF;
  }
  let lik = n * Math.log(sse);
  if (error === MULTIPLICATIVE) lik += 2 * sumLogF;
  return lik;
}

/**
 * Point forecasts h periods ahead from the states `state` (R's layout): l + (φ + … + φ^k)·b,
 * plus or times the seasonal state of that period. Writes into out[0..h).
 */
export function etsPointForecast(state: Float64Array, shape: EtsShape, phi: number, h: number, out: Float64Array): void {
  const { trend, season } = shape;
  const m = season === NONE ? 1 : shape.m;
  const l = state[0];
  const b = trend === NONE ? 0 : state[1];
  const seasonStart = trend === NONE ? 1 : 2;
  let phiSum = 0;
  let phiPower = 1;
  for (let k = 0; k < h; k++) {
    phiPower *= phi;
    phiSum += phiPower;
    let f = trend === NONE ? l : l + phiSum * b;
    // period n+1+k uses s_{m - (k mod m)}
    if (season !== NONE) {
      const s = state[seasonStart + m - 1 - (k % m)];
      f = season === ADDITIVE ? f + s : f * s;
    }
    out[k] = f;
  }
}
