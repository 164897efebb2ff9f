// The one schema of config/config.yaml. Strict objects: an unknown key is refused with its path,
// so a typo never silently falls back to a default. Every key has a default (the values
// config/config.yaml ships with), so a reference-style file that only has the reference's keys
// still loads.
import { z } from "zod";
import { catalogueSettingsSchema } from "./catalogue-settings.js";
import { BACKEND_CHOICES } from "./engine-backend.js";
import { parseCron } from "../util/cron.js";
import { gbdtSettingsSchema } from "./gbdt-settings.js";
import { globalNetworkSettingsSchema } from "./global-network-settings.js";
import { MODEL_KINDS, REFERENCE_ARCHITECTURE } from "./model-kinds.js";
import { arimaSchema, ensembleSchema, intermittentSchema, mstlSchema, thetaSchema } from "./statistical-schema.js";

/** model.architecture's value for the tournament: each series gets the candidate that wins its backtest. */
export const AUTO_ARCHITECTURE = "auto" as const;

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
  /**
   * Long layout: the columns that together name a series (e.g. [store_id, item_id]); [] = one
   * key column, data.category_column. Names of several columns are joined (src/data/series-key.ts).
   */
  series_key: listOf(z.string().min(1)).default([]),
  /**
   * Aggregation levels over the series_key series, each a list of columns ([] = the total), e.g.
   * [[], [state_id], [store_id], [store_id, item_id]]; [] = no hierarchy (src/data/hierarchy.ts).
   */
  hierarchy: listOf(listOf(z.string().min(1))).default([]),
  /**
   * Rows with the same series and date: sum them (a transactions file), refuse them (a file with
   * one row per series and day, where a repeat is a double load), or auto = refuse with series_key, sum otherwise.
   */
  duplicates: z.enum(["auto", "sum", "refuse"]).default("auto"),
  available_categories: listOf(z.coerce.string().min(1)).default([]),
  item_id: z.coerce.string().min(1).default("Beauty"),
  window_size: z.coerce
    .number()
    .int()
    .min(MIN_WINDOW_SIZE, `must be at least ${MIN_WINDOW_SIZE} (the convolution needs ${MIN_WINDOW_SIZE} periods)`)
    .default(14),
  batch_size: positiveInt.default(32),
  val_fraction: z.coerce.number().gt(0).max(0.9).default(0.2),
  test_fraction: z.coerce.number().min(0).max(0.9).default(0),
});

/**
 * What model.architecture accepts: "CNNLSTM" (the reference's name for the network, cnn_lstm) and
 * every model kind (the families list, src/models/families.ts, through its generated copy).
 */
export const ARCHITECTURES = [REFERENCE_ARCHITECTURE, AUTO_ARCHITECTURE, ...MODEL_KINDS] as const;

/**
 * model.auto: the tournament `architecture: auto` runs (src/backtest/tournament.ts). For each
 * series every candidate is backtested on `selection_windows` cutoffs; the lowest mean MASE
 * there is the champion; the `evaluation_windows` after them (never used to choose) give the
 * error reported. Cutoffs are `step` periods apart (0 = the horizon), each forecasting `horizon`.
 */
const autoSchema = z.strictObject({
  /** Kinds that compete; empty = every kind that is not a baseline (the families list decides). */
  candidates: listOf(z.enum(MODEL_KINDS)).default([]),
  selection_windows: positiveInt.default(4),
  evaluation_windows: positiveInt.default(2),
  /** Periods between two cutoffs; 0 = the horizon (windows that do not overlap). */
  step: z.coerce.number().int().min(0).default(0),
  horizon: positiveInt.default(7),
  /**
   * The most candidates the champion may combine (their mean forecast); how many is chosen on the
   * selection windows by leave-one-window-out (src/backtest/combination.ts). 1 = the single best.
   */
  combine_max: positiveInt.default(5),
});

const modelSchema = z.strictObject({
  /** auto (the shipped default): a tournament per series picks the kind (model.auto); CNNLSTM: the reference's network only. */
  architecture: z.enum(ARCHITECTURES).default(AUTO_ARCHITECTURE),
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
  auto: autoSchema.prefault({}),
  /** The global GBDT model's settings (model.architecture=gbdt). */
  gbdt: gbdtSettingsSchema.prefault({}),
  /** The global network's settings (model.architecture=global_network). */
  global_network: globalNetworkSettingsSchema.prefault({}),
  /** The statistical kinds' settings (src/config/statistical-schema.ts). */
  theta: thetaSchema.prefault({}),
  arima: arimaSchema.prefault({}),
  intermittent: intermittentSchema.prefault({}),
  mstl: mstlSchema.prefault({}),
  ensemble: ensembleSchema.prefault({}),
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
  body_limit: z.coerce
    .number()
    .int()
    .min(1024, "must be at least 1024 bytes")
    .default(1024 * 1024),
  backlog: z.coerce.number().int().min(1).default(4096),
  /** Most forecast values (windows × horizon) one prediction request may ask for; more answer 413. */
  max_forecast_values: positiveInt.default(100_000),
  /** A large batch is computed in slices of about this many values, other requests answered in between. */
  forecast_chunk_values: positiveInt.default(4096),
  /** Bytes of a refused body (over body_limit, or not JSON) read and discarded so the error reaches clients that send the whole body first. */
  body_drain_limit: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * 1024 * 1024),
  /** How long the server waits for the rest of such a body before it answers and closes the connection. */
  body_drain_timeout_ms: z.coerce.number().int().min(0).default(30_000),
  train_rate_limit: z.strictObject({ max: positiveInt.default(10), window_ms: positiveInt.default(60_000) }).prefault({}),
  model_refresh_ms: z.coerce.number().int().min(0).default(1000),
  training_threads: z.coerce.number().int().min(0).default(0),
  log_level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  train_wait_default: z.boolean().default(false),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")
    .default("SALESCAST_API_KEY"),
  /** ISO 4217 code the dashboard formats sales amounts with (null: plain numbers, the data has no currency). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code in capitals, e.g. USD or EUR (or null for plain numbers)")
    .refine((code) => Intl.supportedValuesOf("currency").includes(code), "is not a currency code this runtime knows (ISO 4217, e.g. USD, EUR, GBP, JPY)")
    .nullable()
    .default(null),
  /**
   * Predictions the server answers itself, spread over the loaded models, before it listens, so
   * its first clients meet optimised code (src/server/warm-up.ts); 0 = listen at once.
   */
  warm_up_requests: z.coerce.number().int().min(0).max(1_000_000).default(2000),
  /** Live forecast quality (POST /api/actuals) is over each category's last this many scored forecasts. */
  monitor_window: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /**
   * The served forecasts kept for scoring (and the scored ones) are saved to this file, so a
   * restart keeps them; null = <folder of train.checkpoint_path>/.monitor/forecasts.json.
   */
  monitor_file: z.string().min(1).nullable().default(null),
  /** How often that file is saved while forecasts are recorded (and once more at shutdown). */
  monitor_save_seconds: z.coerce.number().min(1).max(3600).default(10),
  /**
   * How often serve looks whether the sales file (data.csv_path) changed; when it did, the
   * recorded forecasts of the dates it now holds are scored against them, as POST /api/actuals
   * would. 0 = never (actuals only through POST /api/actuals).
   */
  actuals_poll_seconds: z.coerce.number().min(0).max(86_400).default(60),
  /**
   * true: every route but /api/health and /api/ready needs the API key (reads, predictions,
   * /metrics, /docs); the dashboard asks for it. The key is required even on loopback then.
   */
  read_auth: z.boolean().default(false),
});

const engineSchema = z.strictObject({
  /** The engine's kernels for training, serving and the GBDT learner: auto = native when its addon loads, else reference. */
  backend: z.enum(BACKEND_CHOICES).default("auto"),
});

const trackingSchema = z.strictObject({
  uri: z.string().min(1).default("./mlruns"),
  /**
   * The server asks an MLflow registry for new champions this often, in the background (never
   * on a request); while it fails, the wait doubles up to registry_poll_max_seconds.
   */
  registry_poll_seconds: z.coerce.number().min(1).max(86_400).default(15),
  registry_poll_max_seconds: z.coerce.number().min(1).max(86_400).default(300),
  /** How long `serve` waits for its first answer from MLflow before it starts on the saved snapshot. */
  registry_start_wait_seconds: z.coerce.number().min(0).max(3600).default(10),
  /** The server's wait for one answer from MLflow (two attempts per look); commands use timeout_seconds. */
  registry_timeout_seconds: z.coerce.number().min(1).max(600).default(10),
  /**
   * The longest one call from a command (train, retrain, runs, promote, ...) to an MLflow server
   * may take, its retries included (each attempt waits at most 30 s): a server that accepts
   * connections and never answers is given up on after this long, with a message saying what to
   * check; a training run then waits in the offline queue for `salescast runs sync`.
   */
  timeout_seconds: z.coerce.number().min(1).max(3600).default(60),
});

const scheduleSchema = z.strictObject({
  /**
   * Cron schedule (5 fields, UTC) on which `salescast serve` retrains the served categories whose
   * data changed and promotes a new version only if it beats the champion (src/server/retrain/);
   * null = never (the default). `salescast retrain` runs one round by hand.
   */
  retrain: z
    .string()
    .nullable()
    .default(null)
    .superRefine((value, ctx) => {
      if (value === null) return;
      try {
        parseCron(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  /** The last periods of each series on which a retrained version must beat the champion. */
  recent_periods: z.coerce.number().int().min(1).max(10_000).default(28),
});

/** Distributed work (src/queue/): empty url = in-process worker threads, the default. */
const queueSchema = z.strictObject({
  /** redis://[user:password@]host:port[/db] (or rediss:// for TLS); empty or null = no queue. */
  url: z
    .preprocess(
      (value) => (value === null ? "" : value),
      z.string().refine((text) => text === "" || /^rediss?:\/\//.test(text), "must be a redis:// or rediss:// URL, or empty for no queue"),
    )
    .default(""),
  /** Categories per child job of a distributed `train --all`. */
  shard_size: positiveInt.default(1),
  /** Jobs one `salescast worker` runs at once (`--concurrency N` overrides it). */
  concurrency: positiveInt.default(1),
  /** How long a job whose worker stopped answering (killed, machine gone) waits before another worker retries it, ms. */
  stalled_ms: z.coerce.number().int().min(1000).default(30_000),
  /** Most jobs started in any duration_ms, counted across every worker (BullMQ's limiter); max 0 = no limit. */
  rate_limit: z
    .strictObject({
      max: z.coerce.number().int().min(0, "must be 0 (no limit) or a whole number of jobs").default(0),
      duration_ms: z.coerce.number().int().min(10, "must be at least 10 ms").default(1000),
    })
    .prefault({}),
  /** Most jobs running at once across every worker (BullMQ's global concurrency); 0 = no cap beyond each worker's concurrency. */
  global_concurrency: z.coerce.number().int().min(0, "must be 0 (no cap) or a whole number of jobs").default(0),
  /** Prefix of every Redis key salescast's queues use (several installations can share one Redis). */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, '_', '.', '-' only")
    .default("salescast"),
});

export const configSchema = z.strictObject({
  data: dataSchema.prefault({}),
  model: modelSchema.prefault({}),
  train: trainSchema.prefault({}),
  app: appSchema.prefault({}),
  engine: engineSchema.prefault({}),
  tracking: trackingSchema.prefault({}),
  schedule: scheduleSchema.prefault({}),
  queue: queueSchema.prefault({}),
  catalogue: catalogueSettingsSchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type DataConfig = Config["data"];
export type ModelConfig = Config["model"];
export type TrainConfig = Config["train"];
export type EngineConfig = Config["engine"];
