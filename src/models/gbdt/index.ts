// The global gradient-boosted-tree forecaster (issue 17): one LightGBM-like model trained on rows
// from every series at once, each series scaled by its own history, with lags, lagged rolling
// windows, calendar, series and covariate features; recursive or direct multi-horizon. Built on
// the engine's GBDT (src/engine/gbdt/). docs/models.md describes it and its defaults.
//
//   const fit = fitGbdtForecaster(series, { horizon: 7 });          // GbdtSeries[]: name, values, start, frequency, covariates?
//   const yhat = forecastGbdtForecaster(fit, series[0], 7);          // from the end of the history given
//   JSON.stringify(fit)                                              // plain JSON; parse it back and forecast the same
export { fitGbdtForecaster } from "./fit.js";
export { forecastGbdtForecaster, type GbdtForecastOptions } from "./forecast.js";
export { gbdtForecasterRows, type GbdtTrainingRow } from "./inspect.js";
export { FEATURE_DEFAULTS, FORECASTER_PARAMS } from "./options.js";
export {
  CALENDAR_FEATURES,
  GBDT_FORECASTER_FORMAT_VERSION,
  type CalendarFeature,
  type GbdtFeatureSpec,
  type GbdtForecasterFit,
  type GbdtForecasterOptions,
  type GbdtLoss,
  type GbdtScaling,
  type GbdtSeries,
  type GbdtStepModel,
  type GbdtStrategy,
  type GbdtTrainedSeries,
  type GbdtTrainingRows,
  type RollingFeature,
} from "./types.js";
