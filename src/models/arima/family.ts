// AutoARIMA (this folder's library, R's auto.arima) as a model kind: the stepwise search over
// orders with the data's season (7 daily, 52 weekly; model.arima.seasonal=false for
// non-seasonal orders only), the approximate (CSS) likelihood for long series as R does; a
// constant series gets R's constant model.
import { isNumberArray, localLibraryFamily } from "../local-family.js";
import { seasonLength } from "../metrics.js";
import { fitArima, forecastArima, type ArimaFit } from "./index.js";

/** auto.arima needs 3 values; a few more leave its unit-root tests something to test. */
const MIN_HISTORY = 6;

export function describeArima(fit: ArimaFit): string {
  const s = fit.spec;
  if (fit.constantSeries) return "ARIMA: constant series (the constant repeated)";
  const seasonal = s.P + s.D + s.Q > 0 ? `(${s.P},${s.D},${s.Q})[${s.period}]` : "";
  const constant = fit.coef.drift !== null ? " with drift" : fit.coef.intercept !== null ? " with non-zero mean" : "";
  return `ARIMA(${s.p},${s.d},${s.q})${seasonal}${constant}`;
}

export const arimaFamily = localLibraryFamily<ArimaFit>({
  kind: "arima",
  label: "ARIMA model",
  formatVersion: 1,
  minHistory: () => MIN_HISTORY,
  fit: (values, config, frequency) => fitArima(values, { period: config.model.arima.seasonal ? seasonLength(frequency) : 1 }),
  forecast: forecastArima,
  describe: describeArima,
  fitStats: (fit): Record<string, number> => (fit.aicc !== null && Number.isFinite(fit.aicc) ? { aicc: fit.aicc } : {}),
  parseFit(value, damaged) {
    const fit = value as Partial<ArimaFit>;
    const s = fit.spec;
    const c = fit.coef;
    if (fit.family !== "arima" || !s || ![s.p, s.d, s.q, s.P, s.D, s.Q, s.period].every((v) => Number.isInteger(v) && v >= 0)) throw damaged("family, orders");
    if (!c || !isNumberArray(c.ar) || !isNumberArray(c.ma) || !isNumberArray(c.sar) || !isNumberArray(c.sma)) throw damaged("coefficients");
    if (c.ar.length !== s.p || c.ma.length !== s.q || c.sar.length !== s.P || c.sma.length !== s.Q) throw damaged("coefficients do not match the orders");
    return fit as ArimaFit;
  },
});
