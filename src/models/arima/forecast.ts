/**
 * Forecasts of a fitted ARIMA model from a history y: the reference Kalman filter re-run over y
 * with the fitted coefficients (R's predict.Arima after the filter of the fit), the regression
 * term added back (the intercept, or the drift continued past the end of y).
 *
 * y must start at the same period as the series the model was fitted on (more periods appended,
 * or its last values replaced, are fine): the drift's time index counts from y's first value.
 */

import { ModelInputError } from "../errors.js";
import { expandedPolynomials } from "./fit-model.js";
import { filterDiffuse, forecastState, makeStateSpace } from "./kalman.js";
import { differencingDelta } from "./polynomials.js";
import type { ArimaFit } from "./types.js";

/** Mean forecast of the h periods after the end of y. */
export function forecastArima(fit: ArimaFit, y: Float64Array, h: number): Float64Array {
  return forecastArimaWithVariance(fit, y, h).mean;
}

/**
 * Mean forecast and its variance (sigma^2 times the filter's prediction variance) for each of
 * the h periods after the end of y.
 */
export function forecastArimaWithVariance(fit: ArimaFit, y: Float64Array, h: number): { mean: Float64Array; variance: Float64Array } {
  if (!Number.isInteger(h) || h < 1) throw new ModelInputError(`ARIMA: the horizon must be a positive whole number of periods, got ${h}.`);
  for (let t = 0; t < y.length; t++) {
    if (!Number.isFinite(y[t])) {
      throw new ModelInputError(`ARIMA: value ${t + 1} of the history is ${y[t]}; fill gaps and remove non-finite values before forecasting.`);
    }
  }
  const { spec, coef } = fit;
  if (fit.constantSeries) {
    const level = coef.intercept ?? 0;
    return { mean: new Float64Array(h).fill(level), variance: new Float64Array(h) };
  }
  const delta = differencingDelta(spec.d, spec.D, spec.period);
  if (y.length <= delta.length) {
    throw new ModelInputError(
      `ARIMA: the history has ${y.length} values but the model differences ${delta.length} periods away; give at least ${delta.length + 1} values.`,
    );
  }
  const { phi, theta } = expandedPolynomials(fit);
  const model = makeStateSpace(phi, theta, delta);
  if (!model) throw new ModelInputError("ARIMA: the fitted AR part is not stationary; refit the model.");
  const regression = (t: number) => (coef.intercept ?? 0) + (coef.drift ?? 0) * t;
  const net = Float64Array.from(y, (v, t) => v - regression(t + 1));
  filterDiffuse(net, model);
  const { mean, variance } = forecastState(model, h);
  for (let k = 0; k < h; k++) {
    mean[k] += regression(y.length + k + 1);
    variance[k] *= fit.sigma2;
  }
  return { mean, variance };
}
