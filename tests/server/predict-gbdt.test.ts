// The global gbdt kind end to end: `train --all` fits it ONCE on every series of the file and
// registers one version per category (the shared trees in gbdt_fit.json, that category's
// identity and history in model.json); `train --category X` fits on every series and registers
// X only, saying so; a loaded version forecasts what the fitted model did; POST
// /api/predict/{category} serves it with the window in place of the stored history's last periods.
import { readFile, readdir } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { gbdtFamily, GBDT_FIT_FILE } from "../../src/models/gbdt/family.js";
import { forecastGbdtForecaster, type GbdtForecasterFit } from "../../src/models/gbdt/index.js";
import type { SeriesInput } from "../../src/models/model.js";
import { loadVersion } from "../../src/models/version-file.js";
import type { ProgressEvent } from "../../src/training/progress.js";
import { trainAll } from "../../src/training/train-all.js";
import { trainCategory } from "../../src/training/train-category.js";
import { gbdtConfig } from "../models/gbdt-helpers.js";
import { createWorkspace, testApp, WINDOW, type Workspace } from "./helpers.js";

let ws: Workspace;
let app: Awaited<ReturnType<typeof testApp>>;
let data: SalesData;
const DAYS = 120;
const config = () => gbdtConfig(ws.config);
const events: ProgressEvent[] = [];
let fitCalls = 0;

beforeAll(async () => {
  ws = await createWorkspace({ categories: ["Beauty", "Clothing", "Electronics"], days: DAYS });
  data = await loadSales(ws.config.data);
  const fit = vi.spyOn(gbdtFamily, "fit");
  const results = await trainAll(config(), undefined, { data, threads: 0, progress: { report: (e) => events.push(e) } });
  fitCalls = fit.mock.calls.length;
  fit.mockRestore();
  expect(results.map((r) => [r.category, r.status, r.model])).toEqual([
    ["Beauty", "ok", "gbdt"],
    ["Clothing", "ok", "gbdt"],
    ["Electronics", "ok", "gbdt"],
  ]);
  app = await testApp(ws);
}, 180_000);
afterAll(async () => {
  await app?.close();
  await ws.cleanup();
});
afterEach(() => vi.restoreAllMocks());

const versionDir = async (category: string) => (await ws.registry.versions(category)).at(-1)!.dir;
const seriesOf = (category: string): SeriesInput => {
  const s = data.series.find((x) => x.category === category)!;
  return { name: category, values: s.values, start: s.start, frequency: "D" };
};
const storedFit = async (category: string) => JSON.parse(await readFile(`${await versionDir(category)}/${GBDT_FIT_FILE}`, "utf8")) as GbdtForecasterFit;

describe("train --all with a global kind", () => {
  it("fits it once for every category (and once more before the held-out parts), registering a version per category", async () => {
    expect(fitCalls).toBe(2);
    expect(events.filter((e) => e.kind === "message" && /fitting the global gbdt model once on the 3 series/.test(e.text))).toHaveLength(1);
    expect(events.filter((e) => e.kind === "message" && /this version serves/.test(e.text)).map((e) => e.category)).toEqual([
      "Beauty",
      "Clothing",
      "Electronics",
    ]);
    const fits = await Promise.all(["Beauty", "Clothing", "Electronics"].map(async (c) => readFile(`${await versionDir(c)}/${GBDT_FIT_FILE}`, "utf8")));
    expect(new Set(fits).size).toBe(1);
    expect((await storedFit("Beauty")).series.map((s) => s.name)).toEqual(["Beauty", "Clothing", "Electronics"]);
  });

  it("stores each category's identity and history beside the shared trees; loaded, it forecasts as the stored fit does", async () => {
    const dir = await versionDir("Clothing");
    // Its MLflow model (an ONNX graph of the trees and their feature row) sits beside the fit.
    const mlflowModel = ["MLmodel", "conda.yaml", "model.onnx", "python_env.yaml", "requirements.txt"];
    expect((await readdir(dir)).sort()).toEqual([...mlflowModel, "config.yaml", "eval_plot.png", "eval_plot.svg", GBDT_FIT_FILE, "model.json"].sort());
    const meta = JSON.parse(await readFile(`${dir}/model.json`, "utf8"));
    expect(meta.model).toMatchObject({ kind: "gbdt", format_version: 1, state: { series: "Clothing", fit_file: GBDT_FIT_FILE } });
    expect(meta.model.state.history.values).toEqual(Array.from(seriesOf("Clothing").values));
    expect(meta.extra.intervals.method).toBe("split-conformal");
    const { model } = await loadVersion(dir);
    const fit = await storedFit("Clothing");
    expect(Array.from(model.forecast(seriesOf("Clothing"), 5))).toEqual(Array.from(forecastGbdtForecaster(fit, seriesOf("Clothing"), 5)));
  });
});

describe("POST /api/predict/{category} serving a gbdt version", () => {
  const post = (body: unknown, category = "Beauty") => app.inject({ method: "POST", url: `/api/predict/${category}`, payload: body as object });

  it("forecasts from the stored history when the window is its last periods", async () => {
    const history = seriesOf("Electronics");
    const response = await post({ series: Array.from(history.values.subarray(DAYS - WINDOW)), horizon: 3 }, "Electronics");
    expect(response.statusCode).toBe(200);
    const { forecast, predicted_sales } = response.json();
    expect(forecast).toEqual(Array.from(forecastGbdtForecaster(await storedFit("Electronics"), history, 3)));
    expect(predicted_sales).toBe(forecast[0]);
    expect(forecast.every(Number.isFinite)).toBe(true);
  });

  it("puts another window in place of the history's last periods, and answers intervals", async () => {
    const history = seriesOf("Beauty");
    const w = Array.from({ length: WINDOW }, (_, i) => 300 + 10 * i);
    const spliced: SeriesInput = { ...history, values: Float64Array.from([...history.values.subarray(0, DAYS - WINDOW), ...w]) };
    const { forecast, intervals } = (await post({ series: w, horizon: 2, level: [80] })).json();
    expect(forecast).toEqual(Array.from(forecastGbdtForecaster(await storedFit("Beauty"), spliced, 2)));
    expect(forecast[0]).not.toBe((await post({ series: Array.from(history.values.subarray(DAYS - WINDOW)) })).json().predicted_sales);
    expect(intervals[0].upper[0]).toBeGreaterThan(forecast[0]);
  });
});

describe("train --category X with a global kind", () => {
  it("fits on every series of the file, registers X only and says so", async () => {
    const before = await ws.registry.versions("Beauty");
    const lines: string[] = [];
    const fit = vi.spyOn(gbdtFamily, "fit");
    const result = await trainCategory(config(), "Clothing", { data, progress: { report: (e) => e.kind === "message" && lines.push(e.text) } });
    expect(result.status, result.reason).toBe("ok");
    expect(fit).toHaveBeenCalledTimes(2);
    for (const [series] of fit.mock.calls) expect(series.map((s) => s.name)).toEqual(["Beauty", "Clothing", "Electronics"]);
    expect(lines.some((l) => /fitted once on 3 series of the file .*registered for Clothing only/.test(l))).toBe(true);
    expect(result.description).toMatch(/trained on 3 series/);
    expect(await ws.registry.versions("Beauty")).toEqual(before);
    expect((await ws.registry.versions("Clothing")).length).toBe(2);
  });

  it("skips a category too short for it with the reason, without stopping the others", async () => {
    const short: SalesData = {
      ...data,
      series: [...data.series, { category: "Tiny", start: "2024-01-01", values: Float64Array.from([1, 2, 3, 4, 5]), filledPeriods: 0, total: 15 }],
    };
    const results = await trainAll(config(), ["Beauty", "Tiny"], { data: short, threads: 0 });
    expect(results.map((r) => [r.category, r.status])).toEqual([
      ["Beauty", "ok"],
      ["Tiny", "skipped"],
    ]);
    expect(results[1].reason).toMatch(/needs at least 8/);
  });

  it("skips every category, saying why, when no series of the file can be fitted", async () => {
    const tiny: SalesData = { ...data, series: data.series.map((s) => ({ ...s, values: s.values.slice(0, 6) })) };
    const results = await trainAll(config(), undefined, { data: tiny, threads: 0 });
    expect(results.map((r) => r.status)).toEqual(["skipped", "skipped", "skipped"]);
    expect(results[0].reason).toMatch(/the global gbdt model could not be fitted: no series of the data can be fitted by the gbdt model: .*needs at least 8/);
  });
});
