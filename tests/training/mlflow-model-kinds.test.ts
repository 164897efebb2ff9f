// Every served statistical kind with a graph is an MLflow model too (src/training/mlflow-graph.ts):
// affine kinds (window·a + c), the Croston-type kinds (their recursion unrolled), the GBDT (its
// feature row and trees) and ensembles (the weighted mean of their members' graphs). Its model.onnx, run here in onnxruntime-node,
// forecasts what salescast's own forecaster does for windows unlike the ones the export was
// measured and checked on; a kind without a graph writes no MLmodel and its run says why. (The
// network's graph: mlflow-model.test.ts; the Python side: tests/mlflow/pyfunc-model.test.ts.)
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { Config } from "../../src/config/schema.js";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { SalesForecaster } from "../../src/forecaster/index.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { openTrackingStore } from "../../src/tracking/index.js";
import { trainCategory } from "../../src/training/train-category.js";
import { addGbdtNodes } from "../../src/engine/onnx-gbdt.js";
import { decodeModelProto, float64ToLittleEndian } from "../../src/engine/onnx-proto.js";
import { treeEnsembleAttributes } from "../../src/engine/onnx-trees.js";
import { WindowGraph } from "../../src/engine/onnx-window-graph.js";
import { loadVersion } from "../../src/models/version-file.js";
import { gbdtForecastOf } from "../../src/training/mlflow-gbdt.js";
import { dailyDates, tinyConfig, writeSalesCsv } from "./helpers.js";

let root: string;
let data: SalesData;
let sporadic: SalesData;
const W = 7;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-mlmodel-kinds-"));
  await writeSalesCsv(join(root, "sales.csv"), { categories: ["Beauty"], days: 150 });
  data = await loadSales(tinyConfig({ root }).data);
  // Sporadic demand, for the Croston-type kinds: a sale on about one day in three.
  const lines = ["Date,Product Category,Total Amount", ...dailyDates(150).map((date, i) => `${date},Spares,${(i * 37) % 11 < 4 ? 20 + ((i * 13) % 17) : 0}`)];
  await writeFile(join(root, "sporadic.csv"), `${lines.join("\n")}\n`);
  sporadic = await loadSales({ ...tinyConfig({ root }).data, csv_path: join(root, "sporadic.csv") });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function configFor(architecture: string, model: Record<string, unknown> = {}): Config {
  const base = tinyConfig({ root: join(root, architecture) });
  return { ...base, data: { ...base.data, csv_path: join(root, "sales.csv") }, model: { ...base.model, ...model, architecture } } as Config;
}

async function trainKind(config: Config, category = "Beauty") {
  const result = await trainCategory(config, category, { data: category === "Beauty" ? data : sporadic });
  expect(result.status, result.reason).toBe("ok");
  const version = (await new LocalRegistry(dirname(config.train.checkpoint_path)).resolve(category))!;
  const run = await openTrackingStore(config.tracking.uri).getRun(result.runId!);
  return { version, run, result };
}

/** Windows at the data's scale and beyond it, with and without zeros, none of them a probe of the export. */
function testWindows(series: SalesData): number[][] {
  const values = Array.from(series.series[0].values);
  return [
    values.slice(-W),
    values.slice(40, 40 + W),
    values.slice(-W).map((x, t) => (t % 2 ? 0 : 2.5 * x + 1)),
    [310, 0, 5, 1200, 77.5, 98, 100],
    [0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 45],
  ];
}

async function expectOnnxMatches(dir: string, forecaster: SalesForecaster, series = data): Promise<void> {
  const session = await ort.InferenceSession.create(join(dir, "model.onnx"));
  const windows = testWindows(series);
  const output = await session.run({ series: new ort.Tensor("float32", Float32Array.from(windows.flat()), [windows.length, W]) });
  const got = output.forecast.data as Float32Array;
  expect(got.length).toBe(windows.length);
  windows.forEach((window, b) => {
    const expected = forecaster.forecast(window);
    expect(Math.abs(got[b] - expected), `window ${b}: onnx ${got[b]}, salescast ${expected}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected)));
  });
}

const affineKinds: Array<[string, Record<string, unknown>]> = [
  ["naive", {}],
  ["seasonal_naive", {}],
  ["moving_average", {}],
  ["holt_winters", {}],
  ["ets", {}],
  ["intermittent", {}],
  ["theta", {}],
  ["arima", {}],
  ["mstl", {}],
  ["ensemble", { ensemble: { members: ["holt_winters", "theta", "arima"], combination: "mean", weight_windows: 2, weight_horizon: 7 } }],
  ["ensemble", { ensemble: { members: ["ets", "theta", "mstl"], combination: "inverse_error", weight_windows: 2, weight_horizon: 7 } }],
];

describe("the MLflow model of a statistical version", () => {
  it("architecture auto (the shipped default): the champion of the tournament is an MLflow model whose graph forecasts what salescast serves", async () => {
    const { version, run, result } = await trainKind(configFor("auto"));
    expect(run.tags.mlflow_model, `${result.description}: ${run.tags.mlflow_model_reason}`).toBe("onnx");
    await expectOnnxMatches(version.dir, await SalesForecaster.fromRegistered(version));
  });

  it.each(["croston", "sba", "tsb", "intermittent"])(
    "%s on sporadic demand: the Croston-type recursion unrolled over the window forecasts what salescast serves",
    async (architecture) => {
      const { version, run, result } = await trainKind(configFor(architecture), "Spares");
      expect(run.tags.mlflow_model, run.tags.mlflow_model_reason).toBe("onnx");
      if (architecture === "intermittent") expect(result.description).toMatch(/→ (SBA|Croston|TSB)/);
      const mlmodel = parseYaml(await readFile(join(version.dir, "MLmodel"), "utf8")) as { metadata: { model_kind: string; onnx_graph: string } };
      expect(mlmodel.metadata.model_kind).toBe(architecture);
      expect(mlmodel.metadata.onnx_graph).toMatch(/Croston-type recursion/);
      await expectOnnxMatches(version.dir, await SalesForecaster.fromRegistered(version), sporadic);
    },
  );

  it("an ensemble of an affine member and a Croston-type one (a mean, as combined champions are): the weighted mean of their graphs", async () => {
    const config = configFor("ensemble", {
      ensemble: { members: ["holt_winters", "tsb", "theta"], combination: "inverse_error", weight_windows: 2, weight_horizon: 7 },
    });
    const { version, run } = await trainKind(config, "Spares");
    expect(run.tags.mlflow_model, run.tags.mlflow_model_reason).toBe("onnx");
    const mlmodel = parseYaml(await readFile(join(version.dir, "MLmodel"), "utf8")) as { metadata: { onnx_graph: string } };
    expect(mlmodel.metadata.onnx_graph).toMatch(/weighted mean of its members' graphs/);
    await expectOnnxMatches(version.dir, await SalesForecaster.fromRegistered(version), sporadic);
  });

  it("an ensemble whose median is not affine writes no MLmodel, and says so", async () => {
    const config = configFor("ensemble", {
      ensemble: { members: ["holt_winters", "tsb", "theta"], combination: "median", weight_windows: 2, weight_horizon: 7 },
    });
    const { version, run } = await trainKind(config, "Spares");
    expect(existsSync(join(version.dir, "MLmodel"))).toBe(false);
    expect(run.tags.mlflow_model).toBe("none");
    expect(run.tags.mlflow_model_reason).toMatch(/a median of its members' forecasts has no graph/);
  });

  const gbdtVariants: Array<[string, Record<string, unknown>]> = [
    ["recursive, l1 (the defaults)", {}],
    ["poisson (log link: exp in the graph)", { loss: "poisson" }],
    ["direct, l2", { strategy: "direct", loss: "l2" }],
  ];

  it.each(gbdtVariants)("gbdt %s: its feature row and trees (TreeEnsembleRegressor) forecast what salescast serves", async (_, settings) => {
    const base = configFor("gbdt");
    const config = { ...base, model: { ...base.model, gbdt: { ...base.model.gbdt, ...settings } } } as Config;
    const { version, run } = await trainKind(config);
    expect(run.tags.mlflow_model, run.tags.mlflow_model_reason).toBe("onnx");
    const mlmodel = parseYaml(await readFile(join(version.dir, "MLmodel"), "utf8")) as { metadata: { model_kind: string; onnx_graph: string } };
    expect(mlmodel.metadata.model_kind).toBe("gbdt");
    expect(mlmodel.metadata.onnx_graph).toMatch(/TreeEnsembleRegressor/);
    const proto = decodeModelProto(await readFile(join(version.dir, "model.onnx")));
    expect(proto.opset_import).toContainEqual({ domain: "ai.onnx.ml", version: 3 });
    const forecaster = await SalesForecaster.fromRegistered(version);
    await expectOnnxMatches(version.dir, forecaster);
    // The trees split somewhere on these windows: the forecasts are not all one number.
    const distinct = new Set(testWindows(data).map((w) => forecaster.forecast(w).toFixed(6)));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it("gbdt: a split threshold moved in the export makes the graph disagree with salescast (the test reads the trees)", async () => {
    const { version } = await trainKind(configFor("gbdt"));
    const { model, meta } = await loadVersion(version.dir);
    const forecaster = await SalesForecaster.fromRegistered(version);
    const plan = gbdtForecastOf(model, meta.window_size);
    if (!plan || "reason" in plan || !("trees" in plan.predictor)) throw new Error(`no tree graph: ${JSON.stringify(plan)}`);
    const trees = plan.predictor.trees;
    const tree = trees.trees.findIndex((t) => t.num_leaves > 1);
    expect(tree).toBeGreaterThanOrEqual(0);
    const window = testWindows(data)[0];
    const expected = forecaster.forecast(window);
    // The root of the first tree that splits, sent all left, then all right: one of them is not the way this window goes.
    const errors: number[] = [];
    for (const bent of [Number.MAX_VALUE, -Number.MAX_VALUE]) {
      const attributes = treeEnsembleAttributes(trees);
      const ids = (name: string) => attributes.find((a) => a.name === name)!.ints!;
      const node = ids("nodes_treeids").findIndex((t, i) => t === tree && ids("nodes_nodeids")[i] === 0);
      const values = attributes.find((a) => a.name === "nodes_values_as_tensor")!.t!;
      const doubles = new Float64Array(Uint8Array.from(values.raw_data!).buffer);
      doubles[node] = bent;
      values.raw_data = float64ToLittleEndian(doubles);
      const g = new WindowGraph(meta.window_size);
      const bytes = g.encode(addGbdtNodes(g, plan, attributes), { name: "bent", docString: "a threshold moved", metadata: {} });
      const session = await ort.InferenceSession.create(bytes);
      const output = await session.run({ series: new ort.Tensor("float32", Float32Array.from(window), [1, W]) });
      errors.push(Math.abs((output.forecast.data as Float32Array)[0] - expected) / Math.max(1, Math.abs(expected)));
    }
    expect(Math.max(...errors)).toBeGreaterThan(1e-4);
  });

  it.each(affineKinds)("%s: an affine ONNX graph that forecasts what salescast serves", async (architecture, model) => {
    const { version, run } = await trainKind(configFor(architecture, model));
    expect(run.tags.mlflow_model, run.tags.mlflow_model_reason).toBe("onnx");
    const mlmodel = parseYaml(await readFile(join(version.dir, "MLmodel"), "utf8")) as {
      flavors: { python_function: { loader_module: string } };
      signature: { inputs: string; outputs: string };
      metadata: { model_kind: string; window_size: number; placement: string };
    };
    expect(mlmodel.flavors.python_function.loader_module).toBe("mlflow.onnx");
    expect(JSON.parse(mlmodel.signature.inputs)).toEqual([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, W] }, name: "series" }]);
    expect(JSON.parse(mlmodel.signature.outputs)).toEqual([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1] }, name: "forecast" }]);
    expect(mlmodel.metadata).toMatchObject({ model_kind: architecture, window_size: W });
    expect(mlmodel.metadata.placement).toMatch(/last window_size periods/);
    await expectOnnxMatches(version.dir, await SalesForecaster.fromRegistered(version));
  });
});
