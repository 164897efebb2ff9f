// The one schema of config/config.yaml. Strict objects: an unknown key is refused with its path,
// so a typo never silently falls back to a default. Every key has a default (the values
// config/config.yaml ships with), so a reference-style file that only has the reference's keys
// still loads.
import { z } from "zod";
import { BACKEND_CHOICES } from "./engine-backend.js";
import { MODEL_KINDS, REFERENCE_ARCHITECTURE } from "./model-kinds.js";

const positiveInt = z.coerce.number().int().positive();

/**
 * A list key also takes a single value: `data.series_columns=Sales` on the command line (or a
 * YAML scalar) is the list [Sales]; an empty value or null is the empty list. Every list key
 * of the schema is made with this, so no list key answers "expected array, received string".
 */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === null || value === "" ? [] : value === undefined || Array.isArray(value) ? value : [value]), z.array(item));
}
/** A real calendar date written YYYY-MM-DD (YAML may hand over a Date for an unquoted date). */
const isoDate = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z.string().refine((text) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match) return false;
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    return date.toISOString().slice(0, 10) === text;
  }, "must be a date written YYYY-MM-DD, e.g. 2024-12-25"),
);

/** Smallest data.window_size: the convolution's kernel spans 3 periods. */
export const MIN_WINDOW_SIZE = 3;

const dataSchema = z.strictObject({
  csv_path: z.string().min(1).default("data/raw/sales_data.csv"),
  layout: z.enum(["long", "wide"]).default("long"),
  date_column: z.string().min(1).default("Date"),
  /** Empty or null: the file has no category column and holds one series, named after value_column. */
  category_column: z.preprocess((value) => (value === "" ? null : value), z.string().min(1).nullable()).default("Product Category"),
  value_column: z.string().min(1).default("Total Amount"),
  series_columns: listOf(z.string().min(1)).default([]),
  frequency: z.enum(["D", "W"]).default("D"),
  fill: z.enum(["zero", "previous"]).default("zero"),
  available_categories: listOf(z.coerce.string().min(1)).default([]),
  item_id: z.coerce.string().min(1).default("Beauty"),
  window_size: z.coerce.number().int().min(MIN_WINDOW_SIZE, `must be at least ${MIN_WINDOW_SIZE} (the convolution needs ${MIN_WINDOW_SIZE} periods)`).default(14),
  batch_size: positiveInt.default(32),
  val_fraction: z.coerce.number().gt(0).max(0.9).default(0.2),
  test_fraction: z.coerce.number().min(0).max(0.9).default(0),
});

/**
 * What model.architecture accepts: "CNNLSTM" (the reference's name for the network, cnn_lstm) and
 * every model kind (the families list, src/models/families.ts, through its generated copy).
 */
export const ARCHITECTURES = [REFERENCE_ARCHITECTURE, ...MODEL_KINDS] as const;

const modelSchema = z.strictObject({
  architecture: z.enum(ARCHITECTURES).default(REFERENCE_ARCHITECTURE),
  input_size: positiveInt.default(1),
  conv_channels: positiveInt.default(32),
  lstm_hidden: positiveInt.default(64),
  lstm_layers: positiveInt.default(1),
  lr: z.coerce.number().positive().default(0.001),
  /** Prediction interval levels (percent) calibrated after training (split conformal). */
  interval_levels: listOf(z.coerce.number().gt(0).lt(100, "interval levels are percentages below 100, e.g. 80 or 95")).default([80, 95]),
  /** Steps ahead the intervals are calibrated for; longer forecasts answer without intervals. */
  interval_horizon: positiveInt.default(14),
  /** Periods the network predicts at once: 1 = the reference's single-step network (longer forecasts recursive); H > 1 = direct. */
  horizon: positiveInt.default(1),
  /** Extra input channels: calendar and covariates (src/data/features.ts); all off = the reference's one-channel input. */
  features: z
    .strictObject({
      day_of_week: z.boolean().default(false),
      month: z.boolean().default(false),
      holidays: listOf(isoDate).default([]),
      /** Data columns known in advance (promotions, planned prices) read as extra channels. */
      covariates: listOf(z.string().min(1)).default([]),
    })
    .prefault({}),
});

const trainSchema = z.strictObject({
  max_epochs: positiveInt.default(10),
  gpus: z.coerce.number().int().min(0).max(0, "salescast trains on the CPU: set train.gpus=0").default(0),
  seed: z.coerce.number().int().min(0).default(42),
  patience: positiveInt.default(5),
  grad_clip: z.coerce.number().min(0).default(0),
  weight_decay: z.coerce.number().min(0).default(0),
  /** Largest estimated memory one training may take, in MiB; 0 = half of this machine's memory. */
  max_memory_mb: z.coerce.number().int().min(0).default(0),
  /** A model whose validation MAE is more than this many times the worst baseline's is registered but not served; 0 = off. */
  max_baseline_ratio: z.coerce.number().min(0).default(3),
  mlflow_tracking_uri: z.string().default("http://127.0.0.1:5005"),
  experiment_name: z.string().min(1).default("sales-forecast"),
  checkpoint_path: z.string().min(1).default("checkpoints/model.ckpt"),
  normalization_path: z.string().min(1).default("checkpoints/normalization.json"),
});

const appSchema = z.strictObject({
  host: z.string().min(1).default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(8000),
  api_url: z.string().default("http://localhost:8000/api"),
  body_limit: z.coerce.number().int().min(1024, "must be at least 1024 bytes").default(1024 * 1024),
  backlog: z.coerce.number().int().min(1).default(4096),
  /** Most forecast values (windows × horizon) one prediction request may ask for; more answer 413. */
  max_forecast_values: positiveInt.default(100_000),
  /** A large batch is computed in slices of about this many values, other requests answered in between. */
  forecast_chunk_values: positiveInt.default(4096),
  /** Bytes of a refused body (over body_limit, or not JSON) read and discarded so the error reaches clients that send the whole body first. */
  body_drain_limit: z.coerce.number().int().min(0).default(64 * 1024 * 1024),
  /** How long the server waits for the rest of such a body before it answers and closes the connection. */
  body_drain_timeout_ms: z.coerce.number().int().min(0).default(30_000),
  train_rate_limit: z
    .strictObject({ max: positiveInt.default(10), window_ms: positiveInt.default(60_000) })
    .prefault({}),
  model_refresh_ms: z.coerce.number().int().min(0).default(1000),
  training_threads: z.coerce.number().int().min(0).default(0),
  log_level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  train_wait_default: z.boolean().default(false),
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name").default("SALESCAST_API_KEY"),
  /** ISO 4217 code the dashboard formats sales amounts with (null: plain numbers, the data has no currency). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code in capitals, e.g. USD or EUR (or null for plain numbers)")
    .refine((code) => Intl.supportedValuesOf("currency").includes(code), "is not a currency code this runtime knows (ISO 4217, e.g. USD, EUR, GBP, JPY)")
    .nullable()
    .default(null),
});

const engineSchema = z.strictObject({
  /** The engine's kernels for training, serving and the GBDT learner: auto = native when its addon loads, else reference. */
  backend: z.enum(BACKEND_CHOICES).default("auto"),
});

const trackingSchema = z.strictObject({
  uri: z.string().min(1).default("./mlruns"),
});

/** Distributed work (src/queue/): empty url = in-process worker threads, the default. */
const queueSchema = z.strictObject({
  /** redis://[user:password@]host:port[/db] (or rediss:// for TLS); empty or null = no queue. */
  url: z.preprocess((value) => (value === null ? "" : value), z.string().refine((text) => text === "" || /^rediss?:\/\//.test(text), "must be a redis:// or rediss:// URL, or empty for no queue")).default(""),
  /** Categories per child job of a distributed `train --all`. */
  shard_size: positiveInt.default(1),
  /** Jobs one `salescast worker` runs at once (`--concurrency N` overrides it). */
  concurrency: positiveInt.default(1),
  /** Prefix of every Redis key salescast's queues use (several installations can share one Redis). */
  /** How long a job whose worker stopped answering (killed, machine gone) waits before another worker retries it, ms. */
  stalled_ms: z.coerce.number().int().min(1000).default(30_000),
  prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, '_', '.', '-' only").default("salescast"),
});

export const configSchema = z.strictObject({
  data: dataSchema.prefault({}),
  model: modelSchema.prefault({}),
  train: trainSchema.prefault({}),
  app: appSchema.prefault({}),
  engine: engineSchema.prefault({}),
  tracking: trackingSchema.prefault({}),
  queue: queueSchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type DataConfig = Config["data"];
export type ModelConfig = Config["model"];
export type TrainConfig = Config["train"];
export type EngineConfig = Config["engine"];
