// Training jobs run off the request path: from the build (dist/), trainAll trains on worker
// threads, so the server keeps answering predictions while a job trains. This imports the
// built server (`npm test` builds first); when dist/ is missing or older than the sources the
// suite is skipped and says so in its name, rather than test stale code. (From TypeScript
// sources trainAll falls back to the calling thread: see src/training/train-all.ts.)
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { buildApp as BuildApp } from "../../src/server/app.js";
import { builtServerProblem, commitModel, createWorkspace, parseSse, projectRoot, sampleWindow, type Workspace } from "./helpers.js";

const problem = builtServerProblem();

describe.skipIf(problem !== undefined)(`training jobs on worker threads (built server)${problem ? ` [skipped: ${problem}]` : ""}`, () => {
  let ws: Workspace;
  let app: FastifyInstance;

  beforeAll(async () => {
    ws = await createWorkspace({ days: 120 });
    await commitModel(ws.registry, "Beauty");
    const { buildApp } = (await import(pathToFileURL(join(projectRoot, "dist/src/server/app.js")).href)) as { buildApp: typeof BuildApp };
    // Far more epochs than the test lets it run: the job is still training when we look.
    const config = { ...ws.config, train: { ...ws.config.train, max_epochs: 100_000, patience: 100_000 } };
    app = await buildApp({ config, logger: false, env: {}, registry: ws.registry, trainingThreads: 1 });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await ws?.cleanup();
  });

  it("keeps answering predictions while a job trains, and an interrupted job leaves the served model in place", async () => {
    const accepted = await app.inject({ method: "POST", url: "/api/train", payload: { categories: ["Beauty"] } });
    expect(accepted.statusCode).toBe(202);
    const id = accepted.json().job_id as string;

    // Wait for training to be under way (epochs reported from the worker).
    let job = (await app.inject({ method: "GET", url: `/api/jobs/${id}` })).json();
    for (let i = 0; i < 60_000 && !(job.progress[0].epoch >= 2); i++) {
      await new Promise((r) => setTimeout(r, 5));
      job = (await app.inject({ method: "GET", url: `/api/jobs/${id}` })).json();
    }
    expect(job.state).toBe("running");
    expect(job.progress[0].epoch).toBeGreaterThanOrEqual(2);

    const answers = [];
    for (let i = 0; i < 20; i++) {
      answers.push(await app.inject({ method: "POST", url: "/api/predict", payload: { series: sampleWindow() } }));
    }
    expect(answers.every((r) => r.statusCode === 200 && r.headers["x-model-version"] === "1")).toBe(true);
    // Had training run on this thread, these answers would only have come after it ended.
    const after = (await app.inject({ method: "GET", url: `/api/jobs/${id}` })).json();
    expect(after.state).toBe("running");
    expect(after.progress[0].epoch).toBeGreaterThan(job.progress[0].epoch - 1);

    const jobs = app.salescast.jobs;
    await app.close();
    expect(jobs.get(id)?.state).toBe("cancelled");
    expect((await ws.registry.versions("Beauty")).map((v) => v.version)).toEqual([1]);
  });

  it("trains with the job's overrides and publishes each category's result before the next one ends", async () => {
    const { buildApp } = (await import(pathToFileURL(join(projectRoot, "dist/src/server/app.js")).href)) as { buildApp: typeof BuildApp };
    const own = await buildApp({ config: ws.config, logger: false, env: {}, registry: ws.registry, trainingThreads: 1 });
    try {
      await own.ready();
      const overrides = { train: { max_epochs: 1, seed: 3 }, data: { window_size: 7 } };
      const accepted = await own.inject({ method: "POST", url: "/api/train", payload: { categories: ["Clothing", "Beauty"], overrides } });
      expect(accepted.statusCode).toBe(202);
      const id = accepted.json().job_id as string;
      const events = parseSse((await own.inject({ method: "GET", url: `/api/jobs/${id}/events` })).body);

      // One thread, Clothing first: its result arrives before Beauty's training starts.
      const clothingResult = events.findIndex((e) => e.event === "result" && e.data.category === "Clothing");
      const beautyTraining = events.findIndex((e) => e.event === "progress" && e.data.category === "Beauty" && e.data.state === "training");
      expect(clothingResult).toBeGreaterThan(0);
      expect(beautyTraining).toBeGreaterThan(clothingResult);
      const end = events.at(-1)!;
      expect(end).toMatchObject({ event: "end", data: { state: "succeeded", overrides } });
      for (const r of end.data.results) expect(r).toMatchObject({ status: "ok", epochs: 1 });
      // The overrides reached the models: a window of 7 periods.
      const models = (await own.inject({ method: "GET", url: "/api/models" })).json().models as Array<{ category: string; window_size: number }>;
      expect(models.find((m) => m.category === "Clothing")?.window_size).toBe(7);
      expect(models.find((m) => m.category === "Beauty")?.window_size).toBe(7);
    } finally {
      await own.close();
    }
  });
});
