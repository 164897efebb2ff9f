// Everything buildApp() needs, with its defaults in one place. Values come from the options
// object first, then from the `app` section of the configuration when it has the key, then
// from the defaults below. The API key only ever comes from the environment (never a file).
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../version.js";
import { logStream } from "./process-output.js";
import type { FastifyServerOptions } from "fastify";
import type { Config } from "../config/schema.js";
import type { Backend } from "../engine/backend.js";
import { getBackend, resolveBackendName } from "../engine/backends/index.js";
import { MAX_HORIZON } from "../forecaster/sales-forecaster.js";
import type { ServedRegistry } from "../registry/index.js";
import type { TrainingRunner } from "./jobs/job-manager.js";
import type { SalesLoader } from "./sales-data.js";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface ServerOptions {
  config: Config;
  /** Address the server will listen on (default app.host); decides whether training needs a key. */
  host?: string;
  /** Bearer token for the training routes (default: the SALESCAST_API_KEY environment variable). */
  apiKey?: string;
  /** Largest request body in bytes (app.body_limit, default 1 MiB); bigger bodies get 413. */
  bodyLimit?: number;
  /** Training requests allowed per client address and window (app.train_rate_limit). */
  trainRateLimit?: { max: number; windowMs: number };
  /** How old the registry answer may be before a prediction checks for a new version (app.model_refresh_ms). */
  modelRefreshMs?: number;
  /** Worker threads a training job may use (app.training_threads, default cores - 1, at least 1). */
  trainingThreads?: number;
  /** Fastify/pino logger settings (default: level app.log_level or "info"); false for none. */
  logger?: FastifyServerOptions["logger"];
  /** Registry override (default: MLflow's when tracking.uri is an MLflow server, else the local one). */
  registry?: ServedRegistry;
  /** Training override (default: trainAll on worker threads). */
  trainingRunner?: TrainingRunner;
  /** Data loading override (default: loadSales). */
  salesLoader?: SalesLoader;
  /** Load every registered model before answering (default true). */
  warmModels?: boolean;
  /**
   * POST /api/train without ?wait answers when training ends, like the reference (app.train_wait_default,
   * default false: 202 at once). For old clients that cannot add ?wait=true.
   */
  trainWaitDefault?: boolean;
  /** Where the API key is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The built dashboard served at "/" (default: dist/web in the package). */
  dashboardRoot?: string;
  /** Every route but /api/health and /api/ready needs the key (app.read_auth, default false). */
  readAuth?: boolean;
  /** Predictions answered before listening (app.warm_up_requests); 0 = none. */
  warmUpRequests?: number;
}

/** How much work one prediction request may ask for, and how it is sliced (app.max_forecast_values, app.forecast_chunk_values). */
export interface ForecastLimits {
  maxValues: number;
  chunkValues: number;
}

/** What the server reads of a body it refuses before answering (app.body_drain_limit, app.body_drain_timeout_ms). */
export interface BodyDrain {
  maxBytes: number;
  timeoutMs: number;
}

export interface ResolvedServerOptions {
  config: Config;
  host: string;
  apiKey: string | undefined;
  /** True when POST training routes need `Authorization: Bearer <key>`. */
  requireApiKey: boolean;
  /** True when every route but /api/health and /api/ready needs the key (app.read_auth). */
  readAuth: boolean;
  warmUpRequests: number;
  bodyLimit: number;
  trainRateLimit: { max: number; windowMs: number };
  modelRefreshMs: number;
  trainingThreads: number;
  logger: FastifyServerOptions["logger"];
  warmModels: boolean;
  trainWaitDefault: boolean;
  /** The engine backend served models compute on (engine.backend). */
  backend: Backend;
  dashboardRoot: string;
  forecastLimits: ForecastLimits;
  bodyDrain: BodyDrain;
}

/** The server refuses to start: the message says what to change. */
export class ServerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServerConfigError";
  }
}

/** Loopback addresses: only this machine can connect, so training routes may stay open without a key. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

/**
 * A key must travel in an HTTP header as it is: printable ASCII, spaces allowed inside (leading
 * and trailing ones are trimmed, here and from the header). Other characters (tabs, control
 * characters, anything beyond ASCII, which clients encode in ways the server cannot match)
 * are refused at start rather than locking clients out later.
 */
function checkKeyCharacters(keyEnv: string, apiKey: string): void {
  const characters = [...apiKey];
  const bad = characters.findIndex((c) => c < " " || c > "~");
  if (bad >= 0) {
    const code = characters[bad].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw new ServerConfigError(
      `${keyEnv} has a character an HTTP header cannot carry as it is (U+${code} at position ${bad + 1}); ` +
        `use printable ASCII letters, digits, punctuation and spaces only (e.g. openssl rand -hex 32)`,
    );
  }
}

export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  const { config } = options;
  const env = options.env ?? process.env;
  const app = config.app;
  const host = options.host ?? app.host;
  const keyEnv = app.api_key_env;
  const apiKey = (options.apiKey ?? env[keyEnv])?.trim() || undefined;
  const requireApiKey = apiKey !== undefined || !isLoopback(host);
  const readAuth = options.readAuth ?? app.read_auth;
  if (readAuth && apiKey === undefined) {
    throw new ServerConfigError(
      `app.read_auth is on, so every route but /api/health and /api/ready needs the API key, but ${keyEnv} is not set: ` +
        `set it to a long random secret (e.g. openssl rand -hex 32), or set app.read_auth=false`,
    );
  }
  if (requireApiKey && apiKey === undefined) {
    throw new ServerConfigError(
      `the server would listen on ${host}, which other machines can reach, and the training routes need an API key there: ` +
        `set ${keyEnv} to a long random secret (clients send "Authorization: Bearer <key>"), or listen on 127.0.0.1 (app.host)`,
    );
  }
  if (apiKey !== undefined) checkKeyCharacters(keyEnv, apiKey);
  if (apiKey !== undefined && apiKey.length < 16) {
    throw new ServerConfigError(`${keyEnv} is ${apiKey.length} characters long; use at least 16 random characters (e.g. openssl rand -hex 32)`);
  }

  const bodyLimit = options.bodyLimit ?? app.body_limit;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 1024) {
    throw new ServerConfigError(`app.body_limit must be a whole number of bytes, at least 1024, got ${String(bodyLimit)}`);
  }
  const trainRateLimit = options.trainRateLimit ?? { max: app.train_rate_limit.max, windowMs: app.train_rate_limit.window_ms };
  if (!Number.isSafeInteger(trainRateLimit.max) || trainRateLimit.max < 1 || !(trainRateLimit.windowMs > 0)) {
    throw new ServerConfigError(`app.train_rate_limit needs max >= 1 and window_ms > 0, got ${JSON.stringify(trainRateLimit)}`);
  }
  const modelRefreshMs = options.modelRefreshMs ?? app.model_refresh_ms;
  const trainingThreads = options.trainingThreads ?? (app.training_threads || Math.max(1, availableParallelism() - 1));
  if (!Number.isSafeInteger(trainingThreads) || trainingThreads < 1) {
    throw new ServerConfigError(`app.training_threads must be at least 1 (training never runs on the thread that answers requests), got ${trainingThreads}`);
  }
  const forecastLimits = { maxValues: app.max_forecast_values, chunkValues: app.forecast_chunk_values };
  if (forecastLimits.maxValues < MAX_HORIZON) {
    // One window at the longest horizon (the reference's contract plus "horizon") must always be answerable.
    throw new ServerConfigError(`app.max_forecast_values must be at least ${MAX_HORIZON} (one window at the longest horizon), got ${forecastLimits.maxValues}`);
  }
  return {
    config,
    host,
    apiKey,
    requireApiKey,
    readAuth,
    warmUpRequests: options.warmUpRequests ?? app.warm_up_requests,
    bodyLimit,
    trainRateLimit,
    modelRefreshMs,
    trainingThreads,
    logger: options.logger ?? { level: app.log_level, stream: logStream() },
    warmModels: options.warmModels ?? true,
    backend: servingBackend(config),
    trainWaitDefault: options.trainWaitDefault ?? app.train_wait_default,
    dashboardRoot: options.dashboardRoot ?? join(packageRoot(), "dist", "web"),
    forecastLimits,
    bodyDrain: { maxBytes: app.body_drain_limit, timeoutMs: app.body_drain_timeout_ms },
  };
}

/** The backend engine.backend stands for here; native without its addon stops the server, saying why. */
function servingBackend(config: Config): Backend {
  try {
    return getBackend(resolveBackendName(config.engine.backend));
  } catch (error) {
    throw new ServerConfigError(`engine.backend is ${config.engine.backend}, but: ${error instanceof Error ? error.message : String(error)}`);
  }
}
