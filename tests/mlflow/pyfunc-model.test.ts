// salescast's versions are MLflow models (issue 18): a CNN+LSTM trained against the real server
// and promoted champion, and the champion `architecture: auto` (the shipped default) picks (a
// statistical kind, exported as an affine graph of the window), are loaded in Python with
// mlflow.pyfunc.load_model("models:/...@champion") (the suite's venv has mlflow and onnxruntime)
// and forecast what salescast's API answers for the same windows; the MLmodel file parses with
// MLflow's Model.load, has the onnx and python_function flavours and the signature, and MLflow's
// serving-input check (what `mlflow models serve` runs per request) gives the same forecast. A
// GBDT version (its feature row and trees: ONNX-ML's TreeEnsembleRegressor) loads and forecasts
// the same way. A version without an ONNX graph (a GBDT that reads a covariate) has no MLmodel,
// says why in its version tags, and salescast still downloads it from the version's source.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { SalesForecaster } from "../../src/forecaster/index.js";
import { MlflowRegistry } from "../../src/registry/index.js";
import { buildApp } from "../../src/server/app.js";
import { MlflowTrackingStore } from "../../src/tracking/index.js";
import type { CategoryResult } from "../../src/training/result.js";
import { trainCategory } from "../../src/training/train-category.js";
import { tinyConfig, writeSalesCsv } from "../training/helpers.js";
import { asRecord, getRestRun, restGet, restPost, serverUri, uniqueSuffix } from "./helpers.js";

const suffix = uniqueSuffix();
const network = `Network ${suffix}`;
const automatic = `Auto ${suffix}`;
const boosted = `Trees ${suffix}`;
const covaried = `Promo ${suffix}`;
let root: string;
let config: Config;
let data: SalesData;
let registry: MlflowRegistry;
let app: FastifyInstance | undefined;
const trained: Record<string, CategoryResult> = {};

interface PythonAnswer {
  forecast: number[];
  served: number[];
  flavors: string[];
  loader_module: string;
  signature_inputs: unknown;
  signature_outputs: unknown;
  unloadable_error?: string | null;
}

/** Runs tests/mlflow/pyfunc_load.py in the suite's venv with one JSON request; its JSON answer. */
function loadInPython(request: Record<string, unknown>): Promise<PythonAnswer> {
  const python = process.env.MLFLOW_TEST_PYTHON;
  if (!python) throw new Error("MLFLOW_TEST_PYTHON is not set: run this suite with `npm run test:mlflow`, which makes the venv");
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(import.meta.dirname, "pyfunc_load.py")], {
      env: { ...process.env, MLFLOW_TRACKING_URI: serverUri() },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`pyfunc_load.py exited with ${code}:\n${err.slice(-3000)}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1)!) as PythonAnswer);
      } catch {
        reject(new Error(`pyfunc_load.py printed no JSON answer:\n${out.slice(-2000)}\n${err.slice(-2000)}`));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}

async function apiForecast(category: string, series: number[]): Promise<number> {
  const answer = await app!.inject({ method: "POST", url: `/api/predict/${encodeURIComponent(category)}`, payload: { series } });
  expect(answer.statusCode, answer.body).toBe(200);
  return (answer.json() as { predicted_sales: number }).predicted_sales;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-pyfunc-"));
  await writeSalesCsv(join(root, "sales.csv"), { categories: [network, automatic, boosted, covaried], days: 120 });
  // A promotion flag every 6th row: the covariate the last GBDT reads (the other models do not).
  const lines = (await readFile(join(root, "sales.csv"), "utf8")).trim().split("\n");
  await writeFile(join(root, "sales.csv"), `${lines.map((line, i) => `${line},${i === 0 ? "Promo" : i % 6 === 0 ? 1 : 0}`).join("\n")}\n`);
  const base = tinyConfig({ root, maxEpochs: 3, patience: 5 });
  config = { ...base, train: { ...base.train, experiment_name: `salescast-pyfunc-${suffix}` }, tracking: { ...base.tracking, uri: serverUri() } };
  data = await loadSales(config.data);
  const store = new MlflowTrackingStore(serverUri(), { pendingDir: join(root, "pending"), retry: { attempts: 3, baseDelayMs: 200 } });
  registry = new MlflowRegistry(store, { cacheRoot: join(root, "checkpoints", ".mlflow-cache") });
  trained[network] = await trainCategory(config, network, { data, store });
  // The shipped default: the tournament's champion becomes version 1's alias "champion" by itself.
  trained[automatic] = await trainCategory({ ...config, model: { ...config.model, architecture: "auto" } }, automatic, { data, store });
  trained[boosted] = await trainCategory({ ...config, model: { ...config.model, architecture: "gbdt" } }, boosted, { data, store });
  const withPromo = { ...config.model, architecture: "gbdt" as const, features: { ...config.model.features, covariates: ["Promo"] } };
  // Its own data load: the covariate is read when the model asks for it.
  trained[covaried] = await trainCategory({ ...config, model: withPromo }, covaried, { store });
  for (const result of Object.values(trained)) expect(result.status, result.reason).toBe("ok");
  // `salescast promote`: the network's version 1 becomes the champion.
  await registry.setAlias(network, "champion", 1);
  app = await buildApp({ config, registry, logger: false, env: {}, trainingThreads: 1, warmUpRequests: 0 });
});

afterAll(async () => {
  await app?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("a network version as an MLflow model", () => {
  it("has its run's model folder as source, the tag mlflow_model=onnx, and its metrics as real run metrics", async () => {
    const { model_version: v } = await restGet<{ model_version: { source: string; run_id: string; tags?: Array<{ key: string; value: string }> } }>(
      "model-versions/get",
      { name: `salescast-${network}`, version: 1 },
    );
    const run = await getRestRun(trained[network].runId!);
    expect(v.source).toBe(`${run.info.artifact_uri}/model`);
    expect(asRecord(v.tags)).toMatchObject({ mlflow_model: "onnx" });
    expect(asRecord(run.data.tags)).toMatchObject({ mlflow_model: "onnx" });
    // Every metric the version records is a metric of its run, with the same value.
    const version = (await registry.versions(network))[0];
    const runMetrics = Object.fromEntries(run.data.metrics!.map((m) => [m.key, Number(m.value)]));
    expect(Object.keys(version.metrics ?? {}).length).toBeGreaterThan(3);
    for (const [key, value] of Object.entries(version.metrics!)) expect(runMetrics[key], key).toBeCloseTo(value, 9);
  });

  it("loads with mlflow.pyfunc.load_model from models:/...@champion and forecasts what the API answers", async () => {
    const values = Array.from(data.series.find((s) => s.category === network)!.values);
    const windows = [values.slice(-7), values.slice(40, 47), values.slice(0, 7)];
    const api: number[] = [];
    for (const window of windows) api.push(await apiForecast(network, window));

    const answer = await loadInPython({ model_uri: `models:/salescast-${network}@champion`, windows, unloadable_uri: `models:/salescast-${covaried}/1` });
    expect(answer.forecast).toHaveLength(windows.length);
    answer.forecast.forEach((value, i) => {
      // The graph computes in float32; salescast's API in the engine's precision.
      expect(Math.abs(value - api[i]), `window ${i}: pyfunc ${value}, API ${api[i]}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(api[i])));
    });
    expect(answer.served).toEqual(answer.forecast);
    // Different windows, different forecasts: the comparison above is not of a constant.
    expect(new Set(api.map((v) => v.toFixed(3))).size).toBe(windows.length);

    expect(answer.flavors).toEqual(["onnx", "python_function"]);
    expect(answer.loader_module).toBe("mlflow.onnx");
    expect(answer.signature_inputs).toEqual([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 7] }, name: "series" }]);
    expect(answer.signature_outputs).toEqual([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1] }, name: "forecast" }]);

    // A GBDT with a covariate has no MLmodel: MLflow's loader says so, it does not load something else.
    expect(answer.unloadable_error).toMatch(/MLmodel/);
  });
});

describe("the champion of architecture auto (a statistical kind) as an MLflow model", () => {
  it("loads with mlflow.pyfunc.load_model from models:/...@champion and forecasts what the API answers", async () => {
    const [served] = await registry.versions(automatic);
    expect(served.aliases).toContain("champion");
    const { model_version: v } = await restGet<{ model_version: { tags?: Array<{ key: string; value: string }> } }>("model-versions/get", {
      name: `salescast-${automatic}`,
      version: served.version,
    });
    expect(asRecord(v.tags), trained[automatic].description).toMatchObject({ mlflow_model: "onnx" });

    const values = Array.from(data.series.find((s) => s.category === automatic)!.values);
    // The data's latest window, an older one, and one far from the data (the graph is exact, not fitted).
    const windows = [values.slice(-7), values.slice(40, 47), [0, 950, 12.5, 400, 0, 3, 220]];
    const api: number[] = [];
    for (const window of windows) api.push(await apiForecast(automatic, window));
    const answer = await loadInPython({ model_uri: `models:/salescast-${automatic}@champion`, windows });
    expect(answer.forecast).toHaveLength(windows.length);
    answer.forecast.forEach((value, i) => {
      expect(Math.abs(value - api[i]), `window ${i}: pyfunc ${value}, API ${api[i]} (${trained[automatic].description})`).toBeLessThanOrEqual(
        1e-4 * Math.max(1, Math.abs(api[i])),
      );
    });
    expect(answer.served).toEqual(answer.forecast);
    expect(new Set(api.map((x) => x.toFixed(3))).size).toBe(windows.length);
    expect(answer.flavors).toEqual(["onnx", "python_function"]);
    expect(answer.signature_inputs).toEqual([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 7] }, name: "series" }]);
    expect(answer.signature_outputs).toEqual([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1] }, name: "forecast" }]);
  });
});

describe("a GBDT version as an MLflow model", () => {
  it("loads with mlflow.pyfunc.load_model and forecasts what the API answers (its trees in ONNX-ML's TreeEnsembleRegressor)", async () => {
    const { model_version: v } = await restGet<{ model_version: { tags?: Array<{ key: string; value: string }> } }>("model-versions/get", {
      name: `salescast-${boosted}`,
      version: 1,
    });
    expect(asRecord(v.tags), trained[boosted].description).toMatchObject({ mlflow_model: "onnx" });
    const values = Array.from(data.series.find((s) => s.category === boosted)!.values);
    const windows = [values.slice(-7), values.slice(40, 47), values.slice(-7).map((x, t) => (t % 2 ? 0 : 3 * x))];
    const api: number[] = [];
    for (const window of windows) api.push(await apiForecast(boosted, window));
    const answer = await loadInPython({ model_uri: `models:/salescast-${boosted}/1`, windows });
    answer.forecast.forEach((value, i) => {
      expect(Math.abs(value - api[i]), `window ${i}: pyfunc ${value}, API ${api[i]}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(api[i])));
    });
    expect(answer.served).toEqual(answer.forecast);
    expect(new Set(api.map((x) => x.toFixed(3))).size).toBeGreaterThan(1);
    expect(answer.flavors).toEqual(["onnx", "python_function"]);
  });
});

describe("a version without an ONNX graph (a GBDT that reads a covariate)", () => {
  it("has no MLmodel, says why in its tags, and is still downloaded by salescast", async () => {
    const { model_version: v } = await restGet<{ model_version: { source: string; tags?: Array<{ key: string; value: string }> } }>("model-versions/get", {
      name: `salescast-${covaried}`,
      version: 1,
    });
    const tags = asRecord(v.tags);
    expect(v.source).toMatch(/\/artifacts\/model$/);
    expect(tags.mlflow_model).toBe("none");
    expect(tags.mlflow_model_reason).toMatch(
      /no MLflow model \(MLmodel\) is logged for it: .*GBDT model \(gbdt\): its trees read covariates \(Promo\) at the forecast period/,
    );

    const resolved = (await registry.resolve(covaried))!;
    expect(existsSync(join(resolved.dir, "model.json"))).toBe(true);
    expect(existsSync(join(resolved.dir, "MLmodel"))).toBe(false);
    expect((await SalesForecaster.fromRegistered(resolved)).category).toBe(covaried);
  });
});

describe("a version registered before issue 18", () => {
  it("whose source is its run's whole artifact root is still downloaded, its model folder served", async () => {
    const run = await getRestRun(trained[network].runId!);
    const name = `salescast-${network}`;
    const { model_version: old } = await restPost<{ model_version: { version: string } }>("model-versions/create", {
      name,
      source: run.info.artifact_uri,
      run_id: run.info.run_id,
      tags: [{ key: "window_size", value: "7" }],
    });
    const resolved = (await registry.resolve(network, Number(old.version)))!;
    expect(resolved.dir).toMatch(new RegExp(`v${old.version}[\\\\/]model$`));
    expect(existsSync(join(resolved.dir, "model.safetensors"))).toBe(true);
    expect(existsSync(join(resolved.dir, "..", "eval_plot.png"))).toBe(true); // the whole root came along, as before

    const window = Array.from(data.series.find((s) => s.category === network)!.values).slice(-7);
    const fromOld = await SalesForecaster.fromRegistered(resolved);
    const fromNew = await SalesForecaster.fromRegistered((await registry.resolve(network, 1))!);
    expect(fromOld.forecast(window)).toBe(fromNew.forecast(window)); // the same run's model, downloaded either way
  });
});
