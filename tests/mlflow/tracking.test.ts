// A real training run logged to a real MLflow server through MlflowTrackingStore, registered
// with MlflowRegistry, promoted and served; everything checked by reading MLflow's REST API
// directly (not through salescast's client).
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { ModelCache, SalesForecaster } from "../../src/forecaster/index.js";
import { LocalRegistry, RegistryError, MlflowRegistry } from "../../src/registry/index.js";
import { flattenParams, TrackingError, MlflowTrackingStore } from "../../src/tracking/index.js";
import type { CategoryResult } from "../../src/training/result.js";
import { resolvedConfigFor, trainCategory } from "../../src/training/train-category.js";
import { tinyConfig, writeSalesCsv } from "../training/helpers.js";
import { artifactBytes, asRecord, getRestRun, listRunArtifacts, metricHistory, restGet, serverUri, uniqueSuffix } from "./helpers.js";

const suffix = uniqueSuffix();
const category = `Home & Garden ${suffix}`; // a space and an ampersand travel through URLs and filters
let root: string;
let data: SalesData;
let config: Config;
let store: MlflowTrackingStore;
let registry: MlflowRegistry;
let local: LocalRegistry;
const results: CategoryResult[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-mlflow-"));
  await writeSalesCsv(join(root, "sales.csv"), { categories: [category], days: 120 });
  const base = tinyConfig({ root, maxEpochs: 3, patience: 5 });
  config = { ...base, train: { ...base.train, experiment_name: `salescast-test-${suffix}` }, tracking: { ...base.tracking, uri: serverUri() } };
  data = await loadSales(config.data);
  store = new MlflowTrackingStore(serverUri(), { pendingDir: join(root, "pending"), retry: { attempts: 3, baseDelayMs: 200 } });
  registry = new MlflowRegistry(store, { cacheRoot: join(root, "model-cache") });
  local = new LocalRegistry(join(root, "checkpoints"));
  // Two trainings: versions 1 and 2, each registered on the server from its run by the training itself.
  for (let i = 0; i < 2; i++) {
    const result = await trainCategory(config, category, { data, store });
    expect(result.status, result.reason).toBe("ok");
    results.push(result);
  }
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** What a network's training run logs, sorted (MLflow lists artifacts by name). */
const NETWORK_RUN_ARTIFACTS = [
  "config.yaml",
  "eval_plot.png",
  "eval_plot.svg",
  "model/MLmodel",
  "model/conda.yaml",
  "model/model.json",
  "model/model.onnx",
  "model/model.safetensors",
  "model/python_env.yaml",
  "model/requirements.txt",
  "normalization.json",
];

describe("a training run on the MLflow server", () => {
  it("has the run name, the reference's tags and the resolved configuration as params", async () => {
    const run = await getRestRun(results[0].runId!);
    expect(run.info.run_name).toBe(`CNNLSTM-${category}`);
    expect(run.info.status).toBe("FINISHED");
    const tags = asRecord(run.data.tags);
    expect(tags).toMatchObject({
      item_id: category,
      model: "CNNLSTM",
      dataset: "sales.csv",
      window_size: "7",
      learning_rate: "0.01",
      registry_version: "1",
    });
    expect(tags.salescast_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(asRecord(run.data.params)).toEqual(flattenParams(resolvedConfigFor(config, category)));
    const experiment = await restGet<{ experiment: { name: string } }>("experiments/get", { experiment_id: run.info.experiment_id });
    expect(experiment.experiment.name).toBe(config.train.experiment_name);
  });

  it("has train_loss and val_loss per epoch with step numbers, and the final metrics", async () => {
    const result = results[0];
    for (const key of ["train_loss", "val_loss"]) {
      const history = await metricHistory(result.runId!, key);
      expect(history.map((p) => p.step)).toEqual(Array.from({ length: result.epochs }, (_, i) => i + 1));
      for (const p of history) expect(typeof p.value).toBe("number");
    }
    const metrics = Object.fromEntries((await getRestRun(result.runId!)).data.metrics!.map((m) => [m.key, Number(m.value)]));
    expect(metrics.val_rmse).toBeCloseTo(result.metrics!.rmse, 6);
    expect(metrics.val_mae).toBeCloseTo(result.metrics!.mae, 6);
    for (const key of ["val_smape", "val_mase", "seasonal_naive_val_mase", "naive_val_rmse", "best_epoch"]) expect(metrics).toHaveProperty(key);
  });

  it("has the plot, checkpoint, normalisation and config as artifacts, byte for byte", async () => {
    const result = results[0];
    expect(await listRunArtifacts(result.runId!)).toEqual(NETWORK_RUN_ARTIFACTS);
    const run = await getRestRun(result.runId!);
    const version = (await local.resolve(category, 1))!;
    expect(await artifactBytes(run.info.artifact_uri, "model/model.safetensors")).toEqual(await readFile(join(version.dir, "model.safetensors")));
    expect(await artifactBytes(run.info.artifact_uri, "normalization.json")).toEqual(await readFile(join(version.dir, "normalization.json")));
    expect((await artifactBytes(run.info.artifact_uri, "eval_plot.png")).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it("reads back through the store the way the local store answers", async () => {
    const result = results[0];
    const info = await store.getRun(result.runId!);
    expect(info).toMatchObject({ runId: result.runId, runName: `CNNLSTM-${category}`, status: "FINISHED", experimentName: config.train.experiment_name });
    expect(info.tags.item_id).toBe(category);
    expect(info.artifacts).toContain("model/model.safetensors");
    expect(info.endTime).toBeGreaterThanOrEqual(info.startTime);
    expect((await store.getMetricHistory(result.runId!, "val_loss")).map((p) => p.step)).toEqual([1, 2, 3]);
    expect(await store.getMetricHistory(result.runId!, "never_logged")).toEqual([]);

    const runs = await store.listRuns({ experimentName: config.train.experiment_name, category });
    expect(runs.map((r) => r.runId)).toEqual([results[1].runId, results[0].runId]); // newest first
    expect(await store.listRuns({ experimentName: config.train.experiment_name, category: "no such category" })).toEqual([]);
    expect(await store.listRuns({ experimentName: `missing-${suffix}` })).toEqual([]);
    expect((await store.listRuns({ experimentName: config.train.experiment_name, status: "FAILED" })).length).toBe(0);
  });
});

describe("the store against MLflow's rules", () => {
  it("sends NaN, infinities and more points than one log-batch call may carry", async () => {
    const experimentId = await store.getOrCreateExperiment(config.train.experiment_name);
    expect(await store.getOrCreateExperiment(config.train.experiment_name)).toBe(experimentId); // found, not created twice
    const runId = await store.createRun(experimentId, "limits", { item_id: "limits" });
    const now = Date.now();
    const points = Array.from({ length: 2500 }, (_, i) => ({ key: "loss", value: i, step: i, timestamp: now }));
    await store.logMetrics(runId, [...points, { key: "odd", value: NaN, step: 0, timestamp: now }, { key: "odd", value: Infinity, step: 1, timestamp: now }]);
    const params = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p.${i}`, String(i)]));
    await store.logParams(runId, params);
    await store.endRun(runId, "FINISHED");

    const history = await store.getMetricHistory(runId, "loss");
    expect(history.length).toBe(2500);
    expect(history[2499]).toMatchObject({ step: 2499, value: 2499 });
    const odd = await store.getMetricHistory(runId, "odd");
    expect(Number.isNaN(odd[0].value)).toBe(true);
    expect(odd[1].value).toBeGreaterThan(1e300); // the SQL store keeps +Infinity as the largest double
    expect(Object.keys(asRecord((await getRestRun(runId)).data.params)).length).toBe(150);
  });

  it("refuses what MLflow refuses, with errors the caller can act on", async () => {
    const experimentId = await store.getOrCreateExperiment(config.train.experiment_name);
    const runId = await store.createRun(experimentId, "bad input", {});
    await store.logParams(runId, { lr: "0.1" });
    await store.logParams(runId, { lr: "0.1" }); // the same value again is fine
    await expect(store.logParams(runId, { lr: "0.2" })).rejects.toMatchObject({ code: "conflict" });
    await expect(store.getRun(randomUUID().replaceAll("-", ""))).rejects.toMatchObject({ code: "not_found", message: expect.stringMatching(/unknown run id/) });
    await expect(store.getRun("../../etc")).rejects.toBeInstanceOf(TrackingError);
    await expect(store.logArtifact(runId, join(root, "missing.bin"))).rejects.toMatchObject({ code: "invalid" });
    await expect(store.logArtifact(runId, join(root, "sales.csv"), "../outside")).rejects.toMatchObject({ code: "invalid" });
    await expect(store.logMetrics(runId, [{ key: "x", value: 1, step: 0.5, timestamp: Date.now() }])).rejects.toMatchObject({ code: "invalid" });
    await expect(store.createRun("999999", "nowhere", {})).rejects.toMatchObject({ code: "not_found" });
    await expect(store.getOrCreateExperiment("")).rejects.toMatchObject({ code: "invalid" });
    await expect(store.endRun(runId, "RUNNING" as never)).rejects.toMatchObject({ code: "invalid" });
    await store.endRun(runId, "FAILED", "boom: the data file vanished");
    const info = await store.getRun(runId);
    expect(info).toMatchObject({ status: "FAILED", error: "boom: the data file vanished" });
    expect(info.tags).not.toHaveProperty("salescast.error");
    expect(store.pendingRunIds()).toEqual([]); // nothing was queued: the server was up all along
  });

  it("uploads a folder of artifacts, nested names included", async () => {
    const experimentId = await store.getOrCreateExperiment(config.train.experiment_name);
    const runId = await store.createRun(experimentId, "folder", {});
    const folder = join(root, "bundle");
    await rm(folder, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(join(folder, "inner"), { recursive: true }));
    await writeFile(join(folder, "a b.txt"), "first");
    await writeFile(join(folder, "inner", "c.json"), "{}");
    await store.logArtifact(runId, folder, "extra");
    expect(await listRunArtifacts(runId)).toEqual(["extra/bundle/a b.txt", "extra/bundle/inner/c.json"]);
    const dest = await mkdtemp(join(root, "dl-"));
    expect(await store.downloadArtifacts(runId, dest, "extra")).toEqual(["bundle/a b.txt", "bundle/inner/c.json"]);
    expect(await readFile(join(dest, "bundle", "a b.txt"), "utf8")).toBe("first");
  });
});

describe("the MLflow model registry", () => {
  const modelName = `salescast-${category}`;

  it("registers each trained model as a new version whose source is its run's model folder", async () => {
    for (const [i, result] of results.entries()) {
      const { model_version: v } = await restGet<{
        model_version: { version: string; source: string; run_id: string; tags?: Array<{ key: string; value: string }> };
      }>("model-versions/get", { name: modelName, version: i + 1 });
      const run = await getRestRun(result.runId!);
      expect(v.run_id).toBe(result.runId);
      expect(v.source).toBe(`${run.info.artifact_uri}/model`);
      expect(asRecord(v.tags)).toMatchObject({ item_id: category, window_size: "7" });
    }
    const versions = await registry.versions(category);
    expect(versions.map((v) => [v.version, v.runId, v.windowSize])).toEqual([
      [1, results[0].runId, 7],
      [2, results[1].runId, 7],
    ]);
    expect(versions[0].metrics?.val_rmse).toBeCloseTo(results[0].metrics!.rmse, 6);
    expect(await registry.categories()).toContain(category);
  });

  it("promotes with the alias champion and serves the champion from the download cache", async () => {
    await registry.setAlias(category, "champion", 1);
    const alias = await restGet<{ model_version: { version: string } }>("registered-models/alias", { name: modelName, alias: "champion" });
    expect(alias.model_version.version).toBe("1");

    const champion = (await registry.resolve(category))!;
    expect(champion).toMatchObject({ category, version: 1, aliases: ["champion"], runId: results[0].runId });
    const localV1 = (await local.resolve(category, 1))!;
    expect(await readFile(join(champion.dir, "model.safetensors"))).toEqual(await readFile(join(localV1.dir, "model.safetensors")));
    // Only the source came along (the model folder), not the run's other artifacts.
    expect(existsSync(join(champion.dir, "MLmodel"))).toBe(true);
    expect(existsSync(join(champion.dir, "..", "eval_plot.png"))).toBe(false);

    // Served from the download: the same answer as the local copy of the same version.
    const window = Array.from(data.series[0].values.slice(0, 7));
    const served = await SalesForecaster.fromRegistered(champion);
    const reference = await SalesForecaster.fromRegistered(localV1);
    expect(served.forecast(window)).toBe(reference.forecast(window));

    // A new champion is picked up without a restart.
    const cache = new ModelCache(registry, { refreshMs: 0 });
    expect((await cache.get(category)).version).toBe(1);
    await registry.setAlias(category, "champion", 2);
    expect((await cache.get(category)).version).toBe(2);
    expect((await registry.peek(category))?.version).toBe(2);
    expect((await registry.list()).find((v) => v.category === category)?.version).toBe(2);
  });

  it("answers other references and refuses bad ones", async () => {
    expect((await registry.resolve(category, "latest"))?.version).toBe(2);
    expect((await registry.resolve(category, 1))?.version).toBe(1);
    expect(await registry.resolve(category, 7)).toBeUndefined();
    expect(await registry.resolve(category, "no-such-alias")).toBeUndefined();
    expect(await registry.resolve(`Nothing ${suffix}`)).toBeUndefined();
    expect(await registry.versions(`Nothing ${suffix}`)).toEqual([]);

    await expect(registry.setAlias(category, "champion", 99)).rejects.toThrow(/has no version 99 \(versions: 1, 2\)/);
    await expect(registry.setAlias(`Nothing ${suffix}`, "champion", 1)).rejects.toThrow(/train it first/);
    await expect(registry.setAlias(category, "latest", 1)).rejects.toBeInstanceOf(RegistryError);
    await expect(registry.setAlias("a/b", "champion", 1)).rejects.toThrow(/refuses "\/" and ":"/);
    await expect(registry.registerRun(category, results[0].runId!, { windowSize: 0 })).rejects.toThrow(/positive integer/);

    await registry.setAlias(category, "staging-check", 1);
    await registry.removeAlias(category, "staging-check");
    expect(await registry.resolve(category, "staging-check")).toBeUndefined();
  });
});

describe("a Holt-Winters model through the MLflow registry", () => {
  const hwCategory = `Toys ${suffix}`;

  it("is registered from its run, promoted and served like the network", async () => {
    await writeSalesCsv(join(root, "toys.csv"), { categories: [hwCategory], days: 120 });
    const toys = { ...config, data: { ...config.data, csv_path: join(root, "toys.csv") } };
    const toysData = await loadSales(toys.data);
    const holtWinters = { ...toys, model: { ...toys.model, architecture: "holt_winters" as const } };
    const hw = await trainCategory(holtWinters, hwCategory, { data: toysData, store });
    expect(hw).toMatchObject({ status: "ok", model: "holt_winters", version: 1 });
    const network = await trainCategory(toys, hwCategory, { data: toysData, store });
    expect(network).toMatchObject({ status: "ok", model: "cnn_lstm", version: 2 });
    // The network's artifacts but its weights and normalisation; its MLflow model is the affine graph of its forecast (docs/mlflow.md).
    expect((await listRunArtifacts(hw.runId!)).sort()).toEqual(
      NETWORK_RUN_ARTIFACTS.filter((f) => f !== "model/model.safetensors" && f !== "normalization.json"),
    );

    await registry.setAlias(hwCategory, "champion", 1);
    const champion = (await registry.resolve(hwCategory))!;
    expect(champion).toMatchObject({ version: 1, runId: hw.runId });
    const served = await SalesForecaster.fromRegistered(champion);
    const reference = await SalesForecaster.fromRegistered((await local.resolve(hwCategory, 1))!);
    expect(served.kind).toBe("holt_winters");
    const window = Array.from(toysData.series[0].values.slice(-7));
    expect(served.forecast(window, { horizon: 3 })).toEqual(reference.forecast(window, { horizon: 3 }));
    await registry.setAlias(hwCategory, "champion", 2);
    expect((await SalesForecaster.fromRegistered((await registry.resolve(hwCategory))!)).kind).toBe("cnn_lstm");
  });
});
