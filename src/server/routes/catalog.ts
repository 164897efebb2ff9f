// GET /api/categories: every category the server knows (in the data, with a model, or both).
// GET /api/models: the version each category serves; GET /api/models/{category}: all its versions.
// Each version says what a forecast from it needs ("inputs": window, horizon, frequency, feature
// channels, covariates), so a client can build a valid request without trial and error.
import type { FastifyPluginAsync } from "fastify";
import { readModelInputs, type ModelInputs } from "../../models/model-inputs.js";
import type { ModelVersionInfo } from "../../registry/index.js";
import { HttpError } from "../errors.js";
import { finiteOrNull } from "../../util/finite-or-null.js";
import { categoryParam, errorResponses } from "./schemas.js";

const inputsSchema = {
  type: "object",
  required: ["window_size", "horizon", "frequency", "features", "channels", "needs_last_date"],
  properties: {
    kind: { type: "string", description: "The model kind: cnn_lstm (the network), holt_winters, naive, ... (model.architecture at training)" },
    window_size: { type: "integer", description: 'Values per window ("series" must have exactly this many)' },
    horizon: {
      type: "integer",
      description: "Periods the model predicts per step (the network's model.horizon at training, 1 for the others); longer forecasts repeat steps",
    },
    frequency: { type: "string", enum: ["D", "W"], description: "Period of the data it was trained on: D daily, W weekly" },
    features: {
      type: "object",
      required: ["day_of_week", "month", "holidays", "covariates"],
      description: "Its feature channels (model.features at training)",
      properties: {
        day_of_week: { type: "boolean" },
        month: { type: "boolean" },
        holidays: { type: "array", items: { type: "string" }, description: "ISO dates of the holiday channel" },
        covariates: {
          type: "array",
          items: { type: "string" },
          description: 'Columns POST /api/predict needs in "covariates": window_size + horizon values each, oldest first',
        },
      },
    },
    channels: { type: "array", items: { type: "string" }, description: "Input channels in order, the sales value first" },
    needs_last_date: { type: "boolean", description: 'True when POST /api/predict needs "last_date" (calendar features: day of week, month, holidays)' },
  },
} as const;

const modelSchema = {
  type: "object",
  required: ["category", "version", "created_at", "window_size", "aliases", "run_id", "metrics", "serving", "loaded", "inputs"],
  properties: {
    category: { type: "string" },
    version: { type: "integer" },
    created_at: { type: "string", description: "When the version was registered (trained at), ISO 8601" },
    window_size: { type: "integer" },
    aliases: { type: "array", items: { type: "string" } },
    run_id: { type: ["string", "null"], description: "Tracking run that produced it" },
    metrics: {
      type: "object",
      additionalProperties: { type: ["number", "null"] },
      description: "Validation (and test) metrics in sales units, e.g. val_rmse, val_mase, seasonal_naive_val_mase",
    },
    serving: { type: "boolean", description: "True for the version predictions use (champion alias, else latest)" },
    loaded: { type: "boolean", description: "True when this version is in memory right now" },
    inputs: {
      ...inputsSchema,
      type: ["object", "null"],
      description: "What a forecast from this model needs (from its model.json); null when its files cannot be read on this server",
    },
  },
} as const;

export const catalogRoutes: FastifyPluginAsync = async (app) => {
  const { registry, models, data } = app.salescast;

  // Read once per version folder: a registered version never changes.
  const inputsByDir = new Map<string, Promise<ReturnType<typeof apiInputs> | null>>();
  const inputsOf = (info: ModelVersionInfo) => {
    let found = inputsByDir.get(info.dir);
    if (!found) {
      found = readModelInputs(info.dir).then(apiInputs, () => {
        inputsByDir.delete(info.dir); // not downloaded yet (MLflow cache) or unreadable: try again next time
        return null;
      });
      inputsByDir.set(info.dir, found);
    }
    return found;
  };

  const describe = async (info: ModelVersionInfo, serving: boolean) => {
    const loaded = models.loaded().find((f) => f.category === info.category);
    return {
      category: info.category,
      version: info.version,
      created_at: info.createdAt,
      window_size: info.windowSize,
      aliases: info.aliases,
      run_id: info.runId ?? null,
      metrics: Object.fromEntries(Object.entries(info.metrics ?? {}).map(([key, value]) => [key, finiteOrNull(value)])),
      serving,
      loaded: loaded !== undefined && loaded.version === info.version && serving,
      inputs: await inputsOf(info),
    };
  };

  app.get(
    "/categories",
    {
      schema: {
        tags: ["catalog"],
        summary: "Categories in the data and categories with a trained model",
        response: {
          200: {
            type: "object",
            required: ["default", "categories"],
            properties: {
              default: { type: "string", description: "data.item_id: the category POST /api/predict uses" },
              categories: {
                type: "array",
                items: {
                  type: "object",
                  required: ["name", "in_data", "has_model", "version"],
                  properties: {
                    name: { type: "string" },
                    in_data: { type: "boolean" },
                    has_model: { type: "boolean" },
                    version: { type: ["integer", "null"], description: "The version predictions use" },
                  },
                },
              },
            },
          },
          ...errorResponses(500),
        },
      },
    },
    async () => {
      const [inData, served] = await Promise.all([data.categoriesOrNone(), registry.list()]);
      const version = new Map(served.map((info) => [info.category, info.version]));
      // A Set, not inData.includes: a catalogue's 30,490 names made that 2.5 s per request.
      const inDataSet = new Set(inData);
      const names = [...inData, ...served.map((info) => info.category).filter((name) => !inDataSet.has(name))];
      return {
        default: await app.salescast.defaultCategory(),
        categories: names.map((name) => ({
          name,
          in_data: inDataSet.has(name),
          has_model: version.has(name),
          version: version.get(name) ?? null,
        })),
      };
    },
  );

  app.get(
    "/models",
    {
      schema: {
        tags: ["catalog"],
        summary: "The model version each category serves",
        response: {
          200: {
            type: "object",
            required: ["default", "models"],
            properties: {
              default: { type: "string", description: "data.item_id: the category POST /api/predict uses (it may have no model yet)" },
              models: { type: "array", items: modelSchema },
            },
          },
          ...errorResponses(500),
        },
      },
    },
    async () => ({
      default: await app.salescast.defaultCategory(),
      models: await Promise.all((await registry.list()).map((info) => describe(info, true))),
    }),
  );

  app.get<{ Params: { category: string } }>(
    "/models/:category",
    {
      schema: {
        tags: ["catalog"],
        summary: "Every registered version of one category, oldest first",
        params: categoryParam,
        response: {
          200: { type: "object", required: ["models"], properties: { models: { type: "array", items: modelSchema } } },
          ...errorResponses(404, 500),
        },
      },
    },
    async (request) => {
      const { category } = request.params;
      const known = await registry.categories();
      if (!known.includes(category)) {
        throw new HttpError(
          404,
          "model_not_found",
          `no model registered for category ${JSON.stringify(category)}. Categories with a model: ${known.join(", ") || "none"}`,
        );
      }
      const [versions, serving] = await Promise.all([registry.versions(category), registry.resolve(category)]);
      return { models: await Promise.all(versions.map((info) => describe(info, info.version === serving?.version))) };
    },
  );
};

function apiInputs(inputs: ModelInputs) {
  return {
    kind: inputs.kind,
    window_size: inputs.windowSize,
    horizon: inputs.horizon,
    frequency: inputs.frequency,
    features: { day_of_week: inputs.dayOfWeek, month: inputs.month, holidays: inputs.holidays, covariates: inputs.covariates },
    channels: inputs.channels,
    needs_last_date: inputs.needsLastDate,
  };
}
