// The global_network kind end to end: `train --all` fits the network ONCE on every series of
// the file and registers one version per category (the shared weights in
// global_network.safetensors, that category's identity and history in model.json); a loaded
// version forecasts what the fitted model did; POST /api/predict/{category} serves it with the
// window in place of the stored history's last periods, and GET /api/forecast/{category} from
// the end of the stored history, both with the conformal intervals.
import { readFile, readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { GLOBAL_NETWORK_WEIGHTS_FILE, globalNetworkFamily } from "../../src/models/global_network/family.js";
import type { SeriesInput } from "../../src/models/model.js";
import { loadVersion } from "../../src/models/version-file.js";
import { trainAll } from "../../src/training/train-all.js";
import { createWorkspace, testApp, WINDOW, type Workspace } from "./helpers.js";

let ws: Workspace;
let app: Awaited<ReturnType<typeof testApp>>;
let data: SalesData;
const DAYS = 120;
const CATEGORIES = ["Beauty", "Clothing", "Electronics"];
let fitCalls = 0;

/** A small, quick global network (window 14 + 7 targets + 14 held out = 35 periods at least). */
const config = (): Config => ({
  ...ws.config,
  model: {
    ...ws.config.model,
    architecture: "global_network",
    global_network: { ...ws.config.model.global_network, window_size: 14, conv_channels: 4, lstm_hidden: 8, max_epochs: 3 },
  },
});

beforeAll(async () => {
  ws = await createWorkspace({ categories: CATEGORIES, days: DAYS });
  data = await loadSales(ws.config.data);
  const fit = vi.spyOn(globalNetworkFamily, "fit");
  const results = await trainAll(config(), undefined, { data, threads: 0 });
  fitCalls = fit.mock.calls.length;
  fit.mockRestore();
  expect(results.map((r) => [r.category, r.status, r.model])).toEqual(CATEGORIES.map((c) => [c, "ok", "global_network"]));
  app = await testApp(ws);
}, 180_000);
afterAll(async () => {
  await app?.close();
  await ws.cleanup();
});

const versionDir = async (category: string) => (await ws.registry.versions(category)).at(-1)!.dir;
const seriesOf = (category: string): SeriesInput => {
  const s = data.series.find((x) => x.category === category)!;
  return { name: category, values: s.values, start: s.start, frequency: "D" };
};

describe("train --all with the global network", () => {
  it("fits it once (on every series' training part: the held-out part chose its epoch) and registers a version per category with the same weights", async () => {
    expect(fitCalls).toBe(1);
    const weights = await Promise.all(CATEGORIES.map(async (c) => readFile(`${await versionDir(c)}/${GLOBAL_NETWORK_WEIGHTS_FILE}`)));
    expect(weights[1].equals(weights[0]) && weights[2].equals(weights[0])).toBe(true);
    const dir = await versionDir("Clothing");
    expect(await readdir(dir)).toContain("model.json");
    const meta = JSON.parse(await readFile(`${dir}/model.json`, "utf8"));
    expect(meta.model).toMatchObject({ kind: "global_network", format_version: 1, state: { series: "Clothing", layout: { series: CATEGORIES } } });
    expect(meta.model.state.history.values).toEqual(Array.from(seriesOf("Clothing").values));
    expect(meta.extra.intervals.method).toBe("split-conformal");
  });
});

describe("serving a global_network version", () => {
  it("POST /api/predict puts the window in place of the stored history's last periods and answers what the loaded model forecasts", async () => {
    const { model } = await loadVersion(await versionDir("Beauty"));
    const history = seriesOf("Beauty");
    const w = Array.from({ length: WINDOW }, (_, i) => 300 + 10 * i);
    const spliced: SeriesInput = { ...history, values: Float64Array.from([...history.values.subarray(0, DAYS - WINDOW), ...w]) };
    const response = await app.inject({ method: "POST", url: "/api/predict/Beauty", payload: { series: w, horizon: 3, level: [80] } });
    expect(response.statusCode).toBe(200);
    const { forecast, intervals } = response.json();
    expect(forecast).toEqual(Array.from(model.forecast(spliced, 3)).map((v) => expect.closeTo(v, 6)));
    expect(intervals[0].upper[0]).toBeGreaterThan(forecast[0]);
  });

  it("GET /api/forecast forecasts h dated periods after the stored history", async () => {
    const { model } = await loadVersion(await versionDir("Electronics"));
    const response = await app.inject({ method: "GET", url: "/api/forecast/Electronics?h=9" });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ category: "Electronics", source: "stored history", history_end: "2024-04-29", horizon: 9 });
    expect(body.forecast[0]).toMatchObject({ date: "2024-04-30", step: 1 });
    expect(body.forecast.map((p: { value: number }) => p.value)).toEqual(
      Array.from(model.forecast(seriesOf("Electronics"), 9)).map((v) => expect.closeTo(v, 6)),
    );
    expect(body.forecast[0].hi_80).toBeGreaterThan(body.forecast[0].value);
  });
});
