// Forecasts from a fitted ETS model: the fitted parameters are kept and the states are run from
// the fitted initial states over the history given (the series it was fitted on, or that series
// with more periods appended), then projected h periods ahead.
import { ModelInputError } from "../errors.js";
import { shapeOf } from "./fit-model.js";
import type { EtsFit } from "./fit.js";
import { etsCriterion, etsPointForecast } from "./recursions.js";

/** The states after the last value of y, R's layout [l, b?, s_1 .. s_m]. */
export function finalStates(fit: EtsFit, y: Float64Array): Float64Array {
  const shape = shapeOf(fit.components, fit.m);
  const x0 = Float64Array.from(fit.initial_states);
  const last = new Float64Array(x0.length);
  const params = { alpha: fit.alpha, beta: fit.beta ?? 0, gamma: fit.gamma ?? 0, phi: fit.phi ?? 1 };
  etsCriterion(y, y.length, shape, params, x0, new Float64Array(shape.m), last, null);
  return last;
}

/**
 * The point forecasts of the h periods after the end of y: level plus damped growth, plus or
 * times the seasonal state of that period. (For models with multiplicative errors and season,
 * R's forecast() reports the forecast distribution's mean instead, which adds a small variance
 * term from the second season on; the point forecast is what statsforecast reports.)
 */
export function forecastEts(fit: EtsFit, y: Float64Array, h: number): Float64Array {
  if (!Number.isInteger(h) || h < 1) throw new ModelInputError(`forecast horizon must be a whole number ≥ 1, got ${h}`, "ask for at least one period");
  if (y.length === 0) throw new ModelInputError("ETS forecasts need the history to start from; got an empty series", "pass the series the model was fitted on");
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new ModelInputError(`ETS needs finite values; value ${i} is ${y[i]}`, "fill gaps and remove non-finite values first");
  }
  const out = new Float64Array(h);
  etsPointForecast(finalStates(fit, y), shapeOf(fit.components, fit.m), fit.phi ?? 1, h, out);
  for (let k = 0; k < h; k++) {
    if (!Number.isFinite(out[k])) {
      throw new ModelInputError(
        `${fit.method} gives a non-finite forecast from this history (step ${k + 1})`,
        "refit the model on this history (its values may no longer suit a multiplicative model)",
      );
    }
  }
  return out;
}
