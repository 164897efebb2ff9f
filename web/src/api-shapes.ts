// Turns the server's JSON into the types the pages use (api-types.ts). Field names follow
// docs/api.md; a few alternative spellings are accepted so that a small change on the server
// side shows up as a missing figure rather than a blank page. Anything that is not the
// expected shape at all raises ShapeError with the route's name.
import type {
  CategoriesAnswer,
  CategoryInfo,
  CategoryProgress,
  CategoryResult,
  ForecastMetrics,
  JobSnapshot,
  JobState,
  ModelInfo,
  ModelInputs,
  ModelsAnswer,
  RunInfo,
  RunsAnswer,
  Series,
  ServerSettings,
  TrainingOverrides,
} from "./api-types.js";

export class ShapeError extends Error {
  constructor(what: string) {
    super(`The server sent ${what} in a form this dashboard does not understand. Rebuild the dashboard (npm run build) so it matches the server.`);
    this.name = "ShapeError";
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const pick = (object: Json, ...keys: string[]): unknown => {
  for (const key of keys) if (object[key] !== undefined) return object[key];
  return undefined;
};
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const numOrNull = (value: unknown): number | null => (typeof value === "number" ? value : null);

function numberRecord(value: unknown): Record<string, number> {
  if (!isObject(value)) return {};
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === "number") out[key] = v;
  return out;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) out[key] = String(v);
  return out;
}

function listIn(answer: unknown, key: string, what: string): unknown[] {
  if (Array.isArray(answer)) return answer;
  if (isObject(answer) && Array.isArray(answer[key])) return answer[key] as unknown[];
  throw new ShapeError(what);
}

/** {"default", "categories": [{"name", "in_data", "has_model", "version"}]} (or a plain list of names). */
export function normaliseCategories(answer: unknown): CategoriesAnswer {
  const categories = listIn(answer, "categories", "the category list").map((item): CategoryInfo => {
    if (typeof item === "string") return { name: item, inData: true };
    if (!isObject(item)) throw new ShapeError("the category list");
    const name = str(pick(item, "name", "category"));
    if (name === undefined) throw new ShapeError("the category list");
    const hasModel = pick(item, "has_model", "hasModel");
    const inData = pick(item, "in_data", "inData");
    return { name, inData: inData !== false, hasModel: typeof hasModel === "boolean" ? hasModel : undefined };
  });
  const defaultCategory = isObject(answer) ? str(pick(answer, "default", "default_category")) : undefined;
  return { defaultCategory, categories };
}

/** {"default", "models": [...]} (or a plain list of models). */
export function normaliseModels(answer: unknown): ModelsAnswer {
  const models = listIn(answer, "models", "the model list").map((item): ModelInfo => {
    if (!isObject(item)) throw new ShapeError("the model list");
    const category = str(item.category);
    const windowSize = num(pick(item, "window_size", "windowSize"));
    if (category === undefined || windowSize === undefined) throw new ShapeError("the model list");
    return {
      category,
      version: num(item.version),
      trainedAt: str(pick(item, "trained_at", "trainedAt", "created_at", "createdAt")),
      windowSize,
      runId: str(pick(item, "run_id", "runId")),
      metrics: numberRecord(item.metrics),
      inputs: normaliseInputs(item.inputs, windowSize),
    };
  });
  return { defaultCategory: isObject(answer) ? str(pick(answer, "default", "default_category")) : undefined, models };
}

/** A model's "inputs"; undefined when absent (an older server, or files it could not read). */
function normaliseInputs(value: unknown, windowSize: number): ModelInputs | undefined {
  if (!isObject(value)) return undefined;
  const features = isObject(value.features) ? value.features : {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  return {
    windowSize: num(value.window_size) ?? windowSize,
    horizon: num(value.horizon) ?? 1,
    frequency: value.frequency === "W" ? "W" : "D",
    dayOfWeek: features.day_of_week === true,
    month: features.month === true,
    holidays: strings(features.holidays),
    covariates: strings(features.covariates),
    channels: strings(value.channels),
    needsLastDate: value.needs_last_date === true,
  };
}

/** GET /api/settings; missing parts fall back to what a default configuration says. */
export function normaliseSettings(answer: unknown): ServerSettings {
  if (!isObject(answer)) throw new ShapeError("the server settings");
  const training = isObject(answer.training) ? answer.training : {};
  const features = isObject(training.features) ? training.features : {};
  const limits = isObject(training.limits) ? training.limits : {};
  const architecture = str(training.architecture) ?? "CNNLSTM";
  const architectures = Array.isArray(training.architectures) ? training.architectures.filter((a): a is string => typeof a === "string") : [];
  return {
    defaultCategory: str(pick(answer, "default_category", "default")),
    frequency: answer.frequency === "W" ? "W" : "D",
    currency: str(answer.currency) ?? null,
    training: {
      windowSize: num(training.window_size) ?? 14,
      maxEpochs: num(training.max_epochs) ?? 10,
      seed: num(training.seed) ?? 42,
      architecture,
      architectures: architectures.length > 0 ? architectures : [architecture],
      dayOfWeek: features.day_of_week === true,
      month: features.month === true,
      minWindowSize: num(limits.min_window_size) ?? 3,
      maxEpochsLimit: num(limits.max_epochs) ?? 1000,
    },
  };
}

/** {dates:[...], values:[...]} or {points:[{date, value}]} (either under the category's name or at the top). */
export function normaliseSeries(category: string, answer: unknown): Series {
  if (!isObject(answer)) throw new ShapeError(`the series of ${category}`);
  const windowSize = num(pick(answer, "window_size", "windowSize"));
  const nextDate = str(pick(answer, "next_date", "nextDate"));
  const frequency = answer.frequency === "W" ? "W" : "D";
  const covariates = covariateRecord(answer.covariates);
  const points = pick(answer, "points", "data");
  if (Array.isArray(points)) {
    const dates: string[] = [];
    const values: number[] = [];
    for (const p of points) {
      if (!isObject(p) || typeof p.date !== "string" || typeof p.value !== "number") throw new ShapeError(`the series of ${category}`);
      dates.push(p.date);
      values.push(p.value);
    }
    return { category, dates, values, windowSize, nextDate, frequency, covariates };
  }
  const dates = answer.dates;
  const values = pick(answer, "values", "series", "sales");
  if (!Array.isArray(dates) || !Array.isArray(values) || dates.length !== values.length) throw new ShapeError(`the series of ${category}`);
  return { category, dates: dates.map(String), values: values.map(Number), windowSize, nextDate, frequency, covariates };
}

/** {"promo": [0, 1, ...]}: only lists of numbers are kept. */
function covariateRecord(value: unknown): Record<string, number[]> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, number[]> = {};
  for (const [name, list] of Object.entries(value)) {
    if (Array.isArray(list) && list.every((v) => typeof v === "number")) out[name] = list as number[];
  }
  return out;
}

const JOB_STATES: readonly JobState[] = ["queued", "running", "succeeded", "failed", "cancelled"];

export function normaliseJob(answer: unknown): JobSnapshot {
  const job = isObject(answer) && isObject(answer.job) ? answer.job : answer;
  if (!isObject(job)) throw new ShapeError("the training job");
  const id = str(pick(job, "id", "job_id", "jobId"));
  if (id === undefined) throw new ShapeError("the training job");
  const state = str(pick(job, "state", "status")) as JobState | undefined;
  const progress = Array.isArray(job.progress) ? job.progress.filter(isObject).map(normaliseProgress) : [];
  const results = Array.isArray(job.results) ? job.results.filter(isObject).map(normaliseResult) : [];
  return {
    id,
    state: state && JOB_STATES.includes(state) ? state : "queued",
    categories: Array.isArray(job.categories) ? job.categories.map(String) : progress.map((p) => p.category),
    experimentName: str(pick(job, "experiment_name", "experimentName")) ?? "",
    overrides: (isObject(job.overrides) ? job.overrides : {}) as TrainingOverrides,
    createdAt: str(pick(job, "created_at", "createdAt")),
    finishedAt: str(pick(job, "finished_at", "finishedAt")) ?? null,
    progress,
    results,
    error: str(job.error) ?? null,
  };
}

export function normaliseProgress(item: Json): CategoryProgress {
  const state = str(item.state);
  return {
    category: String(item.category),
    state: state === "training" || state === "done" ? state : "pending",
    epoch: num(item.epoch) ?? 0,
    maxEpochs: num(pick(item, "max_epochs", "maxEpochs")) ?? 0,
    batch: num(item.batch) ?? 0,
    batches: num(item.batches) ?? 0,
    loss: numOrNull(item.loss),
    trainLoss: numOrNull(pick(item, "train_loss", "trainLoss")),
    valLoss: numOrNull(pick(item, "val_loss", "valLoss")),
  };
}

function normaliseMetrics(value: unknown): ForecastMetrics | undefined {
  if (!isObject(value)) return undefined;
  return { rmse: numOrNull(value.rmse), mae: numOrNull(value.mae), smape: numOrNull(value.smape), mase: numOrNull(value.mase) };
}

export function normaliseResult(item: Json): CategoryResult {
  const status = str(item.status);
  const baselines: Record<string, ForecastMetrics> = {};
  if (isObject(item.baselines)) {
    for (const [name, metrics] of Object.entries(item.baselines)) {
      const m = normaliseMetrics(metrics);
      if (m) baselines[name] = m;
    }
  }
  return {
    category: String(item.category),
    status: status === "ok" || status === "skipped" ? status : "failed",
    reason: str(item.reason),
    metrics: normaliseMetrics(item.metrics),
    baselines,
    epochs: num(item.epochs) ?? 0,
    bestEpoch: num(pick(item, "bestEpoch", "best_epoch")) ?? 0,
    seconds: num(item.seconds) ?? 0,
    version: num(item.version),
    runId: str(pick(item, "runId", "run_id")),
  };
}

const RUN_STATUSES = ["RUNNING", "FINISHED", "FAILED", "KILLED"] as const;

export function normaliseRun(item: unknown): RunInfo {
  if (!isObject(item)) throw new ShapeError("the run list");
  const runId = str(pick(item, "runId", "run_id", "id"));
  if (runId === undefined) throw new ShapeError("the run list");
  const status = str(item.status);
  const startTime = pick(item, "startTime", "start_time");
  const endTime = pick(item, "endTime", "end_time");
  return {
    runId,
    experimentId: str(pick(item, "experimentId", "experiment_id")),
    runName: str(pick(item, "runName", "run_name", "name")) ?? runId,
    experimentName: str(pick(item, "experimentName", "experiment_name")),
    status: RUN_STATUSES.find((s) => s === status) ?? "FINISHED",
    startTime: typeof startTime === "string" ? Date.parse(startTime) : (num(startTime) ?? 0),
    endTime: typeof endTime === "string" ? Date.parse(endTime) : num(endTime),
    tags: stringRecord(item.tags),
    params: stringRecord(item.params),
    metrics: numberRecord(item.metrics),
    artifacts: Array.isArray(item.artifacts) ? item.artifacts.map(String) : [],
    error: str(item.error),
  };
}

export function normaliseRuns(answer: unknown): RunsAnswer {
  const runs = listIn(answer, "runs", "the run list").map(normaliseRun);
  const store = isObject(answer) && isObject(answer.store) ? answer.store : isObject(answer) ? answer : {};
  const kind = str(pick(store, "kind", "store")) === "mlflow" ? "mlflow" : "local";
  const uiUrl = str(pick(store, "ui_url", "uiUrl", "mlflow_ui", "uri"));
  return { runs, store: { kind, uiUrl: kind === "mlflow" && uiUrl && /^https?:\/\//.test(uiUrl) ? uiUrl : undefined } };
}
