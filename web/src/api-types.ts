// What the pages work with. The server's JSON (snake_case, docs/api.md) is turned into these
// by api-shapes.ts, so a renamed field is fixed in one place, not in every page.

export interface CategoryInfo {
  name: string;
  /** The category is in the sales data (only those have a series to explore or train on). */
  inData: boolean;
  /** A registered model exists for it (undefined when the server does not say). */
  hasModel?: boolean;
}

export interface CategoriesAnswer {
  /** data.item_id: the category the server treats as the default. */
  defaultCategory?: string;
  categories: CategoryInfo[];
}

export type Frequency = "D" | "W";

export interface ModelInfo {
  category: string;
  version?: number;
  trainedAt?: string;
  windowSize: number;
  runId?: string;
  /** Validation (and test) metrics as the registry keeps them: val_mase, seasonal_naive_val_mase, ... */
  metrics: Record<string, number>;
  /** What a forecast from it needs; undefined when the server could not read it. */
  inputs?: ModelInputs;
}

export interface ModelInputs {
  windowSize: number;
  /** Periods the network predicts per call; longer forecasts are recursive. */
  horizon: number;
  frequency: Frequency;
  dayOfWeek: boolean;
  month: boolean;
  holidays: string[];
  /** Covariates a forecast needs: window + horizon values each. */
  covariates: string[];
  channels: string[];
  needsLastDate: boolean;
}

export interface ModelsAnswer {
  /** data.item_id: the category the server treats as the default (it may have no model). */
  defaultCategory?: string;
  models: ModelInfo[];
}

/** GET /api/settings. */
export interface ServerSettings {
  defaultCategory?: string;
  frequency: Frequency;
  currency: string | null;
  training: TrainingDefaults;
}

export interface TrainingDefaults {
  windowSize: number;
  maxEpochs: number;
  seed: number;
  architecture: string;
  architectures: string[];
  dayOfWeek: boolean;
  month: boolean;
  minWindowSize: number;
  maxEpochsLimit: number;
}

/** What a training job changes over the server's configuration (POST /api/train "overrides"). */
export interface TrainingOverrides {
  data?: { window_size?: number };
  model?: { architecture?: string; features?: { day_of_week?: boolean; month?: boolean } };
  train?: { max_epochs?: number; seed?: number };
}

export interface Series {
  category: string;
  dates: string[];
  values: number[];
  windowSize?: number;
  /** D (daily) or W (weekly); dates are the first day of each period. */
  frequency: Frequency;
  /** For a latest window: the period a forecast from it is for. */
  nextDate?: string;
  /** For a latest window of a covariate model: each covariate's values over the window, from the data file. */
  covariates?: Record<string, number[]>;
}

export interface PredictAnswer {
  predictedSales: number;
  /** Always at least one value: [predictedSales] when no horizon was asked. */
  forecast: number[];
  /** One band per level asked for (empty when none was): bounds per forecast step. */
  intervals: IntervalBand[];
}

export interface IntervalBand {
  level: number;
  lower: number[];
  upper: number[];
}

export type JobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface CategoryProgress {
  category: string;
  state: "pending" | "training" | "done";
  epoch: number;
  maxEpochs: number;
  batch: number;
  batches: number;
  loss: number | null;
  trainLoss: number | null;
  valLoss: number | null;
}

export interface ForecastMetrics {
  rmse: number | null;
  mae: number | null;
  smape: number | null;
  mase: number | null;
}

export interface CategoryResult {
  category: string;
  status: "ok" | "skipped" | "failed";
  reason?: string;
  metrics?: ForecastMetrics;
  baselines?: Record<string, ForecastMetrics>;
  epochs: number;
  bestEpoch: number;
  seconds: number;
  version?: number;
  runId?: string;
}

export interface JobSnapshot {
  id: string;
  state: JobState;
  categories: string[];
  experimentName: string;
  overrides: TrainingOverrides;
  createdAt?: string;
  finishedAt?: string | null;
  progress: CategoryProgress[];
  results: CategoryResult[];
  error: string | null;
}

export type RunStatus = "RUNNING" | "FINISHED" | "FAILED" | "KILLED";

export interface RunInfo {
  runId: string;
  experimentId?: string;
  runName: string;
  experimentName?: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  tags: Record<string, string>;
  params: Record<string, string>;
  metrics: Record<string, number>;
  artifacts: string[];
  error?: string;
}

export interface TrackingStoreInfo {
  kind: "local" | "mlflow";
  /** The MLflow UI's address (the tracking server's), when the store is an MLflow server. */
  uiUrl?: string;
}

export interface RunsAnswer {
  runs: RunInfo[];
  store: TrackingStoreInfo;
}

export interface MetricPoint {
  step: number;
  value: number;
}

export const isFinishedJob = (state: JobState) => state === "succeeded" || state === "failed" || state === "cancelled";
