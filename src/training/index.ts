// Training: orchestration only. It takes the configured series, asks the model family the
// configuration names (src/models/families.ts) to fit it through the pipeline the backtest also
// uses (fit, calibrate intervals), evaluates it next to the baselines on the held-out parts,
// stages the version's files in the registry, records the run in the tracking store and commits
// the version; train-all does that for many categories on worker threads. No model code lives
// here: a new model kind is added in src/models/ and trains without a change to this folder.
export { trainCategory, checkTrainingConfig, describeResult, type TrainCategoryOptions } from "./train-category.js";
export { UnknownCategoryError } from "../data/model-data.js";
export { trainAll, plannedThreads, trainingWorkerUrl, type TrainAllOptions } from "./train-all.js";
export { evaluateCategory, NoModelError, type CategoryEvaluation } from "./evaluate.js";
export { formatSummaryTable, formatEvaluationTable } from "./summary.js";
export { ProgressDisplay, silentProgress, type ProgressEvent, type ProgressSink } from "./progress.js";
export type { CategoryResult, CategoryStatus } from "./result.js";
export type { ForecastMetrics } from "../models/metrics.js";
export { TrainingAbortedError } from "../models/fit-errors.js";
export { ModelInputError } from "../models/errors.js";
