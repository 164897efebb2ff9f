// Additive Holt-Winters exponential smoothing (level + additive trend + additive season),
// the classic "simple method" every forecasting textbook starts from: if the network cannot
// beat it, the network is not worth its training time.
//
// Recursions (season m, smoothing parameters α, β, γ in [0, 1]), after observing y_t:
//   ŷ_t      = ℓ + b + s[t mod m]                       (one-step forecast made before y_t)
//   ℓ'       = α (y_t − s[t mod m]) + (1 − α)(ℓ + b)
//   b'       = β (ℓ' − ℓ) + (1 − β) b
//   s[t mod m] = γ (y_t − ℓ') + (1 − γ) s[t mod m]
// h steps after the last observation n−1: ŷ_{n−1+h} = ℓ + h·b + s[(n−1+h) mod m].
// Feeding that forecast back in as if it were observed leaves every error at 0, so the
// recursive forecast (what the backtest does for the baselines) equals this direct formula.
//
// Initial state (Hyndman & Athanasopoulos' simple initialisation) from the first two seasons:
//   ℓ = mean(y[0..m)), b = (mean(y[m..2m)) − mean(y[0..m))) / m, s[i] = y[i] − ℓ (i < m),
// then the recursions run from t = m. Since the initial state reads y[0..2m), the first
// forecast that never looks at its own target is the one for t = 2m: a forecast needs 2m
// periods of history.
//
// A training part shorter than two seasons plus one period (e.g. a weekly series under two
// years) gets the non-seasonal Holt linear method instead (ℓ = y[1], b = y[1] − y[0], γ unused,
// 2 periods of history needed), so short series still get a trend-following forecast.
//
// Parameters: by default fit() picks α, β, γ on a small grid (below) by the sum of squared
// one-step in-sample errors over the training part (t ≥ m, or t ≥ 2 without season), ties to
// the first grid point; a grid search is deterministic and cheap (≤ 150 filter passes) where
// a numerical optimiser would add a dependency and starting-point sensitivity. Fixed
// parameters can be passed instead (the tests do, to check values by hand).
//
// These are plain functions of arrays; family.ts makes them a model family.
import { ModelInputError } from "../errors.js";

export interface HoltWintersParameters {
  alpha: number;
  beta: number;
  gamma: number;
}

/** A fitted additive Holt-Winters model: plain JSON. */
export interface HoltWintersFit extends HoltWintersParameters {
  /** The season in use: the one asked for, or 0 when the training part was too short (Holt linear). */
  season: number;
}

export const HOLT_WINTERS_GRID = {
  alpha: [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9],
  beta: [0, 0.01, 0.05, 0.1, 0.2],
  gamma: [0.01, 0.05, 0.1, 0.2, 0.4],
} as const;

/** Fewest training periods a fit takes. */
export const HOLT_WINTERS_MIN_TRAINING = 3;

interface State {
  level: number;
  trend: number;
  /** Seasonal terms indexed by period index mod season (empty without season). */
  seasonal: Float64Array;
}

/**
 * Fits on `trainPart` with season `season` (7 daily, 52 weekly): the seasonal model when the
 * part holds two seasons and one period more, Holt's linear trend otherwise. `fixed` parameters
 * skip the grid search.
 */
export function fitAdditiveHoltWinters(trainPart: Float64Array, season: number, fixed?: HoltWintersParameters): HoltWintersFit {
  if (!Number.isInteger(season) || season < 1) throw new RangeError(`season must be a positive integer (got ${season})`);
  if (fixed) {
    for (const [key, value] of Object.entries(fixed)) {
      if (!(value >= 0 && value <= 1)) throw new RangeError(`Holt-Winters ${key} must be between 0 and 1 (got ${value})`);
    }
  }
  if (trainPart.length < HOLT_WINTERS_MIN_TRAINING) {
    throw new ModelInputError(
      `a holt_winters model needs at least ${HOLT_WINTERS_MIN_TRAINING} training periods (got ${trainPart.length})`,
      "fit it on a longer series",
    );
  }
  checkFinite(trainPart);
  const used = trainPart.length >= 2 * season + 1 ? season : 0;
  const params = fixed ?? gridSearch(trainPart, used);
  return { season: used, alpha: params.alpha, beta: params.beta, gamma: params.gamma };
}

/** Periods of history a forecast of this fit needs: the initial state reads two seasons (or two periods). */
export function holtWintersMinHistory(fit: HoltWintersFit): number {
  return fit.season > 0 ? 2 * fit.season : 2;
}

/** ŷ for the `horizon` periods after `history` (direct formula; equals the recursive forecast). */
export function forecastAdditiveHoltWinters(fit: HoltWintersFit, history: Float64Array, horizon: number): Float64Array {
  const n = history.length;
  if (n < holtWintersMinHistory(fit)) {
    throw new ModelInputError(`a holt_winters forecast needs ${holtWintersMinHistory(fit)} periods of history (got ${n})`, "forecast from a longer history");
  }
  // The history is taken as given (the data pipeline fills gaps): a value that is not a number
  // gives forecasts that are not numbers, which serving refuses and metrics show.
  const state = filter(history, n, fit.season, fit);
  const m = fit.season;
  return Float64Array.from({ length: horizon }, (_, k) => {
    const h = k + 1;
    return state.level + h * state.trend + (m > 0 ? state.seasonal[(n - 1 + h) % m] : 0);
  });
}

function checkFinite(y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]))
      throw new ModelInputError(`Holt-Winters needs finite values; period ${i} is ${y[i]}`, "fill gaps before fitting or forecasting");
  }
}

function gridSearch(trainPart: Float64Array, season: number): HoltWintersParameters {
  let best: HoltWintersParameters = { alpha: HOLT_WINTERS_GRID.alpha[0], beta: HOLT_WINTERS_GRID.beta[0], gamma: HOLT_WINTERS_GRID.gamma[0] };
  let bestSse = Number.POSITIVE_INFINITY;
  const gammas = season > 0 ? HOLT_WINTERS_GRID.gamma : [0];
  for (const alpha of HOLT_WINTERS_GRID.alpha) {
    for (const beta of HOLT_WINTERS_GRID.beta) {
      for (const gamma of gammas) {
        const params = { alpha, beta, gamma };
        const sse = filter(trainPart, trainPart.length, season, params).sse;
        if (sse < bestSse) {
          bestSse = sse;
          best = params;
        }
      }
    }
  }
  return best;
}

/**
 * Runs the recursions over y[0..end) and returns the state after y[end − 1] and the sum of
 * squared one-step errors.
 */
function filter(y: Float64Array, end: number, season: number, { alpha, beta, gamma }: HoltWintersParameters): State & { sse: number } {
  const m = season;
  let level: number;
  let trend: number;
  const seasonal = new Float64Array(m);
  let start: number;
  if (m > 0) {
    let first = 0;
    let second = 0;
    for (let i = 0; i < m; i++) {
      first += y[i];
      second += y[m + i];
    }
    first /= m;
    second /= m;
    level = first;
    trend = (second - first) / m;
    for (let i = 0; i < m; i++) seasonal[i] = y[i] - first;
    start = m;
  } else {
    level = y[1];
    trend = y[1] - y[0];
    start = 2;
  }
  let sse = 0;
  for (let t = start; t < end; t++) {
    const s = m > 0 ? seasonal[t % m] : 0;
    const predicted = level + trend + s;
    const error = y[t] - predicted;
    sse += error * error;
    const nextLevel = alpha * (y[t] - s) + (1 - alpha) * (level + trend);
    trend = beta * (nextLevel - level) + (1 - beta) * trend;
    if (m > 0) seasonal[t % m] = gamma * (y[t] - nextLevel) + (1 - gamma) * s;
    level = nextLevel;
  }
  return { level, trend, seasonal, sse };
}
