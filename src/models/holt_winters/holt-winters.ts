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
// recursive forecast (what the backtest does for every model) equals this direct formula.
//
// Initial state (Hyndman & Athanasopoulos' simple initialisation) from the first two seasons:
//   ℓ = mean(y[0..m)), b = (mean(y[m..2m)) − mean(y[0..m))) / m, s[i] = y[i] − ℓ (i < m),
// then the recursions run from t = m. Since the initial state reads y[0..2m), the first
// forecast that never looks at its own target is the one for t = 2m: predictAt needs 2m
// earlier periods.
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
import { checkTargets, NotFittedError, type Forecaster } from "../forecaster.js";

export interface HoltWintersParameters {
  alpha: number;
  beta: number;
  gamma: number;
}

export const HOLT_WINTERS_GRID = {
  alpha: [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9],
  beta: [0, 0.01, 0.05, 0.1, 0.2],
  gamma: [0.01, 0.05, 0.1, 0.2, 0.4],
} as const;

interface State {
  level: number;
  trend: number;
  /** Seasonal terms indexed by period index mod season (empty without season). */
  seasonal: Float64Array;
}

export class HoltWintersForecaster implements Forecaster {
  readonly name = "holt_winters";
  private chosen: HoltWintersParameters | undefined;
  /** Season used after fit: `season`, or 0 when the training part was too short (Holt linear). */
  private usedSeason = 0;

  constructor(
    readonly season: number,
    private readonly fixed?: HoltWintersParameters,
  ) {
    if (!Number.isInteger(season) || season < 1) throw new RangeError(`season must be a positive integer (got ${season})`);
    if (fixed) {
      for (const [key, value] of Object.entries(fixed)) {
        if (!(value >= 0 && value <= 1)) throw new RangeError(`Holt-Winters ${key} must be between 0 and 1 (got ${value})`);
      }
    }
  }

  /** The parameters in use (chosen by the grid search, or the fixed ones); undefined before fit. */
  get parameters(): HoltWintersParameters | undefined {
    return this.chosen;
  }

  /** True when fit() found two seasons of data and uses the seasonal model. */
  get seasonal(): boolean {
    return this.usedSeason > 0;
  }

  fit(trainPart: Float64Array): this {
    if (trainPart.length < 3) {
      throw new RangeError(`forecaster "${this.name}" needs at least 3 training periods (got ${trainPart.length})`);
    }
    this.usedSeason = trainPart.length >= 2 * this.season + 1 ? this.season : 0;
    this.chosen = this.fixed ?? this.gridSearch(trainPart);
    return this;
  }

  predictAt(series: Float64Array, targetIndices: ArrayLike<number>): Float64Array {
    const params = this.requireFitted();
    checkTargets(this.name, series, targetIndices, this.minHistory());
    const out = new Float64Array(targetIndices.length);
    if (out.length === 0) return out;
    // One filter pass up to the last target, recording the one-step forecast of every period.
    let last = 0;
    for (let i = 0; i < targetIndices.length; i++) last = Math.max(last, targetIndices[i]);
    const oneStep = new Float64Array(last + 1);
    filter(series, last, this.usedSeason, params, oneStep);
    for (let i = 0; i < out.length; i++) out[i] = oneStep[targetIndices[i]];
    return out;
  }

  /** ŷ for the `horizon` periods after `history` (direct formula; equals the recursive forecast). */
  forecast(history: Float64Array, horizon: number): Float64Array {
    const params = this.requireFitted();
    const n = history.length;
    if (n < this.minHistory()) {
      throw new RangeError(`forecaster "${this.name}" needs ${this.minHistory()} periods of history (got ${n})`);
    }
    const state = filter(history, n, this.usedSeason, params);
    const m = this.usedSeason;
    return Float64Array.from({ length: horizon }, (_, k) => {
      const h = k + 1;
      return state.level + h * state.trend + (m > 0 ? state.seasonal[(n - 1 + h) % m] : 0);
    });
  }

  private minHistory(): number {
    return this.usedSeason > 0 ? 2 * this.usedSeason : 2;
  }

  private requireFitted(): HoltWintersParameters {
    if (!this.chosen) throw new NotFittedError(this.name);
    return this.chosen;
  }

  private gridSearch(trainPart: Float64Array): HoltWintersParameters {
    let best: HoltWintersParameters = { alpha: HOLT_WINTERS_GRID.alpha[0], beta: HOLT_WINTERS_GRID.beta[0], gamma: HOLT_WINTERS_GRID.gamma[0] };
    let bestSse = Number.POSITIVE_INFINITY;
    const gammas = this.usedSeason > 0 ? HOLT_WINTERS_GRID.gamma : [0];
    for (const alpha of HOLT_WINTERS_GRID.alpha) {
      for (const beta of HOLT_WINTERS_GRID.beta) {
        for (const gamma of gammas) {
          const params = { alpha, beta, gamma };
          const sse = filter(trainPart, trainPart.length, this.usedSeason, params).sse;
          if (sse < bestSse) {
            bestSse = sse;
            best = params;
          }
        }
      }
    }
    return best;
  }
}

/**
 * Runs the recursions over y[0..end) and returns the state after y[end − 1] and the sum of
 * squared one-step errors. When `oneStep` is given, oneStep[t] receives the forecast of y[t]
 * made before seeing it, for every t the recursions reach (t ≥ start).
 */
function filter(
  y: Float64Array,
  end: number,
  season: number,
  { alpha, beta, gamma }: HoltWintersParameters,
  oneStep?: Float64Array,
): State & { sse: number } {
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
    if (oneStep) oneStep[t] = predicted;
    const error = y[t] - predicted;
    sse += error * error;
    const nextLevel = alpha * (y[t] - s) + (1 - alpha) * (level + trend);
    trend = beta * (nextLevel - level) + (1 - beta) * trend;
    if (m > 0) seasonal[t % m] = gamma * (y[t] - nextLevel) + (1 - gamma) * s;
    level = nextLevel;
  }
  // A target index equal to `end` (predictAt's last target) gets the forecast after y[end − 1].
  if (oneStep && end < oneStep.length) oneStep[end] = level + trend + (m > 0 ? seasonal[end % m] : 0);
  return { level, trend, seasonal, sse };
}
