// Warm before ready (issue 18): listen() readies the app, loads every served model and answers
// app.warm_up_requests predictions through inject() before the port opens; the warm-up's
// requests never show in /metrics, and a model that refuses its warm-up is reported, not fatal.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOverrides } from "../../src/config/overrides.js";
import { configSchema } from "../../src/config/schema.js";
import { buildApp } from "../../src/server/app.js";
import { listen } from "../../src/server/listen.js";
import { warmUp, warmUpBody } from "../../src/server/warm-up.js";
import { commitModel, createWorkspace, sampleWindow, type Workspace } from "./helpers.js";

const KEY = "warm-up-test-key-0123456789";

let ws: Workspace;
const apps: FastifyInstance[] = [];

async function appWith(options: { readAuth?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<FastifyInstance> {
  const config = withOverrides(ws.config, { app: { read_auth: options.readAuth ?? false } });
  const app = await buildApp({ config, logger: false, env: options.env ?? {}, registry: ws.registry, trainingThreads: 1 });
  apps.push(app);
  return app;
}

/** The value of one series of /metrics, or 0 when it is absent. */
async function metricValue(app: FastifyInstance, line: RegExp, headers: Record<string, string> = {}): Promise<number> {
  const text = (await app.inject({ method: "GET", url: "/metrics", headers })).body;
  const found = text.split("\n").find((l) => line.test(l));
  return found === undefined ? 0 : Number(found.split(" ").pop());
}

beforeAll(async () => {
  ws = await createWorkspace();
  await commitModel(ws.registry, "Beauty", { seed: 1 });
  await commitModel(ws.registry, "Clothing", { seed: 2 });
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await ws?.cleanup();
});

describe("warmUp", () => {
  it("loads every served model and asks each of them, then leaves the request metrics to clients", async () => {
    const app = await appWith();
    const report = await warmUp(app, 100);
    expect(report.models).toBe(2);
    expect(app.salescast.models.loaded().map((f) => f.category)).toEqual(["Beauty", "Clothing"]);
    // 50 per model, and the two probes.
    expect(report.requests).toBe(102);
    expect(report.failures).toEqual([]);
    expect(await metricValue(app, /^salescast_predictions_total\{category="Beauty"\}/)).toBe(0);
    expect(await metricValue(app, /^salescast_http_requests_total\{.*route="\/api\/predict\/:category"/)).toBe(0);
    // A client's prediction is counted as before.
    const answer = await app.inject({ method: "POST", url: "/api/predict/Clothing", payload: { series: sampleWindow() } });
    expect(answer.statusCode).toBe(200);
    expect(await metricValue(app, /^salescast_predictions_total\{category="Clothing"\}/)).toBe(1);
  });

  it("asks every model at least 20 times however few requests are configured, and none when 0", async () => {
    expect((await warmUp(await appWith(), 1)).requests).toBe(2 * 20 + 2);
    const none = await warmUp(await appWith(), 0);
    expect(none).toMatchObject({ models: 2, requests: 0, failures: [] });
  });

  it("sends the API key when app.read_auth protects the prediction routes", async () => {
    const app = await appWith({ readAuth: true, env: { SALESCAST_API_KEY: KEY } });
    const report = await warmUp(app, 10);
    expect(report.failures).toEqual([]);
    expect(report.requests).toBe(2 * 20 + 2);
  });

  it("builds a body each model accepts: its window length at its training mean", async () => {
    const app = await appWith();
    await app.ready();
    const [beauty] = app.salescast.models.loaded();
    const body = warmUpBody(beauty, 3);
    expect(body.series).toHaveLength(beauty.windowSize);
    expect(body.horizon).toBe(3);
    const answer = await app.inject({ method: "POST", url: "/api/predict/Beauty", payload: body });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().forecast).toHaveLength(3);
  });

  it("reports a model that refuses its warm-up prediction instead of failing the start", async () => {
    const app = await appWith();
    // A route hook standing in for a model that cannot answer: the warm-up goes on and says which.
    app.addHook("preHandler", async (request, reply) => {
      if (request.url === "/api/predict/Clothing") return reply.code(422).send({ error: "unusable", message: "this model cannot answer" });
    });
    const report = await warmUp(app, 10);
    expect(report.failures).toEqual([{ category: "Clothing", status: 422, message: "this model cannot answer" }]);
    // Beauty was asked its share; Clothing stopped at its first refusal.
    expect(report.requests).toBe(20 + 1 + 2);
  });
});

describe("listen", () => {
  it("warms before the port opens: the first client finds every model loaded", async () => {
    const app = await appWith();
    const server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
    try {
      expect(app.salescast.models.loaded()).toHaveLength(2);
      const answer = await fetch(`${server.address}/api/predict/Beauty`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ series: sampleWindow() }),
      });
      expect(answer.status).toBe(200);
      expect(await metricValue(app, /^salescast_predictions_total\{category="Beauty"\}/)).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe("app.warm_up_requests", () => {
  it("defaults to 2000 and refuses a negative or fractional count", () => {
    expect(ws.config.app.warm_up_requests).toBe(2000);
    const base = JSON.parse(JSON.stringify(ws.config));
    expect(() => configSchema.parse({ ...base, app: { ...base.app, warm_up_requests: -1 } })).toThrow(/warm_up_requests/);
    expect(() => configSchema.parse({ ...base, app: { ...base.app, warm_up_requests: 1.5 } })).toThrow(/warm_up_requests/);
  });
});
