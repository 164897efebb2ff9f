// The names the pages use for the server's JSON. Every type here is taken from
// api-types.gen.ts, which `npm run gen:api-types` generates from the server's own route schemas
// (the OpenAPI document at /docs/json), keys as the server writes them (snake_case). Nothing
// is written by hand: a renamed or retyped field fails `npm run typecheck` where a page reads it.
import type { paths } from "./api-types.gen.js";

type Method = "get" | "post";
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The JSON body of a route's answer with the given status. */
export type ApiAnswer<P extends keyof paths, M extends Method, S extends number = 200> =
  Operation<P, M> extends { responses: { [status in S]: { content: { "application/json": infer T } } } } ? T : never;

/** The JSON body a route takes. */
export type ApiBody<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { "application/json": infer T } } } ? T : never;

/** GET /api/categories. */
export type CategoriesAnswer = ApiAnswer<"/api/categories", "get">;
export type CategoryInfo = CategoriesAnswer["categories"][number];

/** GET /api/models: the version each category serves. */
export type ModelsAnswer = ApiAnswer<"/api/models", "get">;
export type ModelInfo = ModelsAnswer["models"][number];
/** What a forecast from a model needs; null when the server could not read its files. */
export type ModelInputs = NonNullable<ModelInfo["inputs"]>;

/** GET /api/settings. */
export type ServerSettings = ApiAnswer<"/api/settings", "get">;
export type TrainingDefaults = ServerSettings["training"];
export type Frequency = ServerSettings["frequency"];

/** GET /api/series: one page of the series, by search and hierarchy level. */
export type SeriesList = ApiAnswer<"/api/series", "get">;
export type SeriesListItem = SeriesList["series"][number];

/** GET /api/series levels: label, columns, series count and the level a series drills down to. */
export type SeriesLevel = SeriesList["levels"][number];

/** GET /api/forecast/{category}: the forecast from the end of the history, with intervals per period. */
export type ForecastFromEnd = ApiAnswer<"/api/forecast/{category}", "get">;

/** GET /api/series/{category}. */
export type Series = ApiAnswer<"/api/series/{category}", "get">;
/** GET /api/series/{category}/latest: the last window, the date a forecast from it is for, and the covariates over it. */
export type LatestWindow = ApiAnswer<"/api/series/{category}/latest", "get">;

/** POST /api/predict/{category}. */
export type PredictBody = ApiBody<"/api/predict/{category}", "post">;
export type PredictAnswer = ApiAnswer<"/api/predict/{category}", "post">;
export type IntervalBand = NonNullable<PredictAnswer["intervals"]>[number];

/** POST /api/train. */
export type TrainBody = ApiBody<"/api/train", "post">;
/** What a training job changes over the server's configuration ("overrides"). */
export type TrainingOverrides = NonNullable<TrainBody["overrides"]>;
/** POST /api/train's 202: the job was accepted. */
export type TrainAccepted = ApiAnswer<"/api/train", "post", 202>;

/** GET /api/jobs/{id} (also the "snapshot" and "end" server-sent events). */
export type JobSnapshot = ApiAnswer<"/api/jobs/{id}", "get">;
export type JobState = JobSnapshot["state"];
/** One category's progress (also the "progress" event). */
export type CategoryProgress = JobSnapshot["progress"][number];
/** One category's result (also the "result" event). */
export type CategoryResult = JobSnapshot["results"][number];
export type ForecastMetrics = NonNullable<CategoryResult["metrics"]>;

/** GET /api/runs. */
export type RunsAnswer = ApiAnswer<"/api/runs", "get">;
export type RunInfo = RunsAnswer["runs"][number];
export type TrackingStoreInfo = RunsAnswer["store"];
/** GET /api/runs/{id}/metrics/{key}. */
export type MetricHistory = ApiAnswer<"/api/runs/{id}/metrics/{key}", "get">;

export const isFinishedJob = (state: JobState) => state === "succeeded" || state === "failed" || state === "cancelled";

/** GET /api/models/{category}/leaderboard: the tournament behind a version trained with architecture auto. */
export type LeaderboardAnswer = ApiAnswer<"/api/models/{category}/leaderboard", "get">;
/** GET /api/monitoring/{category}: live forecast quality beside the served version's validation MASE. */
export type MonitoringAnswer = ApiAnswer<"/api/monitoring/{category}", "get">;
export type Leaderboard = LeaderboardAnswer["leaderboard"];
export type LeaderboardEntry = Leaderboard["entries"][number];
