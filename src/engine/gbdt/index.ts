// Gradient-boosted decision trees, histogram-based, as LightGBM grows them: features binned
// into at most max_bin bins (binning.ts), gradient histograms with the subtraction trick
// (histogram.ts), best-threshold search with a learnt side for missing values (split.ts),
// leaf-wise growth (grow-tree.ts), L2, L1, Poisson and Tweedie objectives (objectives.ts), and
// the boosting loop with bagging, feature sampling and early stopping (train.ts).
//
// Two tree learners grow identical trees: the TypeScript one here is the specification; the
// native one (native/src/gbdt_*.cpp, via native-learner.ts) is the fast path, chosen by the
// same setting as the engine's backend (engine.backend: auto = native when the addon loads).
//
//   const model = trainGbdt(
//     { features, cols, label, weight?, layout?: "row-major" | "column-major", featureNames? },
//     { objective: "regression_l1", num_leaves: 31, learning_rate: 0.05, ... },   // LightGBM's names
//     { valid?: GbdtDataset, learner?: "reference" | "native", onIteration? },
//   );
//   const yhat = predictGbdt(model, features, rows);          // Float64Array (exp applied for poisson/tweedie)
//   const text = gbdtToJson(model); const again = gbdtFromJson(text);
//   const importance = gbdtFeatureImportance(model, "gain");   // per feature, as LightGBM's
//
// Not implemented: categorical splits (give categories as integer-coded numeric features; the
// trees then split them by order), zero_as_missing, monotone constraints, max_delta_step,
// path smoothing, GOSS/DART, multi-class objectives, linear trees.
//
// A forecasting model builds its feature matrix (lags, rolling means, calendar, series
// features) as rows × cols float32 values, NaN where a lag is not available, and calls these.

export { trainGbdt } from "./train.js";
export type { TrainGbdtOptions } from "./train.js";
export { predictGbdt } from "./predict.js";
export type { PredictOptions } from "./predict.js";
export { gbdtFromJson, gbdtToJson, GbdtModelFormatError } from "./model-json.js";
export { gbdtFeatureImportance } from "./importance.js";
export type { GbdtModel, GbdtTrainingReport } from "./model.js";
export { GBDT_DEFAULTS, GbdtParamError, resolveGbdtParams } from "./params.js";
export type { GbdtMetric, GbdtObjective, GbdtParams } from "./params.js";
export { GbdtDataError } from "./dataset.js";
export type { FeatureLayout, GbdtDataset } from "./dataset.js";
export type { GbdtTree } from "./tree.js";
export type { LearnerChoice } from "./learners.js";
export { nativeLearnerProblem } from "./native-learner.js";
