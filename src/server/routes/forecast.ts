// GET /api/forecast/{category}?h=N: the next N periods after the end of the history, dated, with
// prediction intervals, without the client sending a window (src/forecaster/forecast-from-end.ts).
// GET /api/models/{category}/leaderboard[?version=]: the tournament behind a version trained with
// model.architecture auto (leaderboard.json beside its model.json), as it was stored.
import type { FastifyPluginAsync } from "fastify";
import { forecastFromEnd } from "../../forecaster/forecast-from-end.js";
import { MAX_HORIZON } from "../../forecaster/sales-forecaster.js";
import type { SeriesInput } from "../../models/model.js";
import { parseVersionRef } from "../../registry/index.js";
import { readLeaderboard } from "../../training/leaderboard-file.js";
import { HttpError } from "../errors.js";
import { seriesIndexOf } from "../series-index.js";
import { categoryParam, errorResponses } from "./schemas.js";

const nullableNumber = { type: ["number", "null"] } as const;

const forecastAnswer = {
  type: "object",
  required: ["category", "version", "model", "frequency", "source", "history_end", "horizon", "levels", "forecast"],
  properties: {
    category: { type: "string" },
    version: { type: ["integer", "null"] },
    model: { type: "string", description: "The model kind serving (the tournament's champion with architecture auto)" },
    frequency: { type: "string", enum: ["D", "W"] },
    source: {
      type: "string",
      enum: ["stored history", "data"],
      description: "The history forecast from: the version's own (statistical kinds) or the server's data (the network's last window)",
    },
    history_end: { type: "string", description: "ISO date of the history's last period" },
    horizon: { type: "integer" },
    levels: { type: "array", items: { type: "number" }, description: "Interval levels (percent) with `lo_<level>` and `hi_<level>` in each period" },
    forecast: {
      type: "array",
      items: {
        type: "object",
        required: ["date", "step", "value"],
        additionalProperties: nullableNumber,
        properties: { date: { type: "string" }, step: { type: "integer" }, value: { type: "number" } },
        description: "One period: its date, steps ahead, the forecast, and lo_80, hi_80, lo_95, hi_95 (null beyond the steps a level was calibrated for)",
      },
    },
  },
} as const;

const windowSchema = {
  type: "object",
  required: ["part", "cutoff", "scale", "forecast", "actual", "step_error", "mase"],
  properties: {
    part: { type: "string", enum: ["selection", "evaluation"] },
    cutoff: { type: "string" },
    scale: nullableNumber,
    forecast: { type: "array", items: { type: "number" } },
    actual: { type: "array", items: { type: "number" } },
    step_error: { type: "array", items: { type: "number" } },
    mase: { type: "number" },
  },
} as const;

const coverageSchema = {
  type: "array",
  items: {
    type: "object",
    required: ["level", "covered", "total", "coverage"],
    properties: { level: { type: "number" }, covered: { type: "integer" }, total: { type: "integer" }, coverage: nullableNumber },
  },
} as const;

export const leaderboardSchema = {
  type: "object",
  required: ["format_version", "series", "frequency", "horizon", "step", "selection_cutoffs", "evaluation_cutoffs", "champion", "entries"],
  properties: {
    format_version: { type: "integer" },
    series: { type: "string" },
    frequency: { type: "string", enum: ["D", "W"] },
    horizon: { type: "integer" },
    step: { type: "integer" },
    selection_cutoffs: { type: "array", items: { type: "string" } },
    evaluation_cutoffs: { type: "array", items: { type: "string" } },
    champion: {
      type: "object",
      required: ["model", "kind", "reason", "selection_mase", "evaluation_mase", "fallback"],
      properties: {
        model: { type: "string" },
        kind: { type: "string" },
        reason: { type: "string", description: "Why this model serves" },
        selection_mase: nullableNumber,
        evaluation_mase: nullableNumber,
        fallback: { type: "boolean", description: "True when no candidate had a score and a baseline serves" },
        members: { type: "array", items: { type: "string" }, description: "A combination champion (kind ensemble): the kinds whose mean forecast it is" },
        coverage: { ...coverageSchema, description: "Its intervals (calibrated on the selection windows) checked on the evaluation windows" },
      },
    },
    entries: {
      type: "array",
      items: {
        type: "object",
        required: [
          "model",
          "kind",
          "role",
          "status",
          "reason",
          "description",
          "selection_mase",
          "evaluation_mase",
          "selection_step_mase",
          "evaluation_step_mase",
          "windows",
          "coverage",
          "seconds",
        ],
        properties: {
          model: { type: "string" },
          kind: { type: "string" },
          role: { type: "string", enum: ["candidate", "baseline"] },
          status: { type: "string", enum: ["ok", "skipped", "failed"] },
          reason: { type: ["string", "null"] },
          description: { type: ["string", "null"] },
          selection_mase: nullableNumber,
          evaluation_mase: nullableNumber,
          selection_step_mase: { type: "array", items: { type: "number" } },
          evaluation_step_mase: { type: "array", items: { type: "number" } },
          windows: { type: "array", items: windowSchema },
          coverage: coverageSchema,
          seconds: { type: "number" },
        },
      },
    },
  },
} as const;

export const forecastRoutes: FastifyPluginAsync = async (app) => {
  const { models, data, registry, options } = app.salescast;
  const defaultHorizon = options.config.model.auto.horizon;

  app.get<{ Params: { category: string }; Querystring: { h?: string } }>(
    "/forecast/:category",
    {
      schema: {
        tags: ["predict"],
        summary: "Forecast the next h periods after the end of the category's history, dated, with prediction intervals (no window to send)",
        params: categoryParam,
        querystring: {
          type: "object",
          additionalProperties: false,
          // A query string is text: digits, checked against the range below with a message naming h.
          properties: {
            h: { type: "string", pattern: "^[0-9]{1,6}$", description: `Periods ahead, 1..${MAX_HORIZON} (default model.auto.horizon, ${defaultHorizon})` },
          },
        },
        response: { 200: forecastAnswer, ...errorResponses(404, 422, 500, 503) },
      },
    },
    async (request, reply) => {
      const { category } = request.params;
      const horizon = request.query.h === undefined ? defaultHorizon : Number(request.query.h);
      if (horizon < 1 || horizon > MAX_HORIZON)
        throw new HttpError(422, "invalid_horizon", `h must be a whole number from 1 to ${MAX_HORIZON}, got ${request.query.h}`);
      const forecaster = await models.get(category);
      let series: SeriesInput | undefined;
      if (!forecaster.model.history) {
        const sales = await data.get();
        // The index's map, not a scan of every series (30,490 in a catalogue).
        const found = seriesIndexOf(sales).levels[0].byName.get(category)?.series;
        if (found) series = { name: category, values: found.values, start: found.start, frequency: sales.frequency };
      }
      const result = forecastFromEnd(forecaster, horizon, series);
      reply.header("x-model-version", `${forecaster.version ?? "unregistered"}`);
      return {
        category,
        version: forecaster.version ?? null,
        model: forecaster.kind,
        frequency: forecaster.meta.data.frequency,
        source: result.source,
        history_end: result.historyEnd,
        horizon,
        levels: result.bands.map((band) => band.level),
        forecast: result.dates.map((date, k) => ({
          date,
          step: k + 1,
          value: result.forecast[k],
          ...Object.fromEntries(
            result.bands.flatMap((band) => [
              [`lo_${band.level}`, band.lower[k]],
              [`hi_${band.level}`, band.upper[k]],
            ]),
          ),
        })),
      };
    },
  );

  app.get<{ Params: { category: string }; Querystring: { version?: string } }>(
    "/models/:category/leaderboard",
    {
      schema: {
        tags: ["catalog"],
        summary: "The tournament behind a version trained with model.architecture auto: every candidate's errors per window and step, the champion and why",
        params: categoryParam,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { version: { type: "string", minLength: 1, maxLength: 64, description: "A version number or alias (default: the version served)" } },
        },
        response: {
          200: {
            type: "object",
            required: ["category", "version", "aliases", "leaderboard"],
            properties: {
              category: { type: "string" },
              version: { type: "integer" },
              aliases: { type: "array", items: { type: "string" } },
              leaderboard: leaderboardSchema,
            },
          },
          ...errorResponses(404, 500),
        },
      },
    },
    async (request) => {
      const { category } = request.params;
      const info = await registry.resolve(category, parseVersionRef(request.query.version));
      if (!info) {
        throw new HttpError(
          404,
          "model_not_found",
          `no ${request.query.version === undefined ? "served version" : `version ${JSON.stringify(request.query.version)}`} for category ${JSON.stringify(category)}; GET /api/models/${encodeURIComponent(category)} lists its versions`,
        );
      }
      const leaderboard = await readLeaderboard(info.dir);
      if (!leaderboard) {
        throw new HttpError(
          404,
          "no_leaderboard",
          `version ${info.version} of ${JSON.stringify(category)} was not trained with model.architecture auto, so it has no leaderboard; train it with {"auto": true}`,
        );
      }
      return { category, version: info.version, aliases: info.aliases, leaderboard };
    },
  );
};
