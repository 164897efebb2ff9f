// GET /api/health: the process answers (the reference's {"status": "ok"}, plus what it serves).
// GET /api/ready: 503 until at least one model is loaded, so a load balancer sends no
// prediction traffic to a server that can only answer 404.
import type { FastifyPluginAsync } from "fastify";
import { salescastVersion } from "../../version.js";
import { HttpError } from "../errors.js";
import { errorResponses } from "./schemas.js";

const loadedModel = {
  type: "object",
  required: ["category", "version", "window_size"],
  properties: {
    category: { type: "string" },
    version: { type: ["integer", "null"] },
    window_size: { type: "integer" },
    inference: { type: "string", enum: ["fast", "reference"], description: "app.inference: fast = the fastest path for the model, reference = the engine" },
    predictor: { type: "string", enum: ["native", "wasm", "engine"], description: "The code computing this model's forecasts (native backend, WebAssembly SIMD or the engine)" },
  },
} as const;

export const healthRoutes: FastifyPluginAsync = async (app) => {
  const { models, startedAt } = app.salescast;
  const loaded = () =>
    models.loaded().map((f) => ({ category: f.category, version: f.version ?? null, window_size: f.windowSize, inference: f.inference, predictor: f.predictor }));

  app.get(
    "/health",
    {
      schema: {
        tags: ["health"],
        summary: "The server is up",
        response: {
          200: {
            type: "object",
            required: ["status", "version", "models"],
            properties: {
              status: { type: "string", enum: ["ok"] },
              version: { type: "string", description: "salescast version" },
              uptime_seconds: { type: "number" },
              models: { type: "array", items: loadedModel, description: "Models loaded in memory" },
            },
          },
        },
      },
    },
    async () => ({ status: "ok" as const, version: salescastVersion(), uptime_seconds: (Date.now() - startedAt) / 1000, models: loaded() }),
  );

  app.get(
    "/ready",
    {
      schema: {
        tags: ["health"],
        summary: "The server has at least one model loaded (503 until then)",
        response: {
          200: {
            type: "object",
            required: ["status", "models"],
            properties: { status: { type: "string", enum: ["ready"] }, models: { type: "array", items: loadedModel } },
          },
          ...errorResponses(503),
        },
      },
    },
    async () => {
      let ready = loaded();
      // A model registered since the last look (a training just finished) makes the server ready.
      if (ready.length === 0) {
        await models.refresh();
        ready = loaded();
      }
      if (ready.length === 0) {
        throw new HttpError(
          503,
          "not_ready",
          "no model is loaded yet: train one (salescast train, or POST /api/train) and this answers 200 once it is registered",
        );
      }
      return { status: "ready" as const, models: ready };
    },
  );
};
