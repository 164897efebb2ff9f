// GET /api/health: the process answers (the reference's {"status": "ok"}, plus what it serves
// and the engine backend it computes on, with why the native one is unavailable when it is).
// GET /api/ready: 503 until at least one model is loaded, so a load balancer sends no
// prediction traffic to a server that can only answer 404; 200 "degraded" (still serving) while
// the registry has not answered lately or a served version fell back to an older one, with why.
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
    backend: { type: "string", enum: availableBackends(), description: "The engine backend computing this model's network (absent for a model without one)" },
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

const registryStatus = {
  type: "object",
  required: ["kind", "state", "reason", "stale_seconds", "fallbacks"],
  description: "The model registry behind the served models (MLflow's is read from a snapshot polled in the background)",
  properties: {
    kind: { type: "string", enum: ["local", "mlflow"] },
    state: {
      type: "string",
      enum: ["ok", "degraded", "unavailable"],
      description: "degraded: serving from the last answer; unavailable: nothing to serve from yet",
    },
    reason: { type: ["string", "null"] },
    stale_seconds: {
      type: ["number", "null"],
      description: "Seconds since the registry last confirmed what is served (null: never, or a local registry read directly)",
    },
    fallbacks: {
      type: "array",
      description: "Categories served by an older version because the registry's one does not load",
      items: {
        type: "object",
        required: ["category", "wanted_version", "serving_version", "reason"],
        properties: {
          category: { type: "string" },
          wanted_version: { type: "integer" },
          serving_version: { type: ["integer", "null"], description: "null: no version of the category loads" },
          reason: { type: "string" },
        },
      },
    },
  },
} as const;

export const healthRoutes: FastifyPluginAsync = async (app) => {
  const { models, startedAt, options, registry } = app.salescast;
  const registryState = () => {
    const health = registry.health();
    return {
      kind: registry.kind,
      state: health.state,
      reason: health.reason ?? null,
      stale_seconds: registry.kind === "mlflow" && health.stalenessSeconds !== undefined ? Math.round(health.stalenessSeconds) : null,
      fallbacks: registry.fallbacks().map((f) => ({ category: f.category, wanted_version: f.wanted, serving_version: f.serving ?? null, reason: f.reason })),
    };
  };
  /** Why the server is degraded, one sentence each; [] when it is not. */
  const degradedReasons = (state: ReturnType<typeof registryState>): string[] => [
    ...(state.state === "ok"
      ? []
      : [`the model registry (${state.kind}) has not answered for ${state.stale_seconds ?? "?"} s: ${state.reason ?? "no answer"}; serving its last answer`]),
    ...state.fallbacks.map((f) =>
      f.serving_version === null
        ? `${f.category}: version ${f.wanted_version} does not load and no earlier version does (${f.reason})`
        : `${f.category}: serving version ${f.serving_version} because version ${f.wanted_version} does not load (${f.reason})`,
    ),
  ];
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
            required: ["status", "version", "engine", "registry", "models"],
            properties: {
              status: { type: "string", enum: ["ok"] },
              version: { type: "string", description: "salescast version" },
              uptime_seconds: { type: "number" },
              engine,
              registry: registryStatus,
              models: { type: "array", items: loadedModel, description: "Models loaded in memory" },
            },
          },
        },
      },
    },
    async () => ({
      status: "ok" as const,
      version: salescastVersion(),
      uptime_seconds: (Date.now() - startedAt) / 1000,
      engine: engineStatus(),
      registry: registryState(),
      models: loaded(),
    }),
  );

  app.get(
    "/ready",
    {
      schema: {
        tags: ["health"],
        summary: "The server has at least one model loaded (503 until then); degraded while serving from a registry snapshot or an older version",
        response: {
          200: {
            type: "object",
            required: ["status", "reasons", "models"],
            properties: {
              status: { type: "string", enum: ["ready", "degraded"], description: "degraded: predictions are answered, but see reasons" },
              reasons: { type: "array", items: { type: "string" }, description: "Why degraded ([] when ready)" },
              models: { type: "array", items: loadedModel },
            },
          },
          ...errorResponses(503),
        },
      },
    },
    async () => {
      let ready = loaded();
      // A model registered since the last look (a training just finished) makes the server ready.
      if (ready.length === 0 && registry.health().state !== "unavailable") {
        await models.refresh();
        ready = loaded();
      }
      const state = registryState();
      if (ready.length === 0) {
        throw new HttpError(
          503,
          "not_ready",
          state.state === "unavailable"
            ? `no model is loaded yet: the model registry (${state.kind}) has not answered since the start and no earlier answer is saved (${state.reason ?? "no answer"}); this answers 200 once it does`
            : "no model is loaded yet: train one (salescast train, or POST /api/train) and this answers 200 once it is registered",
        );
      }
      const reasons = degradedReasons(state);
      return { status: reasons.length === 0 ? ("ready" as const) : ("degraded" as const), reasons, models: ready };
    },
  );
};
