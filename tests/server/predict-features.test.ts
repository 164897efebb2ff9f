// POST /api/predict with "last_date": a category trained end to end with calendar features and a
// direct horizon (Beauty), next to one without (Clothing, which ignores last_date).
import { readFile, writeFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../src/engine/checkpoint.js";
import { SalesForecaster } from "../../src/forecaster/index.js";
import { trainCategory } from "../../src/training/train-category.js";
import { saveCheckpoint } from "../../src/engine/checkpoint.js";
import { CnnLstmModel } from "../../src/engine/model.js";
import { commitModel, createWorkspace, NORMALIZATION, sampleWindow, testApp, TINY_SHAPE, WINDOW, type Workspace } from "./helpers.js";

let ws: Workspace;
let app: FastifyInstance;
let beauty: SalesForecaster;
const FEATURES = { day_of_week: true, month: true, holidays: ["2024-04-01"], covariates: [] as string[] };

beforeAll(async () => {
  ws = await createWorkspace();
  ws.config = { ...ws.config, model: { ...ws.config.model, horizon: 3, features: FEATURES } };
  const result = await trainCategory(ws.config, "Beauty");
  expect(result.status, result.reason).toBe("ok");
  beauty = await SalesForecaster.fromRegistered((await ws.registry.resolve("Beauty"))!);
  await commitModel(ws.registry, "Clothing", { seed: 2 });
  // Toys: a model reading one covariate (a promotion flag), saved by hand.
  const staging = await ws.registry.stage("Toys");
  await saveCheckpoint(staging, new CnnLstmModel({ ...TINY_SHAPE, inputSize: 2 }, 5), {
    normalization: NORMALIZATION,
    data: { file: "sales.csv", sha256: "0".repeat(64), category: "Toys", start: "2024-01-01", end: "2024-03-30", frequency: "D" },
    extra: {
      features: { day_of_week: false, month: false, holidays: [], covariates: ["promo"] },
      covariate_stats: [{ name: "promo", mean: 0.2, std: 0.4 }],
    },
  });
  await ws.registry.commit("Toys", staging, { windowSize: WINDOW });
  app = await testApp(ws);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await ws.cleanup();
});

const post = (url: string, payload: unknown) =>
  app.inject({ method: "POST", url, payload: JSON.stringify(payload), headers: { "content-type": "application/json" } });

function expectError(response: Awaited<ReturnType<typeof post>>, code: string, message: RegExp) {
  expect(response.statusCode, response.body).toBe(422);
  expect(response.json().error).toBe(code);
  expect(response.json().message).toMatch(message);
}

describe("a model trained with calendar features and model.horizon 3", () => {
  it("stores the feature spec and its shape in model.json", async () => {
    const { model, meta } = await loadCheckpoint((await ws.registry.resolve("Beauty"))!.dir);
    expect(meta.extra?.features).toEqual({ day_of_week: true, month: true, holidays: ["2024-04-01"] });
    expect(model.shape.inputSize).toBe(6);
    expect(model.shape.outputSize).toBe(3);
    expect(beauty.needsLastDate).toBe(true);
  });

  it("answers with last_date, the same as the forecaster, keeping the response contract", async () => {
    const series = sampleWindow();
    const one = await post("/api/predict", { series, last_date: "2024-03-31" });
    expect(one.statusCode, one.body).toBe(200);
    expect(Object.keys(one.json())).toEqual(["predicted_sales"]);
    expect(one.json().predicted_sales).toBeCloseTo(beauty.forecast(series, { lastDate: "2024-03-31" }), 4);

    const many = await post("/api/predict/Beauty", { series, horizon: 5, last_date: "2024-03-31" });
    expect(many.statusCode, many.body).toBe(200);
    expect(many.json().forecast).toHaveLength(5);
    many.json().forecast.forEach((v: number, i: number) => expect(v).toBeCloseTo(beauty.forecast(series, { horizon: 5, lastDate: "2024-03-31" })[i], 4));

    const batch = await post("/api/predict", { instances: [series, series], horizon: 2, last_date: "2024-03-31" });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.json().forecasts).toHaveLength(2);
  });

  it("calibrated intervals still work with last_date", async () => {
    const response = await post("/api/predict", { series: sampleWindow(), horizon: 2, level: [80], last_date: "2024-03-31" });
    // The validation part of 18 days gives an 80% band for the first steps.
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().intervals[0].lower).toHaveLength(2);
  });

  it("refuses a request without last_date, or with a bad one, with 422 and a message saying what to send", async () => {
    expectError(
      await post("/api/predict", { series: sampleWindow() }),
      "invalid_last_date",
      /reads calendar features .* needs "last_date": the date \(YYYY-MM-DD\) of the last value/,
    );
    expectError(await post("/api/predict", { instances: [sampleWindow()] }), "invalid_last_date", /needs "last_date"/);
    expectError(
      await post("/api/predict", { series: sampleWindow(), last_date: "2024-02-30" }),
      "invalid_last_date",
      /last_date must be a date written YYYY-MM-DD.*"2024-02-30"/,
    );
    expectError(await post("/api/predict", { series: sampleWindow(), last_date: "31.03.2024" }), "invalid_last_date", /YYYY-MM-DD/);
    // A window of the wrong length still gets the reference's message first.
    expectError(
      await post("/api/predict", { series: sampleWindow(3), last_date: "2024-03-31" }),
      "invalid_series_length",
      new RegExp(`exactly ${WINDOW} values`),
    );
    const wrongType = await post("/api/predict", { series: sampleWindow(), last_date: 20240331 });
    expect([400, 422]).toContain(wrongType.statusCode);
  });
});

describe("a model trained with a covariate", () => {
  it("answers when the request gives the covariate for the window and the forecast periods", async () => {
    const series = sampleWindow();
    const quiet = new Array(WINDOW + 2).fill(0);
    const promoted = [...quiet.slice(0, WINDOW), 1, 1];
    const a = await post("/api/predict/Toys", { series, horizon: 2, covariates: { promo: quiet } });
    const b = await post("/api/predict/Toys", { series, horizon: 2, covariates: { promo: promoted } });
    expect(a.statusCode, a.body).toBe(200);
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json().forecast).not.toEqual(a.json().forecast);
  });

  it("refuses missing or mis-sized covariates and the instances form with 422", async () => {
    const series = sampleWindow();
    expect(WINDOW).toBe(14);
    expectError(
      await post("/api/predict/Toys", { series }),
      "invalid_covariates",
      /needs "covariates": \{"promo": \[\.\.\.\]\}, each with 15 values \(the 14 periods of the window, then the 1 forecast period\)/,
    );
    expectError(await post("/api/predict/Toys", { series, covariates: { promo: [1, 0] } }), "invalid_covariates", /covariates\.promo must have 15 values/);
    expectError(await post("/api/predict/Toys", { instances: [series], covariates: { promo: [] } }), "invalid_covariates", /"instances" is not supported/);
    const wrongType = await post("/api/predict/Toys", { series, covariates: { promo: ["a"] } });
    expect([400, 422]).toContain(wrongType.statusCode);
  });
});

describe("GET /api/models says what each model needs", () => {
  it("calendar features, holidays, the direct horizon and covariates, with whether last_date is needed", async () => {
    const { models } = (await app.inject({ method: "GET", url: "/api/models" })).json();
    const inputs = Object.fromEntries(models.map((m: { category: string; inputs: unknown }) => [m.category, m.inputs]));
    expect(inputs.Beauty).toEqual({
      kind: "cnn_lstm",
      window_size: WINDOW,
      horizon: 3,
      frequency: "D",
      features: { day_of_week: true, month: true, holidays: ["2024-04-01"], covariates: [] },
      channels: ["sales", "dow_sin", "dow_cos", "month_sin", "month_cos", "holiday"],
      needs_last_date: true,
    });
    expect(inputs.Toys).toEqual({
      kind: "cnn_lstm",
      window_size: WINDOW,
      horizon: 1,
      frequency: "D",
      features: { day_of_week: false, month: false, holidays: [], covariates: ["promo"] },
      channels: ["sales", "cov_promo"],
      // Covariates are positional (one value per period of the request): no date needed.
      needs_last_date: false,
    });
    expect(inputs.Clothing).toMatchObject({ channels: ["sales"], needs_last_date: false });
  });
});

describe("the latest window of a category whose model reads covariates", () => {
  let covWs: Workspace;
  let covApp: FastifyInstance;
  beforeAll(async () => {
    covWs = await createWorkspace({ days: 60 });
    // The data file gets a promo column: 1 for two days out of ten.
    const text = await readFile(covWs.csvPath, "utf8");
    const [header, ...rows] = text.trim().split("\n");
    await writeFile(covWs.csvPath, [`${header},promo`, ...rows.map((row, i) => `${row},${Math.floor(i / 2) % 5 === 0 ? 1 : 0}`)].join("\n") + "\n");
    const staging = await covWs.registry.stage("Beauty");
    await saveCheckpoint(staging, new CnnLstmModel({ ...TINY_SHAPE, inputSize: 2 }, 5), {
      normalization: NORMALIZATION,
      data: { file: "sales.csv", sha256: "0".repeat(64), category: "Beauty", start: "2024-01-01", end: "2024-02-29", frequency: "D" },
      extra: { features: { day_of_week: false, month: false, holidays: [], covariates: ["promo"] }, covariate_stats: [{ name: "promo", mean: 0.2, std: 0.4 }] },
    });
    await covWs.registry.commit("Beauty", staging, { windowSize: WINDOW });
    covApp = await testApp(covWs);
  });
  afterAll(async () => {
    await covApp?.close();
    await covWs?.cleanup();
  });

  it("carries the covariate's values over the window from the data file, ready for a prediction", async () => {
    const latest = (await covApp.inject({ method: "GET", url: "/api/series/Beauty/latest" })).json();
    // writeSalesCsv writes Beauty's 60 days first, so a Beauty row's index is its day.
    const promo = Array.from({ length: 60 }, (_, day) => (Math.floor(day / 2) % 5 === 0 ? 1 : 0));
    expect(latest.covariates).toEqual({ promo: promo.slice(-WINDOW) });
    const predicted = await covApp.inject({
      method: "POST",
      url: "/api/predict/Beauty",
      payload: { series: latest.values, covariates: { promo: [...latest.covariates.promo, 1] } },
    });
    expect(predicted.statusCode, predicted.body).toBe(200);
    // A category whose model reads no covariates gets none.
    expect((await covApp.inject({ method: "GET", url: "/api/series/Clothing/latest" })).json().covariates).toBeUndefined();
  });

  it("leaves them empty (the client asks the user) when the data file no longer has the column", async () => {
    const text = await readFile(covWs.csvPath, "utf8");
    await writeFile(covWs.csvPath, text.replace(/,promo$/m, ",promotion"));
    const latest = await covApp.inject({ method: "GET", url: "/api/series/Beauty/latest" });
    expect(latest.statusCode).toBe(200);
    expect(latest.json().covariates).toEqual({});
  });
});

describe("a model without features", () => {
  it("ignores last_date", async () => {
    const series = sampleWindow();
    const without = await post("/api/predict/Clothing", { series });
    const withDate = await post("/api/predict/Clothing", { series, last_date: "2024-03-31" });
    expect(withDate.statusCode, withDate.body).toBe(200);
    expect(withDate.json()).toEqual(without.json());
  });
});
