/**
 * ARIMA as R's forecast package fits it: auto.arima's stepwise order search (or one given
 * model), exact likelihood by the Kalman filter, forecasts by re-running the filter over any
 * history. A pure numeric library (see notes/MODEL-LIBS.md): plain JSON fits, no I/O.
 */

import { ModelInputError } from "../errors.js";
import { autoArima } from "./auto.js";
import { ArimaFitError, fitModel } from "./fit-model.js";
import type { ArimaFit, ArimaOptions } from "./types.js";

export { forecastArima, forecastArimaWithVariance } from "./forecast.js";
export { kpssStatistic, ndiffs, nsdiffs, seasonalStrength } from "./unit-root.js";
export type { ArimaCoefficients, ArimaFit, ArimaMethod, ArimaOptions, ArimaOrder, ArimaSearchTrace, ArimaSpec } from "./types.js";

/**
 * Fits ARIMA to y (one value per period, oldest first, finite): the model auto.arima would
 * choose, or `options.spec` when given (estimated, or evaluated at `options.fixed`).
 * Throws ModelInputError for input no ARIMA model can use (fewer than 3 values, non-finite values).
 */
export function fitArima(y: Float64Array, options: ArimaOptions): ArimaFit {
  validate(y, options);
  if (!options.spec) return autoArima(y, options);
  const spec = { ...options.spec, period: options.spec.P + options.spec.D + options.spec.Q > 0 ? Math.round(options.spec.period) : 1 };
  try {
    return fitModel(y, spec, options.method ?? "CSS-ML", options.fixed).fit;
  } catch (error) {
    if (error instanceof ArimaFitError) {
      throw new ModelInputError(`ARIMA${describe(spec)} cannot be fitted to this series (${error.message}); choose other orders or let the search choose.`);
    }
    throw error;
  }
}

function validate(y: Float64Array, options: ArimaOptions): void {
  if (!(options.period >= 1) || !Number.isFinite(options.period)) {
    throw new ModelInputError(`ARIMA: the seasonal period must be 1 (none) or more, got ${options.period}.`);
  }
  if (y.length < 3) throw new ModelInputError(`ARIMA: the series has ${y.length} value(s); give at least 3.`);
  for (let t = 0; t < y.length; t++) {
    if (!Number.isFinite(y[t])) {
      throw new ModelInputError(`ARIMA: value ${t + 1} of the series is ${y[t]}; fill gaps and remove non-finite values first.`);
    }
  }
  const spec = options.spec;
  if (spec) {
    const orders = [spec.p, spec.d, spec.q, spec.P, spec.D, spec.Q];
    if (orders.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new ModelInputError(`ARIMA: orders must be whole numbers 0 or more, got ${describe(spec)}.`);
    }
    const needed = spec.d + spec.D * Math.round(spec.period);
    if (y.length <= needed) {
      throw new ModelInputError(`ARIMA${describe(spec)} differences ${needed} periods away but the series has ${y.length} values; give a longer series.`);
    }
  }
}

function describe(s: { p: number; d: number; q: number; P: number; D: number; Q: number; period: number }): string {
  return `(${s.p},${s.d},${s.q})` + (s.P + s.D + s.Q > 0 ? `(${s.P},${s.D},${s.Q})[${s.period}]` : "");
}
