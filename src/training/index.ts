// The training step's public surface (what the CLI and the server call).
export { trainCategory, describeResult, type TrainCategoryOptions } from "./train-category.js";
export { UnknownCategoryError } from "../data/model-data.js";
export { checkTrainingConfig, modelShapeFor } from "../models/cnn_lstm/network-config.js";
export { trainAll, plannedThreads, trainingWorkerUrl, type TrainAllOptions } from "./train-all.js";
export { evaluateCategory, NoModelError, type CategoryEvaluation } from "./evaluate.js";
export { formatSummaryTable, formatEvaluationTable, summaryJson } from "./summary.js";
export { ProgressDisplay, silentProgress, type ProgressEvent, type ProgressSink } from "./progress.js";
export type { CategoryResult, CategoryStatus } from "./result.js";
export type { ForecastMetrics } from "../models/metrics.js";
export { TrainingAbortedError, TrainingDivergedError } from "../models/cnn_lstm/trainer.js";
export { DatasetError } from "../models/cnn_lstm/dataset.js";
