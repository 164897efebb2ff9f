// The dashboard's only way to the server: the public /api routes (docs/api.md). Answers are the
// server's JSON as sent, typed from its own route schemas (api-types.ts). Every failure becomes
// an ApiError whose message a person can act on, so pages can show it as it is.
import type {
  ApiAnswer,
  CategoriesAnswer,
  ForecastFromEnd,
  JobSnapshot,
  LatestWindow,
  LeaderboardAnswer,
  MetricHistory,
  ModelsAnswer,
  MonitoringAnswer,
  PredictAnswer,
  PredictBody,
  RunInfo,
  RunsAnswer,
  Series,
  SeriesList,
  ServerSettings,
  TrainAccepted,
  TrainBody,
  TrainingOverrides,
} from "./api-types.js";
import { fetchWithKey } from "./lib/api-key.js";

export * from "./api-types.js";

/** Same origin as the page: the server serves both (vite's dev server proxies /api). */
const API = new URL("api/", new URL("/", window.location.href)).pathname;

export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The server's machine-readable error name, when it sent one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface RequestOptions {
  method?: "GET" | "POST";
  body?: unknown;
  signal?: AbortSignal;
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const url = API + path;
  let response: Response;
  try {
    // The server's API key when it asks for one (lib/api-key.ts: a 401 opens the key prompt).
    response = await fetchWithKey(url, {
      method: options.method ?? "GET",
      headers: options.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(`Could not reach the salescast server (${url}). Is \`salescast serve\` still running?`, 0);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) throw errorFrom(response.status, json, text, url);
  return json as T;
}

/** The server answers errors as {"error", "message"}; anything else still gets a sentence. */
function errorFrom(status: number, json: unknown, text: string, url: string): ApiError {
  const body = (json && typeof json === "object" ? json : {}) as { error?: unknown; message?: unknown };
  const message = typeof body.message === "string" && body.message !== "" ? body.message : undefined;
  const code = typeof body.error === "string" ? body.error : undefined;
  if (message) return new ApiError(message, status, code);
  if (status === 404) return new ApiError(`Not found: ${url}. The server may be an older version without this route.`, status, code);
  const snippet = text.trim().slice(0, 200);
  return new ApiError(`The server answered ${status}${snippet ? `: ${snippet}` : ""}`, status, code);
}

const segment = encodeURIComponent;

export async function getCategories(signal?: AbortSignal): Promise<CategoriesAnswer> {
  return request<CategoriesAnswer>("categories", { signal });
}

export async function getModels(signal?: AbortSignal): Promise<ModelsAnswer> {
  return request<ModelsAnswer>("models", { signal });
}

/** The data's frequency, the currency, the default category and the training defaults. */
export async function getSettings(signal?: AbortSignal): Promise<ServerSettings> {
  return request<ServerSettings>("settings", { signal });
}

/** One page of the series in the data whose name holds every word of `search` (GET /api/series). */
export async function listSeries(
  ask: { search?: string; level?: string; page?: number; pageSize?: number; parent?: { level: string; name: string } },
  signal?: AbortSignal,
): Promise<SeriesList> {
  const query = new URLSearchParams();
  if (ask.search) query.set("search", ask.search);
  if (ask.level) query.set("level", ask.level);
  // Drill-down: only the series of `level` within this one.
  if (ask.parent) {
    query.set("parent_level", ask.parent.level);
    query.set("parent", ask.parent.name);
  }
  if (ask.page !== undefined) query.set("page", String(ask.page));
  if (ask.pageSize !== undefined) query.set("page_size", String(ask.pageSize));
  const suffix = query.size > 0 ? `?${query}` : "";
  return request<SeriesList>(`series${suffix}`, { signal });
}

export async function getSeries(category: string, range: { from?: string; to?: string; level?: string } = {}, signal?: AbortSignal): Promise<Series> {
  const query = new URLSearchParams();
  if (range.from) query.set("from", range.from);
  if (range.to) query.set("to", range.to);
  // An aggregate of a hierarchy level (the bottom series without one).
  if (range.level) query.set("level", range.level);
  const suffix = query.size > 0 ? `?${query}` : "";
  return request<Series>(`series/${segment(category)}${suffix}`, { signal });
}

/** GET /api/forecast/{category}?h=: the next `horizon` periods after the end of the history, from the served model. */
export async function getForecast(category: string, horizon?: number, signal?: AbortSignal): Promise<ForecastFromEnd> {
  const suffix = horizon === undefined ? "" : `?h=${horizon}`;
  return request<ForecastFromEnd>(`forecast/${segment(category)}${suffix}`, { signal });
}

/**
 * GET /api/forecasts/{level}?format=csv&series=…: the catalogue model's forecasts of these series
 * of `level` as the server's CSV, or null when it has none for them (no catalogue model is
 * registered, or it was trained on other levels or series: the server answers 404).
 */
export async function getLevelForecastsCsv(level: string, series: readonly string[], signal?: AbortSignal): Promise<string | null> {
  const query = new URLSearchParams({ format: "csv" });
  for (const name of series) query.append("series", name);
  const url = `${API}forecasts/${segment(level)}?${query}`;
  let response: Response;
  try {
    response = await fetchWithKey(url, { method: "GET", headers: { accept: "text/csv" }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(`Could not reach the salescast server (${url}). Is \`salescast serve\` still running?`, 0);
  }
  const text = await response.text();
  if (response.status === 404) return null;
  if (!response.ok) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    throw errorFrom(response.status, json, text, url);
  }
  return text;
}

/**
 * The leaderboard of the version a category serves, or null when that version was not trained
 * with architecture auto (the server answers 404 "no_leaderboard").
 */
/** The category's live forecast quality (scored served forecasts) and its served version's validation MASE. */
export function getMonitoring(category: string, signal?: AbortSignal): Promise<MonitoringAnswer> {
  return request<MonitoringAnswer>(`monitoring/${segment(category)}`, { signal });
}

export async function getLeaderboard(category: string, signal?: AbortSignal): Promise<LeaderboardAnswer | null> {
  try {
    return await request<LeaderboardAnswer>(`models/${segment(category)}/leaderboard`, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.code === "no_leaderboard") return null;
    throw error;
  }
}

/** The last window of the category (what the model needs to predict the next period). */
export async function getLatestWindow(category: string, signal?: AbortSignal): Promise<LatestWindow> {
  return request<LatestWindow>(`series/${segment(category)}/latest`, { signal });
}

export interface PredictRequest {
  series: number[];
  horizon: number;
  /** Interval levels in percent (e.g. [80, 95]); none when empty. */
  levels?: number[];
  /** Date of the window's last value: models with calendar features need it, others ignore it. */
  lastDate?: string;
  /** Models that read covariates: per covariate, window + horizon values. */
  covariates?: Record<string, number[]>;
}

/** A forecast of one window: every step (one when no horizon was asked), and one band per level asked for. */
export type Forecast = Required<Pick<PredictAnswer, "predicted_sales" | "forecast" | "intervals">>;

export async function predict(category: string, ask: PredictRequest, signal?: AbortSignal): Promise<Forecast> {
  const body: PredictBody = { series: ask.series };
  if (ask.horizon > 1) body.horizon = ask.horizon;
  if (ask.levels && ask.levels.length > 0) body.level = ask.levels;
  if (ask.lastDate) body.last_date = ask.lastDate;
  if (ask.covariates && Object.keys(ask.covariates).length > 0) body.covariates = ask.covariates;
  const answer = await request<PredictAnswer>(`predict/${segment(category)}`, { method: "POST", body, signal });
  // The series form always has predicted_sales; forecast only when a horizon was sent.
  const first = answer.predicted_sales!;
  return { predicted_sales: first, forecast: answer.forecast ?? [first], intervals: answer.intervals ?? [] };
}

/** `overrides` change settings for this job only (epochs, window, seed, features); the server checks them like config.yaml. */
export async function startTraining(categories: string[], experimentName: string, overrides: TrainingOverrides = {}): Promise<TrainAccepted> {
  const body: TrainBody = { categories };
  if (experimentName.trim() !== "") body.experiment_name = experimentName.trim();
  if (Object.keys(overrides).length > 0) body.overrides = overrides;
  return request<TrainAccepted>("train", { method: "POST", body });
}

/** Training jobs the server remembers, newest first. */
export async function getJobs(signal?: AbortSignal): Promise<JobSnapshot[]> {
  return (await request<ApiAnswer<"/api/jobs", "get">>("jobs", { signal })).jobs;
}

export async function getJob(id: string, signal?: AbortSignal): Promise<JobSnapshot> {
  return request<JobSnapshot>(`jobs/${segment(id)}`, { signal });
}

/** Absolute URL of a job's server-sent events (EventSource needs one). */
export function jobEventsUrl(id: string): string {
  return `${API}jobs/${segment(id)}/events`;
}

export async function getRuns(filter: { category?: string } = {}, signal?: AbortSignal): Promise<RunsAnswer> {
  const query = filter.category ? `?${new URLSearchParams({ category: filter.category })}` : "";
  return request<RunsAnswer>(`runs${query}`, { signal });
}

/** One point of a loss curve; a value the store holds as NaN or Infinity (sent as null) is NaN. */
export interface MetricPoint {
  step: number;
  value: number;
}

export async function getMetricHistory(runId: string, key: string, signal?: AbortSignal): Promise<MetricPoint[]> {
  const answer = await request<MetricHistory>(`runs/${segment(runId)}/metrics/${segment(key)}`, { signal });
  return answer.history.map((p) => ({ step: p.step, value: p.value === null ? Number.NaN : p.value }));
}

/** URL of a run's artifact (the evaluation plot), for an <img>. */
export function artifactUrl(run: Pick<RunInfo, "run_id">, path: string): string {
  return `${API}runs/${segment(run.run_id)}/artifacts/${path.split("/").map(segment).join("/")}`;
}
