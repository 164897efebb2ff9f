// A registry version of any kind on disk: model.json (with the model part) and the model's
// files beside it, read back by the families list; and model.json files written before model
// kinds (the committed fixture, written by the old code), which still load unchanged.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../src/engine/checkpoint.js";
import { SalesForecaster } from "../../src/forecaster/index.js";
import { readModelInputs } from "../../src/models/model-inputs.js";
import { FAMILIES } from "../../src/models/families.js";
import type { SeriesInput } from "../../src/models/model.js";
import { loadVersion, readVersionMeta, writeVersion } from "../../src/models/version-file.js";
import { dailyDates, syntheticSeries, tinyConfig } from "../training/helpers.js";

const FIXTURE = new URL("../fixtures/registry/old-format/", import.meta.url).pathname;
const data = { file: "sales.csv", sha256: "0".repeat(64), category: "A", start: "2024-01-01", end: dailyDates(90)[89], frequency: "D" as const };
const series: SeriesInput = { name: "A", values: syntheticSeries(90, 5), start: "2024-01-01", frequency: "D" };
const config = tinyConfig({ maxEpochs: 1, patience: 1 });
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-versions-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("a version of every kind", () => {
  for (const family of FAMILIES) {
    it(`${family.kind}: written with its files, loaded back to the same forecasts`, async () => {
      const model = await family.fit([series], { config });
      const dir = join(root, family.kind);
      const { metaPath, filePaths } = await writeVersion(dir, model.save(), { window_size: 7, data, extra: { run_id: "r" } });
      const meta = JSON.parse(await readFile(metaPath, "utf8"));
      expect(meta).toMatchObject({ format_version: 1, window_size: 7, data, extra: { run_id: "r" }, model: { kind: family.kind, format_version: 1 } });
      expect((await readdir(dir)).sort()).toEqual(["model.json", ...filePaths.map((p) => p.slice(dir.length + 1))].sort());
      const { model: loaded } = await loadVersion(dir);
      expect(loaded.kind).toBe(family.kind);
      expect(loaded.describe()).toBe(model.describe());
      for (const history of [series, { ...series, values: series.values.subarray(0, 70) }]) {
        expect(Array.from(loaded.forecast(history, 5))).toEqual(Array.from(model.forecast(history, 5)));
      }
      expect((await readModelInputs(dir)).kind).toBe(family.kind);
    }, 60_000);
  }

  it("keeps the network's checkpoint fields at the top, so the engine's loader (ONNX export, PyTorch) reads a new version too", async () => {
    const dir = join(root, "cnn_lstm");
    const meta = await readVersionMeta(dir);
    expect(meta).toMatchObject({ architecture: "CNNLSTM", shape: { windowSize: 7 }, weights: { file: "model.safetensors" } });
    const { model: network } = await loadCheckpoint(dir);
    const { model } = await loadVersion(dir);
    const z = Float32Array.from(series.values.subarray(83), (x) => (x - model.inputs!.scale!.mean) / model.inputs!.scale!.std);
    const byEngine = network.predict(z, 1)[0] * model.inputs!.scale!.std + model.inputs!.scale!.mean;
    expect(model.forecast(series, 1)[0]).toBeCloseTo(byEngine, 4);
  });
});

describe("a model.json written before model kinds (committed fixture)", () => {
  it("loads as the network it is and forecasts what the engine computes", async () => {
    const dir = join(root, "old");
    await cp(FIXTURE, dir, { recursive: true });
    const before = await readFile(join(dir, "model.json"), "utf8");
    const { meta, model } = await loadVersion(dir, { windowSize: 7 });
    expect(meta.model).toBeUndefined();
    expect(model.kind).toBe("cnn_lstm");
    expect(model.inputs).toMatchObject({ scale: { mean: 120, std: 30 }, stepSize: 1 });
    const window = [130, 90, 150, 110, 170, 60, 140];
    const { model: network } = await loadCheckpoint(dir);
    const byEngine =
      network.predict(
        Float32Array.from(window, (x) => (x - 120) / 30),
        1,
      )[0] *
        30 +
      120;
    expect(model.forecast({ name: "Beauty", values: Float64Array.from(window), start: "2024-03-24", frequency: "D" }, 1)[0]).toBeCloseTo(byEngine, 4);
    const served = await SalesForecaster.fromDirectory(dir);
    expect(served.kind).toBe("cnn_lstm");
    expect(served.forecast(window)).toBeCloseTo(byEngine, 4);
    expect(await readModelInputs(dir)).toMatchObject({ kind: "cnn_lstm", windowSize: 7, horizon: 1 });
    // Loading never rewrites it.
    expect(await readFile(join(dir, "model.json"), "utf8")).toBe(before);
  });

  it("still refuses a changed weights file, as the engine did", async () => {
    const dir = join(root, "old-damaged");
    await cp(FIXTURE, dir, { recursive: true });
    const weights = await readFile(join(dir, "model.safetensors"));
    weights[weights.length - 1] ^= 1;
    await writeFile(join(dir, "model.safetensors"), weights);
    await expect(loadVersion(dir)).rejects.toThrow(/model\.safetensors: contents do not match the sha256 recorded in model\.json/);
  });
});

describe("a damaged or foreign version", () => {
  async function written(name: string): Promise<string> {
    const dir = join(root, name);
    await writeVersion(dir, (await FAMILIES[0].fit([series], { config })).save(), { window_size: 7, data });
    return dir;
  }
  const editMeta = async (dir: string, change: (meta: any) => void) => {
    const meta = JSON.parse(await readFile(join(dir, "model.json"), "utf8"));
    change(meta);
    await writeFile(join(dir, "model.json"), JSON.stringify(meta));
  };

  it("names what is wrong and what to do", async () => {
    const dir = await written("damaged");
    await expect(loadVersion(dir, { windowSize: 14 })).rejects.toThrow(/trained with window_size 7, but 14 was asked for; set data\.window_size=7 or retrain/);
    await rm(join(dir, "model.safetensors"));
    await expect(loadVersion(dir)).rejects.toThrow(
      /model\.safetensors: file not found \(model\.json is present, the file is missing\); retrain or restore the file/,
    );
    await editMeta(dir, (meta) => (meta.model.kind = "prophet"));
    await expect(loadVersion(dir)).rejects.toThrow(/the model kind in .*model\.json is "prophet", not a model kind this salescast knows \(cnn_lstm, /);
    await editMeta(dir, (meta) => (meta.model = { kind: "cnn_lstm", format_version: 1, state: {}, files: { "../x": { sha256: "0", bytes: 1 } } }));
    await expect(loadVersion(dir)).rejects.toThrow(/may not be called "\.\.\/x"/);
    await editMeta(dir, (meta) => (meta.format_version = 2));
    await expect(loadVersion(dir)).rejects.toThrow(/format_version 2 is not one this salescast .* reads \(it reads 1\)/);
    await editMeta(dir, (meta) => ((meta.format_version = 1), (meta.salescast_version = "7.0.0")));
    await expect(loadVersion(dir)).rejects.toThrow(/written by salescast 7\.0\.0, .*models load only within the same major version/);
    await writeFile(join(dir, "model.json"), "{ not json");
    await expect(loadVersion(dir)).rejects.toThrow(/model\.json: not valid JSON/);
    await rm(join(dir, "model.json"));
    await expect(loadVersion(dir)).rejects.toThrow(/model\.json: file not found; .* holds no model/);
  });

  it("refuses a state a family cannot read", async () => {
    const dir = join(root, "hw-damaged");
    const hw = FAMILIES.find((family) => family.kind === "holt_winters")!;
    await writeVersion(dir, (await hw.fit([series], { config })).save(), { window_size: 7, data });
    await editMeta(dir, (meta) => (meta.model.state.season = -1));
    await expect(loadVersion(dir)).rejects.toThrow(/saved holt_winters model's season is -1, not a usable number: retrain it \(.*hw-damaged\)/);
  });
});
