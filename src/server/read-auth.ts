// app.read_auth (issue 18): the API key for reading too, not only for training. With it on,
// every route needs "Authorization: Bearer <key>" except
//   /api/health, /api/ready   probes (load balancers, Docker's HEALTHCHECK, Kubernetes) that
//                             cannot hold a secret; they name models and versions, no data;
//   /, /assets/*              the dashboard's page and its built files: the same bytes for every
//                             visitor, holding no sales data, model or setting of this server.
//                             They are the key prompt: a browser cannot send a header when it
//                             opens a page, so the page loads, its first API call answers 401
//                             and it asks for the key (web/src/lib/api-key.ts).
// Everything else needs the key: predictions, categories, series, models, runs and their
// artifacts, jobs, settings, the OpenAPI document and Swagger UI (/docs), and /metrics, whose
// labels name the categories (Prometheus sends the key: docs/deploy.md).
// The check runs at onRequest, before the body is read, on unknown routes too (a 404 would say
// which routes exist).
import type { FastifyInstance } from "fastify";
import { apiKeyCheck } from "./auth.js";
import type { ResolvedServerOptions } from "./options.js";

/** Route patterns (as Fastify names them) that stay open with app.read_auth. */
export const OPEN_ROUTES: ReadonlySet<string> = new Set(["/api/health", "/api/ready", "/", "/assets/*"]);

/** Adds the check when app.read_auth is on (resolveServerOptions made sure there is a key). */
export function installReadAuth(app: FastifyInstance, options: ResolvedServerOptions): void {
  if (!options.readAuth) return;
  const check = apiKeyCheck(true, options.apiKey);
  app.addHook("onRequest", async (request) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? "")) return;
    await check(request);
  });
}
