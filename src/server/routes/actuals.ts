// POST /api/actuals/{category}: the actual values of past dates, to score the forecasts the
// server answered for them (src/server/monitoring/forecast-monitor.ts); GET
// /api/monitoring/{category}: the live figures and the served version's validation MASE. Needs the API key like
// the training routes (it changes what /metrics reports). The answer says how many were scored,
// how many dates had no recorded forecast (only "series" requests with "last_date" are
// recorded), and the category's live figures.
import type { FastifyPluginAsync } from "fastify";
import { epochDayFromIso } from "../../data/dates.js";
import { apiKeyCheck } from "../auth.js";
import { HttpError } from "../errors.js";
import { versionMetrics } from "../monitoring/actuals-from-data.js";
import { categoryParam, errorResponses } from "./schemas.js";

export const MAX_ACTUALS = 10_000;

const liveSchema = {
  type: "object",
  required: ["category", "scored", "mae", "mase", "validation_mase", "coverage"],
  properties: {
    category: { type: "string" },
    scored: { type: "integer", description: "Scored forecasts the live figures are over (the last app.monitor_window)" },
    mae: { type: ["number", "null"] },
    mase: { type: ["number", "null"], description: "Live MASE, on the served versions' own scale (null without one)" },
    validation_mase: { type: ["number", "null"], description: "The same versions' validation MASE, to compare with" },
    coverage: {
      type: "array",
      items: {
        type: "object",
        required: ["level", "coverage", "forecasts"],
        properties: { level: { type: "number" }, coverage: { type: "number" }, forecasts: { type: "integer" } },
      },
    },
  },
} as const;

export const actualsRoutes: FastifyPluginAsync = async (app) => {
  const { options, monitor, registry } = app.salescast;
  const requireKey = apiKeyCheck(options.requireApiKey, options.apiKey);

  app.post<{ Params: { category: string }; Body: { actuals: Array<{ date: string; value: number }> } }>(
    "/actuals/:category",
    {
      onRequest: requireKey,
      schema: {
        tags: ["monitoring"],
        summary: "Actual values of past dates: scores the forecasts served for them (live MASE and interval coverage on /metrics)",
        params: categoryParam,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["actuals"],
          properties: {
            actuals: {
              type: "array",
              minItems: 1,
              maxItems: MAX_ACTUALS,
              items: {
                type: "object",
                additionalProperties: false,
                required: ["date", "value"],
                properties: { date: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, value: { type: "number" } },
              },
            },
          },
        },
        response: {
          200: {
            type: "object",
            required: ["scored", "unmatched", "live"],
            properties: { scored: { type: "integer" }, unmatched: { type: "integer" }, live: liveSchema },
          },
          ...errorResponses(401, 404, 422),
        },
      },
    },
    async (request) => {
      const { category } = request.params;
      const bad = request.body.actuals.find((a) => epochDayFromIso(a.date) === undefined);
      if (bad) throw new HttpError(422, "validation_error", `actuals: ${JSON.stringify(bad.date)} is not a calendar date (YYYY-MM-DD)`);
      const versions = await registry.versions(category);
      if (versions.length === 0) {
        throw new HttpError(404, "model_not_found", `no model is registered for category ${JSON.stringify(category)}; its forecasts cannot have been served`);
      }
      return monitor.score(category, request.body.actuals, await versionMetrics({ versions: async () => versions }, category));
    },
  );

  // What the dashboard shows: the live figures beside the served version's validation (backtest) MASE.
  app.get<{ Params: { category: string } }>(
    "/monitoring/:category",
    {
      schema: {
        tags: ["monitoring"],
        summary: "Live forecast quality of a category (scored served forecasts) beside its served version's validation MASE",
        params: categoryParam,
        response: {
          200: {
            type: "object",
            required: ["category", "served", "live", "waiting"],
            properties: {
              category: { type: "string" },
              served: {
                type: ["object", "null"],
                required: ["version", "validation_mase"],
                description: "The version served now and the MASE it had on its validation part (null when none is served)",
                properties: { version: { type: "integer" }, validation_mase: { type: ["number", "null"] } },
              },
              live: liveSchema,
              waiting: { type: "integer", description: "Dated forecasts recorded and not scored yet (waiting for their actual values)" },
            },
          },
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const { category } = request.params;
      const versions = await registry.versions(category);
      if (versions.length === 0) throw new HttpError(404, "model_not_found", `no model is registered for category ${JSON.stringify(category)}`);
      const served = (await registry.list()).find((v) => v.category === category);
      const mase = served?.metrics?.val_mase;
      return {
        category,
        served: served ? { version: served.version, validation_mase: mase !== undefined && Number.isFinite(mase) ? mase : null } : null,
        live: monitor.live(category),
        waiting: monitor.pendingDates().get(category)?.length ?? 0,
      };
    },
  );
};
