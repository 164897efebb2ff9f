// The behaviour every model registry must have (local and MLflow): what ModelRegistry in
// src/registry/registry.ts promises. An implementation's test file calls runRegistryContract
// with a factory that opens an empty registry and says how to register a version through that
// registry's own write side (the local one stages and commits a folder; MLflow's registers a
// run's artifacts). Cases a registry cannot meet are skipped by name with a stated reason,
// never silently.
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { applyChampionDecision, CHALLENGER_ALIAS } from "../../src/registry/champion.js";
import { RegistryError, type ModelRegistry, type ModelVersionInfo, type VersionMetadata } from "../../src/registry/index.js";

export interface RegistryUnderTest {
  registry: ModelRegistry;
  /** The folder versions' files are found under (every resolve().dir lies inside it). Its parent holds nothing else. */
  root: string;
  /** Registers the next version of category holding these files (name -> text), through the registry's write side. */
  addVersion(category: string, files: Record<string, string>, info: VersionMetadata): Promise<ModelVersionInfo>;
  /** Another registry object over the same state, as a second process would open it. */
  reopen(): Promise<RegistryUnderTest>;
}

export interface RegistryContractOptions {
  /** Case names to skip, each with the reason. */
  skip?: Record<string, string>;
}

const FILES = { "model.safetensors": "weights", "model.json": '{"window":14}' };

export function runRegistryContract(name: string, open: () => Promise<RegistryUnderTest>, options: RegistryContractOptions = {}): void {
  describe(`ModelRegistry contract: ${name}`, () => {
    const caseIt = (title: string, fn: () => Promise<void>) =>
      options.skip?.[title] ? it.skip(`${title} (skipped: ${options.skip[title]})`, fn) : it(title, fn);

    caseIt("registers versions that count up, each with its files and what it recorded", async () => {
      const { registry, addVersion, reopen } = await open();
      expect(["local", "mlflow"]).toContain(registry.kind);
      const v1 = await addVersion(
        "Beauty",
        { "model.safetensors": "one", "normalization.json": '{"mean":1,"std":2}' },
        { windowSize: 14, metrics: { val_mae: 1.5 } },
      );
      const v2 = await addVersion("Beauty", { "model.safetensors": "two" }, { windowSize: 28 });
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(v1).toMatchObject({ category: "Beauty", windowSize: 14, metrics: { val_mae: 1.5 }, aliases: [] });
      expect(v1.heldBack).toBeUndefined();
      expect(v2.metrics).toBeUndefined();
      expect(Number.isNaN(Date.parse(v1.createdAt))).toBe(false);
      const versions = await registry.versions("Beauty");
      expect(versions.map((v) => [v.category, v.version, v.windowSize, v.runId])).toEqual([
        ["Beauty", 1, 14, v1.runId],
        ["Beauty", 2, 28, v2.runId],
      ]);
      expect(await registry.categories()).toEqual(["Beauty"]);

      const first = (await registry.resolve("Beauty", 1))!;
      expect(await readFile(join(first.dir, "model.safetensors"), "utf8")).toBe("one");
      expect(await readFile(join(first.dir, "normalization.json"), "utf8")).toBe('{"mean":1,"std":2}');
      const served = (await registry.resolve("Beauty"))!;
      expect(served.version).toBe(2);
      expect(await readFile(join(served.dir, "model.safetensors"), "utf8")).toBe("two");
      // A second registry object over the same state (another process) sees the same thing.
      expect((await (await reopen()).registry.resolve("Beauty"))?.version).toBe(2);
    });

    caseIt("keeps finite metrics only", async () => {
      const { registry, addVersion } = await open();
      await addVersion("Beauty", FILES, { windowSize: 7, metrics: { val_mae: 2, val_mase: NaN, val_rmse: Infinity } });
      const [version] = await registry.versions("Beauty");
      expect(version.metrics).toEqual({ val_mae: 2 });
    });

    caseIt("resolves by number, digits, alias, latest and by default the champion, else the latest", async () => {
      const { registry, addVersion } = await open();
      for (let i = 0; i < 3; i++) await addVersion("Clothing", FILES, { windowSize: 14 });
      expect((await registry.resolve("Clothing"))?.version).toBe(3); // no champion yet: latest
      await registry.setAlias("Clothing", "champion", 2);
      expect((await registry.resolve("Clothing"))?.version).toBe(2);
      expect((await registry.resolve("Clothing", "champion"))?.aliases).toEqual(["champion"]);
      expect((await registry.resolve("Clothing", 1))?.version).toBe(1);
      expect((await registry.resolve("Clothing", "3"))?.version).toBe(3);
      expect((await registry.resolve("Clothing", "latest"))?.version).toBe(3);
      expect(await registry.resolve("Clothing", 9)).toBeUndefined();
      expect(await registry.resolve("Clothing", "challenger")).toBeUndefined();
      expect(await registry.resolve("Electronics")).toBeUndefined();
      await registry.setAlias("Clothing", "champion", 3); // moving an alias
      expect((await registry.versions("Clothing")).map((v) => v.aliases)).toEqual([[], [], ["champion"]]);
      await registry.removeAlias("Clothing", "champion");
      expect((await registry.resolve("Clothing"))?.version).toBe(3);
    });

    caseIt("lists several aliases of one version sorted, and removes one alone", async () => {
      const { registry, addVersion } = await open();
      await addVersion("Toys", FILES, { windowSize: 14 });
      await addVersion("Toys", FILES, { windowSize: 14 });
      await registry.setAlias("Toys", "shadow", 1);
      await registry.setAlias("Toys", "champion", 1);
      await registry.setAlias("Toys", "audit-2026", 1);
      expect((await registry.resolve("Toys", 1))?.aliases).toEqual(["audit-2026", "champion", "shadow"]);
      await registry.removeAlias("Toys", "shadow");
      expect((await registry.versions("Toys")).map((v) => v.aliases)).toEqual([["audit-2026", "champion"], []]);
      expect(await registry.resolve("Toys", "shadow")).toBeUndefined();
      expect((await registry.resolve("Toys"))?.version).toBe(1); // the champion stays served
    });

    caseIt("removing an alias never set is fine; removing one of an unknown category is refused", async () => {
      const { registry, addVersion } = await open();
      await addVersion("Toys", FILES, { windowSize: 14 });
      await registry.setAlias("Toys", "champion", 1);
      await expect(registry.removeAlias("Toys", "challenger")).resolves.toBeUndefined();
      expect((await registry.resolve("Toys", 1))?.aliases).toEqual(["champion"]);
      await expect(registry.removeAlias("Games", "champion")).rejects.toThrow(/no model registered for category "Games".*train it first/);
      await expect(registry.removeAlias("Games", "champion")).rejects.toMatchObject({ name: "RegistryError", code: "not_found" });
      expect(await registry.categories()).toEqual(["Toys"]);
    });

    caseIt("a challenger is registered beside the champion, which stays served, until promote moves it", async () => {
      const { registry, addVersion, reopen } = await open();
      await addVersion("Garden", FILES, { windowSize: 14 });
      // No champion alias yet: version 1 is served as the latest; a losing version 2 pins it.
      await addVersion("Garden", FILES, { windowSize: 14 });
      expect(await applyChampionDecision(registry, "Garden", 2, "challenger")).toEqual({ champion: 1, challenger: 2 });
      expect((await registry.resolve("Garden"))?.version).toBe(1);
      expect((await registry.resolve("Garden", CHALLENGER_ALIAS))?.version).toBe(2);
      expect((await (await reopen()).registry.resolve("Garden"))?.version).toBe(1);
      // A better version 3 takes the champion alias and clears the challenger.
      await addVersion("Garden", FILES, { windowSize: 14 });
      expect(await applyChampionDecision(registry, "Garden", 3, "champion")).toEqual({ champion: 3 });
      expect((await registry.versions("Garden")).map((v) => v.aliases)).toEqual([[], [], ["champion"]]);
      // A losing version 4 leaves 3 served; promote (setAlias champion) overrides the decision.
      await addVersion("Garden", FILES, { windowSize: 14 });
      await applyChampionDecision(registry, "Garden", 4, "challenger");
      expect((await registry.resolve("Garden"))?.version).toBe(3);
      await registry.setAlias("Garden", "champion", 4);
      expect((await registry.resolve("Garden"))?.version).toBe(4);
      expect((await registry.resolve("Garden", 4))?.aliases).toEqual(["challenger", "champion"]);
    });

    caseIt("the first version of a category is champion even when it lost (nothing else serves); an unknown version is refused", async () => {
      const { registry, addVersion } = await open();
      await addVersion("Pets", FILES, { windowSize: 14 });
      expect(await applyChampionDecision(registry, "Pets", 1, "challenger")).toEqual({ champion: 1 });
      expect((await registry.resolve("Pets"))?.aliases).toEqual(["champion"]);
      await expect(applyChampionDecision(registry, "Pets", 7, "champion")).rejects.toMatchObject({ name: "RegistryError", code: "not_found" });
    });

    caseIt("list gives the served version of each category, by name", async () => {
      const { registry, addVersion } = await open();
      await addVersion("Electronics", FILES, { windowSize: 14 });
      await addVersion("Beauty", FILES, { windowSize: 14 });
      await addVersion("Beauty", FILES, { windowSize: 14 });
      await registry.setAlias("Beauty", "champion", 1);
      expect((await registry.list()).map((v) => [v.category, v.version])).toEqual([
        ["Beauty", 1],
        ["Electronics", 1],
      ]);
      expect(await registry.categories()).toEqual(["Beauty", "Electronics"]);
    });

    caseIt("held-back versions stay registered and listed, with their reason, while the previous version stays served", async () => {
      const { registry, addVersion } = await open();
      await addVersion("Beauty", FILES, { windowSize: 14 });
      const held = await addVersion("Beauty", FILES, { windowSize: 14, heldBack: "its validation MAE is 50 times that of the worst baseline" });
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

    caseIt("a category with only held-back versions serves nothing, until a healthy one or a promotion", async () => {
      const { registry, addVersion } = await open();
      await addVersion("Beauty", FILES, { windowSize: 14, heldBack: "not finite" });
      expect(await registry.resolve("Beauty")).toBeUndefined();
      expect(await registry.list()).toEqual([]);
      expect(await registry.categories()).toEqual(["Beauty"]); // registered all the same
      await registry.setAlias("Beauty", "champion", 1); // promoted by hand: the user's choice
      expect((await registry.resolve("Beauty"))?.version).toBe(1);
      await registry.removeAlias("Beauty", "champion");
      await addVersion("Beauty", FILES, { windowSize: 14 });
      expect((await registry.resolve("Beauty"))?.version).toBe(2);
    });

    caseIt("refuses bad aliases and versions, and unknown versions or categories, with clear errors", async () => {
      const { registry, addVersion } = await open();
      await addVersion("Beauty", FILES, { windowSize: 14 });
      await expect(registry.setAlias("Beauty", "champion", 7)).rejects.toThrow(/"Beauty" has no version 7 \(versions: 1\)/);
      await expect(registry.setAlias("Beauty", "champion", 7)).rejects.toMatchObject({ name: "RegistryError", code: "not_found" });
      await expect(registry.setAlias("Toys", "champion", 1)).rejects.toThrow(/no model registered for category "Toys".*train it first/);
      await expect(registry.setAlias("Toys", "champion", 1)).rejects.toMatchObject({ code: "not_found" });
      await expect(registry.setAlias("Beauty", "latest", 1)).rejects.toThrow(/reserved/);
      await expect(registry.setAlias("Beauty", "v2", 1)).rejects.toThrow(/reserved/);
      await expect(registry.setAlias("Beauty", "../x", 1)).rejects.toThrow(/alias "\.\.\/x" is not valid/);
      await expect(registry.setAlias("Beauty", "../x", 1)).rejects.toBeInstanceOf(RegistryError);
      for (const version of [0, -1, 1.5, NaN]) {
        await expect(registry.setAlias("Beauty", "champion", version)).rejects.toMatchObject({
          code: "invalid",
          message: expect.stringMatching(/version must be a positive integer/),
        });
      }
      expect((await registry.resolve("Beauty"))?.aliases).toEqual([]); // nothing was set by the refusals
      await expect(registry.setAlias("Beauty", "constructor", 1)).resolves.toBeUndefined(); // plain data, not object machinery
      expect((await registry.resolve("Beauty", "constructor"))?.version).toBe(1);
      expect(await registry.resolve("Beauty", "toString")).toBeUndefined();
    });

    caseIt("unknown categories, versions and aliases resolve to nothing and create nothing", async () => {
      const { registry, addVersion } = await open();
      await addVersion("Beauty", FILES, { windowSize: 14 });
      for (const name of ["beauty", "BEAUTY", "Beaut", "toString", "hasOwnProperty", "__proto__", "constructor", "Nothing here"]) {
        expect(await registry.resolve(name)).toBeUndefined();
        expect(await registry.resolve(name, "latest")).toBeUndefined();
        expect(await registry.versions(name)).toEqual([]);
      }
      expect(await registry.resolve("Beauty", 2)).toBeUndefined();
      expect(await registry.resolve("Beauty", "2")).toBeUndefined();
      expect(await registry.resolve("Beauty", "challenger")).toBeUndefined();
      expect(await registry.resolve("Beauty", "__proto__")).toBeUndefined();
      expect(await registry.categories()).toEqual(["Beauty"]);
      expect((await registry.list()).map((v) => v.category)).toEqual(["Beauty"]);
    });

    caseIt("names with unicode, spaces, quotes and dots stay names, never paths", async () => {
      const harness = await open();
      const names = ["Café Zürich", "東京 ストア", "Home & Garden", "a  b", `it's "quoted"`, "..", ".", "__proto__", "constructor", "100%_off"];
      await expectNamesStayNames(harness, names, ["cafe zurich", "東京", "home-garden", "a b", "100%", "..."]);
    });

    caseIt("names with slashes, backslashes and drive letters stay names, never paths", async () => {
      const harness = await open();
      const names = ["../etc", "../../tmp/x", "a/b", "/abs/path", "C:\\windows", "x/../../y"];
      await expectNamesStayNames(harness, names, ["etc", "../ETC", "a b", "abs/path", "C:/windows"]);
    });

    caseIt("names that cannot be stored are refused before anything is registered", async () => {
      const { registry, addVersion } = await open();
      await expect(addVersion("a\u0000b", FILES, { windowSize: 14 })).rejects.toThrow(/control characters/);
      await expect(addVersion("x".repeat(201), FILES, { windowSize: 14 })).rejects.toThrow(/201 characters; the limit is 200/);
      await expect(addVersion("   ", FILES, { windowSize: 14 })).rejects.toThrow(/non-empty string/);
      await expect(addVersion("", FILES, { windowSize: 14 })).rejects.toMatchObject({ name: "RegistryError", code: "invalid" });
      expect(await registry.categories()).toEqual([]);
      expect(await registry.list()).toEqual([]);
    });

    caseIt("a version needs its window size, a positive integer", async () => {
      const { registry, addVersion } = await open();
      for (const windowSize of [0, -3, 2.5, NaN, undefined as unknown as number]) {
        await expect(addVersion("Beauty", FILES, { windowSize })).rejects.toMatchObject({
          code: "invalid",
          message: expect.stringMatching(/windowSize as a positive integer/),
        });
      }
      expect(await registry.versions("Beauty")).toEqual([]);
      expect((await addVersion("Beauty", FILES, { windowSize: 3 })).version).toBe(1);
    });

    caseIt("gives distinct versions to concurrent registrations (several registry objects, one state)", async () => {
      const first = await open();
      const harnesses = [first, await first.reopen(), await first.reopen()];
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          harnesses[i % 3].addVersion(i % 2 === 0 ? "Beauty" : "Clothing", { "model.safetensors": `model ${i}` }, { windowSize: 14 }),
        ),
      );
      for (const category of ["Beauty", "Clothing"]) {
        const versions = results
          .filter((r) => r.category === category)
          .map((r) => r.version)
          .sort();
        expect(versions).toEqual([1, 2, 3, 4]);
      }
      // Every registration's files are in its own version, and all eight are listed.
      for (const [i, r] of results.entries()) {
        const resolved = (await first.registry.resolve(r.category, r.version))!;
        expect(await readFile(join(resolved.dir, "model.safetensors"), "utf8")).toBe(`model ${i}`);
      }
      expect((await first.registry.versions("Beauty")).length + (await first.registry.versions("Clothing")).length).toBe(8);
    });
  });
}

/**
 * Registers each name, then checks it comes back exactly, its files live in a folder of safe
 * name segments inside the root, nothing appeared beside the root, and similar names find nothing.
 */
async function expectNamesStayNames(harness: RegistryUnderTest, names: string[], similar: string[]): Promise<void> {
  const { registry, root, addVersion } = harness;
  for (const name of names) await addVersion(name, { "model.safetensors": `weights of ${name}` }, { windowSize: 14 });
  expect(await registry.categories()).toEqual([...names].sort());
  expect((await registry.list()).map((v) => v.category)).toEqual([...names].sort());
  for (const name of names) {
    const version = (await registry.resolve(name))!;
    expect(version.category).toBe(name);
    expect(await readFile(join(version.dir, "model.safetensors"), "utf8")).toBe(`weights of ${name}`);
    const inside = relative(root, version.dir);
    expect(isAbsolute(inside) || inside.startsWith("..")).toBe(false);
    for (const segment of inside.split(sep)) expect(segment).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  }
  expect((await readdir(dirname(root))).filter((entry) => entry !== basename(root))).toEqual([]);
  for (const name of similar) {
    expect(await registry.resolve(name)).toBeUndefined();
    expect(await registry.versions(name)).toEqual([]);
  }
}
