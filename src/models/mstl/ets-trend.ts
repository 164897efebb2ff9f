// AutoETS without a season (src/models/ets/, R's ets with the season switched off) as MSTL's
// forecaster of the seasonally adjusted series: what statsforecast's MSTL uses by default
// (AutoETS "ZZN"). Its fit travels inside the MSTL fit as plain JSON.
import { fitEts, forecastEts, type EtsFit } from "../ets/index.js";
import type { TrendFit, TrendForecaster } from "./trend.js";

export interface EtsTrendFit extends TrendFit {
  name: "ets";
  ets: EtsFit;
}

export const etsTrendForecaster: TrendForecaster = {
  name: "ets",
  fit(x): EtsTrendFit {
    const ets = fitEts(x, { period: 1 });
    return { name: "ets", parameters: {}, ...(ets.aicc !== null ? { aicc: ets.aicc } : {}), ets };
  },
  forecast: (fit, x, h) => forecastEts((fit as EtsTrendFit).ets, x, h),
};
