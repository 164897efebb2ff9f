// The server's side of src/registry/resilient-registry.ts (issue 18): which mode the served
// registry runs in, the one loader both the load checks and the model cache use (a version is
// read from disk once), the log lines and Prometheus series of registry outages and version
// fallbacks, and the header that says how old a snapshot answer is.
import type { FastifyInstance } from "fastify";
import { Counter, Gauge } from "prom-client";
import type { SalesForecaster } from "../forecaster/sales-forecaster.js";
import { type ModelRegistry, type ModelVersionInfo, ResilientRegistry, servedSnapshotPath } from "../registry/index.js";
import type { ServerMetrics } from "./metrics.js";
import type { ResolvedServerOptions } from "./options.js";

/** On every answer while the registry snapshot is not confirmed: seconds since MLflow last answered. */
export const STALE_HEADER = "x-registry-stale-seconds";

type Loader = (info: ModelVersionInfo) => Promise<SalesForecaster>;

/** One load per version: the load check and the model cache share the forecaster (the latest per category is kept). */
function sharedLoader(load: Loader): Loader {
  const latest = new Map<string, { key: string; forecaster: Promise<SalesForecaster> }>();
  return (info) => {
    const key = `${info.version}\u0000${info.dir}\u0000${info.createdAt}`;
    const known = latest.get(info.category);
    if (known?.key === key) return known.forecaster;
    const forecaster = load(info);
    latest.set(info.category, { key, forecaster });
    forecaster.catch(() => {
      if (latest.get(info.category)?.key === key) latest.delete(info.category);
    });
    return forecaster;
  };
}

export function resilientRegistry(
  app: FastifyInstance,
  inner: ModelRegistry,
  options: ResolvedServerOptions,
  metrics: ServerMetrics,
  loadVersion: Loader,
): { registry: ResilientRegistry; load: Loader } {
  const load = sharedLoader(loadVersion);
  const tracking = options.config.tracking;
  const errors = new Counter({
    name: "salescast_registry_errors_total",
    help: "Background looks at the model registry (MLflow) that failed; serving goes on from the snapshot",
    registers: [metrics.registry],
  });
  const fallbacks = new Counter({
    name: "salescast_model_fallbacks_total",
    help: "Times a category's served version did not load and an older one (or none) was served instead",
    labelNames: ["category"],
    registers: [metrics.registry],
  });
  new Gauge({
    name: "salescast_registry_up",
    help: "1 when the last look at the model registry worked, 0 while serving from a snapshot or with nothing to serve from",
    registers: [metrics.registry],
    collect() {
      this.set(registry.health().state === "ok" ? 1 : 0);
    },
  });
  new Gauge({
    name: "salescast_registry_staleness_seconds",
    help: "Seconds since the model registry last confirmed what is served (-1 = never)",
    registers: [metrics.registry],
    collect() {
      this.set(registry.health().stalenessSeconds ?? -1);
    },
  });
  new Gauge({
    name: "salescast_model_fallback",
    help: "1 for a category served by an older version because the registry's one does not load",
    labelNames: ["category"],
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const f of registry.fallbacks()) this.set({ category: f.category }, 1);
    },
  });
  // The gauges above read it only when /metrics is scraped, after it exists.
  const registry = new ResilientRegistry(inner, {
    mode: inner.kind === "mlflow" ? "polled" : "direct",
    check: load,
    snapshotPath: servedSnapshotPath(options.config),
    pollMs: tracking.registry_poll_seconds * 1000,
    maxBackoffMs: tracking.registry_poll_max_seconds * 1000,
    onPollError: (error) => {
      errors.inc();
      const health = registry.health();
      app.log.warn(
        { err: error, failures: health.consecutiveFailures, stale_seconds: health.stalenessSeconds ?? null },
        `the model registry did not answer (${health.consecutiveFailures} in a row); serving goes on from the last answer, asked again in the background`,
      );
    },
    onRecovered: (seconds) => app.log.info({ down_seconds: Math.round(seconds) }, `the model registry answers again after ${Math.round(seconds)} s`),
    onFallback: (f) => {
      fallbacks.inc({ category: f.category });
      app.log.error(
        { category: f.category, wanted: f.wanted, serving: f.serving ?? null, reason: f.reason },
        f.serving === undefined
          ? `${f.category}: version ${f.wanted} does not load and no earlier version does (${f.reason}); nothing is served for it until a good version is registered`
          : `${f.category}: version ${f.wanted} does not load (${f.reason}); serving version ${f.serving}, the last one that loads`,
      );
    },
  });
  return { registry, load };
}

/** Adds STALE_HEADER to every answer while a polled registry's snapshot is not confirmed. */
export function installRegistryHealth(app: FastifyInstance, registry: ResilientRegistry): void {
  if (registry.kind !== "mlflow") return; // the local registry is read directly: never stale
  app.addHook("onRequest", (_request, reply, done) => {
    const health = registry.health();
    if (health.state !== "ok") reply.header(STALE_HEADER, health.stalenessSeconds === undefined ? "never" : String(Math.round(health.stalenessSeconds)));
    done();
  });
}
