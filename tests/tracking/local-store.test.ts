import { mkdtemp, readdir, readFile, rm, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { flattenParams, LocalTrackingStore, openTrackingStore, TrackingError, trackingStoreFor, type MlflowTrackingStore } from "../../src/tracking/index.js";
import type { Config } from "../../src/config/schema.js";
import { runTrackingStoreContract } from "./contract.js";

const roots: string[] = [];
async function freshRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "salescast-mlruns-"));
  roots.push(root);
  return root;
}
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

// Both stores of the contract's concurrency case share one folder, as two processes would.
let sharedRoot: string | undefined;
runTrackingStoreContract("local", async () => new LocalTrackingStore((sharedRoot ??= await freshRoot())));

describe("LocalTrackingStore on disk", () => {
  it("lays runs out like MLflow's file store", async () => {
    const root = await freshRoot();
    const store = new LocalTrackingStore(root);
    const experimentId = await store.getOrCreateExperiment("sales-forecast");
    const runId = await store.createRun(experimentId, "CNNLSTM-Beauty", { item_id: "Beauty" });
    await store.logParams(runId, { "data.window_size": "14" });
    await store.logMetrics(runId, [{ key: "val/loss", value: 0.25, step: 3, timestamp: 7 }]);
    await store.endRun(runId, "FINISHED");

    expect(JSON.parse(await readFile(join(root, experimentId, "meta.json"), "utf8")).name).toBe("sales-forecast");
    const runDir = join(root, experimentId, runId);
    expect((await readdir(runDir)).sort()).toEqual(["artifacts", "meta.json", "metrics", "params.json", "tags.json"]);
    expect(JSON.parse(await readFile(join(runDir, "meta.json"), "utf8"))).toMatchObject({ status: "FINISHED", run_name: "CNNLSTM-Beauty" });
    // A "/" in a key never makes a folder: the file name is the key URI-encoded.
    expect(await readdir(join(runDir, "metrics"))).toEqual(["val%2Floss.jsonl"]);
    expect(JSON.parse(await readFile(join(runDir, "metrics", "val%2Floss.jsonl"), "utf8"))).toEqual({ key: "val/loss", value: 0.25, step: 3, timestamp: 7 });
    // Nothing temporary left behind.
    expect((await readdir(runDir, { recursive: true })).some((f) => String(f).includes(".tmp-"))).toBe(false);
  });

  it("skips a partial metric line left by a crash mid-append", async () => {
    const root = await freshRoot();
    const store = new LocalTrackingStore(root);
    const experimentId = await store.getOrCreateExperiment("e");
    const runId = await store.createRun(experimentId, "r", {});
    await store.logMetrics(runId, [{ key: "loss", value: 1, step: 0, timestamp: 1 }]);
    await appendFile(join(root, experimentId, runId, "metrics", "loss.jsonl"), '{"key":"loss","val');
    expect((await store.getMetricHistory(runId, "loss")).map((p) => p.value)).toEqual([1]);
  });

  it("a run whose meta.json was never written is not listed", async () => {
    const root = await freshRoot();
    const store = new LocalTrackingStore(root);
    const experimentId = await store.getOrCreateExperiment("e");
    const runId = await store.createRun(experimentId, "r", {});
    await rm(join(root, experimentId, runId, "meta.json"));
    expect(await store.listRuns()).toEqual([]);
    await expect(store.getRun(runId)).rejects.toThrow(/unknown run id/);
  });

  it("serves artifact files by relative path and refuses escapes", async () => {
    const root = await freshRoot();
    const store = new LocalTrackingStore(root);
    const runId = await store.createRun(await store.getOrCreateExperiment("e"), "r", {});
    const file = join(root, "..", `plot-${process.pid}.svg`);
    await writeFile(file, "<svg/>");
    try {
      await store.logArtifact(runId, file, "plots");
    } finally {
      await rm(file);
    }
    const local = await store.artifactPath(runId, `plots/plot-${process.pid}.svg`);
    expect(await readFile(local, "utf8")).toBe("<svg/>");
    await expect(store.artifactPath(runId, "../meta.json")).rejects.toThrow(/cannot leave the run folder/);
    await expect(store.artifactPath(runId, "plots/missing.svg")).rejects.toMatchObject({ code: "not_found" });
    await expect(store.artifactPath(runId, "plots")).rejects.toThrow(/has no artifact file "plots"/);
  });

  it("refuses, saying why, a metric key too long to be a file name once encoded, and reads it as never logged", async () => {
    const store = new LocalTrackingStore(await freshRoot());
    const runId = await store.createRun(await store.getOrCreateExperiment("e"), "r", {});
    const key = `0/${"0".repeat(248)}`; // 250 characters, valid for MLflow; "%2F" and ".jsonl" make the file name 258 bytes
    const err = await store.logMetrics(runId, [{ key, value: 1, step: 0, timestamp: 1 }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackingError);
    expect((err as TrackingError).code).toBe("invalid");
    expect((err as Error).message).toMatch(/too long for the local store.*258 bytes.*Use a shorter key/);
    expect(await store.getMetricHistory(runId, key)).toEqual([]);
    await store.logMetrics(runId, [{ key: key.slice(0, 200), value: 2, step: 0, timestamp: 1 }]); // a shorter one works
  });

  it("errors carry a code the HTTP layer can map", async () => {
    const store = new LocalTrackingStore(await freshRoot());
    const err = await store.getRun("ffffffffffffffffffffffffffffffff").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackingError);
    expect((err as TrackingError).code).toBe("not_found");
  });
});

describe("openTrackingStore", () => {
  it("opens folders and file: URIs as local stores", async () => {
    const root = await freshRoot();
    expect(openTrackingStore(root)).toMatchObject({ kind: "local", uri: root });
    expect(openTrackingStore(`file:${root}`).uri).toBe(root);
    expect(openTrackingStore(`file://${root}`).uri).toBe(root);
  });

  it("opens http(s) URIs as MLflow stores and refuses empty or unknown schemes", () => {
    expect(openTrackingStore("http://127.0.0.1:5005", { pendingDir: "/tmp/q" })).toMatchObject({ kind: "mlflow", uri: "http://127.0.0.1:5005" });
    // The offline queue has no default folder: a default relative to the working directory is what lost runs (issue 14 #6).
    expect(() => openTrackingStore("http://127.0.0.1:5005")).toThrow(/offline queue/);
    expect(() => openTrackingStore("")).toThrow(/tracking.uri is empty/);
    expect(() => openTrackingStore("s3://bucket/mlruns")).toThrow(/unsupported scheme/);
  });
});

describe("flattenParams", () => {
  it("flattens nested config with dotted keys and keeps arrays as JSON", () => {
    expect(
      flattenParams({
        data: { window_size: 14, available_categories: ["Beauty", "Clothing"], nested: { deep: true } },
        model: { lr: 0.001 },
        skip: undefined,
        none: null,
      }),
    ).toEqual({
      "data.window_size": "14",
      "data.available_categories": '["Beauty","Clothing"]',
      "data.nested.deep": "true",
      "model.lr": "0.001",
      none: "null",
    });
    expect(flattenParams({ a: 1 }, "cfg")).toEqual({ "cfg.a": "1" });
  });

  it("trackingStoreFor puts MLflow's offline queue beside the registry of train.checkpoint_path", () => {
    const store = trackingStoreFor({
      tracking: { uri: "http://127.0.0.1:5005", timeout_seconds: 60 },
      train: { checkpoint_path: "/data/models/model.ckpt" },
    } as Config);
    expect((store as MlflowTrackingStore).pending.dir).toBe("/data/models/.mlflow-pending");
  });

  it("trackingStoreFor bounds one MLflow call by tracking.timeout_seconds, each attempt by half of it (30 s at most)", () => {
    const open = (seconds: number) =>
      (
        trackingStoreFor({
          tracking: { uri: "http://127.0.0.1:5005", timeout_seconds: seconds },
          train: { checkpoint_path: "m/model.ckpt" },
        } as Config) as MlflowTrackingStore
      ).http.retry;
    expect(open(60)).toMatchObject({ totalMs: 60_000, timeoutMs: 30_000, attempts: 4 });
    expect(open(10)).toMatchObject({ totalMs: 10_000, timeoutMs: 5_000 });
    expect(open(600)).toMatchObject({ totalMs: 600_000, timeoutMs: 30_000 });
  });
});
