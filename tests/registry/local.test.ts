import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { LocalRegistry, RegistryError, safeDirName } from "../../src/registry/index.js";
import { runRegistryContract, type RegistryUnderTest } from "./contract.js";

const parents: string[] = [];
/** A registry root inside its own parent folder, so a test can check nothing appeared beside the root. */
async function freshRegistry(options?: ConstructorParameters<typeof LocalRegistry>[1]) {
  const parent = await mkdtemp(join(tmpdir(), "salescast-registry-"));
  parents.push(parent);
  const root = join(parent, "checkpoints");
  return { parent, root, registry: new LocalRegistry(root, options) };
}
afterAll(async () => {
  for (const p of parents) await rm(p, { recursive: true, force: true });
});

/** The contract's view of a local registry: versions are staged folders, committed. */
function underTest(root: string): RegistryUnderTest {
  const registry = new LocalRegistry(root);
  return {
    registry,
    root,
    async addVersion(category, files, info) {
      const staging = await registry.stage(category);
      for (const [name, text] of Object.entries(files)) await writeFile(join(staging, name), text);
      return registry.commit(category, staging, { ...info, runId: randomBytes(16).toString("hex") });
    },
    reopen: async () => underTest(root),
  };
}
runRegistryContract("local", async () => underTest((await freshRegistry()).root));

async function commitModel(registry: LocalRegistry, category: string, content = "weights", windowSize = 14) {
  const staging = await registry.stage(category);
  await writeFile(join(staging, "model.safetensors"), content);
  await writeFile(join(staging, "normalization.json"), '{"mean":1,"std":2}');
  return registry.commit(category, staging, { windowSize, runId: "abc123", metrics: { val_mae: 1.5 } });
}

describe("safeDirName", () => {
  it("gives a readable slug plus a hash, only [a-z0-9-]", () => {
    expect(safeDirName("Beauty")).toMatch(/^beauty-[0-9a-f]{6}$/);
    expect(safeDirName("Home & Garden")).toMatch(/^home-garden-[0-9a-f]{6}$/);
    expect(safeDirName("Café")).toMatch(/^cafe-[0-9a-f]{6}$/);
    expect(safeDirName("../etc")).toMatch(/^etc-[0-9a-f]{6}$/);
    expect(safeDirName("日本")).toMatch(/^category-[0-9a-f]{6}$/);
    expect(safeDirName("x".repeat(500)).length).toBeLessThanOrEqual(47);
  });

  it("keeps names that slug the same apart", () => {
    expect(safeDirName("beauty")).not.toBe(safeDirName("Beauty"));
    expect(safeDirName("a/b")).not.toBe(safeDirName("a b"));
    expect(safeDirName("Beauty")).toBe(safeDirName("Beauty"));
  });
});

describe("LocalRegistry", () => {
  it("commits versions that increment, with their files and info", async () => {
    const { root, registry } = await freshRegistry();
    const v1 = await commitModel(registry, "Beauty", "one");
    const v2 = await commitModel(registry, "Beauty", "two");
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.dir).toBe(join(root, safeDirName("Beauty"), "v1"));
    expect(await readFile(join(v2.dir, "model.safetensors"), "utf8")).toBe("two");
    expect(v1).toMatchObject({ category: "Beauty", windowSize: 14, runId: "abc123", metrics: { val_mae: 1.5 }, aliases: [] });
    expect(Number.isNaN(Date.parse(v1.createdAt))).toBe(false);
    expect((await registry.versions("Beauty")).map((v) => v.version)).toEqual([1, 2]);
    expect(await registry.categories()).toEqual(["Beauty"]);
    // The staging folders were moved, not copied.
    expect(await readdir(join(root, ".staging"))).toEqual([]);
    // A second registry object on the same root (another process) sees the same thing.
    expect((await new LocalRegistry(root).resolve("Beauty"))?.version).toBe(2);
  });

  it("gives distinct versions to concurrent commits (several registry objects, one root)", async () => {
    const { root } = await freshRegistry();
    const registries = [0, 1, 2].map(() => new LocalRegistry(root));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => commitModel(registries[i % 3], i % 2 === 0 ? "Beauty" : "Clothing", `model ${i}`)));
    for (const category of ["Beauty", "Clothing"]) {
      const versions = results
        .filter((r) => r.category === category)
        .map((r) => r.version)
        .sort();
      expect(versions).toEqual([1, 2, 3, 4]);
    }
    // Every commit's files are in its own version folder, and the index lists all eight.
    for (const [i, r] of results.entries()) expect(await readFile(join(r.dir, "model.safetensors"), "utf8")).toBe(`model ${i}`);
    expect((await registries[0].versions("Beauty")).length + (await registries[0].versions("Clothing")).length).toBe(8);
    await expect(stat(join(root, "registry.lock"))).rejects.toThrow(/ENOENT/);
  });

  it("never returns a half-written staging folder", async () => {
    const { root, registry } = await freshRegistry();
    const staging = await registry.stage("Beauty");
    await writeFile(join(staging, "model.safetensors"), "half");
    // The trainer crashes here: no commit.
    expect(await registry.resolve("Beauty")).toBeUndefined();
    expect(await registry.versions("Beauty")).toEqual([]);
    expect(await registry.categories()).toEqual([]);
    expect(await registry.list()).toEqual([]);
    // A version folder whose commit never reached the index is invisible, and the next commit skips its number.
    await mkdir(join(root, safeDirName("Beauty"), "v1"), { recursive: true });
    const committed = await commitModel(registry, "Beauty");
    expect(committed.version).toBe(2);
    expect((await registry.versions("Beauty")).map((v) => v.version)).toEqual([2]);
  });

  it("cleans old staging folders on later stages, and discards on request", async () => {
    const { root, registry } = await freshRegistry({ stagingMaxAgeMs: 60_000 });
    const old = await registry.stage("Beauty");
    const longAgo = new Date(Date.now() - 3600_000);
    await utimes(old, longAgo, longAgo);
    const recent = await registry.stage("Beauty");
    const names = await readdir(join(root, ".staging"));
    expect(names).not.toContain(old.split("/").pop());
    expect(names).toContain(recent.split("/").pop());
    await registry.discard(recent);
    expect(await readdir(join(root, ".staging"))).toEqual([]);
  });

  it("commits only its own, non-empty staging folders", async () => {
    const { parent, registry } = await freshRegistry();
    const outside = join(parent, "elsewhere");
    await mkdir(outside);
    await writeFile(join(outside, "f"), "x");
    await expect(registry.commit("Beauty", outside, { windowSize: 14 })).rejects.toThrow(/is not a staging folder of this registry/);
    await expect(registry.discard(outside)).rejects.toThrow(/is not a staging folder/);
    expect(await readdir(outside)).toEqual(["f"]); // untouched
    const empty = await registry.stage("Beauty");
    await expect(registry.commit("Beauty", empty, { windowSize: 14 })).rejects.toThrow(/is empty/);
    await writeFile(join(empty, "m"), "x");
    await expect(registry.commit("Beauty", empty, { windowSize: 0 })).rejects.toThrow(/windowSize as a positive integer/);
    await registry.commit("Beauty", empty, { windowSize: 14 });
    await expect(registry.commit("Beauty", empty, { windowSize: 14 })).rejects.toThrow(/does not exist \(already committed/);
  });

  it("keeps hostile category names inside the root", async () => {
    const { parent, root, registry } = await freshRegistry();
    const hostile = ["../etc", "../../tmp/x", "a/b", "/abs/path", "..", ".", "__proto__", "constructor", "C:\\windows"];
    for (const name of hostile) await commitModel(registry, name);
    expect(await readdir(parent)).toEqual(["checkpoints"]); // nothing beside the root
    for (const name of hostile) {
      const v = await registry.resolve(name);
      expect(v?.category).toBe(name);
      expect(v?.dir.startsWith(root + "/")).toBe(true);
      expect(v?.dir.slice(root.length + 1)).toMatch(/^[a-z0-9-]+\/v1$/);
    }
    expect((await registry.categories()).sort()).toEqual([...hostile].sort());
    // Lookups are exact: similar names, NUL and huge names find nothing and create nothing.
    const before = (await readdir(root)).sort();
    for (const name of ["../ETC", "etc", "a\u0000b", "x".repeat(100_000), "", "toString", "hasOwnProperty"]) {
      expect(await registry.resolve(name)).toBeUndefined();
      expect(await registry.versions(name)).toEqual([]);
    }
    expect((await readdir(root)).sort()).toEqual(before);
    // Names that cannot be stored are refused before anything is written.
    await expect(registry.stage("a\u0000b")).rejects.toThrow(/control characters/);
    await expect(registry.stage("x".repeat(201))).rejects.toThrow(/201 characters; the limit is 200/);
    await expect(registry.stage("   ")).rejects.toThrow(/non-empty string/);
    await expect(registry.stage("x".repeat(201))).rejects.toBeInstanceOf(RegistryError);
  });

  it("waits for a held lock, breaks a stale one, and gives up on a live one with a clear message", async () => {
    const { root, registry } = await freshRegistry({ lock: { staleMs: 50, timeoutMs: 10_000 } });
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "registry.lock"), '{"pid":999999}');
    const long = new Date(Date.now() - 10_000);
    await utimes(join(root, "registry.lock"), long, long);
    expect((await commitModel(registry, "Beauty")).version).toBe(1); // stale lock broken

    const impatient = new LocalRegistry(root, { lock: { staleMs: 3600_000, timeoutMs: 30 } });
    await writeFile(join(root, "registry.lock"), '{"pid":12345}');
    await expect(commitModel(impatient, "Beauty")).rejects.toThrow(/registry is busy: lock file .*registry\.lock.*12345.*delete that file/);
    await rm(join(root, "registry.lock"));
    expect((await commitModel(impatient, "Beauty")).version).toBe(2);
  });

  it("refuses a corrupt index with a message naming the file", async () => {
    const { root, registry } = await freshRegistry();
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "registry.json"), "{ not json");
    await expect(registry.categories()).rejects.toThrow(/registry\.json is not valid JSON/);
    await writeFile(join(root, "registry.json"), JSON.stringify({ format: 1, categories: [{ name: "x", dir: "../../etc", versions: [] }] }));
    await expect(registry.resolve("x")).rejects.toThrow(/registry index .* is corrupt/);
  });
});
