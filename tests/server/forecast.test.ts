// GET /api/forecast/{category}?h= (dated forecasts from the end of the history, with intervals,
// no window sent) and GET /api/models/{category}/leaderboard, for a version trained with
// architecture auto and for the network (no stored history: the data's last window).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSales } from "../../src/data/ingest.js";
import { loadVersion } from "../../src/models/version-file.js";
import { trainCategory } from "../../src/training/train-category.js";
import { createWorkspace, testApp, type Workspace } from "./helpers.js";

let ws: Workspace;
let app: Awaited<ReturnType<typeof testApp>>;
let autoDir: string;
let values: Float64Array;
const DAYS = 120;

beforeAll(async () => {
  ws = await createWorkspace({ days: DAYS });
  const auto = {
    ...ws.config,
    model: {
      ...ws.config.model,
      architecture: "auto" as const,
      auto: { ...ws.config.model.auto, candidates: ["ets" as const, "holt_winters" as const], selection_windows: 3 },
    },
  };
  const result = await trainCategory(auto, "Beauty");
  expect(result.status, result.reason).toBe("ok");
  autoDir = result.checkpointDir!;
  expect((await trainCategory(ws.config, "Clothing")).status).toBe("ok"); // the network
  values = (await loadSales(ws.config.data)).series.find((s) => s.category === "Beauty")!.values;
  app = await testApp(ws);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await ws.cleanup();
});

describe("GET /api/forecast/{category}", () => {
  it("forecasts h dated periods after the stored history's end, with the tournament's intervals", async () => {
    const response = await app.inject({ method: "GET", url: "/api/forecast/Beauty?h=9" });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      category: "Beauty",
      version: 1,
      frequency: "D",
      source: "stored history",
      history_end: "2024-04-29",
      horizon: 9,
      levels: [80, 95],
    });
    expect(body.forecast.map((p: { date: string }) => p.date)).toEqual([
      "2024-04-30",
      "2024-05-01",
      "2024-05-02",
      "2024-05-03",
      "2024-05-04",
      "2024-05-05",
      "2024-05-06",
      "2024-05-07",
      "2024-05-08",
    ]);
    // The same numbers as the stored model forecasting from its own history.
    const { model } = await loadVersion(autoDir);
    expect(body.forecast.map((p: { value: number }) => p.value)).toEqual(Array.from(model.forecast(model.history!, 9)));
    expect(model.history!.values.length).toBe(values.length);
    const first = body.forecast[0];
    expect(first.lo_80).toBeLessThan(first.value);
    expect(first.hi_95).toBeGreaterThan(first.hi_80);
    // Calibrated for model.auto.horizon (7) steps: beyond them no band, said as null.
    expect(body.forecast[7].lo_80).toBeNull();
    expect(body.forecast[6].lo_80).not.toBeNull();
  });

  it("uses the data's last window for the network, and model.auto.horizon periods by default", async () => {
    const body = (await app.inject({ method: "GET", url: "/api/forecast/Clothing" })).json();
    expect(body).toMatchObject({ source: "data", model: "cnn_lstm", history_end: "2024-04-29", horizon: 7 });
    expect(body.forecast).toHaveLength(7);
  });

  it("refuses a bad h and an unknown category clearly", async () => {
    for (const h of ["0", "abc", "100000"]) {
      const response = await app.inject({ method: "GET", url: `/api/forecast/Beauty?h=${h}` });
      expect(response.statusCode).toBe(422);
      expect(response.json().message).toMatch(/h/);
    }
    const unknown = await app.inject({ method: "GET", url: "/api/forecast/Garden" });
    expect(unknown.statusCode).toBe(404);
  });
});

describe("GET /api/models/{category}/leaderboard", () => {
  it("serves the stored leaderboard of a version trained with auto", async () => {
    const response = await app.inject({ method: "GET", url: "/api/models/Beauty/leaderboard" });
    expect(response.statusCode, response.body).toBe(200);
    const { version, leaderboard } = response.json();
    expect(version).toBe(1);
    expect(leaderboard.entries.map((e: { model: string }) => e.model)).toEqual(["ets", "holt_winters", "naive", "seasonal_naive", "moving_average"]);
    expect(leaderboard.selection_cutoffs).toHaveLength(3);
    expect(leaderboard.entries[0].windows[0]).toHaveProperty("step_error");
    expect(leaderboard.champion.reason).toMatch(/lowest mean MASE/);
  });

  it("answers 404 saying why for a version trained without auto, or none", async () => {
    const network = await app.inject({ method: "GET", url: "/api/models/Clothing/leaderboard" });
    expect(network.statusCode).toBe(404);
    expect(network.json()).toMatchObject({ error: "no_leaderboard" });
    expect(network.json().message).toMatch(/not trained with model.architecture auto/);
    const missing = await app.inject({ method: "GET", url: "/api/models/Beauty/leaderboard?version=9" });
    expect(missing.statusCode).toBe(404);
  });
});
