// Fail early, lose nothing (issue 18), against the real MLflow server:
//   - an experiment whose artifact location the server does not proxy (what
//     --default-artifact-root /local/path gives) is refused by a dry write before training,
//     with what to change, and nothing is trained or registered;
//   - an artifact store that refuses the model's upload after training (403 on the weights)
//     keeps the model in the local registry and queues the run's upload and its registration;
//     `runs sync` sends both once the store takes them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { LocalRegistry, MlflowRegistry } from "../../src/registry/index.js";
import { MlflowTrackingStore } from "../../src/tracking/index.js";
import { syncPendingRuns } from "../../src/tracking/mlflow/index.js";
import { trainCategory } from "../../src/training/train-category.js";
import { tinyConfig, writeSalesCsv } from "../training/helpers.js";
import { getRestRun, listRunArtifacts, restPost, serverUri, uniqueSuffix } from "./helpers.js";

const suffix = uniqueSuffix();
const misplaced = `Misplaced ${suffix}`;
const refused = `Refused ${suffix}`;
let root: string;
let data: SalesData;
let base: Config;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-artifact-store-"));
  await writeSalesCsv(join(root, "sales.csv"), { categories: [misplaced, refused], days: 90 });
  const tiny = tinyConfig({ root, maxEpochs: 2, patience: 5 });
  base = { ...tiny, tracking: { ...tiny.tracking, uri: serverUri() } };
  data = await loadSales(base.data);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("an artifact store the server does not serve", () => {
  it("is refused by a dry write before training, saying what to change; nothing is trained or registered", async () => {
    // An experiment with a plain folder as its artifact location, as a server started with
    // --default-artifact-root /local/path creates them.
    const experiment = `salescast-local-artifacts-${suffix}`;
    await restPost("experiments/create", { name: experiment, artifact_location: join(root, "server-side-folder") });
    const config = { ...base, train: { ...base.train, experiment_name: experiment } };
    const store = new MlflowTrackingStore(serverUri(), { pendingDir: join(root, "pending-1"), retry: { attempts: 2, baseDelayMs: 50 } });
    const epochs: number[] = [];
    const result = await trainCategory(config, misplaced, { data, store, progress: { report: (e) => void (e.kind === "epoch" && epochs.push(e.epoch)) } });
    expect(result.status).toBe("failed");
    expect(result.reason).toMatch(/cannot store this run's artifacts.*is not served by the tracking server's proxy.*Nothing was trained.*--serve-artifacts/);
    expect(epochs).toEqual([]);
    expect(result.epochs).toBe(0);
    expect(await new LocalRegistry(join(root, "checkpoints")).versions(misplaced)).toEqual([]);
    expect((await getRestRun(result.runId!)).info.status).toBe("FAILED");
    expect(store.pendingRunIds()).toEqual([]);
  });
});

describe("an artifact store that refuses the model after training", () => {
  it("keeps the model locally and queues its upload and registration for runs sync", async () => {
    const config = { ...base, train: { ...base.train, experiment_name: `salescast-refused-${suffix}` } };
    // The artifact store refuses the weights (403), as a bucket without write permission would;
    // the dry write (a different file) and everything else go through.
    const refusing: typeof fetch = async (input, init) => {
      if (init?.method === "PUT" && String(input).includes("/mlflow-artifacts/artifacts/") && String(input).endsWith("/model/model.safetensors")) {
        return new Response(JSON.stringify({ error_code: "PERMISSION_DENIED", message: "access denied to the bucket" }), { status: 403 });
      }
      return fetch(input, init);
    };
    const queued: string[] = [];
    const store = new MlflowTrackingStore(serverUri(), {
      pendingDir: join(root, "pending-2"),
      retry: { attempts: 2, baseDelayMs: 50 },
      fetch: refusing,
      onPending: (_runId, reason) => queued.push(reason),
    });
    const result = await trainCategory(config, refused, { data, store });
    expect(result.status, result.reason).toBe("ok");
    const local = await new LocalRegistry(join(root, "checkpoints")).resolve(refused);
    expect(local?.version).toBe(1);
    expect(local?.runId).toBe(result.runId);
    expect(store.pendingRunIds()).toEqual([result.runId]);
    expect(queued).toEqual([expect.stringMatching(/refused the upload of .*model\.safetensors .*access denied to the bucket/)]);
    const registry = new MlflowRegistry(store, { cacheRoot: join(root, "model-cache") });
    expect(await registry.versions(refused)).toEqual([]);

    // The store takes it now: sync sends the files, ends the run and registers the version.
    const fixed = new MlflowTrackingStore(serverUri(), { pendingDir: join(root, "pending-2"), retry: { attempts: 2, baseDelayMs: 50 } });
    const sync = await syncPendingRuns(fixed, undefined, { registry: new MlflowRegistry(fixed, { cacheRoot: join(root, "model-cache") }) });
    expect(sync.failed).toEqual([]);
    expect(sync.sent.map((s) => s.runId)).toEqual([result.runId]);
    const artifacts = await listRunArtifacts(result.runId!);
    expect(artifacts).toContain("model/model.safetensors");
    // The dry write removed its file.
    expect(artifacts).not.toContain(".salescast-write-check");
    expect((await getRestRun(result.runId!)).info.status).toBe("FINISHED");
    expect((await registry.versions(refused)).map((v) => [v.version, v.runId])).toEqual([[1, result.runId]]);
  });
});
