// GET /api/categories: every category the server knows (in the data, with a model, or both).
// GET /api/models: the version each category serves; GET /api/models/{category}: all its versions.
import type { FastifyPluginAsync } from "fastify";
import type { ModelVersionInfo } from "../../registry/index.js";
import { HttpError } from "../errors.js";
import { categoryParam, errorResponses, finiteOrNull } from "./schemas.js";

const modelSchema = {
  type: "object",
  required: ["category", "version", "created_at", "window_size", "aliases", "metrics", "serving"],
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
  },
} as const;

export const catalogRoutes: FastifyPluginAsync = async (app) => {
  const { registry, models, data } = app.salescast;

  const describe = (info: ModelVersionInfo, serving: boolean) => {
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
      const names = [...inData, ...served.map((info) => info.category).filter((name) => !inData.includes(name))];
      return {
        default: await app.salescast.defaultCategory(),
        categories: names.map((name) => ({
          name,
          in_data: inData.includes(name),
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
          200: { type: "object", required: ["models"], properties: { models: { type: "array", items: modelSchema } } },
          ...errorResponses(500),
        },
      },
    },
    async () => ({ models: (await registry.list()).map((info) => describe(info, true)) }),
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
      return { models: versions.map((info) => describe(info, info.version === serving?.version)) };
    },
  );
};
