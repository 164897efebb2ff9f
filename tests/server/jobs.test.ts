import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TrainingRunner } from "../../src/server/index.js";
import { buildApp } from "../../src/server/index.js";
import type { ProgressSink } from "../../src/training/progress.js";
import type { CategoryResult } from "../../src/training/result.js";
import { createWorkspace, parseSse, testApp, type Workspace } from "./helpers.js";

/** A training runner the test finishes by hand, so every job state can be observed. */
function manualRunner() {
  const calls: Array<{
    categories: string[];
    experiment: string;
    overrides: unknown;
    progress: ProgressSink;
    signal: AbortSignal;
    finish(results: CategoryResult[]): void;
    fail(error: Error): void;
  }> = [];
  const runner: TrainingRunner = (request, { progress, signal }) =>
    new Promise((resolve, reject) => {
      calls.push({
        categories: request.categories,
        experiment: request.experimentName,
        overrides: request.overrides,
        progress,
        signal,
        finish: resolve,
        fail: reject,
      });
      signal.addEventListener("abort", () => resolve(request.categories.map((c) => result(c, "failed", "interrupted"))));
    });
  return { runner, calls };
}

function result(category: string, status: CategoryResult["status"], reason?: string): CategoryResult {
  return {
    category,
    status,
    ...(reason ? { reason } : {}),
    epochs: status === "ok" ? 2 : 0,
    bestEpoch: status === "ok" ? 2 : 0,
    seconds: 0.5,
    ...(status === "ok" ? { version: 1, runId: "run-1", metrics: { rmse: 10, mae: 8, smape: 12, mase: Number.NaN } } : {}),
  };
}

/** Lets queued jobs start (they start on a microtask after submit). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Waits until the runner has been called `count` times (a ?wait=true request is still in flight). */
async function untilCalls(manual: ReturnType<typeof manualRunner>, count: number): Promise<void> {
  for (let i = 0; i < 10_000 && manual.calls.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(manual.calls.length).toBeGreaterThanOrEqual(count);
}

let ws: Workspace;
beforeAll(async () => {
  ws = await createWorkspace();
});
afterAll(() => ws.cleanup());

describe("training jobs", () => {
  let app: FastifyInstance;
  let manual: ReturnType<typeof manualRunner>;
  beforeEach(async () => {
    manual = manualRunner();
    app = await testApp(ws, { trainingRunner: manual.runner });
  });
  afterEach(() => app.close());

  const train = (payload: unknown, query = "") => app.inject({ method: "POST", url: `/api/train${query}`, payload: payload as object });

  it("answers 202 with a job id at once, then reports progress and results", async () => {
    const accepted = await train({ categories: ["Beauty"], experiment_name: "exp-1" });
    expect(accepted.statusCode).toBe(202);
    const { job_id: id, links } = accepted.json();
    expect(accepted.headers.location).toBe(`/api/jobs/${id}`);
    expect(links).toEqual({ self: `/api/jobs/${id}`, events: `/api/jobs/${id}/events` });

    await settle();
    expect(manual.calls).toHaveLength(1);
    expect(manual.calls[0].experiment).toBe("exp-1");
    manual.calls[0].progress.report({ kind: "batch", category: "Beauty", epoch: 1, maxEpochs: 2, batch: 3, batches: 5, loss: 0.5 });
    manual.calls[0].progress.report({ kind: "epoch", category: "Beauty", epoch: 1, maxEpochs: 2, trainLoss: 0.4, valLoss: 0.6, seconds: 1, improved: true });
    const running = (await app.inject({ method: "GET", url: `/api/jobs/${id}` })).json();
    expect(running.state).toBe("running");
    expect(running.progress).toEqual([
      { category: "Beauty", state: "training", epoch: 1, max_epochs: 2, batch: 3, batches: 5, loss: 0.5, train_loss: 0.4, val_loss: 0.6 },
    ]);

    manual.calls[0].finish([result("Beauty", "ok")]);
    await app.salescast.jobs.wait(id);
    const done = (await app.inject({ method: "GET", url: `/api/jobs/${id}` })).json();
    expect(done.state).toBe("succeeded");
    expect(done.finished_at).not.toBeNull();
    expect(done.results).toEqual([
      expect.objectContaining({ category: "Beauty", status: "ok", version: 1, run_id: "run-1", metrics: { rmse: 10, mae: 8, smape: 12, mase: null } }),
    ]);
    expect((await app.inject({ method: "GET", url: "/api/jobs" })).json().jobs.map((j: { id: string }) => j.id)).toEqual([id]);
  });

  it("publishes each category's result as soon as it has finished, not when the whole job ends", async () => {
    const id = (await train({ categories: ["Beauty", "Clothing"] })).json().job_id;
    await settle();
    const stream = app.inject({ method: "GET", url: `/api/jobs/${id}/events` });
    await settle();
    const { progress } = manual.calls[0];
    // Clothing finishes first (on another thread, say): it is published at once, in the job's category order.
    progress.report({ kind: "done", category: "Clothing", text: "ok", result: result("Clothing", "ok") });
    let job = (await app.inject({ method: "GET", url: `/api/jobs/${id}` })).json();
    expect(job.state).toBe("running");
    expect(job.progress.map((p: { state: string }) => p.state)).toEqual(["pending", "done"]);
    expect(job.results).toEqual([expect.objectContaining({ category: "Clothing", status: "ok", version: 1 })]);

    progress.report({ kind: "done", category: "Beauty", text: "skipped", result: result("Beauty", "skipped", "series too short") });
    job = (await app.inject({ method: "GET", url: `/api/jobs/${id}` })).json();
    expect(job.state).toBe("running");
    expect(job.results.map((r: { category: string }) => r.category)).toEqual(["Beauty", "Clothing"]);

    manual.calls[0].finish([result("Beauty", "skipped", "series too short"), result("Clothing", "ok")]);
    await app.salescast.jobs.wait(id);
    const events = parseSse((await stream).body);
    const results = events.filter((e) => e.event === "result");
    // One result event per category, each before the job's final state; none repeated at the end.
    expect(results.map((e) => e.data.category)).toEqual(["Clothing", "Beauty"]);
    const finalState = events.findIndex((e) => e.event === "state" && e.data.state === "succeeded");
    expect(events.findIndex((e) => e.event === "result")).toBeLessThan(finalState);
    expect(events.at(-1)).toMatchObject({ event: "end", data: { state: "succeeded", results: [{ category: "Beauty" }, { category: "Clothing" }] } });
  });

  it("a result the runner changes at the end is published again with the final value", async () => {
    const id = (await train({ categories: ["Beauty"] })).json().job_id;
    await settle();
    manual.calls[0].progress.report({ kind: "done", category: "Beauty", text: "ok", result: result("Beauty", "ok") });
    manual.calls[0].finish([result("Beauty", "failed", "the registry commit failed")]);
    const done = await app.salescast.jobs.wait(id);
    expect(done!.results).toEqual([expect.objectContaining({ category: "Beauty", status: "failed", reason: "the registry commit failed" })]);
  });

  it("passes the overrides to the training and shows them on the job", async () => {
    const overrides = {
      train: { max_epochs: 3, seed: 7 },
      data: { window_size: 21 },
      model: { architecture: "CNNLSTM", features: { day_of_week: true, month: false } },
    };
    const accepted = await train({ categories: ["Beauty"], overrides });
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json().overrides).toEqual(overrides);
    await settle();
    expect(manual.calls[0].overrides).toEqual(overrides);
    const job = (await app.inject({ method: "GET", url: `/api/jobs/${accepted.json().job_id}` })).json();
    expect(job.overrides).toEqual(overrides);
    // No overrides: an empty object, the server's configuration as it is.
    manual.calls[0].finish([result("Beauty", "ok")]);
    await app.salescast.jobs.wait(accepted.json().job_id);
    expect((await train({ categories: ["Clothing"] })).json().overrides).toEqual({});
  });

  it('"auto": true trains with model.architecture auto (as overrides.model.architecture would), and refuses a disagreeing architecture', async () => {
    const accepted = await train({ categories: ["Beauty"], auto: true, overrides: { train: { seed: 3 } } });
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(accepted.json().overrides).toEqual({ train: { seed: 3 }, model: { architecture: "auto" } });
    await settle();
    expect(manual.calls[0].overrides).toEqual({ train: { seed: 3 }, model: { architecture: "auto" } });
    manual.calls[0].finish([result("Beauty", "ok")]);
    await app.salescast.jobs.wait(accepted.json().job_id);
    const clash = await train({ categories: ["Clothing"], auto: true, overrides: { model: { architecture: "ets" } } });
    expect(clash.statusCode).toBe(422);
    expect(clash.json().message).toMatch(/"auto": true and overrides.model.architecture "ets" disagree/);
    expect(manual.calls).toHaveLength(1);
    const typo = await train({ categories: ["Clothing"], auto: "yes" });
    expect(typo.statusCode).toBe(422);
  });

  it("refuses overrides config.yaml would refuse, naming the setting, and starts nothing", async () => {
    for (const [overrides, message] of [
      [{ data: { window_size: 2 } }, /^overrides\.data\.window_size: must be at least 3 \(the convolution needs 3 periods\); found 2$/],
      [{ train: { max_epochs: 0 } }, /^overrides\.train\.max_epochs: .*; found 0$/],
      [{ train: { seed: -1 } }, /^overrides\.train\.seed: .*; found -1$/],
      [{ model: { architecture: "Transformer" } }, /^overrides\.model\.architecture: .*"CNNLSTM".*; found "Transformer"$/],
      [{ train: { max_epochs: 1001 } }, /body\.overrides\.train\.max_epochs must be <= 1000/],
      [{ train: { max_epochs: 2.5 } }, /body\.overrides\.train\.max_epochs must be an integer/],
      [{ data: { window_size: "28" } }, /body\.overrides\.data\.window_size must be an integer \(got "28"\)/],
      [{ model: { features: { day_of_week: "yes" } } }, /body\.overrides\.model\.features\.day_of_week must be a boolean/],
      // Paths and the tracking store are not a request's to change.
      [{ train: { checkpoint_path: "/tmp/elsewhere" } }, /body\.overrides\.train has an unknown field "checkpoint_path"; allowed fields: max_epochs, seed/],
      [{ tracking: { uri: "http://evil" } }, /body\.overrides has an unknown field "tracking"/],
    ] as const) {
      const response = await train({ categories: ["Beauty"], overrides });
      expect(response.statusCode, JSON.stringify(overrides)).toBe(422);
      expect(response.json().error, JSON.stringify(overrides)).toBe(message.source.startsWith("^overrides") ? "invalid_override" : "validation_error");
      expect(response.json().message).toMatch(message);
    }
    const all = await app.inject({ method: "POST", url: "/api/train_all", payload: { overrides: { data: { window_size: 1 } } } });
    expect(all.statusCode).toBe(422);
    expect(all.json().message).toMatch(/^overrides\.data\.window_size: must be at least 3/);
    await settle();
    expect(manual.calls).toHaveLength(0);
  });

  it("trains data.item_id when no categories are given", async () => {
    expect((await train({})).json().categories).toEqual(["Beauty"]);
  });

  it("answers 409 naming the running job for a category already training; other categories queue", async () => {
    const first = (await train({ categories: ["Beauty"] })).json().job_id;
    const conflict = await train({ categories: ["Clothing", "Beauty"] });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({ error: "training_in_progress", message: expect.stringContaining(`already being trained by job ${first}`) });
    const other = await train({ categories: ["Clothing"] });
    expect(other.statusCode).toBe(202);
    await settle();
    expect(other.json().state).toBe("queued");
    expect(manual.calls).toHaveLength(1); // one job at a time

    manual.calls[0].finish([result("Beauty", "ok")]);
    await app.salescast.jobs.wait(first);
    await untilCalls(manual, 2);
    expect((await train({ categories: ["Beauty"] })).statusCode).toBe(202); // free again
  });

  it("POST /api/train_all trains every category in the data, with or without a body", async () => {
    const bare = await app.inject({ method: "POST", url: "/api/train_all" });
    expect(bare.statusCode).toBe(202);
    expect(bare.json().categories).toEqual(["Beauty", "Clothing"]);
    await untilCalls(manual, 1);
    manual.calls[0].finish([result("Beauty", "ok"), result("Clothing", "ok")]);
    await app.salescast.jobs.wait(bare.json().job_id);
    const named = await app.inject({ method: "POST", url: "/api/train_all", payload: { experiment_name: "all-exp" } });
    expect(named.statusCode).toBe(202);
    expect(named.json().experiment_name).toBe("all-exp");
  });

  it("refuses unknown categories (404 naming the known ones) and bad bodies (422 naming the field)", async () => {
    const unknown = await train({ categories: ["Beauty", "Toys", "../x"] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: "unknown_category",
      message: expect.stringMatching(/"Toys", "\.\.\/x" not in the data\. Known categories: Beauty, Clothing/),
    });
    for (const [payload, message] of [
      [{ categories: "Beauty" }, /body\.categories must be an array/],
      [{ categories: [] }, /body\.categories must NOT have fewer than 1 items/],
      [{ categories: [""] }, /body\.categories\[0\] must NOT have fewer than 1 characters/],
      [{ categories: [1] }, /body\.categories\[0\] must be a string/],
      [{ category: "Beauty" }, /unknown field "category"/],
      [{ experiment_name: 5 }, /body\.experiment_name must be a string/],
    ] as const) {
      const response = await train(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
      expect(response.json().message).toMatch(message);
    }
    const badWait = await train({}, "?wait=maybe");
    expect(badWait.statusCode).toBe(422);
    expect(badWait.json().message).toMatch(/querystring\.wait must be equal to one of the allowed values/);
    expect(manual.calls).toHaveLength(0);
  });

  it("GET /api/jobs/{id} answers 404 for an unknown job", async () => {
    const response = await app.inject({ method: "GET", url: "/api/jobs/nope" });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe("job_not_found");
  });

  it("?wait=true answers like the reference when the job ends", async () => {
    const pending = train({ categories: ["Beauty", "Clothing"], experiment_name: "sales-forecast" }, "?wait=true");
    await untilCalls(manual, 1);
    manual.calls[0].finish([result("Beauty", "ok"), result("Clothing", "skipped", "series too short")]);
    const response = await pending;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: "success",
      trained: ["Beauty"],
      skipped: [{ category: "Clothing", reason: "series too short" }],
      job_id: expect.any(String),
    });
  });

  it("?wait=true keeps proper error statuses: 500 when a category failed, 422 when nothing could be trained", async () => {
    const failing = train({ categories: ["Beauty"] }, "?wait=true");
    await untilCalls(manual, 1);
    manual.calls[0].finish([result("Beauty", "failed", "disk full")]);
    const failed = await failing;
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual({ error: "training_failed", message: expect.stringContaining("Beauty: disk full") });

    const skipping = train({ categories: ["Clothing"] }, "?wait=1");
    await untilCalls(manual, 2);
    manual.calls[1].finish([result("Clothing", "skipped", "series too short")]);
    const skipped = await skipping;
    expect(skipped.statusCode).toBe(422);
    expect(skipped.json()).toEqual({ error: "nothing_trained", message: expect.stringContaining("Clothing: series too short") });

    const throwing = train({ categories: ["Beauty"] }, "?wait=true");
    await untilCalls(manual, 3);
    manual.calls[2].fail(new Error("tracking store unreachable"));
    const thrown = await throwing;
    expect(thrown.statusCode).toBe(500);
    expect(thrown.json().message).toContain("tracking store unreachable");
  });

  it("streams a finished job's events as the final state, then closes", async () => {
    const id = (await train({ categories: ["Beauty"] })).json().job_id;
    await settle();
    manual.calls[0].finish([result("Beauty", "ok")]);
    await app.salescast.jobs.wait(id);
    const response = await app.inject({ method: "GET", url: `/api/jobs/${id}/events` });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/event-stream/);
    const events = parseSse(response.body);
    expect(events.map((e) => e.event)).toEqual(["snapshot", "end"]);
    expect(events[1].data).toMatchObject({ id, state: "succeeded", results: [expect.objectContaining({ category: "Beauty", status: "ok" })] });
    const missing = await app.inject({ method: "GET", url: "/api/jobs/nope/events" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe("job_not_found");
  });

  it("cancels the running job when the server closes, leaving no job running", async () => {
    const id = (await train({ categories: ["Beauty"] })).json().job_id;
    await settle();
    const { signal } = manual.calls[0];
    const jobs = app.salescast.jobs;
    await app.close();
    expect(signal.aborted).toBe(true);
    expect(jobs.get(id)?.state).toBe("cancelled");
  });
});

describe("API key rule", () => {
  const key = "k".repeat(32);

  it("refuses to start on a non-loopback address without a key", async () => {
    await expect(buildApp({ config: ws.config, logger: false, env: {}, host: "0.0.0.0" })).rejects.toThrow(/set SALESCAST_API_KEY/);
    await expect(buildApp({ config: ws.config, logger: false, env: { SALESCAST_API_KEY: "short" }, host: "0.0.0.0" })).rejects.toThrow(/at least 16/);
  });

  it("on a non-loopback address, training needs the bearer key; reading and predicting do not", async () => {
    const manual = manualRunner();
    const app = await testApp(ws, { host: "0.0.0.0", env: { SALESCAST_API_KEY: key }, trainingRunner: manual.runner });
    try {
      const none = await app.inject({ method: "POST", url: "/api/train", payload: {} });
      expect(none.statusCode).toBe(401);
      expect(none.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(none.json()).toEqual({ error: "unauthorized", message: expect.stringContaining("Authorization: Bearer <key>") });
      const wrong = await app.inject({ method: "POST", url: "/api/train_all", payload: {}, headers: { authorization: `Bearer ${"x".repeat(32)}` } });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().message).toMatch(/API key is wrong/);
      // Checked before the body is even read: a bad body without a key is still 401.
      const junk = await app.inject({ method: "POST", url: "/api/train", payload: { nonsense: true } });
      expect(junk.statusCode).toBe(401);

      const good = await app.inject({ method: "POST", url: "/api/train", payload: {}, headers: { authorization: `Bearer ${key}` } });
      expect(good.statusCode).toBe(202);
      expect((await app.inject({ method: "GET", url: `/api/jobs/${good.json().job_id}` })).statusCode).toBe(200);
      expect((await app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("on loopback with no key configured, training is open", async () => {
    const manual = manualRunner();
    const app = await testApp(ws, { trainingRunner: manual.runner });
    try {
      expect((await app.inject({ method: "POST", url: "/api/train", payload: {} })).statusCode).toBe(202);
    } finally {
      await app.close();
    }
  });
});

describe("rate limit on training routes", () => {
  it("answers 429 as JSON after the configured number of requests", async () => {
    const manual = manualRunner();
    const app = await testApp(ws, { trainingRunner: manual.runner, trainRateLimit: { max: 2, windowMs: 60_000 } });
    try {
      expect((await app.inject({ method: "POST", url: "/api/train", payload: { categories: ["Beauty"] } })).statusCode).toBe(202);
      expect((await app.inject({ method: "POST", url: "/api/train", payload: { categories: ["Beauty"] } })).statusCode).toBe(409);
      const limited = await app.inject({ method: "POST", url: "/api/train", payload: { categories: ["Clothing"] } });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers["retry-after"]).toBeDefined();
      expect(limited.json()).toEqual({ error: "rate_limited", message: expect.stringContaining("at most 2 per 60 s") });
      // Predictions are not rate limited.
      expect((await app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
