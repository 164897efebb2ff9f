// Every error leaves the server as JSON {"error": code, "message": text} with the status that
// fits it. `error` is a stable snake_case code clients can branch on; `message` says what was
// wrong and how to fix it. Unknown failures answer 500 with a generic message (the details go
// to the log with the request id, never to the client).
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from "fastify";
import { ForecastInputError, ModelNotFoundError, ModelOutputError } from "../forecaster/errors.js";
import { RegistryCorruptError, RegistryUnavailableError } from "../registry/index.js";
import { MlflowUnavailableError } from "../tracking/mlflow/index.js";
import { JobConflictError } from "./jobs/job-manager.js";
import { DataUnavailableError } from "./sales-data.js";

export interface ErrorBody {
  error: string;
  message: string;
}

/** An error a route throws on purpose, with its status and code. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const errorBodySchema = {
  $id: "ErrorBody",
  type: "object",
  description: "Every error: a stable code and a message that says what was wrong and how to fix it.",
  required: ["error", "message"],
  properties: {
    error: { type: "string", description: "snake_case code, e.g. invalid_series_length, unknown_category" },
    message: { type: "string" },
  },
  additionalProperties: false,
} as const;

/** Fastify's own error codes (body parsing, limits, routing) mapped to ours. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "empty_body", message: "the request body is empty; send a JSON object" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "invalid_json", message: "the request body is not valid JSON" },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "payload_too_large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: "invalid_content_length" },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, code: "invalid_content_type" },
  FST_ERR_CTP_INVALID_CONTENT_TYPE: { status: 400, code: "invalid_content_type" },
  FST_ERR_BAD_URL: { status: 400, code: "bad_url", message: "the URL is not valid: a path part is not correctly percent-encoded" },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: "uri_too_long",
    message: "a path parameter of the URL is too long; category names, run ids and keys are at most a few hundred characters",
  },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: "bad_request" },
};

export interface ErrorReply {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
  /** 5xx answers are logged as errors with the stack; 4xx at info level. */
  serverFault: boolean;
}

export function errorReply(error: unknown, bodyLimit: number): ErrorReply {
  if (error instanceof HttpError) {
    return { status: error.statusCode, body: { error: error.code, message: error.message }, headers: error.headers, serverFault: error.statusCode >= 500 };
  }
  if (error instanceof ForecastInputError) return client(422, error.code, error.message);
  if (error instanceof ModelNotFoundError) return client(404, "model_not_found", error.message);
  if (error instanceof JobConflictError) return client(409, "training_in_progress", error.message);
  if (error instanceof DataUnavailableError) return { status: 503, body: { error: "data_unavailable", message: error.message }, serverFault: true };
  // The registry or the tracking server being down or broken is never the server's own fault (a 500).
  if (error instanceof RegistryUnavailableError) return unavailable("registry_unavailable", error.message);
  if (error instanceof RegistryCorruptError) return unavailable("registry_corrupt", error.message);
  if (error instanceof MlflowUnavailableError) {
    return unavailable("tracking_unavailable", `the tracking server did not answer: ${error.message}. Served models keep answering; try again later`);
  }
  if (error instanceof ModelOutputError) return { status: 500, body: { error: "model_output_invalid", message: error.message }, serverFault: true };

  const fastifyError = error as Partial<FastifyError> & { validation?: unknown };
  if (fastifyError.validation) {
    return client(422, "validation_error", fastifyError.message ?? "the request does not match the schema");
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) {
    const message =
      known.code === "payload_too_large"
        ? `the request body is larger than the limit of ${bodyLimit} bytes (app.body_limit); send fewer values per request`
        : known.code === "unsupported_media_type"
          ? `unsupported Content-Type; send the body as JSON with "Content-Type: application/json"`
          : (known.message ?? fastifyError.message ?? known.code);
    return client(known.status, known.code, message);
  }
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    // A 4xx raised by a plugin (e.g. the rate limiter builds its own message).
    return client(status, statusCode(status), fastifyError.message ?? "bad request");
  }
  return {
    status: 500,
    body: { error: "internal_error", message: "the server failed to answer this request; the log has the details under its request id" },
    serverFault: true,
  };
}

function unavailable(code: string, message: string): ErrorReply {
  return { status: 503, body: { error: code, message }, headers: { "retry-after": "30" }, serverFault: true };
}

function client(status: number, code: string, message: string): ErrorReply {
  return { status, body: { error: code, message }, serverFault: false };
}

function statusCode(status: number): string {
  switch (status) {
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 414:
      return "uri_too_long";
    case 429:
      return "rate_limited";
    default:
      return "bad_request";
  }
}

/** Installs the error and not-found handlers on the root instance. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown, bodyLimit: number): FastifyReply {
  const answer = errorReply(error, bodyLimit);
  if (answer.serverFault) request.log.error({ err: error }, answer.body.message);
  else request.log.info({ status: answer.status, code: answer.body.error }, answer.body.message);
  if (answer.headers) reply.headers(answer.headers);
  return reply.status(answer.status).type("application/json; charset=utf-8").send(answer.body);
}

// ---------------------------------------------------------------------------------------------
// Validation messages that name the field: "body.series[2] must be a number (got "2")".

export function formatValidationErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const first = errors[0];
  const message = first ? describeValidationError(first, dataVar) : `${dataVar} does not match the schema`;
  return new Error(message);
}

function describeValidationError(error: FastifySchemaValidationError, dataVar: string): string {
  const where = fieldPath(dataVar, error.instancePath);
  const params = error.params as Record<string, unknown>;
  const got = "data" in error ? ` (got ${shortJson((error as { data?: unknown }).data)})` : "";
  switch (error.keyword) {
    case "required":
      return `${where} is missing the required field "${String(params.missingProperty)}"`;
    case "additionalProperties": {
      const allowed = Object.keys(((error as { parentSchema?: { properties?: object } }).parentSchema?.properties ?? {}) as object);
      return `${where} has an unknown field "${String(params.additionalProperty)}"` + (allowed.length > 0 ? `; allowed fields: ${allowed.join(", ")}` : "");
    }
    case "type": {
      const value = (error as { data?: unknown }).data;
      // JSON.parse turns a number beyond ±1.8e308 (1e999) into Infinity, which no schema type
      // accepts; saying "got null" (JSON's spelling of Infinity) would hide why.
      if (typeof value === "number" && !Number.isFinite(value)) {
        return `${where} is out of range: a number beyond ±1.8e308 (such as ${value > 0 ? "" : "-"}1e999) is not finite; send a finite number`;
      }
      const expected = String(params.type).replace(",null", " or null");
      return `${where} must be ${article(expected)}${got}`;
    }
    case "format":
      if (params.format === "date") return `${where} must be a real date as YYYY-MM-DD${got}`;
      return `${where} ${error.message ?? "is not valid"}${got}`;
    default:
      return `${where} ${error.message ?? "is not valid"}${error.keyword === "enum" || error.keyword === "pattern" ? got : ""}`;
  }
}

/** "/series/2" under "body" -> "body.series[2]". */
function fieldPath(root: string, instancePath: string): string {
  if (!instancePath) return root;
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : `${path}.${part}`), root);
}

function article(type: string): string {
  if (type === "array" || type === "object" || type === "integer") return `an ${type}`;
  if (type === "null") return "null";
  return `a ${type}`;
}

/** A short description of an offending value; never serialises a (possibly huge or deeply nested) structure. */
function shortJson(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
