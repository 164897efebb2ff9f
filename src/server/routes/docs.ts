// The OpenAPI document (built by @fastify/swagger from every route's schemas) at /docs/json
// and /docs/yaml, and Swagger UI at /docs, served from the npm package (no network).
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { salescastVersion } from "../../version.js";

/**
 * Registers on the root instance itself (not as an encapsulated plugin): the OpenAPI
 * collector must see the routes every later plugin adds.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "salescast API",
        description:
          "Sales forecasts per product category from a CNN+LSTM. Errors are always JSON " +
          '{"error": code, "message": text}. Training routes need "Authorization: Bearer <key>" ' +
          "when the server listens beyond loopback (the key is SALESCAST_API_KEY).",
        version: salescastVersion(),
      },
      tags: [
        { name: "health", description: "Liveness and readiness" },
        { name: "predict", description: "Forecasts (the reference's contract, plus horizon and batches)" },
        { name: "catalog", description: "Categories, models and the sales series" },
        { name: "training", description: "Training jobs" },
      ],
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "SALESCAST_API_KEY" } },
      },
    },
    refResolver: {
      // Shared schemas (ErrorBody) become components named by their $id.
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", uiConfig: { docExpansion: "list", deepLinking: true } });
}
