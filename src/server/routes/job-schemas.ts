// The JSON shape of training jobs and their results, and the conversion from the manager's
// snapshots (which may hold NaN metrics: JSON has no NaN, so they go out as null).
import type { ForecastMetrics } from "../../models/metrics.js";
import type { CategoryResult } from "../../training/result.js";
import type { JobSnapshot } from "../jobs/job-manager.js";
import { finiteOrNull, metricsSchema } from "./schemas.js";

const nullableMetrics = { ...metricsSchema, type: ["object", "null"] } as const;

export const resultSchema = {
  type: "object",
  required: ["category", "status", "epochs", "seconds"],
  properties: {
    category: { type: "string" },
    status: { type: "string", enum: ["ok", "skipped", "failed"] },
    reason: { type: ["string", "null"], description: "Why the category was skipped or failed, or why its new model is not served" },
    held_back: { type: ["string", "null"], description: "Set when the new model was registered but is not served (absurd validation errors)" },
    version: { type: ["integer", "null"], description: "Registry version of the new model" },
    run_id: { type: ["string", "null"] },
    epochs: { type: "integer" },
    best_epoch: { type: "integer" },
    seconds: { type: "number" },
    metrics: { ...nullableMetrics, description: "The network on the validation part, sales units" },
    baselines: { type: ["object", "null"], additionalProperties: metricsSchema, description: "naive, seasonal_naive, moving_average" },
    test_metrics: nullableMetrics,
  },
} as const;

const progressSchema = {
  type: "object",
  properties: {
    category: { type: "string" },
    state: { type: "string", enum: ["pending", "training", "done"] },
    epoch: { type: "integer" },
    max_epochs: { type: "integer" },
    batch: { type: "integer" },
    batches: { type: "integer" },
    loss: { type: ["number", "null"] },
    train_loss: { type: ["number", "null"] },
    val_loss: { type: ["number", "null"] },
  },
} as const;

export const jobSchema = {
  type: "object",
  required: ["id", "kind", "state", "categories", "experiment_name", "overrides", "created_at", "progress", "results"],
  properties: {
    id: { type: "string" },
    kind: { type: "string", enum: ["train", "train_all"] },
    state: { type: "string", enum: ["queued", "running", "succeeded", "failed", "cancelled"] },
    categories: { type: "array", items: { type: "string" } },
    experiment_name: { type: "string" },
    overrides: { type: "object", additionalProperties: true, description: "Settings the job changes over the server's configuration, as sent ({} for none)" },
    created_at: { type: "string" },
    started_at: { type: ["string", "null"] },
    finished_at: { type: ["string", "null"] },
    progress: { type: "array", items: progressSchema, description: "Per category: epoch, batch and losses so far" },
    results: { type: "array", items: resultSchema, description: "Per category, as soon as that category has finished (in the order of categories)" },
    error: { type: ["string", "null"] },
  },
} as const;

export type ApiJob = ReturnType<typeof apiJob>;

export function apiJob(job: JobSnapshot) {
  return {
    ...job,
    progress: job.progress.map((p) => ({
      ...p,
      loss: finiteOrNull(p.loss ?? undefined),
      train_loss: finiteOrNull(p.train_loss ?? undefined),
      val_loss: finiteOrNull(p.val_loss ?? undefined),
    })),
    results: job.results.map(apiResult),
  };
}

export function apiResult(result: CategoryResult) {
  return {
    category: result.category,
    status: result.status,
    reason: result.reason ?? null,
    held_back: result.heldBack ?? null,
    version: result.version ?? null,
    run_id: result.runId ?? null,
    epochs: result.epochs,
    best_epoch: result.bestEpoch,
    seconds: result.seconds,
    metrics: result.metrics ? apiMetrics(result.metrics) : null,
    baselines: result.baselines
      ? Object.fromEntries(Object.entries(result.baselines).map(([name, m]) => [name, apiMetrics(m)]))
      : null,
    test_metrics: result.testMetrics ? apiMetrics(result.testMetrics) : null,
  };
}

function apiMetrics(m: ForecastMetrics) {
  return { rmse: finiteOrNull(m.rmse), mae: finiteOrNull(m.mae), smape: finiteOrNull(m.smape), mase: finiteOrNull(m.mase) };
}
