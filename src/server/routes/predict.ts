// POST /api/predict and POST /api/predict/{category}: the reference's contract
//   {"series": [window_size numbers]} -> {"predicted_sales": number}
// (wrong length -> 422 "Series must contain exactly N values"), plus two additions that leave
// it intact: "horizon" adds "forecast" (h values, recursive), and {"instances": [[...], ...]}
// answers {"predictions": [...]} for many windows in one engine call.
// "level": [80, 95] (series form) adds "intervals": one {level, lower, upper} per level, one
// bound per forecast step, from the split conformal calibration stored with the model.
// Without "level" the answer is exactly what it was.
// "last_date": the date (YYYY-MM-DD) of the window's last value; required by models trained with
// calendar features (422 "invalid_last_date" otherwise), ignored by the others. "covariates": the
// future-known covariate values a model trained with model.features.covariates needs.
// A request asking for more than app.max_forecast_values values (windows × horizon) answers
// 413; large batches are computed in slices so other requests are answered meanwhile
// (forecast-work.ts).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { SalesForecaster } from "../../forecaster/sales-forecaster.js";
import { MAX_HORIZON } from "../../forecaster/sales-forecaster.js";
import { HttpError } from "../errors.js";
import { checkForecastSize, forecastInSlices } from "../forecast-work.js";
import type { ForecastLimits } from "../options.js";
import { categoryParam, errorResponses } from "./schemas.js";

/** A batch larger than this is refused (the body limit usually stops it first). */
export const MAX_INSTANCES = 10_000;

interface PredictBody {
  series?: number[];
  instances?: number[][];
  horizon?: number;
  level?: number[];
  last_date?: string;
  covariates?: Record<string, number[]>;
}

/** More levels than this in one request is refused (a band each; nobody needs more). */
export const MAX_LEVELS = 10;

const levelValue = { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 100 } as const;

const intervalBand = {
  type: "object",
  additionalProperties: false,
  required: ["level", "lower", "upper"],
  properties: {
    level: { type: "number", description: "Nominal coverage in percent" },
    lower: { type: "array", items: { type: "number" }, description: "Lower bound per forecast step" },
    upper: { type: "array", items: { type: "number" }, description: "Upper bound per forecast step" },
  },
} as const;

const window = { type: "array", items: { type: "number" }, maxItems: 100_000 } as const;

const predictSchema = {
  body: {
    type: "object",
    additionalProperties: false,
    description: 'Send "series" (one window) or "instances" (many windows), oldest value first.',
    properties: {
      series: { ...window, description: "The last window_size values of the category, oldest first" },
      instances: {
        type: "array",
        items: window,
        minItems: 1,
        maxItems: MAX_INSTANCES,
        description: "Several windows, each of window_size values",
      },
      horizon: {
        type: "integer",
        minimum: 1,
        maximum: MAX_HORIZON,
        description: "Periods ahead; each prediction is fed back as input for the next (recursive)",
      },
      level: {
        type: "array",
        items: levelValue,
        minItems: 1,
        maxItems: MAX_LEVELS,
        description: "Prediction interval levels in percent, e.g. [80, 95] (series form only); each must be one the model was calibrated for",
      },
      last_date: {
        type: "string",
        maxLength: 32,
        description:
          "Date (YYYY-MM-DD) of the window's last value (of every instance's last value). Required by models trained with calendar " +
          "features (model.features), which read the day of week, month or holidays of each period; ignored by other models",
      },
      covariates: {
        type: "object",
        maxProperties: 100,
        additionalProperties: { type: "array", items: { type: "number" }, maxItems: 100_000 },
        description:
          "Models trained with covariates (model.features.covariates, values known in advance such as a promotion flag): " +
          "per covariate, one value for each period of the window and each forecast period (window_size + horizon values, oldest first). " +
          "Series form only; ignored by other models",
      },
    },
  },
  response: {
    200: {
      type: "object",
      additionalProperties: false,
      properties: {
        predicted_sales: { type: "number", description: "The next period (series form)" },
        forecast: { type: "array", items: { type: "number" }, description: "horizon values (series form with horizon)" },
        predictions: { type: "array", items: { type: "number" }, description: "The next period of each instance" },
        forecasts: {
          type: "array",
          items: { type: "array", items: { type: "number" } },
          description: "horizon values per instance (instances form with horizon)",
        },
        intervals: {
          type: "array",
          items: intervalBand,
          description: 'One band per requested level (only when "level" is sent): forecast ± the calibrated half-width of each step',
        },
      },
    },
    ...errorResponses(400, 404, 413, 415, 422, 500),
  },
} as const;

export const predictRoutes: FastifyPluginAsync = async (app) => {
  const { models, metrics, options, defaultCategory, monitor } = app.salescast;
  // A valid request in the OpenAPI document (Swagger UI's "Try it out", the fuzzer's examples
  // phase, which otherwise never reaches a 200): one window of the configured length.
  const exampleWindow = Array.from({ length: options.config.data.window_size }, (_, i) => 100 + (i % 7) * 10);
  const limits = options.forecastLimits;
  const instancesDescription =
    `${predictSchema.body.properties.instances.description}; at most ${limits.maxValues.toLocaleString("en-US")} ` +
    "forecast values (windows × horizon) per request (app.max_forecast_values), 413 beyond";
  const body = {
    ...predictSchema.body,
    properties: { ...predictSchema.body.properties, instances: { ...predictSchema.body.properties.instances, description: instancesDescription } },
    examples: [{ series: exampleWindow }],
  };

  const answer = async (category: string, request: FastifyRequest<{ Body: PredictBody }>, reply: FastifyReply) => {
    const body = request.body;
    // Refused before any work (and before the model is even looked up).
    if (body.instances !== undefined) checkForecastSize(body.instances.length, body.horizon ?? 1, limits);
    const forecaster = await models.get(category);
    reply.header("x-model-version", `${forecaster.version ?? "unregistered"}`);
    const abandoned = () => request.raw.socket?.destroyed === true;
    const result = await predict(forecaster, body, limits, abandoned);
    metrics.predictions.inc({ category }, body.instances?.length ?? 1);
    // A dated forecast is kept to be scored when its actual arrives (POST /api/actuals).
    if (body.last_date !== undefined && "predicted_sales" in result) {
      const steps = "forecast" in result && result.forecast ? result.forecast : [result.predicted_sales as number];
      monitor.record(category, forecaster, body.last_date, steps, "intervals" in result ? result.intervals : []);
    }
    return result;
  };

  app.post<{ Body: PredictBody }>(
    "/predict",
    {
      schema: {
        tags: ["predict"],
        summary: `Forecast the default category (data.item_id, here ${options.config.data.item_id}; a file of one series: that series)`,
        ...predictSchema,
        body,
      },
    },
    async (request, reply) => answer(await defaultCategory(), request, reply),
  );

  app.post<{ Body: PredictBody; Params: { category: string } }>(
    "/predict/:category",
    {
      schema: { tags: ["predict"], summary: "Forecast one category", params: categoryParam, ...predictSchema, body },
    },
    async (request, reply) => answer(request.params.category, request, reply),
  );
};

async function predict(forecaster: SalesForecaster, body: PredictBody, limits: ForecastLimits, abandoned: () => boolean) {
  const { series, instances, horizon, last_date: lastDate, covariates } = body;
  if (series !== undefined && instances !== undefined) {
    throw new HttpError(422, "validation_error", 'body has both "series" and "instances"; send one of them');
  }
  const levels = body.level === undefined ? undefined : [...new Set(body.level)];
  if (instances !== undefined) {
    if (levels !== undefined) {
      throw new HttpError(422, "validation_error", '"level" works with the "series" form only; send one window as "series" to get intervals');
    }
    const forecasts = await forecastInSlices(forecaster, instances, horizon ?? 1, lastDate, limits, abandoned);
    const predictions = forecasts.map((steps) => steps[0]);
    return horizon === undefined ? { predictions } : { predictions, forecasts };
  }
  if (series === undefined) {
    throw new HttpError(
      422,
      "validation_error",
      `body is missing the required field "series": send {"series": [${forecaster.windowSize} numbers, oldest first]} ` +
        `(or {"instances": [[...], ...]} for several windows)`,
    );
  }
  if (levels !== undefined) {
    const { forecast, intervals } = forecaster.forecastWithIntervals(series, { horizon: horizon ?? 1, levels, lastDate, covariates });
    return horizon === undefined ? { predicted_sales: forecast[0], intervals } : { predicted_sales: forecast[0], forecast, intervals };
  }
  if (horizon === undefined) return { predicted_sales: forecaster.forecast(series, { lastDate, covariates }) };
  const forecast = forecaster.forecast(series, { horizon, lastDate, covariates });
  return { predicted_sales: forecast[0], forecast };
}
