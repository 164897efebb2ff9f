// Training as jobs:
//   POST /api/train {"categories": [...], "experiment_name": "...", "overrides": {...}}  -> 202 {job_id, ...} at once
//   POST /api/train_all {"experiment_name": "..."}                    -> 202, every category in the data
//   GET  /api/jobs, GET /api/jobs/{id}                                -> state, progress, results
//   GET  /api/jobs/{id}/events                                        -> the same as server-sent events
// ?wait=true answers when the job ends, in the reference's shape {"status": "success",
// "trained": [...]} (failures keep their 4xx/5xx status), for clients written for the reference.
// A category already in an unfinished job answers 409 naming that job. "overrides" change a few
// settings for the job only (epochs, window, seed, features), checked by the config schema.
import rateLimit from "@fastify/rate-limit";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { checkTrainingFolders } from "../../training/training-folders.js";
import { FolderNotWritableError } from "../../util/writable-folder.js";
import { apiKeyCheck } from "../auth.js";
import { HttpError } from "../errors.js";
import { ConfigError } from "../../config/errors.js";
import { AUTO_ARCHITECTURE, type Config } from "../../config/schema.js";
import { withOverrides } from "../../config/overrides.js";
import { checkTrainingConfig } from "../../training/index.js";
import { isFinished, type JobKind, type JobSnapshot, type TrainingOverrides } from "../jobs/job-manager.js";
import { apiJob, apiResult, jobSchema, overridesSchema, resultSchema } from "./job-schemas.js";
import { errorResponses, OPTIONAL_BODY } from "./schemas.js";

const HEARTBEAT_MS = 15_000;

interface TrainBody {
  categories?: string[];
  experiment_name?: string;
  overrides?: TrainingOverrides;
  auto?: boolean;
}
interface WaitQuery {
  wait?: string;
}

const categoryName = { type: "string", minLength: 1, maxLength: 200 } as const;
const experimentName = {
  type: "string",
  minLength: 1,
  maxLength: 200,
  // The tracking store refuses control characters and blank names: refused here, the request
  // answers 422 at once instead of a job that fails (found by fuzzing: ?wait=true answered 500).
  pattern: "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
  description: "Tracking experiment (default train.experiment_name); no control characters, not blank",
} as const;
const autoFlag = {
  type: "boolean",
  description: "true: model.architecture auto for this job (a tournament per category picks the model; the same as overrides.model.architecture = auto)",
} as const;

/** The overrides a body asks for, with "auto": true as overrides.model.architecture = auto (an architecture in overrides too must agree). */
function withAuto(body: TrainBody): TrainingOverrides {
  const overrides = body.overrides ?? {};
  if (body.auto !== true) return overrides;
  const model = (overrides.model ?? {}) as Record<string, unknown>;
  if (model.architecture !== undefined && model.architecture !== AUTO_ARCHITECTURE) {
    throw new HttpError(
      422,
      "validation_error",
      `"auto": true and overrides.model.architecture ${JSON.stringify(model.architecture)} disagree: send one of them`,
    );
  }
  return { ...overrides, model: { ...model, architecture: AUTO_ARCHITECTURE } };
}

const waitQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    wait: {
      type: "string",
      enum: ["true", "false", "1", "0"],
      description: "true: answer when the job ends, in the reference's shape (200 {status, trained})",
    },
  },
} as const;

const accepted = {
  type: "object",
  required: ["job_id", "state", "categories", "experiment_name", "overrides", "links"],
  properties: {
    job_id: { type: "string" },
    state: jobSchema.properties.state,
    categories: { type: "array", items: { type: "string" } },
    experiment_name: { type: "string" },
    overrides: { ...overridesSchema, description: "The settings this job changes (as sent)" },
    links: { type: "object", required: ["self", "events"], properties: { self: { type: "string" }, events: { type: "string" } } },
  },
} as const;

const waited = {
  type: "object",
  required: ["status", "trained"],
  description: "?wait=true: the reference's answer, plus the job id and per-category results",
  properties: {
    status: { type: "string", enum: ["success"] },
    trained: { type: "array", items: { type: "string" } },
    skipped: { type: "array", items: { type: "object", properties: { category: { type: "string" }, reason: { type: "string" } } } },
    job_id: { type: "string" },
    results: { type: "array", items: resultSchema },
  },
} as const;

const trainResponses = { 200: waited, 202: accepted, ...errorResponses(401, 404, 409, 413, 415, 422, 429, 500, 503) };

export const jobRoutes: FastifyPluginAsync = async (app) => {
  const { jobs, data, options } = app.salescast;
  const requireKey = apiKeyCheck(options.requireApiKey, options.apiKey);
  const { max, windowMs } = options.trainRateLimit;

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        context.statusCode,
        "rate_limited",
        `too many training requests: at most ${max} per ${windowMs / 1000} s from one address (app.train_rate_limit); retry in ${context.after}`,
      ),
  });
  const limited = { rateLimit: { max, timeWindow: windowMs } };
  const security = options.requireApiKey ? [{ bearer: [] }] : undefined;

  // Streams closed on shutdown so they do not hold the server open.
  const streams = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const close of [...streams]) close();
  });

  const submit = async (
    request: FastifyRequest<{ Querystring: WaitQuery }>,
    reply: FastifyReply,
    kind: JobKind,
    asked: string[] | undefined,
    experiment: string | undefined,
    overrides: TrainingOverrides = {},
  ) => {
    const sales = await data.get();
    const known = sales.series.map((s) => s.category);
    const categories = asked === undefined ? known : [...new Set(asked)];
    const unknown = categories.filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new HttpError(
        404,
        "unknown_category",
        `${unknown.length === 1 ? "category" : "categories"} ${unknown.map((c) => JSON.stringify(c)).join(", ")} not in the data. ` +
          `Known categories: ${known.join(", ") || "none"}`,
      );
    }
    if (categories.length === 0) throw new HttpError(422, "validation_error", "the data has no category to train");
    checkOverrides(options.config, overrides);
    await checkFoldersWritable(request);
    const job = jobs.submit({ kind, categories, experimentName: experiment ?? options.config.train.experiment_name, overrides });
    request.log.info({ job: job.id, categories }, "training job accepted");

    const wait = request.query.wait === undefined ? options.trainWaitDefault : request.query.wait === "true" || request.query.wait === "1";
    if (!wait) {
      const self = `/api/jobs/${job.id}`;
      return reply
        .status(202)
        .header("location", self)
        .send({
          job_id: job.id,
          state: job.state,
          categories: job.categories,
          experiment_name: job.experiment_name,
          overrides: job.overrides,
          links: { self, events: `${self}/events` },
        });
    }
    return reply.status(200).send(referenceAnswer(await jobs.wait(job.id)!));
  };

  app.post<{ Body: TrainBody; Querystring: WaitQuery }>(
    "/train",
    {
      config: limited,
      onRequest: requireKey,
      schema: {
        tags: ["training"],
        summary: "Train categories (202 with a job id at once; ?wait=true answers when done)",
        ...(security ? { security } : {}),
        querystring: waitQuery,
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            categories: { type: "array", items: categoryName, minItems: 1, maxItems: 1000, description: "Default: [data.item_id]" },
            experiment_name: experimentName,
            overrides: overridesSchema,
            auto: autoFlag,
          },
        },
        response: trainResponses,
      },
    },
    async (request, reply) =>
      submit(request, reply, "train", request.body.categories ?? [await app.salescast.defaultCategory()], request.body.experiment_name, withAuto(request.body)),
  );

  app.post<{ Body: TrainBody; Querystring: WaitQuery }>(
    "/train_all",
    {
      config: limited,
      onRequest: requireKey,
      // The reference's clients may post no body at all. A body that is JSON null is a body, and
      // not the object the document describes: the schema refuses it (found by fuzzing).
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
      schema: {
        tags: ["training"],
        summary: "Train every category in the data (202 with a job id; ?wait=true answers when done)",
        ...{ [OPTIONAL_BODY]: true }, // FastifySchema has no index signature for x- keys
        ...(security ? { security } : {}),
        querystring: waitQuery,
        body: { type: "object", additionalProperties: false, properties: { experiment_name: experimentName, overrides: overridesSchema, auto: autoFlag } },
        response: trainResponses,
      },
    },
    async (request, reply) => submit(request, reply, "train_all", undefined, request.body.experiment_name, withAuto(request.body)),
  );

  app.get(
    "/jobs",
    {
      schema: {
        tags: ["training"],
        summary: "Training jobs, newest first",
        response: { 200: { type: "object", required: ["jobs"], properties: { jobs: { type: "array", items: jobSchema } } } },
      },
    },
    async () => ({ jobs: jobs.list().map(apiJob) }),
  );

  const jobParams = {
    type: "object",
    required: ["id"],
    additionalProperties: false,
    properties: { id: { type: "string", minLength: 1, maxLength: 100 } },
  } as const;
  const findJob = (id: string): JobSnapshot => {
    const job = jobs.get(id);
    if (!job) throw new HttpError(404, "job_not_found", `no training job ${JSON.stringify(id)} (jobs live in memory: a restarted server forgets them)`);
    return job;
  };

  app.get<{ Params: { id: string } }>(
    "/jobs/:id",
    {
      schema: {
        tags: ["training"],
        summary: "One job: state, progress per category (epoch, loss), results",
        params: jobParams,
        response: { 200: jobSchema, ...errorResponses(404) },
      },
    },
    async (request) => apiJob(findJob(request.params.id)),
  );

  app.get<{ Params: { id: string } }>(
    "/jobs/:id/events",
    {
      schema: {
        tags: ["training"],
        summary: "Server-sent events: snapshot, then progress / result / state, then end (the final job) and close",
        params: jobParams,
        response: {
          200: {
            description: "Server-sent events; each data line is JSON: the job (snapshot, end), progress, a result, or {id, state}",
            content: {
              "text/event-stream": {
                schema: {
                  type: "object",
                  required: ["event", "data"],
                  properties: { event: { type: "string", enum: ["snapshot", "progress", "result", "state", "end"] }, data: { type: "string" } },
                },
              },
            },
          },
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => {
      const job = findJob(request.params.id);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
        "x-request-id": String(request.id),
      });
      const send = (event: string, payload: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
      send("snapshot", apiJob(job));
      if (isFinished(job.state)) {
        send("end", apiJob(job));
        raw.end();
        return;
      }
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        streams.delete(close);
        raw.end();
      };
      const unsubscribe = jobs.subscribe(job.id, (event) => {
        if (event.type === "progress") send("progress", event.progress);
        else if (event.type === "result") send("result", apiResult(event.result));
        else {
          send("state", { id: event.job.id, state: event.job.state });
          if (isFinished(event.job.state)) {
            send("end", apiJob(event.job));
            close();
          }
        }
      });
      const heartbeat = setInterval(() => raw.write(": keep-alive\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      streams.add(close);
      request.raw.on("close", close);
    },
  );
};

/** 422 naming the refused setting, before a job is created, when the overrides make a configuration training would refuse. */
function checkOverrides(config: Config, overrides: TrainingOverrides): void {
  try {
    checkTrainingConfig(withOverrides(config, overrides));
  } catch (error) {
    if (error instanceof ConfigError) throw new HttpError(422, "invalid_override", error.message);
    throw new HttpError(422, "invalid_override", `overrides: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * 503 before a job exists when training could not save its results (a read-only registry or
 * tracking store): the client hears it at once, and the answer names the setting, never the
 * server's paths (the log has them).
 */
async function checkFoldersWritable(request: FastifyRequest): Promise<void> {
  try {
    await checkTrainingFolders(request.server.salescast.options.config);
  } catch (error) {
    if (!(error instanceof FolderNotWritableError)) throw error;
    request.log.error({ folder: error.folder, setting: error.setting }, error.message);
    throw new HttpError(503, "storage_not_writable", error.publicMessage);
  }
}

/** The reference's blocking answer, or the error status the job's outcome deserves. */
function referenceAnswer(job: JobSnapshot) {
  if (job.state === "cancelled") throw new HttpError(503, "training_cancelled", job.error ?? "the training job was cancelled");
  if (job.state === "failed") throw new HttpError(500, "training_failed", `training job ${job.id} failed: ${job.error ?? "no reason given"}`);
  const trained = job.results.filter((r) => r.status === "ok").map((r) => r.category);
  const skipped = job.results.filter((r) => r.status === "skipped").map((r) => ({ category: r.category, reason: r.reason ?? "" }));
  if (trained.length === 0) {
    throw new HttpError(422, "nothing_trained", `no category could be trained: ${skipped.map((s) => `${s.category}: ${s.reason}`).join("; ") || "no results"}`);
  }
  return { status: "success" as const, trained, skipped, job_id: job.id, results: job.results.map(apiResult) };
}
