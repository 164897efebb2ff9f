// POST /api/predict with "level": intervals from the calibration stored in model.json.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveCheckpoint } from "../../src/engine/checkpoint.js";
import { CnnLstmModel } from "../../src/engine/model.js";
import { SalesForecaster } from "../../src/forecaster/index.js";
import type { IntervalCalibration } from "../../src/models/intervals.js";
import { commitModel, createWorkspace, NORMALIZATION, sampleWindow, testApp, TINY_SHAPE, type Workspace } from "./helpers.js";

const CALIBRATION: IntervalCalibration = {
  method: "split-conformal",
  levels: [80, 95],
  source: "validation",
  steps: [
    { step: 1, n: 25, halfWidth: { "80": 4, "95": 9 } },
    { step: 2, n: 24, halfWidth: { "80": 5, "95": 11 } },
    { step: 3, n: 23, halfWidth: { "80": 6, "95": null } },
  ],
};

let ws: Workspace;
let app: FastifyInstance;
let beauty: SalesForecaster;

beforeAll(async () => {
  ws = await createWorkspace();
  // Beauty (the default category) with a calibration; Clothing without (an older model).
  const staging = await ws.registry.stage("Beauty");
  await saveCheckpoint(staging, new CnnLstmModel(TINY_SHAPE, 1), {
    normalization: NORMALIZATION,
    data: { file: "sales.csv", sha256: "0".repeat(64), category: "Beauty", start: "2024-01-01", end: "2024-03-30", frequency: "D" },
    extra: { intervals: CALIBRATION },
  });
  beauty = await SalesForecaster.fromRegistered(await ws.registry.commit("Beauty", staging, { windowSize: TINY_SHAPE.windowSize }));
  await commitModel(ws.registry, "Clothing", { seed: 2 });
  app = await testApp(ws);
});
afterAll(async () => {
  await app.close();
  await ws.cleanup();
});

const post = (url: string, payload: unknown) =>
  app.inject({ method: "POST", url, payload: JSON.stringify(payload), headers: { "content-type": "application/json" } });

function expectError(response: Awaited<ReturnType<typeof post>>, status: number, code: string, message: RegExp) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json().error).toBe(code);
  expect(response.json().message).toMatch(message);
}

describe("POST /api/predict with level", () => {
  it("adds one band per level, one bound per step (horizon 1 when absent)", async () => {
    const series = sampleWindow();
    const response = await post("/api/predict", { series, level: [80, 95] });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(["intervals", "predicted_sales"]);
    const p = body.predicted_sales;
    expect(p).toBeCloseTo(beauty.forecast(series), 4);
    expect(body.intervals).toHaveLength(2);
    expect(body.intervals[0].level).toBe(80);
    expect(body.intervals[0].lower[0]).toBeCloseTo(p - 4, 6);
    expect(body.intervals[0].upper[0]).toBeCloseTo(p + 4, 6);
    expect(body.intervals[1].level).toBe(95);
    expect(body.intervals[1].upper[0]).toBeCloseTo(p + 9, 6);
  });

  it("gives bands over the whole horizon on /api/predict/{category}, each level once", async () => {
    const series = sampleWindow();
    const response = await post("/api/predict/Beauty", { series, horizon: 3, level: [80, 80] });
    expect(response.statusCode, response.body).toBe(200);
    const { forecast, intervals, predicted_sales } = response.json();
    expect(forecast).toHaveLength(3);
    expect(predicted_sales).toBe(forecast[0]);
    expect(intervals).toHaveLength(1);
    expect(intervals[0].lower.map((v: number, i: number) => forecast[i] - v)).toEqual([4, 5, 6].map((w) => expect.closeTo(w, 6)));
    expect(intervals[0].upper).toHaveLength(3);
  });

  it("keeps the reference answer when level is absent", async () => {
    const response = await post("/api/predict", { series: sampleWindow() });
    expect(Object.keys(response.json())).toEqual(["predicted_sales"]);
  });

  it("answers 422 naming the calibrated levels for a level the model does not have", async () => {
    expectError(
      await post("/api/predict", { series: sampleWindow(), level: [90] }),
      422,
      "invalid_level",
      /level 90 is not calibrated.*available levels: 80 \(up to 3 steps ahead\), 95 \(up to 2 steps ahead\)/,
    );
  });

  it("answers 422 for a horizon beyond a level's calibrated steps", async () => {
    expectError(await post("/api/predict", { series: sampleWindow(), horizon: 3, level: [95] }), 422, "invalid_level", /at most 2/);
  });

  it("answers 422 for a model without calibration", async () => {
    expectError(await post("/api/predict/Clothing", { series: sampleWindow(), level: [80] }), 422, "invalid_level", /no calibrated prediction intervals/);
  });

  it("refuses malformed levels by schema", async () => {
    for (const level of [80, [0], [100], [150], [-1], "80", [], [80, "95"], [80, null], Array.from({ length: 11 }, (_, i) => i + 1)]) {
      const response = await post("/api/predict", { series: sampleWindow(), level });
      expect(response.statusCode, `${JSON.stringify(level)}: ${response.body}`).toBe(422);
      expect(response.json().error).toBe("validation_error");
    }
  });

  it("refuses level with instances, saying to use series", async () => {
    expectError(await post("/api/predict", { instances: [sampleWindow()], level: [80] }), 422, "validation_error", /"level" works with the "series" form only/);
  });

  it("checks the window length first (the reference's message)", async () => {
    expectError(await post("/api/predict", { series: [1, 2], level: [90] }), 422, "invalid_series_length", /Series must contain exactly 14 values, got 2/);
  });
});
