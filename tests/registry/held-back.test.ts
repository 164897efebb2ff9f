// A version held back (registered with a reason, see src/training/promotion.ts) is never served
// by default: the registry serves the champion, else the latest version NOT held back.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalRegistry } from "../../src/registry/index.js";

let root: string;
let registry: LocalRegistry;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-held-back-"));
  registry = new LocalRegistry(root);
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function commit(heldBack?: string) {
  const staging = await registry.stage("Beauty");
  await writeFile(join(staging, "model.json"), "{}");
  return registry.commit("Beauty", staging, { windowSize: 14, ...(heldBack ? { heldBack } : {}) });
}

describe("held-back versions", () => {
  it("stay registered and listed, with their reason, while the previous version stays served", async () => {
    await commit();
    const held = await commit("its validation MAE is 50 times that of the worst baseline");
    expect(held.version).toBe(2);
    expect(held.heldBack).toContain("50 times");
    expect((await registry.resolve("Beauty"))?.version).toBe(1);
    expect((await registry.list()).map((v) => v.version)).toEqual([1]);
    expect((await registry.versions("Beauty")).map((v) => [v.version, v.heldBack ?? null])).toEqual([
      [1, null],
      [2, "its validation MAE is 50 times that of the worst baseline"],
    ]);
    // Asked for by number or as "latest", it is there to inspect.
    expect((await registry.resolve("Beauty", 2))?.heldBack).toBeDefined();
    expect((await registry.resolve("Beauty", "latest"))?.version).toBe(2);
  });

  it("a category with only held-back versions serves nothing, until a healthy one or a promotion", async () => {
    await commit("not finite");
    expect(await registry.resolve("Beauty")).toBeUndefined();
    expect(await registry.list()).toEqual([]);
    await registry.setAlias("Beauty", "champion", 1); // promoted by hand: the user's choice
    expect((await registry.resolve("Beauty"))?.version).toBe(1);
    await registry.removeAlias("Beauty", "champion");
    await commit();
    expect((await registry.resolve("Beauty"))?.version).toBe(2);
  });
});
