// `salescast train --catalogue`: a catalogue (data.series_key + data.hierarchy) trained as ONE
// model, registered as ONE registry version (catalogue.model_name) and tracked as ONE run:
//
//   catalogue.evaluate  fit on every day but the last `horizon`, forecast them, score every
//                       level (WRMSSE) and keep each row's error spread (the intervals)
//   final fit           on every day; forecasts of every series of every level from the end of
//                       the data, reconciled, stored in the version (version-files.ts)
//   run                 params (the resolved config), per-level metrics (wrmsse_<level>), the
//                       leaderboard (salescast beside the seasonal naive, per level) as an
//                       artifact, the version's files under "model"
import { basename, join } from "node:path";
import type { Config } from "../../config/schema.js";
import { isoFromEpochDay } from "../../data/dates.js";
import type { TrainingData } from "../../data/model-data.js";
import { LocalRegistry, localRegistryRoot, servedRegistry, type MlflowRegistry } from "../../registry/index.js";
import { flattenParams, trackingStoreFor, type TrackingStore } from "../../tracking/index.js";
import { writeJsonAtomic } from "../../util/atomic-file.js";
import { salescastVersion } from "../../version.js";
import { forecastCatalogue, type CatalogueForecast, type CatalogueGroupRunner, type CatalogueProgress } from "./fit.js";
import { scoreHeldOut } from "./evaluate.js";
import { readCataloguePlan } from "./plan.js";
import { seasonalNaiveForecast } from "./seasonal-naive.js";
import { writeCatalogueVersion, type CatalogueMeta, type LevelMetric } from "./version-files.js";

export interface CatalogueTrainResult {
  model_name: string;
  version: number;
  run_id: string;
  series: number;
  rows: number;
  levels: string[];
  metrics?: { wrmsse: number; levels: LevelMetric[]; seasonal_naive: { wrmsse: number; levels: LevelMetric[] } };
  seconds: number;
  dir: string;
}

export interface CatalogueTrainOptions {
  store?: TrackingStore;
  signal?: AbortSignal;
  onProgress?: (event: CatalogueProgress & { pass: "evaluation" | "final" }) => void;
  log?: (line: string) => void;
  /** Fits the GBDT groups elsewhere (queue.url: src/queue/catalogue-jobs.ts); everything else stays here. */
  runGroups?: CatalogueGroupRunner;
}

export async function trainCatalogue(config: Config, data: TrainingData, options: CatalogueTrainOptions = {}): Promise<CatalogueTrainResult> {
  const started = performance.now();
  const c = config.catalogue;
  const store = options.store ?? trackingStoreFor(config);
  const log = options.log ?? (() => undefined);
  const matrix = data.catalogue?.matrix;
  const T = matrix?.periods ?? 0;

  // The plan of future covariates and held-out scoring first: a setting the data cannot honour fails before any run is created.
  const plan = await readCataloguePlan(config, data);
  let evaluation: { forecast: CatalogueForecast; end: number } | undefined;
  if (c.evaluate) {
    const end = T - c.horizon;
    evaluation = {
      end,
      forecast: await forecastCatalogue(config, data, {
        end,
        signal: options.signal,
        ...(options.runGroups ? { runGroups: options.runGroups } : {}),
        onProgress: (e) => options.onProgress?.({ ...e, pass: "evaluation" }),
      }),
    };
  }
  const held = evaluation && scoreHeldOut(config, data, evaluation.forecast, evaluation.end);
  const naive = evaluation && scoreHeldOut(config, data, evaluation.forecast, evaluation.end, seasonalNaiveForecast(data, evaluation.forecast, evaluation.end));
  if (held && naive) log(`held out the last ${c.horizon} days: WRMSSE ${held.result.wrmsse.toFixed(4)} (seasonal naive ${naive.result.wrmsse.toFixed(4)})`);

  if (evaluation && evaluation.forecast.aggregateModels.length > 0) {
    log(`aggregate levels' models (chosen before the held-out days): ${evaluation.forecast.aggregateModels.map((c) => `${c.level} ${c.model}`).join(", ")}`);
  }
  const final = await forecastCatalogue(config, data, {
    plan,
    signal: options.signal,
    ...(options.runGroups ? { runGroups: options.runGroups } : {}),
    onProgress: (e) => options.onProgress?.({ ...e, pass: "final" }),
  });
  options.onProgress?.({ stage: "write", done: 0, total: final.rows.rowNames.length, text: "writing the version and the run", pass: "final" });

  const experimentId = await store.getOrCreateExperiment(config.train.experiment_name);
  const runId = await store.createRun(experimentId, `catalogue-${c.model_name}`, {
    item_id: c.model_name,
    model: "catalogue",
    dataset: basename(config.data.csv_path),
    series: String(data.series.length),
    salescast_version: salescastVersion(),
  });
  const registry = new LocalRegistry(localRegistryRoot(config));
  let staged: string | undefined;
  try {
    await store.logParams(runId, flattenParams(config));
    const timestamp = Date.now();
    const points = held
      ? [
          { key: "wrmsse", value: held.result.wrmsse, step: 0, timestamp },
          ...held.result.levels.map((l) => ({ key: `wrmsse_${metricKey(l.level)}`, value: l.wrmsse, step: 0, timestamp })),
          { key: "seasonal_naive_wrmsse", value: naive!.result.wrmsse, step: 0, timestamp },
        ]
      : [];
    points.push({ key: "fit_seconds", value: final.seconds.fit, step: 0, timestamp }, { key: "series", value: data.series.length, step: 0, timestamp });
    await store.logMetrics(runId, points);

    staged = await registry.stage(c.model_name);
    const meta: CatalogueMeta = {
      format_version: 1,
      model_name: c.model_name,
      data: {
        file: data.source.path,
        sha256: data.source.sha256,
        first_date: isoFromEpochDay(matrix!.firstDay),
        last_date: isoFromEpochDay(matrix!.firstDay + (T - 1) * matrix!.step),
      },
      horizon: final.horizon,
      first_forecast_date: final.firstDate,
      reconcile: c.reconcile,
      aggregate_model: c.aggregate_model,
      group_by: c.group_by,
      strategy: c.strategy,
      loss: c.loss,
      levels: final.rows.levelNames,
      row_levels: Array.from(final.rows.rowLevels),
      row_names: final.rows.rowNames,
      interval_levels: held ? [...config.model.interval_levels] : [],
      ...(held && evaluation
        ? {
            metrics: {
              levels: held.result.levels,
              wrmsse: held.result.wrmsse,
              cutoff: isoFromEpochDay(matrix!.firstDay + (evaluation.end - 1) * matrix!.step),
            },
          }
        : {}),
      fits: final.fits.map((f) => ({ group: f.group, series: f.series, trees: f.fit.models.reduce((sum, m) => sum + m.trees, 0) })),
      seconds: final.seconds,
    };
    const modelFiles = await writeCatalogueVersion(staged, meta, final, held?.sigma);
    const artifacts: string[] = [];
    if (held && naive) {
      const leaderboard = join(staged, "leaderboard.json");
      await writeJsonAtomic(leaderboard, {
        metric: "wrmsse",
        cutoff: meta.metrics!.cutoff,
        models: [
          { model: `gbdt (${c.strategy}, ${c.loss}) + ${c.reconcile}`, wrmsse: held.result.wrmsse, levels: held.result.levels },
          { model: "seasonal_naive", wrmsse: naive.result.wrmsse, levels: naive.result.levels },
        ],
        // The local model of each aggregate level, chosen before the scored days (catalogue.aggregate_model auto: with every candidate's RMSSE), and the final fit's.
        aggregate_models: { evaluation: evaluation!.forecast.aggregateModels, final: final.aggregateModels },
      });
      artifacts.push(leaderboard);
    }
    for (const file of artifacts) await store.logArtifact(runId, file);
    for (const file of modelFiles) await store.logArtifact(runId, file, "model");
    const info = await registry.commit(c.model_name, staged, {
      runId,
      windowSize: config.data.window_size,
      ...(held ? { metrics: { wrmsse: held.result.wrmsse } } : {}),
    });
    staged = undefined;
    await store.setTags(runId, { registry_version: String(info.version) });
    await store.endRun(runId, "FINISHED");
    if (store.kind === "mlflow") {
      const mlflow = servedRegistry(config, store) as MlflowRegistry;
      const outcome = await mlflow
        .registerOrQueue(c.model_name, runId, { windowSize: config.data.window_size, ...(held ? { metrics: { wrmsse: held.result.wrmsse } } : {}) })
        .catch((error: Error) => ({ status: "failed", reason: error.message }) as const);
      log(outcome.status === "registered" ? `registered in MLflow` : `MLflow registration ${outcome.status}: ${outcome.reason}`);
    }
    return {
      model_name: c.model_name,
      version: info.version,
      run_id: runId,
      series: data.series.length,
      rows: final.rows.rowNames.length,
      levels: final.rows.levelNames,
      ...(held && naive
        ? { metrics: { wrmsse: held.result.wrmsse, levels: held.result.levels, seasonal_naive: { wrmsse: naive.result.wrmsse, levels: naive.result.levels } } }
        : {}),
      seconds: (performance.now() - started) / 1000,
      dir: info.dir,
    };
  } catch (error) {
    if (staged !== undefined) await registry.discard(staged).catch(() => undefined);
    await store.discardArtifacts?.(runId).catch(() => undefined);
    await store.endRun(runId, "FAILED", (error as Error).message).catch(() => undefined);
    throw error;
  }
}

/** A level label as a metric key: "store_id/dept_id" → "store_id__dept_id" (MLflow keys allow no "/" clash with nesting). */
export function metricKey(level: string): string {
  return level.replace(/[^A-Za-z0-9_.-]/g, "__");
}
