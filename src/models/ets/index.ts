// AutoETS: the exponential smoothing state-space family (error A/M, trend N/A/Ad, season N/A/M),
// fitted by maximum likelihood and chosen by AICc as R's forecast::ets does. See docs/models.md.
export { fitEts, MAX_SEASONAL_PERIOD, type EtsFit, type EtsOptions } from "./fit.js";
export { forecastEts, finalStates } from "./forecast.js";
export { fitEtsModel, makeObjective, type EtsModelFit } from "./fit-model.js";
export { etsCriterion, etsPointForecast } from "./recursions.js";
export { etsMethodName, parseEtsRequest, type EtsComponents, type ErrorType, type SeasonType, type TrendType } from "./spec.js";
