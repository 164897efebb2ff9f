// A model kind other than the network, end to end: `train` with model.architecture=holt_winters
// fits, registers and stores it (model.json with its state, no weights file); it is promoted
// like any version, and POST /api/predict/{category} serves it through the same contract as the
// network: the window is the latest window_size periods, forecast from the stored history with
// the window in place of its last periods (or appended after it with a later last_date).
import { readdir, readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSales } from "../../src/data/ingest.js";
import { forecastAdditiveHoltWinters, type HoltWintersFit } from "../../src/models/holt_winters/holt-winters.js";
import { trainCategory } from "../../src/training/train-category.js";
import { createWorkspace, testApp, WINDOW, type Workspace } from "./helpers.js";

let ws: Workspace;
let app: Awaited<ReturnType<typeof testApp>>;
let values: Float64Array;
let fit: HoltWintersFit;
let dir: string;
const DAYS = 120;

beforeAll(async () => {
  ws = await createWorkspace({ days: DAYS });
  const holtWinters = { ...ws.config, model: { ...ws.config.model, architecture: "holt_winters" as const } };
  // Version 1: the network (the default); version 2: Holt-Winters, served as the latest.
  expect((await trainCategory(ws.config, "Beauty")).status).toBe("ok");
  const result = await trainCategory(holtWinters, "Beauty");
  expect(result.status, result.reason).toBe("ok");
  expect(result).toMatchObject({ model: "holt_winters", version: 2, epochs: 0, bestEpoch: 0 });
  dir = result.checkpointDir!;
  const meta = JSON.parse(await readFile(`${dir}/model.json`, "utf8"));
  fit = meta.model.state;
  values = (await loadSales(ws.config.data)).series.find((s) => s.category === "Beauty")!.values;
  app = await testApp(ws);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await ws.cleanup();
});

const post = (body: unknown, url = "/api/predict/Beauty") => app.inject({ method: "POST", url, payload: body as object });
/** Holt-Winters by hand: the stored parameters re-run over `history`. */
const byHand = (history: number[], horizon = 1) => Array.from(forecastAdditiveHoltWinters(fit, Float64Array.from(history), horizon));
const window = () => Array.from({ length: WINDOW }, (_, i) => 150 + 20 * Math.sin(i));

describe("a trained holt_winters version", () => {
  it("stores its parameters and the whole history in model.json, and no weights (its MLflow model is an ONNX graph of its forecast)", async () => {
    const files = (await readdir(dir)).sort();
    const mlflowModel = ["MLmodel", "conda.yaml", "model.onnx", "python_env.yaml", "requirements.txt"];
    expect(files).toEqual([...mlflowModel, "config.yaml", "eval_plot.png", "eval_plot.svg", "model.json"].sort());
    const meta = JSON.parse(await readFile(`${dir}/model.json`, "utf8"));
    expect(meta.model).toMatchObject({ kind: "holt_winters", format_version: 1, files: {} });
    expect(meta.model.state.history).toMatchObject({ name: "Beauty", start: "2024-01-01", frequency: "D" });
    // Refitted on every period after the intervals were calibrated: the history is the whole series.
    expect(meta.model.state.history.values).toEqual(Array.from(values));
    expect(meta.window_size).toBe(WINDOW);
    expect(meta.extra.intervals.method).toBe("split-conformal");
    expect(fit.season).toBe(7);
  });

  it("is listed with its kind and what a forecast needs", async () => {
    const { models } = (await app.inject({ method: "GET", url: "/api/models/Beauty" })).json();
    expect(models.map((m: { version: number; inputs: { kind: string } }) => [m.version, m.inputs.kind])).toEqual([
      [1, "cnn_lstm"],
      [2, "holt_winters"],
    ]);
    expect(models[1]).toMatchObject({ serving: true, inputs: { window_size: WINDOW, horizon: 1, needs_last_date: false, channels: ["sales"] } });
  });
});

describe("POST /api/predict/{category} serving Holt-Winters", () => {
  it("forecasts from the stored history when the window is its last periods", async () => {
    const latest = Array.from(values.subarray(DAYS - WINDOW));
    const response = await post({ series: latest, horizon: 3 });
    expect(response.statusCode).toBe(200);
    expect(response.headers["x-model-version"]).toBe("2");
    const { predicted_sales, forecast } = response.json();
    expect(forecast).toEqual(byHand(Array.from(values), 3));
    expect(predicted_sales).toBe(forecast[0]);
  });

  it("puts a different window in place of the history's last periods", async () => {
    const w = window();
    const { predicted_sales } = (await post({ series: w })).json();
    expect(predicted_sales).toBe(byHand([...values.subarray(0, DAYS - WINDOW), ...w])[0]);
    expect(predicted_sales).not.toBe(byHand(Array.from(values))[0]);
  });

  it("with last_date places the window there: inside the history, or appended after its end", async () => {
    const w = window();
    // Three days after the data's last day (2024-04-29): the window overlaps the last 11 stored days.
    const later = (await post({ series: w, last_date: "2024-05-02", horizon: 2 })).json();
    expect(later.forecast).toEqual(byHand([...values.subarray(0, DAYS - 11), ...w], 2));
    // Ten days before the end: the history stops at the window.
    const earlier = (await post({ series: w, last_date: "2024-04-19" })).json();
    expect(earlier.predicted_sales).toBe(byHand([...values.subarray(0, DAYS - 10 - WINDOW), ...w])[0]);
    // The data's own last day is the default.
    expect((await post({ series: w, last_date: "2024-04-29" })).json().predicted_sales).toBe((await post({ series: w })).json().predicted_sales);
  });

  it("refuses a gap longer than the window, a window starting before the history, and a bad date", async () => {
    const gap = await post({ series: window(), last_date: "2024-06-01" });
    expect(gap.statusCode).toBe(422);
    expect(gap.json()).toMatchObject({ error: "invalid_last_date" });
    expect(gap.json().message).toMatch(
      /33 periods after the end of the Beauty model's history \(2024-01-01 \.\. 2024-04-29\): more than the window of 14 periods.*at most 2024-05-13/,
    );
    const early = await post({ series: window(), last_date: "2024-01-05" });
    expect(early.statusCode).toBe(422);
    expect(early.json().message).toMatch(/would start before the Beauty model's history \(2024-01-01 \.\. 2024-04-29\)/);
    expect((await post({ series: window(), last_date: "May 2" })).json()).toMatchObject({ error: "invalid_last_date" });
  });

  it("keeps the reference's contract: window length, intervals, instances", async () => {
    const short = await post({ series: [1, 2, 3] });
    expect(short.statusCode).toBe(422);
    expect(short.json().message).toMatch(/Series must contain exactly 14 values, got 3/);
    const banded = (await post({ series: window(), horizon: 2, level: [80] })).json();
    expect(banded.intervals).toHaveLength(1);
    expect(banded.intervals[0].upper[0]).toBeGreaterThan(banded.forecast[0]);
    const w = window();
    const batch = (await post({ instances: [Array.from(values.subarray(DAYS - WINDOW)), w] })).json();
    expect(batch.predictions).toEqual([byHand(Array.from(values))[0], byHand([...values.subarray(0, DAYS - WINDOW), ...w])[0]]);
  });

  it("serves the network again once version 1 is promoted, and Holt-Winters when 2 is", async () => {
    const w = window();
    const hw = (await post({ series: w })).json().predicted_sales;
    await ws.registry.setAlias("Beauty", "champion", 1);
    const network = await post({ series: w });
    expect(network.headers["x-model-version"]).toBe("1");
    expect(network.json().predicted_sales).not.toBe(hw);
    await ws.registry.setAlias("Beauty", "champion", 2);
    const back = await post({ series: w });
    expect(back.headers["x-model-version"]).toBe("2");
    expect(back.json().predicted_sales).toBe(hw);
  });
});

describe("a weekly statistical version", () => {
  it("takes a last_date only on its weekly grid, and places the window by weeks", async () => {
    const { holtWintersFamily } = await import("../../src/models/holt_winters/family.js");
    const { writeVersion } = await import("../../src/models/version-file.js");
    const { SalesForecaster, ForecastInputError } = await import("../../src/forecaster/index.js");
    const weekly = Float64Array.from({ length: 120 }, (_, t) => 500 + 40 * Math.sin((2 * Math.PI * t) / 52) + t);
    const model = await holtWintersFamily.fit([{ name: "Store 1", values: weekly, start: "2020-01-03", frequency: "W" }], { config: ws.config });
    const dir = `${ws.root}/weekly`;
    // 2020-01-03 + 119 weeks = 2022-04-15, the history's last week.
    const data = { file: "w.csv", sha256: "0".repeat(64), category: "Store 1", start: "2020-01-03", end: "2022-04-15", frequency: "W" as const };
    await writeVersion(dir, model.save(), { window_size: WINDOW, data });
    const served = await SalesForecaster.fromDirectory(dir);
    const w = Array.from({ length: WINDOW }, (_, i) => 600 + i);
    const twoWeeksLater = served.forecast(w, { lastDate: "2022-04-29" });
    expect(twoWeeksLater).toBe(
      model.forecast(
        { name: "Store 1", values: Float64Array.from([...weekly.subarray(0, 120 + 2 - WINDOW), ...w]), start: "2020-01-03", frequency: "W" },
        1,
      )[0],
    );
    let caught: unknown;
    try {
      served.forecast(w, { lastDate: "2022-04-27" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ForecastInputError);
    expect((caught as InstanceType<typeof ForecastInputError>).code).toBe("invalid_last_date");
    expect((caught as Error).message).toMatch(
      /last_date 2022-04-27 is not the date a period of the Store 1 model's history \(2020-01-03 \.\. 2022-04-15\) starts on \(one period every 7 days\)/,
    );
  });
});
