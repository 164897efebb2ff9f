// A running server picks up new model versions without a restart: one committed straight to
// the registry, and one produced by a real training job (trainAll with a tiny configuration;
// from TypeScript sources it trains in the calling thread, see src/training/train-all.ts).
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitModel, createWorkspace, sampleWindow, testApp, type Workspace } from "./helpers.js";

let ws: Workspace;
beforeAll(async () => {
  ws = await createWorkspace();
});
afterAll(() => ws.cleanup());

async function predict(app: FastifyInstance, category = "Beauty") {
  const response = await app.inject({ method: "POST", url: `/api/predict/${category}`, payload: { series: sampleWindow() } });
  expect(response.statusCode, response.body).toBe(200);
  return { value: response.json().predicted_sales as number, version: response.headers["x-model-version"] };
}

describe("hot swap", () => {
  it("serves a version committed while the server runs, without a restart", async () => {
    await commitModel(ws.registry, "Beauty", { seed: 1 });
    const app = await testApp(ws); // modelRefreshMs 0: every request asks the registry
    try {
      const before = await predict(app);
      expect(before.version).toBe("1");
      await commitModel(ws.registry, "Beauty", { seed: 99 });
      const after = await predict(app);
      expect(after.version).toBe("2");
      expect(after.value).not.toBeCloseTo(before.value, 3);
    } finally {
      await app.close();
    }
  });

  it("serves the model a training job registered as soon as the job reports it is done", async () => {
    // A long refresh interval: the swap must come from the job's end, not from polling.
    const app = await testApp(ws, { modelRefreshMs: 3_600_000 });
    try {
      const before = await predict(app);
      const trained = await app.inject({ method: "POST", url: "/api/train?wait=true", payload: { categories: ["Beauty"], experiment_name: "hot-swap" } });
      expect(trained.statusCode, trained.body).toBe(200);
      expect(trained.json()).toMatchObject({ status: "success", trained: ["Beauty"] });
      const [result] = trained.json().results;
      expect(result).toMatchObject({ category: "Beauty", status: "ok", version: 3, epochs: 2, run_id: expect.any(String) });
      expect(result.metrics.rmse).toBeGreaterThan(0);

      const after = await predict(app);
      expect(after.version).toBe("3");
      expect(after.value).not.toBeCloseTo(before.value, 3);
      const models = (await app.inject({ method: "GET", url: "/api/models" })).json().models;
      expect(models).toEqual([expect.objectContaining({ category: "Beauty", version: 3, run_id: result.run_id, loaded: true })]);

      // The 202 form: the job runs after the answer, the new category serves once it is done.
      const accepted = await app.inject({ method: "POST", url: "/api/train", payload: { categories: ["Clothing"] } });
      expect(accepted.statusCode).toBe(202);
      const job = await app.salescast.jobs.wait(accepted.json().job_id);
      expect(job?.state).toBe("succeeded");
      expect((await predict(app, "Clothing")).version).toBe("1");

      const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
      expect(metrics).toMatch(/salescast_model_version_loaded\{category="Beauty"\} 3/);
      expect(metrics).toMatch(/salescast_training_jobs_total\{state="succeeded"\} 2/);
    } finally {
      await app.close();
    }
  });
});
