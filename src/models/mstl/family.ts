// MSTL (this folder's library) as a model kind: the series less its seasonal components (each by
// STL, R's mstl) is forecast by model.mstl.trend (AutoETS without a season by default, as
// statsforecast's MSTL), each season by its last cycle. Periods by frequency from config: daily
// 7 and 365.25 (the year is used once the history holds more than two years, R's rule), weekly
// 52.18 (the year in weeks, rounded to 52), so a weekly retail series gets its yearly peaks. The
// decomposition is additive: zero and negative values fit.
import type { Config } from "../../config/schema.js";
import type { Frequency } from "../model.js";
import { isNumberArray, localLibraryFamily } from "../local-family.js";
import { etsTrendForecaster, type EtsTrendFit } from "./ets-trend.js";
import { fitMstl, forecastMstl, MSTL_MIN_LENGTH, type MstlFit } from "./index.js";
import { BUILT_IN_TREND_FORECASTERS } from "./trend.js";

export function mstlPeriods(config: Config, frequency: Frequency): number[] {
  return frequency === "W" ? config.model.mstl.weekly_periods : config.model.mstl.daily_periods;
}

function describeTrend(fit: MstlFit): string {
  const trend = fit.trend;
  if (trend.name === "ets") return (trend as EtsTrendFit).ets.method;
  const names: Record<string, string> = { ses: "SES", holt_damped: "damped Holt" };
  return names[trend.name] ?? trend.name;
}

export function describeMstl(fit: MstlFit): string {
  const seasons = fit.periods.length ? `seasons [${fit.periods.join(", ")}]` : "no season";
  const dropped = fit.dropped_periods.length ? ` (left out: ${fit.dropped_periods.map((d) => `${d.period}, ${d.reason}`).join("; ")})` : "";
  return `MSTL ${seasons} + ${describeTrend(fit)}${dropped}`;
}

export const mstlFamily = localLibraryFamily<MstlFit>({
  kind: "mstl",
  label: "MSTL model",
  formatVersion: 1,
  minHistory: () => MSTL_MIN_LENGTH,
  fit(values, config, frequency) {
    const trend = config.model.mstl.trend;
    return fitMstl(values, { periods: mstlPeriods(config, frequency), trendForecaster: trend === "ets" ? etsTrendForecaster : trend });
  },
  forecast: (fit, values, horizon) => forecastMstl(fit, values, horizon, fit.trend.name === "ets" ? etsTrendForecaster : undefined),
  describe: describeMstl,
  fitStats: (fit): Record<string, number> => (fit.trend.aicc !== undefined && Number.isFinite(fit.trend.aicc) ? { trend_aicc: fit.trend.aicc } : {}),
  parseFit(value, damaged) {
    const fit = value as Partial<MstlFit>;
    if (fit.family !== "mstl" || !isNumberArray(fit.periods) || !isNumberArray(fit.seasonal_windows) || !Number.isInteger(fit.iterate))
      throw damaged("family, periods, windows");
    const trend = fit.trend;
    const known = trend?.name === "ets" ? typeof (trend as EtsTrendFit).ets === "object" : trend !== undefined && trend.name in BUILT_IN_TREND_FORECASTERS;
    if (!known || typeof trend?.parameters !== "object") throw damaged("trend forecaster");
    return fit as MstlFit;
  },
});
