import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ARCHITECTURES } from "../../src/config/schema.js";
import { nativeBackendProblem } from "../../src/engine/index.js";
import { commitModel, createWorkspace, dailyDates, syntheticValues, testApp, WINDOW, type Workspace } from "./helpers.js";

let ws: Workspace;
let app: FastifyInstance;

beforeAll(async () => {
  ws = await createWorkspace();
  app = await testApp(ws);
});
afterAll(async () => {
  await app.close();
  await ws.cleanup();
});

const get = (url: string) => app.inject({ method: "GET", url });

describe("health and readiness", () => {
  it("GET /api/health answers ok even without models", async () => {
    const response = await get("/api/health");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/), models: [] });
    expect(response.headers["x-request-id"]).toBeTruthy();
  });

  it("GET /api/ready is 503 until a model is loaded, then 200 without a restart", async () => {
    const before = await get("/api/ready");
    expect(before.statusCode).toBe(503);
    expect(before.json()).toEqual({ error: "not_ready", message: expect.stringMatching(/no model is loaded yet/) });

    await commitModel(ws.registry, "Beauty");
    const after = await get("/api/ready");
    expect(after.statusCode).toBe(200);
    // engine.backend is auto here: native when the addon is built, else reference.
    const backend = nativeBackendProblem() === undefined ? "native" : "reference";
    const loaded = { category: "Beauty", version: 1, window_size: WINDOW, backend };
    expect(after.json()).toEqual({ status: "ready", reasons: [], models: [loaded] });
    const health = (await get("/api/health")).json();
    expect(health.models).toEqual([loaded]);
    expect(health.engine).toEqual({ setting: "auto", backend, native_unavailable: backend === "native" ? null : expect.stringContaining("native addon") });
  });

  it("keeps a client's X-Request-Id when it is a plain token, and replaces anything else", async () => {
    const kept = await app.inject({ method: "GET", url: "/api/health", headers: { "x-request-id": "abc-123" } });
    expect(kept.headers["x-request-id"]).toBe("abc-123");
    const replaced = await app.inject({ method: "GET", url: "/api/health", headers: { "x-request-id": "bad id\nwith newline" } });
    expect(replaced.headers["x-request-id"]).not.toContain("bad");
  });
});

describe("categories and models", () => {
  it("GET /api/categories lists data categories and which have a model", async () => {
    await commitModel(ws.registry, "Orphan"); // a model whose category is not in the data
    const response = await get("/api/categories");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      default: "Beauty",
      categories: [
        { name: "Beauty", in_data: true, has_model: true, version: 1 },
        { name: "Clothing", in_data: true, has_model: false, version: null },
        { name: "Orphan", in_data: false, has_model: true, version: 1 },
      ],
    });
  });

  it("GET /api/models lists the served version of each category with its facts", async () => {
    await commitModel(ws.registry, "Beauty", { seed: 3 });
    const { models } = (await get("/api/models")).json();
    const beauty = models.find((m: { category: string }) => m.category === "Beauty");
    expect(beauty).toMatchObject({
      category: "Beauty",
      version: 2,
      window_size: WINDOW,
      aliases: [],
      run_id: null,
      metrics: { val_rmse: 12.5, val_mase: 0.8 },
      serving: true,
    });
    expect(Date.parse(beauty.created_at)).not.toBeNaN();
    expect(models.map((m: { category: string }) => m.category)).toEqual(["Beauty", "Orphan"]);
    // What a forecast needs: a one-channel model reads the sales alone, no date, no covariates.
    expect(beauty.inputs).toEqual({
      kind: "cnn_lstm",
      window_size: WINDOW,
      horizon: 1,
      frequency: "D",
      features: { day_of_week: false, month: false, holidays: [], covariates: [] },
      channels: ["sales"],
      needs_last_date: false,
    });
  });

  it("GET /api/settings gives the frequency, currency, default category and the training settings a request may change", async () => {
    const response = await get("/api/settings");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      default_category: "Beauty",
      frequency: "D",
      currency: null,
      training: {
        window_size: WINDOW,
        max_epochs: 2,
        seed: 42,
        architecture: "CNNLSTM",
        // Every kind of the families list (through the schema), "CNNLSTM" first.
        architectures: [...ARCHITECTURES],
        features: { day_of_week: false, month: false },
        limits: { min_window_size: 3, max_epochs: 1000 },
      },
    });
    const weekly = await testApp(ws, {
      config: { ...ws.config, data: { ...ws.config.data, frequency: "W", item_id: "Clothing" }, app: { ...ws.config.app, currency: "EUR" } },
    });
    try {
      expect((await weekly.inject({ method: "GET", url: "/api/settings" })).json()).toMatchObject({
        default_category: "Clothing",
        frequency: "W",
        currency: "EUR",
      });
    } finally {
      await weekly.close();
    }
  });

  it("GET /api/models/{category} lists every version and marks the served one", async () => {
    await ws.registry.setAlias("Beauty", "champion", 1);
    const { models } = (await get("/api/models/Beauty")).json();
    expect(models.map((m: { version: number; serving: boolean; aliases: string[] }) => [m.version, m.serving, m.aliases])).toEqual([
      [1, true, ["champion"]],
      [2, false, []],
    ]);
    const missing = await get("/api/models/Toys");
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toMatch(/Categories with a model: Beauty, Orphan/);
  });

  it("GET /api/models names the default category (data.item_id), and inputs null when a version's files are gone", async () => {
    const ghost = await commitModel(ws.registry, "Ghost");
    await rm(join(ghost.dir, "model.json"));
    const answer = (await get("/api/models")).json();
    expect(answer.default).toBe("Beauty");
    expect(answer.models.find((m: { category: string }) => m.category === "Ghost").inputs).toBeNull();
    expect(answer.models.find((m: { category: string }) => m.category === "Beauty").inputs).not.toBeNull();
  });
});

describe("series", () => {
  const dates = dailyDates(90);
  const beauty = syntheticValues(90, 1, 100);

  it("GET /api/series/{category} returns the whole daily series", async () => {
    const body = (await get("/api/series/Beauty")).json();
    expect(body.category).toBe("Beauty");
    expect(body.frequency).toBe("D");
    expect(body.dates).toEqual(dates);
    body.values.forEach((v: number, i: number) => expect(v).toBeCloseTo(beauty[i], 6));
  });

  it("filters by from and to (inclusive)", async () => {
    const body = (await get("/api/series/Beauty?from=2024-01-10&to=2024-01-12")).json();
    expect(body.dates).toEqual(["2024-01-10", "2024-01-11", "2024-01-12"]);
    expect(body.values[0]).toBeCloseTo(beauty[9], 6);
    expect((await get("/api/series/Beauty?from=2024-03-30")).json().dates).toEqual(["2024-03-30"]);
    expect((await get("/api/series/Beauty?to=2023-12-31")).json().dates).toEqual([]);
  });

  it("refuses bad dates and ranges with 422", async () => {
    for (const [query, message] of [
      ["from=yesterday", /querystring\.from must match pattern/],
      ["to=2024-02-30", /querystring\.to must be a real date/],
      ["from=2024-02-01&to=2024-01-01", /from \(2024-02-01\) is after querystring\.to/],
      ["unknown=1", /unknown field "unknown"/],
    ] as const) {
      const response = await get(`/api/series/Beauty?${query}`);
      expect(response.statusCode, query).toBe(422);
      expect(response.json().message).toMatch(message);
    }
  });

  it("GET /api/series/{category}/latest returns the last window and the date it forecasts", async () => {
    const body = (await get("/api/series/Beauty/latest")).json();
    expect(body.window_size).toBe(WINDOW);
    expect(body.dates).toEqual(dates.slice(-WINDOW));
    body.values.forEach((v: number, i: number) => expect(v).toBeCloseTo(beauty[90 - WINDOW + i], 6));
    expect(body.next_date).toBe("2024-03-31");
  });

  it("the latest window is a valid prediction input", async () => {
    const { values } = (await get("/api/series/Beauty/latest")).json();
    const response = await app.inject({ method: "POST", url: "/api/predict/Beauty", payload: { series: values } });
    expect(response.statusCode).toBe(200);
  });

  it("answers 404 naming the data's categories for an unknown or path-like category", async () => {
    for (const name of ["Toys", "..", "..%2F..%2Fetc", "Beauty%00"]) {
      for (const suffix of ["", "/latest"]) {
        const response = await get(`/api/series/${name}${suffix}`);
        expect(response.statusCode, name + suffix).toBe(404);
        const body = response.json();
        // ".." may be resolved by the URL parser before routing: then no route matches at all.
        if (body.error === "route_not_found") expect(name).toBe("..");
        else expect(body).toEqual({ error: "unknown_category", message: expect.stringContaining("Known categories: Beauty, Clothing") });
      }
    }
  });
});

describe("when the data file is missing", () => {
  let broken: Workspace;
  let brokenApp: FastifyInstance;
  beforeAll(async () => {
    broken = await createWorkspace();
    brokenApp = await testApp({ ...broken, config: { ...broken.config, data: { ...broken.config.data, csv_path: `${broken.root}/missing.csv` } } });
  });
  afterEach(() => undefined);
  afterAll(async () => {
    await brokenApp.close();
    await broken.cleanup();
  });

  it("answers 503 data_unavailable naming the file, and categories still answer", async () => {
    const response = await brokenApp.inject({ method: "GET", url: "/api/series/Beauty" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ error: "data_unavailable", message: expect.stringContaining("missing.csv") });
    expect((await brokenApp.inject({ method: "GET", url: "/api/categories" })).statusCode).toBe(200);
  });
});
