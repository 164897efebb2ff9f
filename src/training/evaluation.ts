// Evaluates a fitted model and the baselines on exactly the same targets (every period of the
// validation part, and of the test part when there is one), one step ahead, in sales units, with
// MASE scaled by the training part. The baselines are fitted on the training part like the model.
import type { Config } from "../config/schema.js";
import { periodDates } from "../data/calendar.js";
import type { SplitBounds } from "../data/split.js";
import { EVALUATION_BASELINES } from "../models/families.js";
import { oneStepAhead } from "../models/forecast-at.js";
import { forecastMetrics, maseScale, seasonLength, type ForecastMetrics } from "../models/metrics.js";
import { headOf, type FittedModel, type SeriesInput } from "../models/model.js";

export interface PartEvaluation {
  /** The model's metrics. */
  metrics: ForecastMetrics;
  /** Each baseline's metrics, keyed by its kind. */
  baselines: Record<string, ForecastMetrics>;
  /** Every model's one-step predictions (the model under its own name), for plots. */
  predictions: Record<string, Float64Array>;
  /** Actual values of the targets. */
  actual: Float64Array;
  dates: string[];
}

export interface DatasetEvaluation {
  validation: PartEvaluation;
  test?: PartEvaluation;
  /** The MASE denominator (in-sample seasonal naive MAE of the training part). */
  scale: number;
}

/** `model` (fitted before the validation part) and the standard baselines on the validation part, and the test part when present. */
export async function evaluateModel(model: FittedModel, series: SeriesInput, split: SplitBounds, config: Config): Promise<DatasetEvaluation> {
  const trainPart = series.values.subarray(0, split.trainEnd);
  const scale = maseScale(trainPart, seasonLength(series.frequency));
  const baselines = await Promise.all(EVALUATION_BASELINES.map((family) => family.fit([headOf(series, split.trainEnd)], { config })));
  const dates = periodDates(series, series.frequency);
  const part = (from: number, to: number): PartEvaluation => {
    const targets = Array.from({ length: to - from }, (_, i) => from + i);
    const actual = series.values.slice(from, to);
    const own = oneStepAhead(model, series, targets);
    const predictions: Record<string, Float64Array> = {};
    const baselineMetrics: Record<string, ForecastMetrics> = {};
    for (const baseline of baselines) {
      predictions[baseline.name] = oneStepAhead(baseline, series, targets);
      baselineMetrics[baseline.name] = forecastMetrics(actual, predictions[baseline.name], scale);
    }
    predictions[model.name] = own;
    return { metrics: forecastMetrics(actual, own, scale), baselines: baselineMetrics, predictions, actual, dates: dates.slice(from, to) };
  };
  const validation = part(split.trainEnd, split.validationEnd);
  const test = split.length > split.validationEnd ? part(split.validationEnd, split.length) : undefined;
  return { validation, ...(test ? { test } : {}), scale };
}

/** Tracking metric names: val_rmse, seasonal_naive_val_mase, test_mae, ... */
export function evaluationMetricPoints(evaluation: DatasetEvaluation): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (prefix: string, part: string, metrics: ForecastMetrics) => {
    for (const [key, value] of Object.entries(metrics)) out[`${prefix}${part}_${key}`] = value;
  };
  const addPart = (part: string, evaluation: PartEvaluation) => {
    add("", part, evaluation.metrics);
    for (const [name, metrics] of Object.entries(evaluation.baselines)) add(`${name}_`, part, metrics);
  };
  addPart("val", evaluation.validation);
  if (evaluation.test) addPart("test", evaluation.test);
  return out;
}
