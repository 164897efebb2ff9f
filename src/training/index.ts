// The training step's public surface (what the CLI and the server call).
export { trainCategory, UnknownCategoryError, describeResult, modelShapeFor, type TrainCategoryOptions } from "./train-category.js";
export { trainAll, plannedThreads, trainingWorkerUrl, type TrainAllOptions } from "./train-all.js";
export { evaluateCategory, NoModelError, type CategoryEvaluation } from "./evaluate.js";
export { formatSummaryTable, formatEvaluationTable } from "./summary.js";
export { ProgressDisplay, silentProgress, type ProgressEvent, type ProgressSink } from "./progress.js";
export type { CategoryResult, CategoryStatus } from "./result.js";
export type { ForecastMetrics } from "./metrics.js";
export { TrainingAbortedError, TrainingDivergedError } from "./trainer.js";
export { DatasetError } from "./dataset.js";
