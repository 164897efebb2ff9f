// The one schema of config/config.yaml. Strict objects: an unknown key is refused with its path,
// so a typo never silently falls back to a default.
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();
const fraction = z.coerce.number().min(0).max(0.9);

const dataSchema = z.strictObject({
  csv_path: z.string().min(1),
  layout: z.enum(["long", "wide"]),
  date_column: z.string().min(1),
  category_column: z.string().min(1),
  value_column: z.string().min(1),
  series_columns: z.array(z.string().min(1)),
  frequency: z.enum(["D", "W"]),
  fill: z.enum(["zero", "previous"]),
  available_categories: z.array(z.coerce.string().min(1)),
  item_id: z.coerce.string().min(1),
  window_size: z.coerce.number().int().min(3, "must be at least 3 (the convolution needs 3 periods)"),
  batch_size: positiveInt,
  val_fraction: z.coerce.number().gt(0).max(0.9),
  test_fraction: fraction,
});

const modelSchema = z.strictObject({
  architecture: z.literal("CNNLSTM"),
  input_size: positiveInt,
  conv_channels: positiveInt,
  lstm_hidden: positiveInt,
  lstm_layers: positiveInt,
  lr: z.coerce.number().positive(),
});

const trainSchema = z.strictObject({
  max_epochs: positiveInt,
  gpus: z.coerce.number().int().min(0).max(0, "salescast trains on the CPU: set train.gpus=0"),
  seed: z.coerce.number().int().min(0),
  patience: positiveInt,
  grad_clip: z.coerce.number().min(0),
  weight_decay: z.coerce.number().min(0),
  mlflow_tracking_uri: z.string(),
  experiment_name: z.string().min(1),
  checkpoint_path: z.string().min(1),
  normalization_path: z.string().min(1),
});

const appSchema = z.strictObject({
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  api_url: z.string(),
});

const trackingSchema = z.strictObject({
  uri: z.string().min(1),
});

export const configSchema = z.strictObject({
  data: dataSchema,
  model: modelSchema,
  train: trainSchema,
  app: appSchema,
  tracking: trackingSchema,
});

export type Config = z.infer<typeof configSchema>;
export type DataConfig = Config["data"];
export type ModelConfig = Config["model"];
export type TrainConfig = Config["train"];
