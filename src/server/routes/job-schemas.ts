// The JSON shape of training jobs and their results, and the conversion from the manager's
// snapshots (which may hold NaN metrics: JSON has no NaN, so they go out as null). A result is
// written by training's own resultJson, the function `salescast train --json` uses too.
import { resultJson } from "../../training/result-json.js";
import { finiteOrNull } from "../../util/finite-or-null.js";
import type { JobSnapshot } from "../jobs/job-manager.js";
import { metricsSchema } from "./schemas.js";

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
      loss: finiteOrNull(p.loss),
      train_loss: finiteOrNull(p.train_loss),
      val_loss: finiteOrNull(p.val_loss),
    })),
    results: job.results.map(resultJson),
  };
}

/** One category's result (also the "result" server-sent event). */
export { resultJson as apiResult };
