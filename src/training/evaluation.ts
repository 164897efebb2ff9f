// Evaluates the network and the baselines on exactly the same targets (a validation or
// test part), in sales units, with MASE scaled by the training part.
import { standardBaselines } from "../models/baselines/baselines.js";
import type { CategoryDataset, WindowSet } from "../models/cnn_lstm/dataset.js";
import type { Forecaster } from "../models/forecaster.js";
import { forecastMetrics, maseScale, seasonLength, type ForecastMetrics, type Frequency } from "../models/metrics.js";

export interface PartEvaluation {
  /** The network's metrics. */
  metrics: ForecastMetrics;
  /** Each baseline's metrics, keyed by forecaster name. */
  baselines: Record<string, ForecastMetrics>;
  /** Every forecaster's predictions (network under its own name), for plots. */
  predictions: Record<string, Float64Array>;
  /** Actual values of the targets. */
  actual: Float64Array;
  dates: string[];
}

export function evaluatePart(
  network: Forecaster,
  baselines: readonly Forecaster[],
  series: Float64Array,
  part: WindowSet,
  scale: number,
): PartEvaluation {
  const predictions: Record<string, Float64Array> = {};
  const networkPredictions = network.predictAt(series, part.targetIndices);
  predictions[network.name] = networkPredictions;
  const baselineMetrics: Record<string, ForecastMetrics> = {};
  for (const baseline of baselines) {
    const predicted = baseline.predictAt(series, part.targetIndices);
    predictions[baseline.name] = predicted;
    baselineMetrics[baseline.name] = forecastMetrics(part.actual, predicted, scale);
  }
  return {
    metrics: forecastMetrics(part.actual, networkPredictions, scale),
    baselines: baselineMetrics,
    predictions,
    actual: part.actual,
    dates: part.dates,
  };
}

export interface DatasetEvaluation {
  validation: PartEvaluation;
  test?: PartEvaluation;
  /** The MASE denominator (in-sample seasonal naive MAE of the training part). */
  scale: number;
}

/** Network and the standard baselines on the validation part (and test part when present). */
export function evaluateDataset(network: Forecaster, dataset: CategoryDataset, frequency: Frequency, windowSize: number): DatasetEvaluation {
  const season = seasonLength(frequency);
  const scale = maseScale(dataset.trainPart, season);
  const baselines = standardBaselines(dataset.trainPart, season, windowSize);
  const validation = evaluatePart(network, baselines, dataset.series, dataset.validation, scale);
  const test = dataset.test ? evaluatePart(network, baselines, dataset.series, dataset.test, scale) : undefined;
  return { validation, test, scale };
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
