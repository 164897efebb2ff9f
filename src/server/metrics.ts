// Prometheus metrics of one server (its own prom-client registry, so several apps in one
// process, as in tests, never share or double-register series).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { JobState } from "./jobs/job-manager.js";

export interface ServerMetrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  latency: Histogram<"method" | "route" | "status">;
  predictions: Counter<"category">;
  jobs: Counter<"state">;
  jobsByState: Gauge<"state">;
  modelVersion: Gauge<"category">;
  modelSwaps: Counter<"category">;
}

export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "salescast_" });
  return {
    registry,
    requests: new Counter({
      name: "salescast_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    latency: new Histogram({
      name: "salescast_http_request_duration_seconds",
      help: "Time from request received to response sent, by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      // Predictions answer in well under a millisecond; training with ?wait=true takes minutes.
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60, 300],
      registers: [registry],
    }),
    predictions: new Counter({
      name: "salescast_predictions_total",
      help: "Windows forecast, by category (a batch request counts each instance)",
      labelNames: ["category"],
      registers: [registry],
    }),
    jobs: new Counter({
      name: "salescast_training_jobs_total",
      help: "Training jobs that reached each state",
      labelNames: ["state"],
      registers: [registry],
    }),
    jobsByState: new Gauge({
      name: "salescast_training_jobs",
      help: "Training jobs currently in each state (finished jobs are kept up to a limit)",
      labelNames: ["state"],
      registers: [registry],
    }),
    modelVersion: new Gauge({
      name: "salescast_model_version_loaded",
      help: "Registry version of the model each category is answering with",
      labelNames: ["category"],
      registers: [registry],
    }),
    modelSwaps: new Counter({
      name: "salescast_model_swaps_total",
      help: "Times a category's model was loaded or replaced by a newer version",
      labelNames: ["category"],
      registers: [registry],
    }),
  };
}

export function recordJobCounts(metrics: ServerMetrics, counts: Record<JobState, number>): void {
  for (const [state, count] of Object.entries(counts)) metrics.jobsByState.set({ state }, count);
}
