// Models: every forecasting method salescast can fit, evaluate, register and serve, behind one
// interface (model.ts). A family (the CNN+LSTM, Holt-Winters, ETS, the baselines) fits a series
// and gives a fitted model that forecasts h periods from any history, describes itself and saves
// to a registry version (model.json's `model` part plus its own files, version-file.ts); the
// families list (families.ts) is the one place that names the kinds, and the one fitting
// pipeline (fit-calibrated.ts: fit, calibrate split conformal intervals, refit) serves training
// and the backtest alike. Metrics and intervals live here because every room above uses them.
// The statistical libraries of issue 17 (ets/, theta/, intermittent/, mstl/, numeric/) are pure
// numeric code that families wrap; nothing here imports the rooms above.
export type {
  FamilyVariant,
  FitContext,
  FitProgress,
  FittedModel,
  ForecastInputs,
  Frequency,
  LoadOptions,
  ModelFamily,
  SavedModel,
  SeriesInput,
} from "./model.js";
export { headOf } from "./model.js";
export { BACKTEST_BASELINES, BENCHMARK, configuredFamily, EVALUATION_BASELINES, FAMILIES, familyOf, UnknownModelKindError } from "./families.js";
export { checkFitInput, fitCalibrated, type CalibratedFit, type FitPlan } from "./fit-calibrated.js";
export { forecastAll, oneStepAhead } from "./forecast-at.js";
export { loadVersion, readVersion, readVersionMeta, versionKind, writeVersion, VERSION_FILE, type VersionMeta } from "./version-file.js";
export { ModelInputError } from "./errors.js";
export { ModelFileError } from "./model-file-error.js";
export { TrainingAbortedError } from "./fit-errors.js";
export { configuredSeries, seriesInput } from "./series-input.js";
