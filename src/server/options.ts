// Everything buildApp() needs, with its defaults in one place. Values come from the options
// object first, then from the `app` section of the configuration when it has the key, then
// from the defaults below. The API key only ever comes from the environment (never a file).
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import type { FastifyServerOptions } from "fastify";
import type { Config } from "../config/schema.js";
import type { InferencePath } from "../forecaster/sales-forecaster.js";
import type { LocalRegistry } from "../registry/index.js";
import type { TrainingRunner } from "./jobs/job-manager.js";
import type { SalesLoader } from "./sales-data.js";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_TRAIN_RATE_LIMIT = { max: 10, windowMs: 60_000 };
export const DEFAULT_API_KEY_ENV = "SALESCAST_API_KEY";

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
  /** Registry override (default: LocalRegistry at the folder of train.checkpoint_path). */
  registry?: LocalRegistry;
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
  /** "fast" (WebAssembly SIMD, default) or "reference" (the engine) for predictions (app.inference). */
  inference?: InferencePath;
}

export interface ResolvedServerOptions {
  config: Config;
  host: string;
  apiKey: string | undefined;
  /** True when POST training routes need `Authorization: Bearer <key>`. */
  requireApiKey: boolean;
  bodyLimit: number;
  trainRateLimit: { max: number; windowMs: number };
  modelRefreshMs: number;
  trainingThreads: number;
  logger: FastifyServerOptions["logger"];
  registryRoot: string;
  warmModels: boolean;
  trainWaitDefault: boolean;
  inference: InferencePath;
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
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  const { config } = options;
  const env = options.env ?? process.env;
  const app = config.app as Config["app"] & Record<string, unknown>;
  const host = options.host ?? config.app.host;
  const keyEnv = typeof app.api_key_env === "string" && app.api_key_env !== "" ? app.api_key_env : DEFAULT_API_KEY_ENV;
  const apiKey = (options.apiKey ?? env[keyEnv])?.trim() || undefined;
  const requireApiKey = apiKey !== undefined || !isLoopback(host);
  if (requireApiKey && apiKey === undefined) {
    throw new ServerConfigError(
      `the server would listen on ${host}, which other machines can reach, and the training routes need an API key there: ` +
        `set ${keyEnv} to a long random secret (clients send "Authorization: Bearer <key>"), or listen on 127.0.0.1 (app.host)`,
    );
  }
  if (apiKey !== undefined && apiKey.length < 16) {
    throw new ServerConfigError(`${keyEnv} is ${apiKey.length} characters long; use at least 16 random characters (e.g. openssl rand -hex 32)`);
  }

  const bodyLimit = options.bodyLimit ?? numberKey(app, "body_limit") ?? DEFAULT_BODY_LIMIT;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 1024) {
    throw new ServerConfigError(`app.body_limit must be a whole number of bytes, at least 1024, got ${String(bodyLimit)}`);
  }
  const configuredRate = app.train_rate_limit as { max?: unknown; window_ms?: unknown } | undefined;
  const trainRateLimit = options.trainRateLimit ?? {
    max: typeof configuredRate?.max === "number" ? configuredRate.max : DEFAULT_TRAIN_RATE_LIMIT.max,
    windowMs: typeof configuredRate?.window_ms === "number" ? configuredRate.window_ms : DEFAULT_TRAIN_RATE_LIMIT.windowMs,
  };
  if (!Number.isSafeInteger(trainRateLimit.max) || trainRateLimit.max < 1 || !(trainRateLimit.windowMs > 0)) {
    throw new ServerConfigError(`app.train_rate_limit needs max >= 1 and window_ms > 0, got ${JSON.stringify(trainRateLimit)}`);
  }
  const modelRefreshMs = options.modelRefreshMs ?? numberKey(app, "model_refresh_ms") ?? 1000;
  const trainingThreads = options.trainingThreads ?? numberKey(app, "training_threads") ?? Math.max(1, availableParallelism() - 1);
  if (!Number.isSafeInteger(trainingThreads) || trainingThreads < 1) {
    throw new ServerConfigError(`app.training_threads must be at least 1 (training never runs on the thread that answers requests), got ${trainingThreads}`);
  }
  const logLevel = typeof app.log_level === "string" ? app.log_level : "info";
  return {
    config,
    host,
    apiKey,
    requireApiKey,
    bodyLimit,
    trainRateLimit,
    modelRefreshMs,
    trainingThreads,
    logger: options.logger ?? { level: logLevel },
    registryRoot: dirname(config.train.checkpoint_path),
    warmModels: options.warmModels ?? true,
    inference: options.inference ?? (app.inference === "reference" ? "reference" : "fast"),
    trainWaitDefault: options.trainWaitDefault ?? (typeof app.train_wait_default === "boolean" ? app.train_wait_default : false),
  };
}

function numberKey(app: Record<string, unknown>, key: string): number | undefined {
  const value = app[key];
  return typeof value === "number" ? value : undefined;
}
