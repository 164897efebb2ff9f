// buildApp(): the configured Fastify instance, ready for app.inject() in tests or listen() in
// listen.ts. It wires the services once (decorated as app.salescast) and registers one plugin
// per route group; the docs plugin comes first so every later route lands in the OpenAPI document.
import { randomUUID } from "node:crypto";
import compress from "@fastify/compress";
import Fastify, { LogController, type FastifyInstance } from "fastify";
import { ModelCache } from "../forecaster/model-cache.js";
import { SalesForecaster } from "../forecaster/sales-forecaster.js";
import { defaultCategory as resolveDefaultCategory } from "../data/default-category.js";
import { RegistryUnavailableError, serverRegistry } from "../registry/index.js";
import { closesWithUnreadBody, drainBody } from "./body-drain.js";
import { errorBodySchema, formatValidationErrors, HttpError, sendError } from "./errors.js";
import { JobManager } from "./jobs/job-manager.js";
import { trainAllRunner } from "./jobs/runner.js";
import { createMetrics } from "./metrics.js";
import { installRegistryHealth, resilientRegistry } from "./registry-health.js";
import { startRetrainSchedule } from "./retrain/scheduler.js";
import { ForecastMonitor } from "./monitoring/forecast-monitor.js";
import { monitorMetrics } from "./monitoring/monitor-metrics.js";
import { MonitorFile } from "./monitoring/monitor-file.js";
import { ActualsWatch } from "./monitoring/actuals-from-data.js";
import { monitorFilePath } from "../config/paths.js";
import { actualsRoutes } from "./routes/actuals.js";
import { resolveServerOptions, type ServerOptions } from "./options.js";
import { catalogRoutes } from "./routes/catalog.js";
import { forecastRoutes } from "./routes/forecast.js";
import { registerDocs } from "./routes/docs.js";
import { healthRoutes } from "./routes/health.js";
import { jobRoutes } from "./routes/jobs.js";
import { metricsRoutes, recordRequestMetrics } from "./routes/metrics.js";
import { predictRoutes } from "./routes/predict.js";
import { seriesRoutes } from "./routes/series.js";
import { seriesListRoutes } from "./routes/series-list.js";
import { catalogueForecastRoutes } from "./routes/catalogue-forecasts.js";
import { settingsRoutes } from "./routes/settings.js";
import { runsRoutes } from "./routes/runs.js";
import { dashboardRoutes } from "./routes/dashboard.js";
import { methodNotAllowed } from "./method-not-allowed.js";
import { COMPRESS_THRESHOLD } from "./precompressed.js";
import { installReadAuth } from "./read-auth.js";
import { SalesDataCache } from "./sales-data.js";
import type { SalescastServices } from "./services.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Longest path parameter the router passes to a route (longer answers 414), in URL characters. */
export const MAX_PATH_PARAM_LENGTH = 16_384;

export async function buildApp(serverOptions: ServerOptions): Promise<FastifyInstance> {
  const options = resolveServerOptions(serverOptions);
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    // One log line per answered request (below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // A client's X-Request-Id is kept (when it is a plain token) so logs can be joined across services.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: {
      customOptions: {
        // Numbers stay numbers: "12" is not 12, and an unknown field is an error, not dropped.
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: true,
        allErrors: false,
        // Keeps the offending value and schema on each error, for messages that name both.
        verbose: true,
      },
    },
    schemaErrorFormatter: formatValidationErrors,
    // Router refusals (a malformed URL, an over-long path parameter) answer in the API's error
    // format like every other error, not Fastify's own (found by fuzzing).
    frameworkErrors: (error, request, reply) => sendError(request, reply, error, options.bodyLimit),
    // Path parameters are checked by the route schemas (maxLength 200 to 1000 characters, which
    // percent-encoded may be 12 times longer); the router's own cap only stops absurd URLs.
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Graceful shutdown: idle keep-alive sockets close at once, busy ones after their answer.
    forceCloseConnections: "idle",
    return503OnClosing: true,
  });

  const metrics = createMetrics();
  // What the server reads: a snapshot polled in the background for MLflow, a version only once it loads (registry-health.ts).
  const { registry, load } = resilientRegistry(app, serverOptions.registry ?? serverRegistry(options.config), options, metrics, (info) =>
    SalesForecaster.fromRegistered(info, { backend: options.backend }),
  );
  const models = new ModelCache(registry, {
    refreshMs: options.modelRefreshMs,
    load,
    onSwap: (event) => {
      metrics.modelSwaps.inc({ category: event.category });
      app.log.info({ category: event.category, from: event.from ?? null, to: event.to }, `serving ${event.category} version ${event.to}`);
    },
    onError: (error, category) => app.log.error({ err: error, category }, `model registry problem for ${category}; the loaded model stays in service`),
  });
  const data = new SalesDataCache(options.config.data, serverOptions.salesLoader);
  const runner = serverOptions.trainingRunner ?? trainAllRunner(options.config, data, options.trainingThreads, (line) => app.log.info(line));
  const jobs = new JobManager(runner, {
    onStateChange: (job, previous) => {
      metrics.jobs.inc({ state: job.state });
      app.log.info({ job: job.id, state: job.state, previous: previous ?? null, categories: job.categories }, `training job ${job.state}`);
    },
    // A category that finished is served at once, while the job's other categories still train.
    onResult: (result) => {
      if (result.status === "ok") void registry.poll(result.category).then(() => models.refresh(result.category));
    },
    onFinished: async (job) => {
      // Load what the job registered before its waiters hear it is done.
      const trained = job.results.filter((r) => r.status === "ok").map((r) => r.category);
      await Promise.all(trained.map((category) => registry.poll(category).then(() => models.refresh(category))));
    },
    onError: (error) => app.log.error({ err: error }, "training job bookkeeping failed"),
  });
  // data.item_id when it has a model (no file read on the hot path); otherwise resolved against
  // the data like the CLI does (a file of one series uses it), said once in the log.
  let lastNote: string | undefined;
  const defaultCategory = async (): Promise<string> => {
    const itemId = options.config.data.item_id;
    if ((await models.categories()).includes(itemId)) return itemId;
    const resolved = resolveDefaultCategory(itemId, await data.categoriesOrNone());
    if (resolved.note !== undefined && resolved.note !== lastNote) app.log.info(resolved.note);
    lastNote = resolved.note;
    return resolved.category;
  };
  const monitor = new ForecastMonitor(options.config.app.monitor_window);
  monitorMetrics(metrics, monitor);
  // With a queue: its job counts and durations on /metrics (imported only then: BullMQ is not small).
  const queued = options.config.queue.url
    ? (await import("./queue-metrics.js")).queueMetrics(metrics, options.config, (error) => app.log.warn(`queue metrics: ${error.message}`))
    : undefined;
  // Recorded forecasts survive a restart (monitor-file.ts); a changed sales file brings actuals (actuals-from-data.ts).
  const monitorLog = { info: (m: string) => app.log.info(m), warn: (m: string) => app.log.warn(m) };
  const monitorFile = new MonitorFile(monitorFilePath(options.config), monitor, monitorLog);
  await monitorFile.load();
  const actualsWatch = new ActualsWatch(data, monitor, registry, monitorLog);
  const services: SalescastServices = {
    options,
    registry,
    models,
    data,
    jobs,
    metrics,
    monitor,
    monitorFile,
    actualsWatch,
    startedAt: Date.now(),
    defaultCategory,
  };
  app.decorate("salescast", services);

  // Compressed answers for clients that accept them (gzip, brotli; precompressed.ts says why
  // the dashboard's files are compressed at start instead). Registered before every route: it
  // hooks each route as it is added. Request bodies are not decompressed: bodies stay plain
  // JSON, as before, and the body limit keeps meaning what it says.
  await app.register(compress, { threshold: COMPRESS_THRESHOLD, encodings: ["br", "gzip"], globalDecompression: false });

  // JSON only: the default text/plain parser would let a string body reach the schemas.
  app.removeContentTypeParser("text/plain");
  app.addSchema(errorBodySchema);

  // Callback-style hooks: no promise per request on the hot path, and no log object built
  // when the level drops it.
  const logRequests = ["trace", "debug", "info"].includes(app.log.level);
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    done();
  });
  // Category names are NFC everywhere (the data, the registry, the CLI): a path that spells "é"
  // as "e" + a combining accent names the same category, not a second one that looks identical.
  app.addHook("preValidation", (request, _reply, done) => {
    const params = request.params as Record<string, unknown> | undefined;
    if (typeof params?.category === "string") params.category = params.category.normalize("NFC");
    done();
  });
  // app.read_auth: the key for every route but the probes and the dashboard's files (read-auth.ts).
  installReadAuth(app, options);
  // Answers from a registry snapshot MLflow has not confirmed lately say how old it is.
  installRegistryHealth(app, registry);
  app.addHook("onResponse", (request, reply, done) => {
    recordRequestMetrics(metrics, request, reply);
    if (logRequests) {
      request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Number(reply.elapsedTime.toFixed(3)) }, "answered");
    }
    done();
  });
  app.setErrorHandler(async (error, request, reply) => {
    // A refused body still arriving is read first, so the answer reaches the client (body-drain.ts).
    if (closesWithUnreadBody(request.raw, reply.getHeader("connection"))) await drainBody(request.raw, options.bodyDrain);
    return sendError(request, reply, error, options.bodyLimit);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new HttpError(404, "route_not_found", `no route ${request.method} ${request.url.split("?")[0]}; the API is described at /docs`),
      options.bodyLimit,
    ),
  );

  await registerDocs(app);
  const wrongMethod = methodNotAllowed(app);
  await app.register(healthRoutes, { prefix: "/api" });
  await app.register(predictRoutes, { prefix: "/api" });
  await app.register(catalogRoutes, { prefix: "/api" });
  await app.register(forecastRoutes, { prefix: "/api" });
  await app.register(seriesRoutes, { prefix: "/api" });
  await app.register(seriesListRoutes, { prefix: "/api" });
  await app.register(catalogueForecastRoutes, { prefix: "/api" });
  await app.register(settingsRoutes, { prefix: "/api" });
  await app.register(jobRoutes, { prefix: "/api" });
  await app.register(actualsRoutes, { prefix: "/api" });
  await app.register(runsRoutes, { prefix: "/api", config: options.config });
  await app.register(metricsRoutes);
  await app.register(dashboardRoutes, { root: options.dashboardRoot });
  wrongMethod.install();

  app.addHook("onReady", async () => {
    // MLflow's first answer, or the saved snapshot after tracking.registry_start_wait_seconds.
    await registry.start(options.config.tracking.registry_start_wait_seconds * 1000);
    // schedule.retrain: rounds of retraining at the cron schedule's times (retrain/scheduler.ts).
    const schedule = options.config.schedule.retrain;
    if (schedule !== null && services.retrain === undefined) services.retrain = startRetrainSchedule(app, schedule);
    monitorFile.start(options.config.app.monitor_save_seconds * 1000);
    const actualsPoll = options.config.app.actuals_poll_seconds;
    if (actualsPoll > 0) actualsWatch.start(actualsPoll * 1000);
    if (options.warmModels) {
      await models.warm().catch((error) =>
        // A registry that has not answered yet is an outage, said in one line (no stack); models load once it answers.
        error instanceof RegistryUnavailableError ? app.log.warn(error.message) : app.log.error({ err: error }, "loading the registered models failed"),
      );
    }
  });
  // Before the server stops accepting: interrupt training so requests waiting on it
  // (?wait=true, event streams) get their answer and the in-flight set can drain.
  app.addHook("preClose", async () => {
    registry.stop();
    services.retrain?.stop();
    actualsWatch.stop();
    await jobs.close();
    await queued?.close();
  });
  // The last recorded forecasts are saved once every request is answered.
  app.addHook("onClose", async () => {
    monitorFile.stop();
    await monitorFile.save();
  });
  return app;
}
