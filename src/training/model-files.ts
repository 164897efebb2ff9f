// What a trained version's folder holds, written into the registry's staging folder:
//   model.json + the model's own files (src/models/version-file.ts: the network's
//       model.safetensors; a statistical model's state is in model.json)
//   normalization.json  {"mean","std"} like the reference, for models that normalise their inputs
//                       (std is the z-score divisor, its 1e-6 included)
//   config.yaml         the configuration as this run used it
//   eval_plot.png/.svg  validation forecasts one period ahead, beside the seasonal naive's
import { join } from "node:path";
import { stringify as toYaml } from "yaml";
import type { Config } from "../config/schema.js";
import { withoutSecrets } from "../config/without-secrets.js";
import { PERIOD_WORD } from "../data/calendar.js";
import { hasFeatures } from "../data/features.js";
import type { SplitBounds } from "../data/split.js";
import type { CategorySeries, SalesData } from "../data/types.js";
import type { IntervalCalibration } from "../models/intervals.js";
import type { FittedModel } from "../models/model.js";
import { writeVersion } from "../models/version-file.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import type { DatasetEvaluation } from "./evaluation.js";
import { writeForecastPlot } from "./plot.js";

export interface ModelFilesInput {
  model: FittedModel;
  series: CategorySeries;
  data: SalesData;
  /** ISO date of the series' last period. */
  end: string;
  split: SplitBounds;
  evaluation: DatasetEvaluation;
  /** The configuration as this run used it (data.item_id = the category). */
  resolved: Config;
  runId: string;
  intervals?: IntervalCalibration;
}

export interface ModelFiles {
  /** model.json and the model's own files: the run's "model" artifact folder (what MLflow's registry serves). */
  model: string[];
  /** Everything else, logged at the run's top level. */
  artifacts: string[];
}

export async function writeModelFiles(dir: string, input: ModelFilesInput): Promise<ModelFiles> {
  const { model, series, data, evaluation, resolved, runId, intervals } = input;
  const category = series.category;
  const inputs = model.inputs;
  const { metaPath, filePaths } = await writeVersion(dir, model.save(), {
    window_size: resolved.data.window_size,
    data: { file: data.source.path, sha256: data.source.sha256, category, start: series.start, end: input.end, frequency: data.frequency },
    extra: {
      run_id: runId,
      ...model.fitStats,
      description: model.describe(),
      split: input.split,
      validation_metrics: evaluation.validation.metrics,
      ...(intervals ? { intervals } : {}),
      // Only when used: a model without features keeps the model.json older servers read.
      ...(hasFeatures(inputs?.features) ? { features: inputs!.features } : {}),
      ...(inputs?.covariateStats?.length ? { covariate_stats: inputs.covariateStats } : {}),
    },
  });
  const artifacts: string[] = [];
  if (inputs?.scale) {
    const normalizationPath = join(dir, "normalization.json");
    await writeFileAtomic(normalizationPath, `${JSON.stringify({ mean: inputs.scale.mean, std: inputs.scale.std })}\n`);
    artifacts.push(normalizationPath);
  }
  const configPath = join(dir, "config.yaml");
  // Logged as an artifact too: passwords inside urls stay out (withoutSecrets).
  await writeFileAtomic(configPath, toYaml(withoutSecrets(resolved)));

  const { validation } = evaluation;
  const { frequency } = data;
  const m = validation.metrics;
  const seasonal = validation.baselines.seasonal_naive;
  const epochs = model.fitStats?.epochs;
  const plot = await writeForecastPlot(
    {
      title: `${category}: validation forecasts, one ${PERIOD_WORD[frequency]} ahead`,
      subtitle: `${model.describe()}${epochs ? ` (best epoch ${model.fitStats?.best_epoch} of ${epochs})` : ""} vs seasonal naive`,
      metrics: {
        RMSE: m.rmse,
        MAE: m.mae,
        "sMAPE %": m.smape,
        MASE: m.mase,
        "seasonal naive MASE": seasonal.mase,
      },
      dates: validation.dates,
      actual: Array.from(validation.actual),
      predicted: Array.from(validation.predictions[model.name]),
      baseline: { name: "Seasonal naive", values: Array.from(validation.predictions.seasonal_naive) },
      yAxisName: `sales per ${PERIOD_WORD[frequency]}`,
      frequency,
    },
    join(dir, "eval_plot"),
  );
  return { model: [...filePaths, metaPath], artifacts: [plot.png, plot.svg, ...artifacts, configPath] };
}
