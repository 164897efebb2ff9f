// Forecast-quality monitoring (issue 18): dated forecasts the server answers are kept, actuals
// posted to POST /api/actuals/{category} score them, and /metrics exports the live MASE (on the
// version's own scale: validation MAE / validation MASE) and interval coverage beside the
// validation MASE. Through app.inject() with a real model.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { commitModel, createWorkspace, sampleWindow, type Workspace } from "./helpers.js";

let ws: Workspace;
const apps: FastifyInstance[] = [];
// Validation MAE 10 at MASE 0.5: the version's MASE scale is 20.
const METRICS = { val_mae: 10, val_mase: 0.5 };

beforeAll(async () => {
  ws = await createWorkspace();
  // With a calibration: 80% intervals of half-width 4 and 5 on the first two steps.
  await commitModel(ws.registry, "Beauty", {
    metrics: METRICS,
    intervals: {
      method: "split-conformal",
      levels: [80],
      source: "validation",
      steps: [1, 2, 3].map((step) => ({ step, n: 25, halfWidth: { "80": 3 + step } })),
    },
  });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await ws?.cleanup();
});

async function appWith(env: NodeJS.ProcessEnv = {}): Promise<FastifyInstance> {
  const app = await buildApp({ config: ws.config, logger: false, env, registry: ws.registry, modelRefreshMs: 0, trainingThreads: 1 });
  apps.push(app);
  await app.ready();
  return app;
}

async function metric(app: FastifyInstance, line: RegExp): Promise<number | undefined> {
  const found = (await app.inject("/metrics")).body.split("\n").find((l) => line.test(l));
  return found === undefined ? undefined : Number(found.split(" ").pop());
}

describe("POST /api/actuals/{category}", () => {
  it("scores the dated forecasts served for those dates and exports live MASE and coverage", async () => {
    const app = await appWith();
    const served = await app.inject({
      method: "POST",
      url: "/api/predict/Beauty",
      payload: { series: sampleWindow(), horizon: 3, level: [80], last_date: "2024-03-30" },
    });
    expect(served.statusCode, served.body).toBe(200);
    const { forecast, intervals } = served.json() as { forecast: number[]; intervals: Array<{ level: number; lower: number[]; upper: number[] }> };
    // Undated forecasts are not kept (their dates are unknown).
    await app.inject({ method: "POST", url: "/api/predict/Beauty", payload: { series: sampleWindow(), horizon: 5 } });

    // The first inside its interval (±4), the second outside (±5).
    const actual = [forecast[0] + 3, forecast[1] - 30];
    const answer = await app.inject({
      method: "POST",
      url: "/api/actuals/Beauty",
      payload: {
        actuals: [
          { date: "2024-03-31", value: actual[0] },
          { date: "2024-04-01", value: actual[1] },
          { date: "2024-04-09", value: 1 },
        ],
      },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({ scored: 2, unmatched: 1 });
    expect(body.live.mae).toBeCloseTo(16.5, 9);
    expect(body.live.mase).toBeCloseTo(16.5 / 20, 9);
    expect(body.live.validation_mase).toBe(0.5);
    const band = intervals.find((b) => b.level === 80)!;
    const inside = actual.filter((v, k) => v >= band.lower[k] && v <= band.upper[k]).length;
    expect(inside).toBe(1);
    expect(body.live.coverage).toEqual([{ level: 80, coverage: 0.5, forecasts: 2 }]);

    expect(await metric(app, /^salescast_live_mase\{category="Beauty"\} /)).toBeCloseTo(16.5 / 20, 9);
    expect(await metric(app, /^salescast_validation_mase\{category="Beauty"\} /)).toBe(0.5);
    expect(await metric(app, /^salescast_live_scored_forecasts\{category="Beauty"\} /)).toBe(2);
    expect(await metric(app, /^salescast_live_interval_coverage\{category="Beauty",level="80"\} /)).toBe(0.5);

    // Each forecast is scored once.
    const again = await app.inject({ method: "POST", url: "/api/actuals/Beauty", payload: { actuals: [{ date: "2024-03-31", value: 5 }] } });
    expect(again.json()).toMatchObject({ scored: 0, unmatched: 1 });
    expect(again.json().live.scored).toBe(2);
  });

  it("dates weekly forecasts a week apart", async () => {
    const app = await appWith();
    const forecaster = await app.salescast.models.get("Beauty");
    app.salescast.monitor.record(
      "Weekly",
      { ...forecaster, meta: { ...forecaster.meta, data: { ...forecaster.meta.data, frequency: "W" } }, version: 1 } as never,
      "2024-03-25",
      [10, 20],
    );
    const report = app.salescast.monitor.score(
      "Weekly",
      [
        { date: "2024-04-01", value: 12 },
        { date: "2024-04-08", value: 20 },
        { date: "2024-03-26", value: 0 },
      ],
      () => METRICS,
    );
    expect(report).toMatchObject({ scored: 2, unmatched: 1 });
    expect(report.live.mae).toBe(1);
  });

  it("refuses bad input with a clear 4xx, and needs the API key when the server has one", async () => {
    const app = await appWith();
    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method: "POST", url, payload: payload as object, headers });
    const badDate = await post("/api/actuals/Beauty", { actuals: [{ date: "2024-02-30", value: 1 }] });
    expect(badDate.statusCode).toBe(422);
    expect(badDate.json().message).toMatch(/"2024-02-30" is not a calendar date/);
    expect((await post("/api/actuals/Beauty", { actuals: [] })).statusCode).toBe(422);
    expect((await post("/api/actuals/Beauty", { actuals: [{ date: "2024-03-31" }] })).statusCode).toBe(422);
    const unknown = await post("/api/actuals/Nope", { actuals: [{ date: "2024-03-31", value: 1 }] });
    expect(unknown.statusCode).toBe(404);

    const keyed = await appWith({ SALESCAST_API_KEY: "monitoring-test-key-0123456789" });
    const denied = await keyed.inject({ method: "POST", url: "/api/actuals/Beauty", payload: { actuals: [{ date: "2024-03-31", value: 1 }] } });
    expect(denied.statusCode).toBe(401);
    const allowed = await keyed.inject({
      method: "POST",
      url: "/api/actuals/Beauty",
      payload: { actuals: [{ date: "2024-03-31", value: 1 }] },
      headers: { authorization: "Bearer monitoring-test-key-0123456789" },
    });
    expect(allowed.statusCode).toBe(200);
  });
});
