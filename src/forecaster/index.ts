// Inference: a registered model version as a forecaster, and the per-category cache a server uses.
export { SalesForecaster, MAX_HORIZON, MAX_ABS_Z, type ForecasterSource, type ForecasterOptions, type IntervalForecast } from "./sales-forecaster.js";
export { ModelCache, DEFAULT_REFRESH_MS, type ModelCacheOptions, type RegistryReader, type SwapEvent } from "./model-cache.js";
export { ForecastInputError, ModelNotFoundError, ModelOutputError } from "./errors.js";
export { modelInputsOf, readModelInputs, type ModelInputs } from "./model-inputs.js";
