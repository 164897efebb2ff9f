// Forecaster: serving. SalesForecaster loads a registered version of any model kind through the
// families list (src/models/), turns a request's window into the history the model forecasts
// from (the network reads the window; a statistical model its stored history with the window in
// place of its last periods), checks what goes in and what comes out, and answers intervals from
// the calibration stored with the version. ModelCache keeps one forecaster per category and
// swaps in a new version without a restart; a network computes on the engine backend
// (engine.backend). The server, the CLI's predict and the dashboard all answer through it.
export { SalesForecaster, MAX_HORIZON, MAX_ABS_Z, type ForecasterSource, type ForecasterOptions, type IntervalForecast } from "./sales-forecaster.js";
export { ModelCache, DEFAULT_REFRESH_MS, type ModelCacheOptions, type RegistryReader, type SwapEvent } from "./model-cache.js";
export { ForecastInputError, ModelNotFoundError, ModelOutputError } from "./errors.js";
export { modelInputsOf, readModelInputs, type ModelInputs } from "../models/model-inputs.js";
