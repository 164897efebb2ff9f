import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelCache, ModelNotFoundError, SalesForecaster } from "../../src/forecaster/index.js";
import type { ModelVersionInfo } from "../../src/registry/index.js";
import { commitModel, createWorkspace, sampleWindow, type Workspace } from "../server/helpers.js";

let ws: Workspace;
beforeEach(async () => {
  ws = await createWorkspace();
});
afterEach(() => ws.cleanup());

/** Counts checkpoint loads so tests can tell a cache hit from a reload. */
function countingLoader() {
  const loads: ModelVersionInfo[] = [];
  return {
    loads,
    load: async (info: ModelVersionInfo) => {
      loads.push(info);
      return SalesForecaster.fromRegistered(info);
    },
  };
}

describe("ModelCache", () => {
  it("loads a category once and answers from memory while the registry answer is fresh", async () => {
    await commitModel(ws.registry, "Beauty", { seed: 1 });
    const loader = countingLoader();
    const cache = new ModelCache(ws.registry, { refreshMs: 60_000, load: loader.load });
    const first = await cache.get("Beauty");
    const second = await cache.get("Beauty");
    expect(second).toBe(first);
    expect(loader.loads).toHaveLength(1);
    expect(cache.loaded().map((f) => f.category)).toEqual(["Beauty"]);
  });

  it("swaps in a newly registered version without a restart, and only then reloads", async () => {
    await commitModel(ws.registry, "Beauty", { seed: 1 });
    const loader = countingLoader();
    const swaps: unknown[] = [];
    const cache = new ModelCache(ws.registry, { refreshMs: 0, load: loader.load, onSwap: (e) => swaps.push(e) });
    const before = await cache.get("Beauty");
    await cache.get("Beauty"); // same version: checked, not reloaded
    expect(loader.loads).toHaveLength(1);

    await commitModel(ws.registry, "Beauty", { seed: 2 });
    const after = await cache.get("Beauty");
    expect(after.version).toBe(before.version! + 1);
    expect(after.forecast(sampleWindow())).not.toBeCloseTo(before.forecast(sampleWindow()), 3);
    // The old forecaster still answers for whoever holds it: nothing was changed in place.
    expect(before.version).toBe(1);
    expect(swaps).toEqual([
      { category: "Beauty", to: 1 },
      { category: "Beauty", from: 1, to: 2 },
    ]);
  });

  it("follows the champion alias when one is set", async () => {
    await commitModel(ws.registry, "Beauty", { seed: 1 });
    await commitModel(ws.registry, "Beauty", { seed: 2 });
    const cache = new ModelCache(ws.registry, { refreshMs: 0 });
    expect((await cache.get("Beauty")).version).toBe(2);
    await ws.registry.setAlias("Beauty", "champion", 1);
    expect((await cache.get("Beauty")).version).toBe(1);
  });

  it("answers ModelNotFoundError naming the categories that have a model", async () => {
    await commitModel(ws.registry, "Beauty");
    await commitModel(ws.registry, "Clothing");
    const cache = new ModelCache(ws.registry);
    const error = await cache.get("Toys").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toContain("Beauty, Clothing");
  });

  it("never asks the registry to resolve a name it does not list (path-like names included)", async () => {
    await commitModel(ws.registry, "Beauty");
    const resolved: string[] = [];
    const registry = {
      categories: () => ws.registry.categories(),
      resolve: (category: string) => {
        resolved.push(category);
        return ws.registry.resolve(category);
      },
    };
    const cache = new ModelCache(registry);
    for (const name of ["../Beauty", "Beauty/../../etc", "Beauty\u0000", "..", "/etc/passwd", "beauty"]) {
      await expect(cache.get(name)).rejects.toBeInstanceOf(ModelNotFoundError);
    }
    expect(resolved).toEqual([]);
    await cache.get("Beauty");
    expect(resolved).toEqual(["Beauty"]);
  });

  it("keeps serving the loaded version when a newer one cannot be loaded, and reports why", async () => {
    await commitModel(ws.registry, "Beauty", { seed: 1 });
    const errors: unknown[] = [];
    const cache = new ModelCache(ws.registry, { refreshMs: 0, onError: (e) => errors.push(e) });
    const good = await cache.get("Beauty");
    const broken = await commitModel(ws.registry, "Beauty", { seed: 2 });
    await writeFile(join(broken.dir, "model.json"), "{ not json");
    expect(await cache.get("Beauty")).toBe(good);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("model.json");
  });

  it("throws the load error when there is no loaded version to fall back on", async () => {
    const broken = await commitModel(ws.registry, "Beauty");
    await writeFile(join(broken.dir, "model.json"), "{ not json");
    const cache = new ModelCache(ws.registry);
    await expect(cache.get("Beauty")).rejects.toThrow(/not valid JSON/);
  });

  it("shares one load between concurrent first requests", async () => {
    await commitModel(ws.registry, "Beauty");
    const loader = countingLoader();
    const cache = new ModelCache(ws.registry, { load: loader.load });
    const answers = await Promise.all([cache.get("Beauty"), cache.get("Beauty"), cache.get("Beauty")]);
    expect(new Set(answers).size).toBe(1);
    expect(loader.loads).toHaveLength(1);
  });

  it("warm() loads every registered category; refresh() picks up a new one at once", async () => {
    await commitModel(ws.registry, "Beauty");
    const cache = new ModelCache(ws.registry, { refreshMs: 60_000 });
    await cache.warm();
    expect(cache.loaded().map((f) => f.category)).toEqual(["Beauty"]);
    await commitModel(ws.registry, "Clothing");
    await cache.refresh("Clothing");
    expect(cache.loaded().map((f) => f.category)).toEqual(["Beauty", "Clothing"]);
  });
});
