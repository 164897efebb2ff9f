// Warm before ready (issue 18): a just-started server answered its first seconds of traffic
// many times slower than later (p99 277 ms in the first 5 s, 12 ms after, under 64
// connections), because everything ran for the first time on real requests: the schemas,
// the model files, the native network's first call, and V8's compiler tiering every function
// on the request path up from the interpreter.
//
// So before the socket opens (listen.ts), the server:
//   1. runs app.ready(): Fastify compiles every route's validation and serialisation
//      functions, and the onReady hook loads every served model (ModelCache.warm);
//   2. answers `app.warm_up_requests` predictions through app.inject() (no socket), spread over
//      the loaded models, each with a window the model accepts: routing, validation, the
//      forecaster, the engine's backend (native or reference), serialisation and compression
//      run until V8 has optimised them;
//   3. answers /api/ready and /api/health once, and clears what the warm-up added to the
//      request metrics, so /metrics counts only clients.
// Warming before listening, rather than listening at once and answering /api/ready with 503
// until warm: no client can reach a cold server at all, whether or not it checks readiness
// (Compose, a plain `salescast serve`, a load balancer probing only TCP), and there is no state
// to get wrong. The cost is a later start (bench:http's cold-start round reports it).
import type { FastifyInstance } from "fastify";
import type { SalesForecaster } from "../forecaster/sales-forecaster.js";

export interface WarmUpReport {
  models: number;
  requests: number;
  milliseconds: number;
  /** Models whose warm-up prediction was refused: they are served, but a client will see this too. */
  failures: Array<{ category: string; status: number; message: string }>;
}

/** Every model is asked at least this often, however many are loaded: its own first calls are the slowest. */
const MIN_PER_MODEL = 20;

/**
 * A request body the model accepts, and what else it needs: the last window of the history a
 * statistical model keeps, else a flat window at a network's training mean.
 */
export function warmUpBody(forecaster: SalesForecaster, horizon: number): Record<string, unknown> {
  const history = forecaster.model.history?.values;
  const series =
    history && history.length >= forecaster.windowSize
      ? Array.from(history.subarray(history.length - forecaster.windowSize))
      : new Array<number>(forecaster.windowSize).fill(forecaster.model.inputs?.scale?.mean ?? 0);
  const body: Record<string, unknown> = { series };
  if (horizon > 1) body.horizon = horizon;
  if (forecaster.needsLastDate) body.last_date = forecaster.meta.data.end;
  const covariates = forecaster.covariateNames;
  if (covariates.length > 0) {
    body.covariates = Object.fromEntries(covariates.map((name) => [name, new Array<number>(forecaster.windowSize + horizon).fill(0)]));
  }
  return body;
}

/** Readies the app and warms its prediction paths; never throws for a model that refuses (it is reported). */
export async function warmUp(app: FastifyInstance, requests: number): Promise<WarmUpReport> {
  const started = performance.now();
  await app.ready();
  const { models, metrics, options } = app.salescast;
  const loaded = models.loaded();
  const report: WarmUpReport = { models: loaded.length, requests: 0, milliseconds: 0, failures: [] };
  if (requests <= 0 || loaded.length === 0) {
    report.milliseconds = performance.now() - started;
    return report;
  }
  // The key, when the routes need one (app.read_auth), as any client sends it.
  const headers: Record<string, string> = options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` };
  const inject = async (method: "GET" | "POST", url: string, payload?: Record<string, unknown>) => {
    report.requests++;
    return app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  };
  // One line per warm-up request would bury the log: request lines (info) are held back meanwhile.
  const level = app.log.level;
  const quiet = level === "info" || level === "debug" || level === "trace";
  if (quiet) app.log.level = "warn";
  try {
    const itemId = options.config.data.item_id;
    const perModel = Math.max(MIN_PER_MODEL, Math.ceil(requests / loaded.length));
    for (const forecaster of loaded) {
      const own = `/api/predict/${encodeURIComponent(forecaster.category)}`;
      // The default category is also asked on POST /api/predict, the reference's route.
      const urls = forecaster.category === itemId ? [own, "/api/predict"] : [own];
      for (let i = 0; i < perModel; i++) {
        // Mostly one step, as clients ask; every fourth a short recursive forecast.
        const answer = await inject("POST", urls[i % urls.length], warmUpBody(forecaster, i % 4 === 3 ? 3 : 1));
        if (answer.statusCode !== 200) {
          const body = answer.json() as { message?: string };
          report.failures.push({ category: forecaster.category, status: answer.statusCode, message: body.message ?? answer.body.slice(0, 200) });
          break;
        }
      }
    }
    await inject("GET", "/api/ready");
    await inject("GET", "/api/health");
  } finally {
    if (quiet) app.log.level = level;
    // Counted from here on: clients only.
    metrics.requests.reset();
    metrics.latency.reset();
    metrics.predictions.reset();
  }
  report.milliseconds = performance.now() - started;
  return report;
}
