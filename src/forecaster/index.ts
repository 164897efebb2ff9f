// Forecaster: serving. SalesForecaster loads a registered version of any model kind through the
// families list (src/models/), turns a request's window into the history the model forecasts
// from (the network reads the window; a statistical model its stored history with the window in
// place of its last periods), checks what goes in and what comes out, and answers intervals from
// the calibration stored with the version. ModelCache keeps one forecaster per category and
// swaps in a new version without a restart; inference-path.ts picks the fastest way to run a
// network on this machine. The server, the CLI's predict and the dashboard all answer through it.
export { SalesForecaster, MAX_HORIZON, MAX_ABS_Z, type ForecasterSource, type ForecasterOptions, type InferencePath, type IntervalForecast } from "./sales-forecaster.js";
export { FastCnnLstm, fastPathProblem } from "./fast-model.js";
export { choosePredictor, nativeBackend, NATIVE_BACKEND, PREFERENCE, type Predictor, type PredictorKind, type PredictorOptions } from "./inference-path.js";
export { ModelCache, DEFAULT_REFRESH_MS, type ModelCacheOptions, type RegistryReader, type SwapEvent } from "./model-cache.js";
export { ForecastInputError, ModelNotFoundError, ModelOutputError } from "./errors.js";
export { modelInputsOf, readModelInputs, type ModelInputs } from "./model-inputs.js";
