// AutoTheta: seasonally adjust when the test says so, fit the standard, optimised and dynamic
// theta models by least squares (Nelder-Mead over ℓ0, α and, for the optimised ones, θ), keep
// the one with the lowest in-sample mse, and reseasonalise its forecasts.
import { ModelInputError } from "../errors.js";
import { nelderMead } from "../numeric/nelder-mead.js";
import { checkHorizon, checkSeries, isConstant } from "../numeric/series-checks.js";
import { classicalSeasonalIndices, isSeasonal, seasonalityStatistic } from "./seasonal.js";
import { forecastFromState, runTheta } from "./state.js";
import { THETA_MODEL_TYPES, type ThetaFit, type ThetaModelType, type ThetaOptions, type ThetaParameters, type ThetaSeasonality } from "./types.js";

const FAMILY = "theta";
/** Fewer periods leave no error after the three-period burn-in. */
export const THETA_MIN_LENGTH = 4;

// Search box and starting point of statsforecast's AutoTheta.
const BOUNDS = { initial_smoothed: [-1e10, 1e10], alpha: [0.1, 0.99], theta: [1, 1e10] } as const;

export function fitTheta(y: Float64Array, options: ThetaOptions = {}): ThetaFit {
  checkSeries(FAMILY, y, THETA_MIN_LENGTH);
  const { model = "auto", seasonality = "test", decomposition = "multiplicative" } = options;
  const period = checkPeriod(options.seasonPeriod ?? 1);
  if (model !== "auto" && !THETA_MODEL_TYPES.includes(model)) {
    throw new ModelInputError(`theta: unknown model "${String(model)}"; use one of auto, ${THETA_MODEL_TYPES.join(", ")}`);
  }
  if (isConstant(y)) {
    // Every theta line of a constant series is that constant: forecast it without fitting.
    return {
      family: "theta",
      model: "constant",
      parameters: { initial_smoothed: y[0], alpha: 0.5, theta: 2 },
      mse: 0,
      candidates: [],
      seasonality: null,
      seasonality_test: null,
      n: y.length,
    };
  }

  let seasonalityTest: ThetaFit["seasonality_test"] = null;
  let season: ThetaSeasonality | null = null;
  const canAdjust = period >= 4 && y.length >= 2 * period;
  if (canAdjust && seasonality !== "never") {
    const statistic = seasonalityStatistic(y, period);
    seasonalityTest = { statistic, seasonal: isSeasonal(statistic) };
    if (seasonality === "always" || seasonalityTest.seasonal) season = decompose(y, period, decomposition);
  }
  const adjusted = season ? seasonallyAdjust(y, season) : y;

  const candidates: { model: ThetaModelType; mse: number }[] = [];
  let best: { model: ThetaModelType; parameters: ThetaParameters; mse: number } | undefined;
  for (const type of model === "auto" ? THETA_MODEL_TYPES : [model]) {
    const fitted = fitOne(adjusted, type);
    candidates.push({ model: type, mse: fitted.mse });
    if (Number.isFinite(fitted.mse) && (!best || fitted.mse < best.mse)) best = { model: type, ...fitted };
  }
  if (!best) throw new ModelInputError("theta: no model could be fitted (every in-sample error was infinite); check the series' scale");
  return {
    family: "theta",
    model: best.model,
    parameters: best.parameters,
    mse: best.mse,
    candidates,
    seasonality: season,
    seasonality_test: seasonalityTest,
    n: y.length,
  };
}

/**
 * The mean forecast of the h periods after y, with the fitted parameters and seasonal indices;
 * the states (and, for the standard models, the trend line) are re-run over y. y must start
 * where the fitted series started (the seasonal positions count from there).
 */
export function forecastTheta(fit: ThetaFit, y: Float64Array, h: number): Float64Array {
  checkHorizon(FAMILY, h);
  if (fit.model === "constant") {
    checkSeries(FAMILY, y, 1);
    return new Float64Array(h).fill(y[y.length - 1]);
  }
  checkSeries(FAMILY, y, THETA_MIN_LENGTH);
  const season = fit.seasonality;
  const adjusted = season ? seasonallyAdjust(y, season) : y;
  const { state } = runTheta(adjusted, fit.model, fit.parameters);
  const out = forecastFromState(state, fit.model, fit.parameters, h);
  if (season) {
    for (let j = 0; j < h; j++) {
      const index = season.indices[(y.length + j) % season.period];
      out[j] = season.decomposition === "multiplicative" ? out[j] * index : out[j] + index;
    }
  }
  return out;
}

function fitOne(y: Float64Array, model: ThetaModelType): { parameters: ThetaParameters; mse: number } {
  const optimiseTheta = model === "OTM" || model === "DOTM";
  const start = [y[0] / 2, 0.5, ...(optimiseTheta ? [2] : [])];
  const lower = [BOUNDS.initial_smoothed[0], BOUNDS.alpha[0], ...(optimiseTheta ? [BOUNDS.theta[0]] : [])];
  const upper = [BOUNDS.initial_smoothed[1], BOUNDS.alpha[1], ...(optimiseTheta ? [BOUNDS.theta[1]] : [])];
  const toParameters = (x: ArrayLike<number>): ThetaParameters => ({
    initial_smoothed: x[0],
    alpha: x[1],
    theta: optimiseTheta ? x[2] : 2,
  });
  const result = nelderMead((x) => runTheta(y, model, toParameters(x)).mse, start, lower, upper);
  const parameters = toParameters(result.x);
  return { parameters, mse: runTheta(y, model, parameters).mse };
}

function decompose(y: Float64Array, period: number, requested: "multiplicative" | "additive"): ThetaSeasonality {
  let type = requested;
  if (type === "multiplicative" && y.some((value) => value <= 0)) type = "additive";
  let indices = classicalSeasonalIndices(y, period, type);
  if (type === "multiplicative" && indices.some((index) => index < 0.01)) {
    type = "additive";
    indices = classicalSeasonalIndices(y, period, type);
  }
  return { period, decomposition: type, indices: Array.from(indices) };
}

function seasonallyAdjust(y: Float64Array, season: ThetaSeasonality): Float64Array {
  return y.map((value, t) => {
    const index = season.indices[t % season.period];
    return season.decomposition === "multiplicative" ? value / index : value - index;
  });
}

function checkPeriod(period: number): number {
  if (!Number.isFinite(period) || period < 1) {
    throw new ModelInputError(`theta: seasonPeriod must be a number of periods ≥ 1 (got ${period}); use 1 for no season`);
  }
  return Math.round(period);
}
