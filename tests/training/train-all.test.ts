// trainAll in both of its modes:
// - from TypeScript sources (what vitest runs) it trains in the calling thread, because
//   worker_threads cannot start a .ts file without a loader;
// - from the build (dist/) it trains on worker threads. That path is tested by importing the
//   built module; `npm test` builds first (pretest). When dist/ is missing or older than the
//   sources the suite is skipped and says so in its name, rather than test stale code.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { openTrackingStore } from "../../src/tracking/index.js";
import type { ProgressEvent } from "../../src/training/progress.js";
import { UnknownCategoryError } from "../../src/data/model-data.js";
import * as sourceModule from "../../src/training/train-all.js";
import { tinyConfig, writeSalesCsv } from "./helpers.js";
import { builtDistProblem } from "../built-dist.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const builtModule = join(projectRoot, "dist/src/training/train-all.js");

/** Why the built module cannot be tested, or undefined when it can (training runs the models' code too). */
function distProblem(): string | undefined {
  return builtDistProblem(["dist/src/training/train-all.js", "dist/src/training/worker.js"], ["src/training", "src/models", "src/data"]);
}

let root: string;
let csv: string;
let data: SalesData;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-train-all-"));
  csv = join(root, "sales.csv");
  await writeSalesCsv(csv, { categories: ["Beauty", "Clothing"], days: 100, shortCategories: ["Tiny"], shortDays: 6 });
  data = await loadSales(tinyConfig({ csvPath: csv }).data);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("trainAll from sources (in the calling thread)", () => {
  it("uses no worker threads when running from .ts", () => {
    expect(sourceModule.trainingWorkerUrl()).toBeUndefined();
    expect(sourceModule.plannedThreads(3)).toBe(0);
  });

  it("trains every category; a too-short one is skipped and does not stop the others", async () => {
    const config = tinyConfig({ root: join(root, "inline"), csvPath: csv, maxEpochs: 2 });
    const done: string[] = [];
    const results = await sourceModule.trainAll(config, undefined, {
      progress: { report: (e) => e.kind === "done" && done.push(e.category) },
    });
    expect(results.map((r) => [r.category, r.status])).toEqual([
      ["Beauty", "ok"],
      ["Clothing", "ok"],
      ["Tiny", "skipped"],
    ]);
    expect(results[2].reason).toMatch(/window_size/);
    expect(done.sort()).toEqual(["Beauty", "Clothing", "Tiny"]);
    expect(await new LocalRegistry(join(root, "inline", "checkpoints")).categories()).toEqual(["Beauty", "Clothing"]);
  });

  it("a category that fails does not stop the others", async () => {
    const config = tinyConfig({ root: join(root, "one-fails"), csvPath: csv, maxEpochs: 1 });
    const real = openTrackingStore(config.tracking.uri);
    // A store that refuses to record Beauty's run: Beauty fails, Clothing still trains.
    const store = Object.create(real) as typeof real;
    store.createRun = async (experimentId, runName, tags) => {
      if (tags.item_id === "Beauty") throw new Error("tracking store unavailable for Beauty");
      return real.createRun(experimentId, runName, tags);
    };
    const results = await sourceModule.trainAll(config, ["Beauty", "Clothing"], { data, store });
    expect(results.map((r) => [r.category, r.status, r.reason])).toEqual([
      ["Beauty", "failed", "tracking store unavailable for Beauty"],
      ["Clothing", "ok", undefined],
    ]);
    expect(await new LocalRegistry(join(root, "one-fails", "checkpoints")).categories()).toEqual(["Clothing"]);
  });

  it("trains only the categories asked for, and refuses unknown ones before starting", async () => {
    const config = tinyConfig({ root: join(root, "subset"), csvPath: csv, maxEpochs: 1 });
    const results = await sourceModule.trainAll(config, ["Clothing"], { data });
    expect(results.map((r) => r.category)).toEqual(["Clothing"]);
    await expect(sourceModule.trainAll(config, ["Clothing", "Toys"], { data })).rejects.toThrow(UnknownCategoryError);
  });
});

const problem = distProblem();
describe.skipIf(problem !== undefined)(`trainAll on worker threads (built dist/)${problem ? ` - skipped: ${problem}` : ""}`, () => {
  let built: typeof sourceModule;
  beforeAll(async () => {
    built = (await import(pathToFileURL(builtModule).href)) as typeof sourceModule;
  });

  it("trains categories in parallel threads with the same results as in one thread", async () => {
    expect(built.trainingWorkerUrl()?.href).toMatch(/dist\/src\/training\/worker\.js$/);
    const config = tinyConfig({ root: join(root, "threads"), csvPath: csv, maxEpochs: 2 });
    const events: ProgressEvent[] = [];
    const results = await built.trainAll(config, undefined, { data, threads: 2, progress: { report: (e) => events.push(e) } });
    expect(results.map((r) => [r.category, r.status])).toEqual([
      ["Beauty", "ok"],
      ["Clothing", "ok"],
      ["Tiny", "skipped"],
    ]);
    // Progress crossed the thread boundary: epochs of both trained categories, a final line for all.
    for (const category of ["Beauty", "Clothing"]) {
      expect(events.filter((e) => e.kind === "epoch" && e.category === category).length).toBe(2);
    }
    expect(
      events
        .filter((e) => e.kind === "done")
        .map((e) => e.category)
        .sort(),
    ).toEqual(["Beauty", "Clothing", "Tiny"]);
    // Both committed to one registry concurrently, both runs in one experiment.
    const registry = new LocalRegistry(join(root, "threads", "checkpoints"));
    expect(await registry.categories()).toEqual(["Beauty", "Clothing"]);
    const runs = await openTrackingStore(config.tracking.uri).listRuns({ experimentName: "test-experiment" });
    expect(runs.map((r) => r.status)).toEqual(["FINISHED", "FINISHED"]);

    // Same seed, same data: the threaded result equals the in-thread one exactly.
    const inline = await sourceModule.trainAll(tinyConfig({ root: join(root, "threads-inline"), csvPath: csv, maxEpochs: 2 }), ["Beauty"], { data });
    expect(results[0].metrics).toEqual(inline[0].metrics);
  });

  it("stops every thread on abort: runs KILLED, nothing registered", async () => {
    const config = tinyConfig({ root: join(root, "threads-abort"), csvPath: csv, maxEpochs: 1000, patience: 1000 });
    const controller = new AbortController();
    const results = await built.trainAll(config, ["Beauty", "Clothing"], {
      data,
      threads: 2,
      signal: controller.signal,
      progress: { report: (e) => e.kind === "epoch" && controller.abort() },
    });
    expect(results.map((r) => r.status)).toEqual(["failed", "failed"]);
    for (const r of results) expect(r.reason).toMatch(/interrupted/);
    const runs = await openTrackingStore(config.tracking.uri).listRuns();
    expect(runs.map((r) => r.status)).toEqual(["KILLED", "KILLED"]);
    expect(await new LocalRegistry(join(root, "threads-abort", "checkpoints")).categories()).toEqual([]);
  });
});
