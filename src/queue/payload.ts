// What a queued job carries, and the checks a worker makes before it runs one.
//
// Every job names the salescast version that queued it and a hash of the configuration it
// carries. A worker runs only jobs of its own version: model files, the configuration's schema
// and the training code may all differ between versions, and a model trained by a mixture of
// versions would not match what the submitter asked for. The hash lets the worker check that the
// configuration arrived whole and that its own schema reads it the same way.
import { createHash } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { configSchema, type Config } from "../config/schema.js";
import { salescastVersion } from "../version.js";
import { localTrackingFolder } from "../tracking/index.js";
import { redactedUrl } from "./connection.js";
import { JobRefusedError } from "./errors.js";
import type { FolderIds } from "./shared-folders.js";

/** The queue every salescast job goes through (children and parents alike). */
export const TRAIN_QUEUE = "train";
export const SHARD_JOB = "train-shard";
export const GATHER_JOB = "train-all";
/** One job of a distributed backtest (backtest-jobs.ts): a category, or one cutoff of it. */
export const BACKTEST_JOB = "backtest-part";
/** The tournament (backtest --all --auto) as a flow (tournament-jobs.ts): trials of some series, or of the global entrants on every series. */
export const TOURNAMENT_PART_JOB = "tournament-part";
/** The tournament's parent: the champion of every series once all trials are in. */
export const TOURNAMENT_FINISH_JOB = "tournament-finish";
/** One GBDT group of train --catalogue (catalogue-jobs.ts): its fit and its series' forecasts. */
export const CATALOGUE_GROUP_JOB = "catalogue-group";
/** The catalogue's parent: every group's result in order (the submitter reconciles and registers). */
export const CATALOGUE_GATHER_JOB = "catalogue-gather";

interface Stamped {
  salescast_version: string;
  config_hash: string;
  config: Config;
}

/** One child job: these categories, trained from the sales file whose checksum is `source_sha256`. */
export interface ShardPayload extends Stamped {
  categories: string[];
  source_path: string;
  source_sha256: string;
  /** Identity of each folder the shard writes (shared-folders.ts): a worker that sees others refuses it. */
  folder_ids: FolderIds;
}

/** The parent job: gathers its children's results in the order the categories were asked. */
export interface GatherPayload extends Stamped {
  categories: string[];
}

/** sha256 of the configuration written with its keys sorted (the same config always hashes the same). */
export function configHash(config: Config): string {
  return createHash("sha256").update(canonicalJson(config)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The configuration as workers on other machines must read it: every path made absolute (a
 * worker's working folder is not the submitter's), a run folder given as a file: URI included
 * (it becomes the folder's absolute path). The paths must name the same shared place on every
 * machine (README, "Running workers"). Passwords stay home: the queue's url and an MLflow
 * tracking.uri travel with `***` for theirs (jobs sit in Redis, readable by whoever reads it, and
 * the job's configuration is logged with every run it trains); workers connect with their own
 * (credentials.ts).
 */
export function portableConfig(config: Config): Config {
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(path));
  const remoteTracking = /^https?:\/\//i.test(config.tracking.uri);
  return {
    ...config,
    data: { ...config.data, csv_path: absolute(config.data.csv_path) },
    train: { ...config.train, checkpoint_path: absolute(config.train.checkpoint_path), normalization_path: absolute(config.train.normalization_path) },
    tracking: { ...config.tracking, uri: remoteTracking ? withoutPassword(config.tracking.uri) : absolute(localTrackingFolder(config.tracking.uri)) },
    queue: { ...config.queue, url: config.queue.url && withoutPassword(config.queue.url) },
  };
}

/** The url with its password (if any) replaced by `***`; unchanged without one. */
function withoutPassword(url: string): string {
  return URL.canParse(url) && new URL(url).password ? redactedUrl(url) : url;
}

/** Stamps a payload with this process's version and the config's hash. */
export function stamped<T extends object>(config: Config, rest: T): Stamped & T {
  return { salescast_version: salescastVersion(), config_hash: configHash(config), config, ...rest };
}

/** The payload's configuration, or JobRefusedError saying why this worker must not run it. */
export function checkPayload(data: unknown, jobName: string): Config {
  const payload = data as Partial<Stamped> | null;
  if (payload === null || typeof payload !== "object" || typeof payload.salescast_version !== "string") {
    throw new JobRefusedError(
      `job ${jobName} carries no salescast version: it was not queued by salescast (or by one older than the queue); queue it again with this version's \`salescast train --all\``,
    );
  }
  const mine = salescastVersion();
  if (payload.salescast_version !== mine) {
    throw new JobRefusedError(
      `job ${jobName} was queued by salescast ${payload.salescast_version}, and this worker runs salescast ${mine}: ` +
        `a worker only takes jobs of its own version (training code, model files and configuration may differ). ` +
        `Run workers of salescast ${payload.salescast_version}, or queue the work again with salescast ${mine}.`,
    );
  }
  const parsed = configSchema.safeParse(payload.config);
  if (!parsed.success || configHash(parsed.data) !== payload.config_hash) {
    throw new JobRefusedError(
      `job ${jobName}'s configuration does not match its hash ${String(payload.config_hash).slice(0, 12)}…: it was changed or damaged after it was queued; queue the work again`,
    );
  }
  return parsed.data;
}
