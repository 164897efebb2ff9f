import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { loadCheckpoint } from "../../src/engine/checkpoint.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { openTrackingStore } from "../../src/tracking/index.js";
import { normalizationStats } from "../../src/models/cnn_lstm/dataset.js";
import { evaluateCategory, NoModelError } from "../../src/training/evaluate.js";
import type { ProgressEvent } from "../../src/training/progress.js";
import { trainCategory } from "../../src/training/train-category.js";
import { UnknownCategoryError } from "../../src/data/model-data.js";
import { tinyConfig, writeSalesCsv } from "./helpers.js";

let root: string;
let data: SalesData;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-train-"));
  await writeSalesCsv(join(root, "sales.csv"), { categories: ["Beauty", "Clothing"], days: 120, shortCategories: ["Tiny"], shortDays: 6 });
  data = await loadSales(tinyConfig({ root }).data);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("trainCategory end to end", () => {
  it("trains, evaluates against baselines, registers version 1 and records the run", async () => {
    const config = tinyConfig({ root, maxEpochs: 3, patience: 5 });
    const events: ProgressEvent[] = [];
    // No `data` option: the CSV is read through the configured path.
    const result = await trainCategory(config, "Beauty", { progress: { report: (e) => events.push(e) } });

    expect(result.status).toBe("ok");
    expect(result.version).toBe(1);
    expect(result.epochs).toBe(3);
    expect(result.bestEpoch).toBeGreaterThanOrEqual(1);
    for (const value of Object.values(result.metrics!)) expect(Number.isFinite(value)).toBe(true);
    expect(Object.keys(result.baselines!)).toEqual(["naive", "seasonal_naive", "moving_average"]);
    expect(result.testMetrics).toBeUndefined();

    // Registry: version 1 with every file.
    const registry = new LocalRegistry(join(root, "checkpoints"));
    const version = await registry.resolve("Beauty");
    expect(version?.version).toBe(1);
    expect(version?.dir).toBe(result.checkpointDir);
    expect(version?.runId).toBe(result.runId);
    for (const file of ["model.safetensors", "model.json", "normalization.json", "eval_plot.png", "eval_plot.svg", "config.yaml"]) {
      expect(existsSync(join(version!.dir, file)), file).toBe(true);
    }
    // Nothing left behind in staging.
    const staging = join(root, "checkpoints", ".staging");
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);

    // Normalisation: the training part's statistics (96 of 120 days), stored in both places.
    const beauty = data.series.find((s) => s.category === "Beauty")!;
    const expected = normalizationStats(beauty.values.slice(0, 96));
    expect(JSON.parse(await readFile(join(version!.dir, "normalization.json"), "utf8"))).toEqual(expected);
    const { meta } = await loadCheckpoint(version!.dir);
    expect(meta.normalization).toEqual(expected);
    expect(meta.data).toMatchObject({ category: "Beauty", sha256: data.source.sha256, start: "2024-01-01", end: "2024-04-29", frequency: "D" });
    const savedConfig = parseYaml(await readFile(join(version!.dir, "config.yaml"), "utf8"));
    expect(savedConfig.data.item_id).toBe("Beauty");
    expect(savedConfig.model.conv_channels).toBe(4);

    // Tracking: FINISHED run with the reference's name and tags, epoch metrics, finals, artifacts.
    const store = openTrackingStore(config.tracking.uri);
    const run = await store.getRun(result.runId!);
    expect(run.status).toBe("FINISHED");
    expect(run.runName).toBe("CNNLSTM-Beauty");
    expect(run.experimentName).toBe("test-experiment");
    expect(run.tags).toMatchObject({ item_id: "Beauty", model: "CNNLSTM", dataset: "sales.csv", window_size: "7", learning_rate: "0.01" });
    expect(run.tags.salescast_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.params["data.window_size"]).toBe("7");
    expect(run.params["data.item_id"]).toBe("Beauty");
    const trainLoss = await store.getMetricHistory(result.runId!, "train_loss");
    const valLoss = await store.getMetricHistory(result.runId!, "val_loss");
    expect(trainLoss.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(valLoss.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(run.metrics.val_mase).toBeCloseTo(result.metrics!.mase, 12);
    expect(run.metrics.seasonal_naive_val_mase).toBeCloseTo(result.baselines!.seasonal_naive.mase, 12);
    for (const key of ["val_rmse", "val_mae", "val_smape", "naive_val_mase", "moving_average_val_mase", "best_epoch"]) {
      expect(run.metrics[key], key).toBeDefined();
    }
    expect(run.artifacts).toEqual(
      expect.arrayContaining(["eval_plot.png", "eval_plot.svg", "normalization.json", "config.yaml", "model/model.safetensors", "model/model.json"]),
    );

    // Progress: batches and epochs for this category, then one final "done" line carrying the result.
    expect(events.filter((e) => e.kind === "epoch").length).toBe(3);
    expect(events.some((e) => e.kind === "batch")).toBe(true);
    expect(events[events.length - 1]).toMatchObject({ kind: "done", category: "Beauty", result: { status: "ok", version: 1, runId: result.runId } });

    // The evaluation plot names the period of daily data.
    const svg = await readFile(join(version!.dir, "eval_plot.svg"), "utf8");
    expect(svg).toContain("Beauty: validation forecasts, one day ahead");
    expect(svg).toContain("sales per day");

    // evaluate: the registered model on the same data gives the same figures.
    const evaluation = await evaluateCategory(config, "Beauty", { data });
    expect(evaluation.version).toBe(1);
    expect(evaluation.metrics).toEqual(result.metrics);
    expect(evaluation.baselines).toEqual(result.baselines);
    expect(evaluation.targets).toBe(24);
    expect(evaluation.dataChanged).toBe(false);
  });

  it("labels the evaluation plot of weekly data in weeks", async () => {
    const weeklyRoot = join(root, "weekly");
    await mkdir(weeklyRoot, { recursive: true });
    await writeSalesCsv(join(weeklyRoot, "sales.csv"), { categories: ["Beauty"], days: 7 * 60 });
    const config = tinyConfig({ root: weeklyRoot, maxEpochs: 1 });
    config.data.frequency = "W";
    config.model.interval_horizon = 8; // the validation part has 12 weeks
    const result = await trainCategory(config, "Beauty");
    expect(result.status, result.reason).toBe("ok");
    const svg = await readFile(join(result.checkpointDir!, "eval_plot.svg"), "utf8");
    expect(svg).toContain("Beauty: validation forecasts, one week ahead");
    expect(svg).toContain("sales per week");
    expect(svg).not.toContain("per day");
  });

  it("keeps the passwords of queue.url and tracking.uri out of the run's params and the version's config.yaml", async () => {
    const base = tinyConfig({ root: join(root, "secrets"), maxEpochs: 1, patience: 1 });
    const config = { ...base, queue: { ...base.queue, url: "redis://:s3cret-queue@10.1.2.3:6379/0" } };
    const result = await trainCategory(config, "Beauty", { data });
    expect(result.status).toBe("ok");
    const run = await openTrackingStore(config.tracking.uri).getRun(result.runId!);
    expect(run.params["queue.url"]).toBe("redis://:***@10.1.2.3:6379/0");
    expect(JSON.stringify(run.params)).not.toContain("s3cret");
    const saved = await readFile(join(result.checkpointDir!, "config.yaml"), "utf8");
    expect(saved).not.toContain("s3cret");
    expect(parseYaml(saved).queue.url).toBe("redis://:***@10.1.2.3:6379/0");
  });

  it("adds test metrics when test_fraction is set", async () => {
    const config = tinyConfig({ root: join(root, "with-test"), csvPath: join(root, "sales.csv"), maxEpochs: 1 });
    config.data.test_fraction = 0.1;
    const result = await trainCategory(config, "Clothing", { data });
    expect(result.status).toBe("ok");
    expect(Number.isFinite(result.testMetrics!.mae)).toBe(true);
    expect(result.testBaselines!.seasonal_naive).toBeDefined();
    const run = await openTrackingStore(config.tracking.uri).getRun(result.runId!);
    expect(run.metrics.test_mase).toBeCloseTo(result.testMetrics!.mase, 12);
    expect(run.metrics.seasonal_naive_test_mae).toBeDefined();
  });

  it("skips a category too short to train, saying why, without a run", async () => {
    const config = tinyConfig({ root: join(root, "short"), csvPath: join(root, "sales.csv") });
    const result = await trainCategory(config, "Tiny", { data });
    expect(result.status).toBe("skipped");
    expect(result.reason).toMatch(/"Tiny".*training part.*window_size/);
    expect(result.runId).toBeUndefined();
    expect(await openTrackingStore(config.tracking.uri).listRuns()).toEqual([]);
  });

  it("refuses an unknown category before any work, listing the known ones", async () => {
    const config = tinyConfig({ root });
    await expect(trainCategory(config, "Toys", { data })).rejects.toThrow(UnknownCategoryError);
    await expect(trainCategory(config, "Toys", { data })).rejects.toThrow(/Beauty, Clothing, Tiny/);
  });

  it("refuses a registry folder it cannot write before any work, naming the folder and the setting", async () => {
    const base = join(root, "unwritable");
    const config = tinyConfig({ root: base, csvPath: join(root, "sales.csv"), maxEpochs: 1 });
    await mkdir(base, { recursive: true });
    await writeFile(join(base, "checkpoints"), "not a folder");
    await expect(trainCategory(config, "Beauty", { data })).rejects.toThrow(
      /^the model registry folder \S*checkpoints cannot be written \(a part of its path is a file, not a folder\): .*set train\.checkpoint_path/,
    );
    expect(await openTrackingStore(config.tracking.uri).listRuns()).toEqual([]); // no run was even started
  });

  it("marks the run FAILED with the error and registers nothing when writing the model fails", async () => {
    const base = join(root, "broken");
    const config = tinyConfig({ root: base, csvPath: join(root, "sales.csv"), maxEpochs: 1 });
    // The registry root turns into a file while the model trains (after the check before
    // training), so staging the model folder fails after training.
    // (Synchronously, inside the progress event: nothing else may run in between.)
    const breakRegistry = () => {
      rmSync(join(base, "checkpoints"), { recursive: true, force: true });
      writeFileSync(join(base, "checkpoints"), "not a folder");
    };
    const result = await trainCategory(config, "Beauty", {
      data,
      progress: { report: (e) => e.kind === "epoch" && breakRegistry() },
    });
    expect(result.status).toBe("failed");
    expect(result.reason).toMatch(/saving the model in .*checkpoints failed.*not a directory.*writable folder/s);
    const run = await openTrackingStore(config.tracking.uri).getRun(result.runId!);
    expect(run.status).toBe("FAILED");
    expect(run.error).toBe(result.reason);
    expect(run.endTime).toBeDefined();
  });

  it("on abort marks the run KILLED and keeps the previously registered model", async () => {
    const base = join(root, "abort");
    const config = tinyConfig({ root: base, csvPath: join(root, "sales.csv"), maxEpochs: 1 });
    const first = await trainCategory(config, "Beauty", { data });
    expect(first.version).toBe(1);

    const controller = new AbortController();
    let batches = 0;
    const second = await trainCategory({ ...config, train: { ...config.train, max_epochs: 50 } }, "Beauty", {
      data,
      signal: controller.signal,
      progress: {
        report: (e) => {
          if (e.kind === "batch" && ++batches === 2) controller.abort();
        },
      },
    });
    expect(second.status).toBe("failed");
    expect(second.reason).toMatch(/interrupted/);
    const run = await openTrackingStore(config.tracking.uri).getRun(second.runId!);
    expect(run.status).toBe("KILLED");
    const registry = new LocalRegistry(join(base, "checkpoints"));
    expect((await registry.versions("Beauty")).map((v) => v.version)).toEqual([1]);
    expect((await registry.resolve("Beauty"))?.runId).toBe(first.runId);
  });

  it("evaluate says to train first when no model is registered", async () => {
    const config = tinyConfig({ root: join(root, "empty"), csvPath: join(root, "sales.csv") });
    await expect(evaluateCategory(config, "Beauty", { data })).rejects.toThrow(NoModelError);
    await expect(evaluateCategory(config, "Beauty", { data })).rejects.toThrow(/train it first/);
  });
});
