// The OpenAPI document (built by @fastify/swagger from every route's schemas) at /docs/json
// and /docs/yaml, and Swagger UI at /docs, served from the npm package (no network).
// OpenAPI 3.1, because the route schemas are JSON Schema (numeric exclusiveMinimum, type
// arrays with "null"), which 3.0's schema dialect does not allow.
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { FRAMEWORK_ANSWERS, OPTIONAL_BODY } from "./schemas.js";
import { OPEN_ROUTES } from "../read-auth.js";
import { salescastVersion } from "../../version.js";

/**
 * Registers on the root instance itself (not as an encapsulated plugin): the OpenAPI
 * collector must see the routes every later plugin adds.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  const { readAuth } = app.salescast.options;
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "salescast API",
        // Swagger UI renders descriptions as Markdown and drops what looks like an HTML tag
        // (it showed "Authorization: Bearer" without "<key>"): such text goes in code spans,
        // which show it literally (tests/server/metrics-docs.test.ts checks every description).
        description:
          "Sales forecasts per product category from a CNN+LSTM. Errors are always JSON " +
          '`{"error": code, "message": text}`. Training routes need `Authorization: Bearer <key>` ' +
          "when the server listens beyond loopback (the key is `SALESCAST_API_KEY`)." +
          (readAuth ? " This server has `app.read_auth` on: every route but `/api/health` and `/api/ready` needs the key." : ""),
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
    transformObject: (document) =>
      "openapiObject" in document
        ? (addReadAuth(addFrameworkAnswers(document.openapiObject as OpenApiDocument), readAuth) as typeof document.openapiObject)
        : document.swaggerObject,
    refResolver: {
      // Shared schemas (ErrorBody) become components named by their $id.
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", uiConfig: { docExpansion: "list", deepLinking: true } });
}

interface OpenApiOperation {
  parameters?: { in: string }[];
  requestBody?: { required?: boolean };
  responses?: Record<string, unknown>;
  [key: string]: unknown;
}
type OpenApiDocument = { paths?: Record<string, Record<string, OpenApiOperation>> } & Record<string, unknown>;

/**
 * Answers the framework gives before a route's own code runs, added to every operation they
 * can happen to (found by fuzzing: they were missing from the document):
 * - a body that is not JSON (400), too large (413) or not sent as JSON (415);
 * - a path parameter longer than the router accepts (414);
 * - a parameter or body that fails its schema (422).
 * Routes that take an optional body (x-optional-body) get requestBody.required = false:
 * @fastify/swagger marks every body required.
 */
function addFrameworkAnswers(doc: OpenApiDocument): OpenApiDocument {
  const error = { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } } };
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      if (typeof operation !== "object" || operation === null || !operation.responses) continue;
      const statuses = [
        ...(operation.requestBody ? FRAMEWORK_ANSWERS.body : []),
        ...(operation.parameters?.some((p) => p.in === "path") ? FRAMEWORK_ANSWERS.path : []),
        ...(operation.parameters?.some((p) => p.in === "query") ? FRAMEWORK_ANSWERS.query : []),
      ];
      for (const status of statuses) operation.responses[String(status)] ??= error;
      if (operation[OPTIONAL_BODY] === true && operation.requestBody) operation.requestBody.required = false;
      delete operation[OPTIONAL_BODY];
    }
  }
  return doc;
}

/** With app.read_auth, every operation but the open ones needs the bearer key and may answer 401. */
function addReadAuth(doc: OpenApiDocument, readAuth: boolean): OpenApiDocument {
  if (!readAuth) return doc;
  const error = { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } } };
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    if (OPEN_ROUTES.has(path)) continue;
    for (const operation of Object.values(operations)) {
      if (typeof operation !== "object" || operation === null || !operation.responses) continue;
      operation.responses["401"] ??= error;
      operation.security ??= [{ bearer: [] }];
    }
  }
  return doc;
}
