// The behaviour every TrackingStore must have (local and MLflow). An implementation's test file
// calls runTrackingStoreContract with a factory; cases a store cannot meet are skipped by name
// with a stated reason, never silently.
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrackingStore } from "../../src/tracking/store.js";

export interface ContractOptions {
  /** Case names to skip, each with the reason, e.g. { "artifactPath": "MLflow serves artifacts over HTTP" }. */
  skip?: Record<string, string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function runTrackingStoreContract(name: string, makeStore: () => Promise<TrackingStore>, options: ContractOptions = {}): void {
  describe(`TrackingStore contract: ${name}`, () => {
    let store: TrackingStore;
    let files: string;
    const unique = `contract-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
    const caseIt = (title: string, fn: () => Promise<void>) =>
      options.skip?.[title] ? it.skip(`${title} (skipped: ${options.skip[title]})`, fn) : it(title, fn);

    beforeAll(async () => {
      store = await makeStore();
      files = await mkdtemp(join(tmpdir(), "salescast-contract-files-"));
    });
    afterAll(async () => {
      await rm(files, { recursive: true, force: true });
    });

    caseIt("full run lifecycle", async () => {
      const experimentId = await store.getOrCreateExperiment(`${unique}-life`);
      expect(await store.getOrCreateExperiment(`${unique}-life`)).toBe(experimentId);
      const runId = await store.createRun(experimentId, "CNNLSTM-Beauty", { item_id: "Beauty", model: "CNNLSTM" });
      expect(runId).toMatch(/^[0-9a-f]{32}$/);

      let run = await store.getRun(runId);
      expect(run.status).toBe("RUNNING");
      expect(run.endTime).toBeUndefined();
      expect(run.experimentName).toBe(`${unique}-life`);
      expect(run.runName).toBe("CNNLSTM-Beauty");

      await store.setTags(runId, { dataset: "retail_sales", model: "CNNLSTM-v2" });
      await store.logParams(runId, { "data.window_size": "14", "model.lr": "0.001" });
      await store.logParams(runId, { "data.window_size": "14" }); // same value again is fine
      const t = Date.now();
      await store.logMetrics(runId, [
        { key: "train_loss", value: 0.9, step: 0, timestamp: t },
        { key: "train_loss", value: 0.5, step: 1, timestamp: t + 1 },
        { key: "val_loss", value: 0.7, step: 0, timestamp: t },
      ]);
      await store.endRun(runId, "FINISHED");

      run = await store.getRun(runId);
      expect(run.status).toBe("FINISHED");
      expect(run.endTime).toBeGreaterThanOrEqual(run.startTime);
      expect(run.tags).toMatchObject({ item_id: "Beauty", dataset: "retail_sales", model: "CNNLSTM-v2" });
      expect(run.params).toEqual({ "data.window_size": "14", "model.lr": "0.001" });
      expect(run.metrics).toEqual({ train_loss: 0.5, val_loss: 0.7 });
      expect(run.error).toBeUndefined();
    });

    caseIt("failed run keeps its error", async () => {
      const experimentId = await store.getOrCreateExperiment(`${unique}-fail`);
      const runId = await store.createRun(experimentId, "CNNLSTM-Clothing", { item_id: "Clothing" });
      await store.endRun(runId, "FAILED", "loss became NaN at epoch 3");
      const run = await store.getRun(runId);
      expect(run.status).toBe("FAILED");
      expect(run.error).toBe("loss became NaN at epoch 3");
    });

    caseIt("params cannot change", async () => {
      const experimentId = await store.getOrCreateExperiment(`${unique}-params`);
      const runId = await store.createRun(experimentId, "r", {});
      await store.logParams(runId, { "model.lr": "0.001" });
      await expect(store.logParams(runId, { "model.lr": "0.01" })).rejects.toThrow(/model\.lr.*cannot change/);
      expect((await store.getRun(runId)).params["model.lr"]).toBe("0.001");
    });

    caseIt("metric history is ordered by step and the latest is the highest step", async () => {
      const experimentId = await store.getOrCreateExperiment(`${unique}-metrics`);
      const runId = await store.createRun(experimentId, "r", {});
      const t = Date.now();
      await store.logMetrics(runId, [
        { key: "val_loss", value: 3, step: 2, timestamp: t },
        { key: "val_loss", value: 1, step: 0, timestamp: t + 5 },
      ]);
      await store.logMetrics(runId, [{ key: "val_loss", value: 2, step: 1, timestamp: t + 9 }]);
      const history = await store.getMetricHistory(runId, "val_loss");
      expect(history.map((p) => [p.step, p.value])).toEqual([
        [0, 1],
        [1, 2],
        [2, 3],
      ]);
      expect(history.every((p) => p.key === "val_loss")).toBe(true);
      expect((await store.getRun(runId)).metrics.val_loss).toBe(3); // step 2, although logged earlier
      expect(await store.getMetricHistory(runId, "never_logged")).toEqual([]);
    });

    caseIt("NaN metric values survive", async () => {
      const experimentId = await store.getOrCreateExperiment(`${unique}-nan`);
      const runId = await store.createRun(experimentId, "r", {});
      await store.logMetrics(runId, [
        { key: "loss", value: NaN, step: 0, timestamp: 1 },
        { key: "loss", value: 0.5, step: 1, timestamp: 2 },
      ]);
      const values = (await store.getMetricHistory(runId, "loss")).map((p) => p.value);
      expect(Number.isNaN(values[0])).toBe(true);
      expect(values[1]).toBe(0.5);
    });

    caseIt("infinite metric values survive", async () => {
      const experimentId = await store.getOrCreateExperiment(`${unique}-inf`);
      const runId = await store.createRun(experimentId, "r", {});
      await store.logMetrics(runId, [
        { key: "loss", value: Infinity, step: 0, timestamp: 1 },
        { key: "loss", value: -Infinity, step: 1, timestamp: 2 },
      ]);
      const values = (await store.getMetricHistory(runId, "loss")).map((p) => p.value);
      expect(values).toEqual([Infinity, -Infinity]);
    });

    caseIt("list and filter runs, newest first", async () => {
      const experimentName = `${unique}-list`;
      const experimentId = await store.getOrCreateExperiment(experimentName);
      const a = await store.createRun(experimentId, "CNNLSTM-Beauty", { item_id: "Beauty" });
      await sleep(5);
      const b = await store.createRun(experimentId, "CNNLSTM-Clothing", { item_id: "Clothing" });
      await sleep(5);
      const c = await store.createRun(experimentId, "CNNLSTM-Beauty", { item_id: "Beauty" });
      await store.endRun(a, "FINISHED");
      await store.endRun(b, "FAILED", "boom");

      const all = await store.listRuns({ experimentName });
      expect(all.map((r) => r.runId)).toEqual([c, b, a]);
      expect((await store.listRuns({ experimentName, category: "Beauty" })).map((r) => r.runId)).toEqual([c, a]);
      expect((await store.listRuns({ experimentName, status: "RUNNING" })).map((r) => r.runId)).toEqual([c]);
      expect((await store.listRuns({ experimentName, status: "FAILED", category: "Clothing" })).map((r) => r.runId)).toEqual([b]);
      expect(await store.listRuns({ experimentName: `${unique}-no-such-experiment` })).toEqual([]);
      const everything = await store.listRuns();
      expect(everything.map((r) => r.runId)).toEqual(expect.arrayContaining([a, b, c]));
    });

    caseIt("artifacts are copied, into folders when asked", async () => {
      const experimentId = await store.getOrCreateExperiment(`${unique}-artifacts`);
      const runId = await store.createRun(experimentId, "r", {});
      const plot = join(files, "eval_plot.png");
      await writeFile(plot, "png bytes");
      const model = join(files, "model");
      await mkdir(join(model, "sub"), { recursive: true });
      await writeFile(join(model, "weights.safetensors"), "w");
      await writeFile(join(model, "sub", "normalization.json"), "{}");
      await store.logArtifact(runId, plot);
      await store.logArtifact(runId, plot, "plots/validation");
      await store.logArtifact(runId, model);
      expect((await store.getRun(runId)).artifacts).toEqual([
        "eval_plot.png",
        "model/sub/normalization.json",
        "model/weights.safetensors",
        "plots/validation/eval_plot.png",
      ]);
    });

    caseIt("bad names are refused with clear messages", async () => {
      const experimentId = await store.getOrCreateExperiment(`${unique}-bad`);
      const runId = await store.createRun(experimentId, "r", {});
      const plot = join(files, "bad.png");
      await writeFile(plot, "x");
      await expect(store.logMetrics(runId, [{ key: "../escape", value: 1, step: 0, timestamp: 1 }])).rejects.toThrow(/metric key "\.\.\/escape"/);
      await expect(store.logMetrics(runId, [{ key: "a\u0000b", value: 1, step: 0, timestamp: 1 }])).rejects.toThrow(/metric key/);
      await expect(store.logMetrics(runId, [{ key: "loss", value: 1, step: 0.5, timestamp: 1 }])).rejects.toThrow(/step must be an integer/);
      await expect(store.logParams(runId, { "x<y": "1" })).rejects.toThrow(/param key "x<y"/);
      await expect(store.setTags(runId, { "/etc/passwd": "1" })).rejects.toThrow(/tag key/);
      await expect(store.setTags(runId, { ok: 3 as unknown as string })).rejects.toThrow(/string value/);
      await expect(store.logArtifact(runId, plot, "../../outside")).rejects.toThrow(/artifact path "\.\.\/\.\.\/outside"/);
      await expect(store.logArtifact(runId, plot, "/abs")).rejects.toThrow(/must be relative/);
      await expect(store.logArtifact(runId, join(files, "missing.png"))).rejects.toThrow(/no file or folder at/);
      await expect(store.getOrCreateExperiment("")).rejects.toThrow(/experiment name must be a non-empty string/);
      expect((await store.getRun(runId)).artifacts).toEqual([]);
    });

    caseIt("unknown run ids are refused, naming the id", async () => {
      const unknown = "0123456789abcdef0123456789abcdef";
      await expect(store.getRun(unknown)).rejects.toThrow(new RegExp(`unknown run id "${unknown}"`));
      await expect(store.logMetrics(unknown, [{ key: "x", value: 1, step: 0, timestamp: 1 }])).rejects.toThrow(/unknown run id/);
      await expect(store.endRun(unknown, "FINISHED")).rejects.toThrow(/unknown run id/);
      await expect(store.getRun("../../etc")).rejects.toThrow(/unknown run id "\.\.\/\.\.\/etc"/);
      await expect(store.createRun("no-such-experiment", "r", {})).rejects.toThrow(/unknown experiment id "no-such-experiment"/);
    });

    caseIt("a run left RUNNING stays visible as RUNNING", async () => {
      const experimentName = `${unique}-crashed`;
      const runId = await store.createRun(await store.getOrCreateExperiment(experimentName), "r", { item_id: "Beauty" });
      // The "crashed" trainer never calls endRun.
      const [run] = await store.listRuns({ experimentName });
      expect(run.runId).toBe(runId);
      expect(run.status).toBe("RUNNING");
    });

    caseIt("creating the same experiment concurrently gives one id", async () => {
      const other = await makeStore();
      const name = `${unique}-race`;
      const ids = await Promise.all([
        store.getOrCreateExperiment(name),
        other.getOrCreateExperiment(name),
        store.getOrCreateExperiment(name),
        other.getOrCreateExperiment(name),
      ]);
      expect(new Set(ids).size).toBe(1);
    });
  });
}
