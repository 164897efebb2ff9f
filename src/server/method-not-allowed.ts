// 405 Method Not Allowed, with an Allow header, for a path the server has but not with the
// request's method (DELETE /api/health, QUERY /api/jobs/x), instead of a 404 that says the
// route does not exist (RFC 9110, 15.5.6; found by fuzzing).
//
// Fastify's router has no "path exists for another method" answer, so every route path gets a
// catch-all route for the methods it lacks. The refusal runs in onRequest, before body parsing,
// so a method that needs a Content-Type (QUERY) still gets 405 rather than a 400 about headers.
import type { FastifyInstance } from "fastify";
import { HttpError } from "./errors.js";

export interface MethodNotAllowed {
  /** Registers the 405 routes; call once after every real route is registered. */
  install(): void;
}

/** Starts recording the routes registered from now on (call before registering them). */
export function methodNotAllowed(app: FastifyInstance): MethodNotAllowed {
  const methodsByUrl = new Map<string, Set<string>>();
  let installing = false;
  app.addHook("onRoute", (route) => {
    if (installing) return;
    const methods = methodsByUrl.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method.toUpperCase());
    methodsByUrl.set(route.url, methods);
  });

  return {
    install() {
      installing = true;
      for (const [url, methods] of methodsByUrl) {
        // HEAD is answered for every GET route (Fastify's exposeHeadRoutes).
        if (methods.has("GET")) methods.add("HEAD");
        const allow = [...methods].sort().join(", ");
        const missing = app.supportedMethods.filter((method) => !methods.has(method));
        if (missing.length === 0) continue;
        app.route({
          method: missing,
          url,
          schema: { hide: true },
          onRequest: async (request) => {
            throw new HttpError(405, "method_not_allowed", `${request.method} is not allowed on ${url}; use ${allow} (the API is described at /docs)`, {
              allow,
            });
          },
          handler: async () => undefined, // never reached: onRequest always refuses
        });
      }
    },
  };
}
