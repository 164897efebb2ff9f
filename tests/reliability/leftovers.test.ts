// What a killed process leaves behind, made by hand (no build needed): a registry lock of a
// dead pid, its staging folder, an index temporary, a version folder the index never listed,
// and a RUNNING run. Each must be invisible to readers and settled by the next writer, while
// the same things belonging to live processes (or other hosts) are left alone.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { saveCheckpoint } from "../../src/engine/checkpoint.js";
import { CnnLstmModel } from "../../src/engine/model.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { LocalTrackingStore } from "../../src/tracking/index.js";
import { hostTag } from "../../src/util/process-alive.js";

const SHAPE = { windowSize: 7, inputSize: 1, convChannels: 2, lstmHidden: 4, lstmLayers: 1, outputSize: 1 };

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-leftovers-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function commitTiny(registry: LocalRegistry, category = "Beauty") {
  const staging = await registry.stage(category);
  await saveCheckpoint(staging, new CnnLstmModel(SHAPE, 1), {
    normalization: { mean: 0, std: 1 },
    data: { file: "x.csv", sha256: "0".repeat(64), category, start: "2024-01-01", end: "2024-02-01", frequency: "D" },
  });
  return registry.commit(category, staging, { windowSize: 7 });
}

describe("registry leftovers", () => {
  it("a lock held by a dead process on this host is broken at once, not after staleMs", async () => {
    const registry = new LocalRegistry(root, { lock: { staleMs: 60_000, timeoutMs: 2_000 } });
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "registry.lock"), JSON.stringify({ token: "dead", pid: deadPid(), hostname: hostname(), since: new Date().toISOString() }));
    expect((await commitTiny(registry)).version).toBe(1);
    expect(await readdir(root)).not.toContain("registry.lock");
  });

  it("a lock held by a live process, or by another host, is waited for (busy after the timeout)", async () => {
    const registry = new LocalRegistry(root, { lock: { staleMs: 60_000, timeoutMs: 300 } });
    await mkdir(root, { recursive: true });
    for (const holder of [
      { pid: process.pid, hostname: hostname() },
      { pid: deadPid(), hostname: "another-host" },
    ]) {
      await writeFile(join(root, "registry.lock"), JSON.stringify({ token: "other", ...holder, since: new Date().toISOString() }));
      await expect(commitTiny(registry)).rejects.toThrow("the model registry is busy");
    }
  });

  it("a lock file left empty (killed between creating and writing it) is broken after a second", async () => {
    const registry = new LocalRegistry(root, { lock: { staleMs: 60_000, timeoutMs: 2_000 } });
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "registry.lock"), "");
    const past = new Date(Date.now() - 5_000);
    await utimes(join(root, "registry.lock"), past, past);
    expect((await commitTiny(registry)).version).toBe(1);
  });

  it("staging folders of dead processes are removed by the next stage(); live ones and other hosts' are kept", async () => {
    const registry = new LocalRegistry(root);
    const live = await registry.stage("Beauty");
    const staging = join(root, ".staging");
    const dead = join(staging, `beauty-p${deadPid()}h${hostTag()}-AbCdEf`);
    const otherHost = join(staging, `beauty-p${deadPid()}h000000-AbCdEf`);
    const oldStyle = join(staging, "beauty-XyZ123"); // no owner in the name: removed only when old
    for (const dir of [dead, otherHost, oldStyle]) await mkdir(dir);
    await registry.stage("Clothing");
    const left = await readdir(staging);
    expect(left).not.toContain(basename(dead));
    expect(left).toEqual(expect.arrayContaining([basename(live), basename(otherHost), basename(oldStyle)]));
  });

  it("an unlisted version folder and index temporaries are invisible, then removed by the next commit; numbers are not reused", async () => {
    const registry = new LocalRegistry(root);
    const first = await commitTiny(registry);
    const categoryDir = join(first.dir, "..");
    await mkdir(join(categoryDir, "v2"));
    await writeFile(join(categoryDir, "v2", "model.safetensors"), "half a model");
    await writeFile(join(root, `registry.json.tmp-${deadPid()}-abcdef`), "{ half an index");
    expect((await registry.versions("Beauty")).map((v) => v.version)).toEqual([1]);
    expect((await registry.resolve("Beauty"))?.version).toBe(1);

    const next = await commitTiny(registry);
    expect(next.version).toBe(3);
    expect((await readdir(categoryDir)).sort()).toEqual(["v1", "v3"]);
    expect((await readdir(root)).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });
});

describe("runs left RUNNING by a dead process", () => {
  async function runWithOwner(store: LocalTrackingStore, owner: { pid: number; hostname: string }) {
    const experiment = await store.getOrCreateExperiment("crash");
    const runId = await store.createRun(experiment, "CNNLSTM-Beauty", { item_id: "Beauty" });
    const metaPath = join(root, experiment, runId, "meta.json");
    const meta = JSON.parse(await readFile(metaPath, "utf8")) as Record<string, unknown>;
    await writeFile(metaPath, JSON.stringify({ ...meta, ...owner }));
    return { experiment, runId };
  }

  it("read as FAILED 'abandoned' by listRuns and getRun, and written so", async () => {
    const store = new LocalTrackingStore(root);
    const { experiment, runId } = await runWithOwner(store, { pid: deadPid(), hostname: hostname() });
    // What the killed process was writing: temporaries of tags.json and of an artifact.
    const runDir = join(root, experiment, runId);
    await writeFile(join(runDir, "tags.json.tmp-1-abcdef"), "{ half");
    await mkdir(join(runDir, "artifacts", "model"), { recursive: true });
    await writeFile(join(runDir, "artifacts", "model", "model.safetensors.tmp-1-abcdef"), "half");
    const listed = (await store.listRuns()).find((run) => run.runId === runId)!;
    expect(listed.artifacts).toEqual([]);
    expect((await readdir(runDir, { recursive: true })).filter((name) => name.includes(".tmp-"))).toEqual([]);
    expect(listed.status).toBe("FAILED");
    expect(listed.error).toMatch(/^abandoned: the process that ran it \(pid \d+\) ended before the run finished \(killed or crashed\)$/);
    expect(listed.endTime).toBeGreaterThan(0);
    expect((await new LocalTrackingStore(root).getRun(runId)).status).toBe("FAILED");
    expect(await store.listRuns({ status: "RUNNING" })).toEqual([]);
  });

  it("a new run in the experiment settles them; runs of live processes and other hosts stay RUNNING", async () => {
    const store = new LocalTrackingStore(root);
    const dead = await runWithOwner(store, { pid: deadPid(), hostname: hostname() });
    const live = await runWithOwner(store, { pid: process.pid, hostname: hostname() });
    const remote = await runWithOwner(store, { pid: deadPid(), hostname: "another-host" });
    const metaOf = async (runId: string) => JSON.parse(await readFile(join(root, dead.experiment, runId, "meta.json"), "utf8")) as { status: string };
    // runWithOwner's own createRun calls already settled the dead run on disk.
    expect((await metaOf(dead.runId)).status).toBe("FAILED");
    expect((await metaOf(live.runId)).status).toBe("RUNNING");
    expect((await metaOf(remote.runId)).status).toBe("RUNNING");
    expect(await store.markAbandonedRuns()).toEqual([]);
  });
});
