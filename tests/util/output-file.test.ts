// The one check behind every --out (src/util/output-file.ts): only "-", a new path or a regular
// file may be written; anything else is refused before a byte is written, and again just
// before the rename (a target that changed during a long command).
import { execFileSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOutputTarget, OutputTargetError, writeOutputFile } from "../../src/util/output-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-out-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("checkOutputTarget", () => {
  it("accepts -, a path that does not exist yet, and a regular file", async () => {
    await writeFile(join(dir, "file.csv"), "x");
    for (const path of ["-", join(dir, "new.csv"), join(dir, "new-folder", "new.csv"), join(dir, "file.csv")]) {
      await expect(checkOutputTarget(path)).resolves.toBeUndefined();
    }
  });

  it("refuses a device, a FIFO, a folder, a symbolic link and an empty name, each saying what it is", async () => {
    execFileSync("mkfifo", [join(dir, "fifo")]);
    await mkdir(join(dir, "folder"));
    await symlink("file.csv", join(dir, "link.csv"));
    const cases: Array<[string, RegExp]> = [
      ["/dev/null", /is a character device, not a regular file/],
      [join(dir, "fifo"), /is a named pipe \(FIFO\)/],
      [join(dir, "folder"), /is a folder/],
      [join(dir, "link.csv"), /is a symbolic link \(to file\.csv\).*does not follow links/],
      ["", /--out is empty/],
      [join(dir, "file.csv", "below"), /a part of that path is a file/],
    ];
    for (const [path, message] of cases) {
      const error = await checkOutputTarget(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, path).toBeInstanceOf(OutputTargetError);
      expect((error as Error).message, path).toMatch(message);
      expect((error as OutputTargetError).hint, path).toBeTruthy();
    }
    expect((await lstat("/dev/null")).isCharacterDevice()).toBe(true);
  });

  it("names the setting the path came from", async () => {
    await expect(checkOutputTarget(join(dir, "folder"), { option: "data.csv_path" })).rejects.toThrow(/^data\.csv_path .* is a folder/);
  });
});

describe("writeOutputFile", () => {
  it("streams chunks into a regular file atomically", async () => {
    const path = join(dir, "streamed.csv");
    expect(await writeOutputFile(path, ["a,b\n", new TextEncoder().encode("1,2\n")])).toBe("file");
    expect(await readFile(path, "utf8")).toBe("a,b\n1,2\n");
  });

  it("refuses a target that became a symbolic link while the content was written, and removes its temporary file", async () => {
    const path = join(dir, "swapped.csv");
    async function* content() {
      yield "first\n";
      await symlink("file.csv", path); // someone plants a link mid-write
      yield "second\n";
    }
    await expect(writeOutputFile(path, content())).rejects.toThrow(/is a symbolic link/);
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect((await readdir(dir)).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });
});
