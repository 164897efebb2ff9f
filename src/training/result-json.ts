// The JSON form of what training and evaluation produce, in the one key style of every JSON
// output (snake_case, as the API and MLflow write). `salescast train --json` and the API's
// training jobs print a category's result through the same function, so a script reads the same
// keys from either. JSON has no NaN or Infinity: such metrics go out as null.
import type { CategoryEvaluation } from "./evaluate.js";
import type { ForecastMetrics } from "../models/metrics.js";
import type { CategoryResult } from "./result.js";
import { finiteOrNull } from "../util/finite-or-null.js";

export function metricsJson(m: ForecastMetrics) {
  return { rmse: finiteOrNull(m.rmse), mae: finiteOrNull(m.mae), smape: finiteOrNull(m.smape), mase: finiteOrNull(m.mase) };
}

function metricsByModelJson(byModel: Record<string, ForecastMetrics>) {
  return Object.fromEntries(Object.entries(byModel).map(([name, m]) => [name, metricsJson(m)]));
}

/** One category's training result as the API's jobs answer it (absent parts as null). */
export function resultJson(result: CategoryResult) {
  return {
    category: result.category,
    status: result.status,
    model: result.model ?? null,
    reason: result.reason ?? null,
    held_back: result.heldBack ?? null,
    version: result.version ?? null,
    run_id: result.runId ?? null,
    epochs: result.epochs,
    best_epoch: result.bestEpoch,
    seconds: result.seconds,
    metrics: result.metrics ? metricsJson(result.metrics) : null,
    baselines: result.baselines ? metricsByModelJson(result.baselines) : null,
    test_metrics: result.testMetrics ? metricsJson(result.testMetrics) : null,
    auto: result.auto
      ? {
          champion: result.auto.champion,
          reason: result.auto.reason,
          evaluation_mase: finiteOrNull(result.auto.evaluationMase ?? Number.NaN),
          decision: result.auto.decision,
          comparison: result.auto.comparison,
        }
      : null,
  };
}

/**
 * `salescast train --json`: each result as the API answers it, plus what only a local command
 * shows: the registry folder of the new version and the baselines on the test part.
 */
export function trainedResultJson(result: CategoryResult) {
  return {
    ...resultJson(result),
    ...(result.checkpointDir === undefined ? {} : { checkpoint_dir: result.checkpointDir }),
    ...(result.testBaselines === undefined ? {} : { test_baselines: metricsByModelJson(result.testBaselines) }),
  };
}

/** `salescast evaluate --json`. */
export function evaluationJson(evaluation: CategoryEvaluation) {
  return {
    category: evaluation.category,
    version: evaluation.version,
    model: evaluation.model,
    checkpoint_dir: evaluation.checkpointDir,
    metrics: metricsJson(evaluation.metrics),
    baselines: metricsByModelJson(evaluation.baselines),
    ...(evaluation.testMetrics === undefined ? {} : { test_metrics: metricsJson(evaluation.testMetrics) }),
    ...(evaluation.testBaselines === undefined ? {} : { test_baselines: metricsByModelJson(evaluation.testBaselines) }),
    targets: evaluation.targets,
    from: evaluation.from,
    to: evaluation.to,
    data_changed: evaluation.dataChanged,
  };
}
