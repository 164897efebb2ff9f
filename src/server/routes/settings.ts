// GET /api/settings: what a client shows and prefills before it asks anything else: the data's
// period (daily or weekly, so labels say "days" or "weeks"), the currency amounts are in
// (app.currency), the default category (data.item_id), and the training settings a request may
// override (POST /api/train "overrides") with their current values and limits.
import type { FastifyPluginAsync } from "fastify";
import { ARCHITECTURES, MIN_WINDOW_SIZE } from "../../config/schema.js";
import { MAX_EPOCHS_OVERRIDE } from "./job-schemas.js";

const settingsAnswer = {
  type: "object",
  required: ["default_category", "frequency", "currency", "training"],
  properties: {
    default_category: { type: "string", description: "data.item_id: the category POST /api/predict and POST /api/train use by default" },
    frequency: { type: "string", enum: ["D", "W"], description: "data.frequency: D = one value per day, W = per week (dates are each period's first day)" },
    currency: { type: ["string", "null"], description: "app.currency: ISO 4217 code of the sales amounts, or null when they are plain numbers" },
    training: {
      type: "object",
      required: ["window_size", "max_epochs", "seed", "architecture", "architectures", "features", "limits"],
      description: 'The values POST /api/train uses unless its "overrides" change them',
      properties: {
        window_size: { type: "integer" },
        max_epochs: { type: "integer" },
        seed: { type: "integer" },
        architecture: { type: "string" },
        architectures: { type: "array", items: { type: "string" }, description: "The values model.architecture accepts" },
        features: {
          type: "object",
          required: ["day_of_week", "month"],
          properties: { day_of_week: { type: "boolean" }, month: { type: "boolean" } },
        },
        limits: {
          type: "object",
          required: ["min_window_size", "max_epochs"],
          properties: {
            min_window_size: { type: "integer", description: "Smallest data.window_size the configuration accepts" },
            max_epochs: { type: "integer", description: "Most epochs a request may ask for" },
          },
        },
      },
    },
  },
} as const;

export const settingsRoutes: FastifyPluginAsync = async (app) => {
  const { config } = app.salescast.options;
  app.get(
    "/settings",
    {
      schema: {
        tags: ["catalog"],
        summary: "The data's frequency, currency, default category and the training settings a request may change",
        response: { 200: settingsAnswer },
      },
    },
    async () => ({
      default_category: config.data.item_id,
      frequency: config.data.frequency,
      currency: config.app.currency,
      training: {
        window_size: config.data.window_size,
        max_epochs: config.train.max_epochs,
        seed: config.train.seed,
        architecture: config.model.architecture,
        architectures: [...ARCHITECTURES],
        features: { day_of_week: config.model.features.day_of_week, month: config.model.features.month },
        limits: { min_window_size: MIN_WINDOW_SIZE, max_epochs: MAX_EPOCHS_OVERRIDE },
      },
    }),
  );
};
