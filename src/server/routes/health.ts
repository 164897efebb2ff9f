// GET /api/health: the process answers (the reference's {"status": "ok"}, plus what it serves
// and the engine backend it computes on, with why the native one is unavailable when it is).
// GET /api/ready: 503 until at least one model is loaded, so a load balancer sends no
// prediction traffic to a server that can only answer 404.
import type { FastifyPluginAsync } from "fastify";
import { BACKEND_CHOICES } from "../../config/engine-backend.js";
import { availableBackends, nativeBackendPublicProblem } from "../../engine/backends/index.js";
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
    backend: { type: "string", enum: availableBackends(), description: "The engine backend computing this model's forecasts" },
  },
} as const;

const engine = {
  type: "object",
  required: ["setting", "backend", "native_unavailable"],
  description: "The engine backend (engine.backend) new models are loaded on",
  properties: {
    setting: { type: "string", enum: [...BACKEND_CHOICES], description: "engine.backend: auto = native when its addon loads, else reference" },
    backend: { type: "string", enum: availableBackends(), description: "The backend the setting stands for in this process" },
    native_unavailable: { type: ["string", "null"], description: "Why the native backend cannot be used here (null when it can)" },
  },
} as const;

export const healthRoutes: FastifyPluginAsync = async (app) => {
  const { models, startedAt, options } = app.salescast;
  const loaded = () => models.loaded().map((f) => ({ category: f.category, version: f.version ?? null, window_size: f.windowSize, backend: f.backend }));
  const engineStatus = () => ({
    setting: options.config.engine.backend,
    backend: options.backend.name,
    native_unavailable: nativeBackendPublicProblem() ?? null,
  });

  app.get(
    "/health",
    {
      schema: {
        tags: ["health"],
        summary: "The server is up",
        response: {
          200: {
            type: "object",
            required: ["status", "version", "engine", "models"],
            properties: {
              status: { type: "string", enum: ["ok"] },
              version: { type: "string", description: "salescast version" },
              uptime_seconds: { type: "number" },
              engine,
              models: { type: "array", items: loadedModel, description: "Models loaded in memory" },
            },
          },
        },
      },
    },
    async () => ({ status: "ok" as const, version: salescastVersion(), uptime_seconds: (Date.now() - startedAt) / 1000, engine: engineStatus(), models: loaded() }),
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
