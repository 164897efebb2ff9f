// The tracking server dies in the middle of a training run: the model is saved locally, the run
// is reported unsent, and syncPendingRuns sends everything once the server is back.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { LocalRegistry, MlflowRegistry } from "../../src/registry/index.js";
import { MlflowTrackingStore } from "../../src/tracking/index.js";
import { syncPendingRuns } from "../../src/tracking/mlflow/index.js";
import type { CategoryResult } from "../../src/training/result.js";
import { trainCategory } from "../../src/training/train-category.js";
import { tinyConfig, writeSalesCsv } from "../training/helpers.js";
import {
  artifactBytes,
  asRecord,
  getRestRun,
  killServer,
  listRunArtifacts,
  metricHistory,
  restGet,
  restPost,
  restartServer,
  serverUri,
  uniqueSuffix,
} from "./helpers.js";

const suffix = uniqueSuffix();
const midRun = `Midrun ${suffix}`; // the server dies after this run was created
const offline = `Offline ${suffix}`; // the server is already down when this one starts
const sentBefore = `Sent ${suffix}`; // trained, sent and registered before the crash
let root: string;
let data: SalesData;
let config: Config;
let store: MlflowTrackingStore;
let registry: MlflowRegistry;
let local: LocalRegistry;
const reported: Array<{ runId: string; reason: string }> = [];
const results = new Map<string, CategoryResult>();
let serverDown = false;
let armed = false;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-outage-"));
  await writeSalesCsv(join(root, "sales.csv"), { categories: [sentBefore, midRun, offline], days: 120 });
  const base = tinyConfig({ root, maxEpochs: 3, patience: 5 });
  config = { ...base, train: { ...base.train, experiment_name: `salescast-outage-${suffix}` }, tracking: { ...base.tracking, uri: serverUri() } };
  data = await loadSales(config.data);
  local = new LocalRegistry(join(root, "checkpoints"));

  // The first log-batch after the run exists kills the server (a crash, not a shutdown), so
  // the run is half on the server and half not.
  let killed = false;
  const killingFetch: typeof fetch = async (input, init) => {
    if (armed && !killed && String(input).endsWith("/runs/log-batch")) {
      killed = true;
      await killServer();
      serverDown = true;
    }
    return fetch(input, init);
  };
  store = new MlflowTrackingStore(serverUri(), {
    pendingDir: join(root, "pending"),
    // The product's wait per attempt: the server killed below refuses at once, so this costs
    // nothing then, and a loaded machine's slow answer before the kill is not taken for an outage.
    retry: { attempts: 2, baseDelayMs: 50, timeoutMs: 30_000 },
    fetch: killingFetch,
    onPending: (runId, reason) => reported.push({ runId, reason }),
  });
  registry = new MlflowRegistry(store, { cacheRoot: join(root, "model-cache") });
});

afterAll(async () => {
  // Leave the shared server running for whatever comes next.
  if (serverDown) await restartServer();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("the MLflow server goes down during training", () => {
  it("keeps the model locally and reports the run unsent", async () => {
    const before = await trainCategory(config, sentBefore, { data, store });
    expect(before.status, before.reason).toBe("ok");
    results.set(sentBefore, before);
    expect(store.pendingRunIds()).toEqual([]);
    armed = true;
    for (const category of [midRun, offline]) {
      const result = await trainCategory(config, category, { data, store });
      expect(result.status, result.reason).toBe("ok");
      results.set(category, result);
      // The model is in the local registry whatever happened to the server.
      const version = await local.resolve(category);
      expect(version?.version).toBe(1);
      expect(version?.runId).toBe(result.runId);
      // Training queued the model's registration with the run.
    }
    expect(serverDown).toBe(true);
    const ids = [results.get(midRun)!.runId!, results.get(offline)!.runId!];
    expect(reported.map((r) => r.runId)).toEqual(ids);
    expect(reported[0].reason).toMatch(/did not answer/);
    expect(store.pendingRunIds()).toEqual(ids);

    // The run sent before the crash was registered by its training and waits for nothing.
    expect((await store.pending.list()).sort()).toEqual([...ids].sort());

    // Until it is sent, the run can still be read: as it will look on the server.
    const waiting = await store.getRun(results.get(offline)!.runId!);
    expect(waiting).toMatchObject({ status: "FINISHED", runName: `CNNLSTM-${offline}`, experimentName: config.train.experiment_name });
    expect(waiting.tags.item_id).toBe(offline);
    expect(waiting.artifacts).toContain("model/model.safetensors");
    expect(waiting.metrics).toHaveProperty("val_rmse");
  });

  it("does not lose anything when a sync finds the server still down", async () => {
    const result = await syncPendingRuns(store, undefined, { registry });
    expect(result.sent).toEqual([]);
    expect(result.unreachable).toMatch(/did not answer/);
    expect((await store.pending.list()).length).toBe(2);
  });

  it("sends the runs and their registrations with runs sync once the server is back", async () => {
    await restartServer();
    serverDown = false;
    const result = await syncPendingRuns(store, undefined, { registry });
    expect(result.failed).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.sent.length).toBe(2);
    expect(await store.pending.list()).toEqual([]);
    expect(store.pendingRunIds()).toEqual([]);

    // The run created before the crash keeps its id; the one created offline gets a server id
    // and remembers the local one in a tag.
    const mid = results.get(midRun)!;
    const off = results.get(offline)!;
    const sentMid = result.sent.find((s) => s.runId === mid.runId)!;
    const sentOff = result.sent.find((s) => s.runId === off.runId)!;
    expect(sentMid.serverRunId).toBe(mid.runId);
    expect(sentOff.serverRunId).not.toBe(off.runId);
    const search = await restPost<{ runs: Array<{ info: { run_id: string } }> }>("runs/search", {
      experiment_ids: [
        (await restGet<{ experiment: { experiment_id: string } }>("experiments/get-by-name", { experiment_name: config.train.experiment_name })).experiment
          .experiment_id,
      ],
      filter: `tags.\`salescast.local_run_id\` = '${off.runId}'`,
    });
    expect(search.runs.map((r) => r.info.run_id)).toEqual([sentOff.serverRunId]);

    for (const [category, serverRunId] of [
      [midRun, sentMid.serverRunId],
      [offline, sentOff.serverRunId],
    ] as const) {
      const trained = results.get(category)!;
      const run = await getRestRun(serverRunId);
      expect(run.info.status).toBe("FINISHED");
      expect(run.info.run_name).toBe(`CNNLSTM-${category}`);
      expect(asRecord(run.data.tags)).toMatchObject({ item_id: category, window_size: "7", registry_version: "1" });
      expect(asRecord(run.data.params)["data.window_size"]).toBe("7");
      expect((await metricHistory(serverRunId, "train_loss")).map((p) => p.step)).toEqual(Array.from({ length: trained.epochs }, (_, i) => i + 1));
      expect(await listRunArtifacts(serverRunId)).toContain("model/model.safetensors");
      const version = (await local.resolve(category))!;
      expect(await artifactBytes(run.info.artifact_uri, "model/model.safetensors")).toEqual(await readFile(join(version.dir, "model.safetensors")));
      // The queued registration happened, against the server's run id.
      const versions = await registry.versions(category);
      expect(versions.map((v) => [v.version, v.runId])).toEqual([[1, serverRunId]]);
    }
    expect(sentMid.registered).toEqual([{ modelName: `salescast-${midRun}`, version: "1" }]);

    // The run that was complete before the crash keeps its status and its version, registered by its training.
    const early = results.get(sentBefore)!;
    expect(result.sent.find((s) => s.runId === early.runId)).toBeUndefined();
    expect((await getRestRun(early.runId!)).info.status).toBe("FINISHED");
    expect((await registry.versions(sentBefore)).map((v) => [v.version, v.runId])).toEqual([[1, early.runId]]);
  });
});
