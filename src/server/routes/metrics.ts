// GET /metrics: Prometheus text exposition (prom-client). Request counts and latencies are
// recorded for every answered request by recordRequestMetrics (an onResponse hook in app.ts).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { recordJobCounts, type ServerMetrics } from "../metrics.js";

export function recordRequestMetrics(metrics: ServerMetrics, request: FastifyRequest, reply: FastifyReply): void {
  // The route pattern, never the raw URL: category names and job ids would explode the label set.
  const route = request.routeOptions.url ?? "unmatched";
  const labels = { method: request.method, route, status: String(reply.statusCode) };
  metrics.requests.inc(labels);
  metrics.latency.observe(labels, reply.elapsedTime / 1000);
}

export const metricsRoutes: FastifyPluginAsync = async (app) => {
  const { metrics, jobs, models } = app.salescast;
  app.get(
    "/metrics",
    {
      schema: {
        tags: ["health"],
        summary: "Prometheus metrics (text exposition format)",
        response: {
          200: { description: "Prometheus text format 0.0.4", content: { "text/plain; version=0.0.4; charset=utf-8": { schema: { type: "string" } } } },
        },
      },
    },
    async (_request, reply) => {
      recordJobCounts(metrics, jobs.counts());
      metrics.modelVersion.reset();
      for (const f of models.loaded()) if (f.version !== undefined) metrics.modelVersion.set({ category: f.category }, f.version);
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
};
