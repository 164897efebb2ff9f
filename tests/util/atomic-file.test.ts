import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileAtomic, readJsonIfExists, syncDirectory, TMP_MARKER, writeFileAtomic, writeJsonAtomic } from "../../src/util/atomic-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-atomic-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("atomic files", () => {
  it("writes, replaces and copies whole files, leaving no temporary file behind", async () => {
    const path = join(dir, "nested", "a.json");
    await writeJsonAtomic(path, { v: 1 });
    await writeJsonAtomic(path, { v: 2 });
    expect(await readJsonIfExists(path)).toEqual({ v: 2 });
    await copyFileAtomic(path, join(dir, "copy", "b.json"));
    expect(await readFile(join(dir, "copy", "b.json"), "utf8")).toBe(await readFile(path, "utf8"));
    const names = [...(await readdir(join(dir, "nested"))), ...(await readdir(join(dir, "copy")))];
    expect(names.filter((name) => name.includes(TMP_MARKER))).toEqual([]);
  });

  it("a failed rename removes its temporary file and reports the error", async () => {
    const target = join(dir, "is-a-folder");
    await writeFileAtomic(join(target, "inside"), "x"); // makes `target` a non-empty folder
    await expect(writeFileAtomic(target, "y")).rejects.toThrow();
    expect((await readdir(dir)).filter((name) => name.includes(TMP_MARKER))).toEqual([]);
  });

  it("syncDirectory is best effort: a folder it cannot open is not an error", async () => {
    await expect(syncDirectory(dir)).resolves.toBeUndefined();
    await expect(syncDirectory(join(dir, "missing"))).resolves.toBeUndefined();
  });

  it("readJsonIfExists: undefined for a missing file, an error naming a corrupt one", async () => {
    expect(await readJsonIfExists(join(dir, "none.json"))).toBeUndefined();
    await writeFile(join(dir, "bad.json"), "{");
    await expect(readJsonIfExists(join(dir, "bad.json"))).rejects.toThrow(/bad\.json is not valid JSON/);
  });
});
