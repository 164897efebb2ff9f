// The tracking store's runs, for the dashboard's Runs and Train pages.
//
// GET /api/runs?category&experiment&status   the tracking store's runs, newest first, and the store kind
// GET /api/runs/{id}                         one run
// GET /api/runs/{id}/metrics/{key}           one metric's history (loss curves)
// GET /api/runs/{id}/artifacts/{path}        one artifact file (the evaluation plot), local store only
//
// An artifact is served only when its path is one the store lists for that run, matched
// exactly, so no request path ever reaches the file system unchecked.
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { FastifyPluginAsync } from "fastify";
import type { Config } from "../../config/schema.js";
import { trackingStoreFor, TrackingError, type RunInfo, type TrackingStore } from "../../tracking/index.js";
import { runJson } from "../../tracking/run-json.js";
import { finiteOrNull } from "../../util/finite-or-null.js";
import { HttpError } from "../errors.js";
import { errorResponses } from "./schemas.js";

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".yaml": "text/plain; charset=utf-8",
  ".yml": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

const numberOrNull = { type: ["number", "null"] } as const;

const runSchema = {
  type: "object",
  required: ["run_id", "run_name", "experiment_id", "experiment_name", "status", "start_time", "end_time", "tags", "params", "metrics", "artifacts", "error"],
  properties: {
    run_id: { type: "string" },
    run_name: { type: "string" },
    experiment_id: { type: "string" },
    experiment_name: { type: "string" },
    status: { type: "string", enum: ["RUNNING", "FINISHED", "FAILED", "KILLED"] },
    start_time: { type: "integer", description: "ms since the epoch" },
    end_time: { type: ["integer", "null"] },
    tags: { type: "object", additionalProperties: { type: "string" } },
    params: { type: "object", additionalProperties: { type: "string" } },
    metrics: { type: "object", additionalProperties: numberOrNull, description: "Latest value per key; NaN/Infinity as null" },
    artifacts: { type: "array", items: { type: "string" } },
    error: { type: ["string", "null"] },
  },
} as const;

const storeSchema = {
  type: "object",
  required: ["kind", "ui_url"],
  properties: {
    kind: { type: "string", enum: ["local", "mlflow"] },
    ui_url: { type: ["string", "null"], description: "The MLflow UI (the tracking server's address) when kind is mlflow" },
  },
} as const;

const runIdParam = { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" } as const;

// A metric key as the tracking store accepts it (src/tracking/validate.ts checkKey): letters,
// digits, _ - . : / and space, no leading "/", no "." or ".." part. Stated in the schema so an
// impossible key answers 422 from validation, as documented (found by fuzzing).
const KEY_PART = "(?:[A-Za-z0-9_\\- :][A-Za-z0-9_\\-. :]*|\\.[A-Za-z0-9_\\- :][A-Za-z0-9_\\-. :]*|\\.\\.[A-Za-z0-9_\\-. :]+)";
const metricKeyParam = { type: "string", minLength: 1, maxLength: 250, pattern: `^${KEY_PART}(?:/${KEY_PART}?)*$` } as const;

// Artifact files go out with the content type of their extension (CONTENT_TYPES).
const artifactFile = {
  description: "The file, with the content type of its extension",
  content: Object.fromEntries(
    [...new Set([...Object.values(CONTENT_TYPES), "application/octet-stream"])].map((type) => [type, { schema: { type: "string", format: "binary" } }]),
  ),
};
/** The store's own errors with the status they deserve (not_found 404, invalid 422, conflict 409). */
function httpError(error: unknown): unknown {
  if (!(error instanceof TrackingError)) return error;
  const status = error.code === "not_found" ? 404 : error.code === "conflict" ? 409 : 422;
  return new HttpError(status, error.code === "not_found" ? "run_not_found" : "invalid_request", error.message);
}

export interface RunsRoutesOptions {
  config: Config;
  /** Default: trackingStoreFor(config), opened on first use. */
  store?: TrackingStore;
}

export const runsRoutes: FastifyPluginAsync<RunsRoutesOptions> = async (app, options) => {
  let store = options.store;
  const { registry } = app.salescast;
  const theStore = (): TrackingStore => {
    let opened: TrackingStore;
    try {
      // The server's waits for MLflow are short (tracking.registry_timeout_seconds, two attempts): a reader is waiting.
      opened = store ??= trackingStoreFor(options.config, { retry: { attempts: 2, timeoutMs: options.config.tracking.registry_timeout_seconds * 1000 } });
    } catch (error) {
      throw new HttpError(503, "tracking_unavailable", `the tracking store cannot be opened: ${(error as Error).message}`);
    }
    // While the background look at the same MLflow server fails, a reader is told at once rather than after its retries.
    const health = registry.kind === "mlflow" && opened.kind === "mlflow" ? registry.health() : undefined;
    if (health && health.state !== "ok" && health.consecutiveFailures > 0) {
      throw new HttpError(
        503,
        "tracking_unavailable",
        `the tracking server ${opened.uri} has not answered for ${Math.round(health.stalenessSeconds ?? 0)} s (${health.reason ?? "no answer"}); ` +
          "runs are read from it, so try again once it is back; the served models keep answering",
        { "retry-after": "30" },
      );
    }
    return opened;
  };
  const storeInfo = (s: TrackingStore) => ({ kind: s.kind, ui_url: s.kind === "mlflow" ? s.uri : null });

  app.get<{ Querystring: { category?: string; experiment?: string; status?: RunInfo["status"] } }>(
    "/runs",
    {
      schema: {
        tags: ["tracking"],
        summary: "Experiment runs from the tracking store, newest first",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            category: { type: "string", minLength: 1, maxLength: 200, description: "Runs of this category (tag item_id)" },
            experiment: { type: "string", minLength: 1, maxLength: 500 },
            status: { type: "string", enum: ["RUNNING", "FINISHED", "FAILED", "KILLED"] },
          },
        },
        response: {
          200: { type: "object", required: ["store", "runs"], properties: { store: storeSchema, runs: { type: "array", items: runSchema } } },
          ...errorResponses(422, 503),
        },
      },
    },
    async (request) => {
      const s = theStore();
      const { category, experiment, status } = request.query;
      try {
        const runs = await s.listRuns({ category, experimentName: experiment, status });
        return { store: storeInfo(s), runs: runs.map(runJson) };
      } catch (error) {
        throw httpError(error);
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    "/runs/:id",
    {
      schema: {
        tags: ["tracking"],
        summary: "One run",
        params: { type: "object", required: ["id"], additionalProperties: false, properties: { id: runIdParam } },
        response: { 200: runSchema, ...errorResponses(404, 503) },
      },
    },
    async (request) => {
      try {
        return runJson(await theStore().getRun(request.params.id));
      } catch (error) {
        throw httpError(error);
      }
    },
  );

  app.get<{ Params: { id: string; key: string } }>(
    "/runs/:id/metrics/:key",
    {
      schema: {
        tags: ["tracking"],
        summary: "The history of one metric of a run (e.g. train_loss, val_loss by epoch)",
        params: {
          type: "object",
          required: ["id", "key"],
          additionalProperties: false,
          properties: { id: runIdParam, key: metricKeyParam },
        },
        response: {
          200: {
            type: "object",
            required: ["key", "history"],
            properties: {
              key: { type: "string" },
              history: {
                type: "array",
                items: {
                  type: "object",
                  required: ["step", "value", "timestamp"],
                  properties: { step: { type: "integer" }, value: numberOrNull, timestamp: { type: "integer" } },
                },
              },
            },
          },
          ...errorResponses(404, 422, 503),
        },
      },
    },
    async (request) => {
      const { id, key } = request.params;
      try {
        const s = theStore();
        await s.getRun(id); // an unknown run is a 404, not an empty history
        // A key too long for a local file name was never logged: the store answers an empty
        // history (fuzz finding), not a server error.
        const history = await s.getMetricHistory(id, key);
        return { key, history: history.map((p) => ({ step: p.step, value: finiteOrNull(p.value), timestamp: p.timestamp })) };
      } catch (error) {
        throw httpError(error);
      }
    },
  );

  app.get<{ Params: { id: string; "*": string } }>(
    "/runs/:id/artifacts/*",
    {
      schema: {
        tags: ["tracking"],
        summary: "One artifact file of a run (local tracking store only)",
        params: { type: "object", required: ["id", "*"], properties: { id: runIdParam, "*": { type: "string", minLength: 1, maxLength: 1000 } } },
        response: { 200: artifactFile, ...errorResponses(404, 422, 501, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const path = request.params["*"];
      const s = theStore();
      let run: RunInfo;
      try {
        run = await s.getRun(id);
      } catch (error) {
        throw httpError(error);
      }
      if (!run.artifacts.includes(path)) {
        throw new HttpError(404, "artifact_not_found", `run ${id} has no artifact ${JSON.stringify(path)}; it has: ${run.artifacts.join(", ") || "none"}`);
      }
      if (!s.artifactPath) {
        throw new HttpError(501, "not_implemented", `artifacts of an MLflow store are served by the MLflow UI (${s.uri}), not by salescast`);
      }
      const body = await readFile(await s.artifactPath(id, path));
      return reply
        .type(CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream")
        .header("cache-control", "private, max-age=3600")
        .header("x-content-type-options", "nosniff")
        .send(body);
    },
  );
};
