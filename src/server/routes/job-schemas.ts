// The JSON shape of training jobs, their results and the settings a job may change ("overrides",
// in requests and in answers alike), and the conversion from the manager's snapshots (which may
// hold NaN metrics: JSON has no NaN, so they go out as null). A result is written by training's
// own resultJson, the function `salescast train --json` uses too. Every key the server always
// sends is "required", so the dashboard's generated types (web/src/api-types.gen.ts) need no guessing.
import { ARCHITECTURES } from "../../config/schema.js";
import { resultJson } from "../../training/result-json.js";
import { finiteOrNull } from "../../util/finite-or-null.js";
import type { JobSnapshot } from "../jobs/job-manager.js";
import { metricsSchema } from "./schemas.js";

/** Longest training a request may ask for (train.max_epochs itself has no upper bound in config.yaml). */
export const MAX_EPOCHS_OVERRIDE = 1000;

/**
 * The settings a training request may change, by section as in config.yaml. Only types here: the
 * values are checked by the configuration's own schema (src/config/schema.ts) after merging, so
 * the answer names the rule config.yaml would apply ("overrides.data.window_size: must be at least 3").
 * Paths, the tracking store and the server's own settings are not among them.
 */
export const overridesSchema = {
  type: "object",
  additionalProperties: false,
  description:
    "Settings for this job only, over the server's configuration (same keys and rules as config.yaml); e.g. " +
    '{"train": {"max_epochs": 5, "seed": 7}, "data": {"window_size": 28}, "model": {"features": {"day_of_week": true}}}',
  properties: {
    data: {
      type: "object",
      additionalProperties: false,
      properties: { window_size: { type: "integer", description: "Input length in periods (data.window_size, at least 3)" } },
    },
    model: {
      type: "object",
      additionalProperties: false,
      properties: {
        architecture: { type: "string", maxLength: 100, description: `model.architecture: ${ARCHITECTURES.join(", ")}` },
        features: {
          type: "object",
          additionalProperties: false,
          properties: {
            day_of_week: { type: "boolean", description: "Day-of-week input channels (model.features.day_of_week)" },
            month: { type: "boolean", description: "Month input channels (model.features.month)" },
          },
        },
      },
    },
    train: {
      type: "object",
      additionalProperties: false,
      properties: {
        max_epochs: { type: "integer", maximum: MAX_EPOCHS_OVERRIDE, description: `Epochs (train.max_epochs; at most ${MAX_EPOCHS_OVERRIDE} through the API)` },
        seed: { type: "integer", description: "Seed of the weights and the shuffling (train.seed, at least 0)" },
      },
    },
  },
} as const;

const nullableMetrics = { ...metricsSchema, type: ["object", "null"] } as const;

export const resultSchema = {
  type: "object",
  required: [
    "category",
    "status",
    "model",
    "reason",
    "held_back",
    "version",
    "run_id",
    "epochs",
    "best_epoch",
    "seconds",
    "metrics",
    "baselines",
    "test_metrics",
    "auto",
  ],
  properties: {
    category: { type: "string" },
    status: { type: "string", enum: ["ok", "skipped", "failed"] },
    model: { type: ["string", "null"], description: "The model kind trained (model.architecture), when one was" },
    reason: { type: ["string", "null"], description: "Why the category was skipped or failed, or why its new model is not served" },
    held_back: { type: ["string", "null"], description: "Set when the new model was registered but is not served (absurd validation errors)" },
    version: { type: ["integer", "null"], description: "Registry version of the new model" },
    run_id: { type: ["string", "null"] },
    epochs: { type: "integer" },
    best_epoch: { type: "integer" },
    seconds: { type: "number" },
    metrics: { ...nullableMetrics, description: "The model on the validation part, sales units" },
    baselines: { type: ["object", "null"], additionalProperties: metricsSchema, description: "naive, seasonal_naive, moving_average" },
    test_metrics: nullableMetrics,
    auto: {
      type: ["object", "null"],
      description:
        "With model.architecture auto: the tournament's champion, why it won, its MASE on the evaluation windows, and whether it took the alias champion or challenger",
      required: ["champion", "reason", "evaluation_mase", "decision", "comparison"],
      properties: {
        champion: { type: "string" },
        reason: { type: "string" },
        evaluation_mase: { type: ["number", "null"] },
        decision: { type: "string", enum: ["champion", "challenger"] },
        comparison: { type: "string" },
      },
    },
  },
} as const;

const progressSchema = {
  type: "object",
  required: ["category", "state", "epoch", "max_epochs", "batch", "batches", "loss", "train_loss", "val_loss"],
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
  required: ["id", "kind", "state", "categories", "experiment_name", "overrides", "created_at", "started_at", "finished_at", "progress", "results", "error"],
  properties: {
    id: { type: "string" },
    kind: { type: "string", enum: ["train", "train_all"] },
    state: { type: "string", enum: ["queued", "running", "succeeded", "failed", "cancelled"] },
    categories: { type: "array", items: { type: "string" } },
    experiment_name: { type: "string" },
    overrides: { ...overridesSchema, description: "Settings the job changes over the server's configuration, as sent ({} for none)" },
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
