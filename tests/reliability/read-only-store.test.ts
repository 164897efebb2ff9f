// Issue 14, #10: with a tracking store it could not write, training failed with a bare
// "ENOENT … mkdir" (wrong cause, no hint) after the work was done. Now `train` refuses before
// any work, naming the folder, why, and the setting to change. (The HTTP side, a 503 without
// server paths, is in tests/server/probe-server.test.ts.)
//
// Two ways to make a folder unwritable: a path under a regular file (ENOTDIR, works for any
// user), and a folder without write permission (EACCES). chmod does not stop root, and tests
// may run as root (CI does): then the permission check runs in a child process as the user
// "nobody" instead.
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCliProblem, CATEGORY, createWorkspace, projectRoot, runCli, type Workspace } from "./helpers.js";

const problem = builtCliProblem();

describe.skipIf(problem !== undefined)(`training with a registry or tracking store it cannot write${problem ? ` [skipped: ${problem}]` : ""}`, () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await createWorkspace();
    await writeFile(join(ws.root, "a-file"), "a regular file, not a folder\n");
  });
  afterAll(() => ws?.cleanup());

  const cases: Array<[string, string[], RegExp]> = [
    ["train, tracking store under a file", ["train", "tracking.uri=a-file/mlruns"], /the tracking store folder \S*a-file\/mlruns cannot be written/],
    [
      "train --all, tracking store under a file",
      ["train", "--all", "tracking.uri=a-file/mlruns"],
      /the tracking store folder \S*a-file\/mlruns cannot be written/,
    ],
    [
      "train, registry under a file",
      ["train", "train.checkpoint_path=a-file/checkpoints/model.ckpt"],
      /the model registry folder \S*a-file\/checkpoints cannot be written/,
    ],
  ];
  for (const [name, args, folder] of cases) {
    it(`${name}: refused before any work, naming the folder, the cause and the setting`, async () => {
      const result = await runCli(ws, args);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(folder);
      expect(result.stderr).toContain("(a part of its path is a file, not a folder)");
      const setting = args[args.length - 1].split("=")[0];
      expect(result.stderr).toContain(`or set ${setting} to a folder it can write`);
      expect(result.stderr).not.toMatch(/ENOTDIR|ENOENT|mkdir/);
      expect(await ws.registry.versions(CATEGORY)).toEqual([]); // nothing trained
    }, 60_000);
  }
});

describe.skipIf(problem !== undefined)(`a folder without write permission${problem ? ` [skipped: ${problem}]` : ""}`, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "salescast-readonly-"));
    await chmod(root, 0o755); // reachable by "nobody" when the test runs as root
    await mkdir(join(root, "store"));
    await chmod(join(root, "store"), 0o555);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("is refused with 'permission denied' and the setting to change (as root: checked as the user nobody)", async () => {
    const module = pathToFileURL(join(projectRoot, "dist/src/util/writable-folder.js")).href;
    const script = join(root, "check.mjs");
    await writeFile(
      script,
      `const { checkWritableFolder } = await import(${JSON.stringify(module)});
       try { await checkWritableFolder(process.argv[2], "tracking.uri", "the tracking store folder"); console.log("WRITABLE"); }
       catch (error) { console.log(JSON.stringify({ name: error.name, message: error.message, publicMessage: error.publicMessage })); }`,
    );
    await chmod(script, 0o644);
    const asRoot = process.getuid?.() === 0;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [script, join(root, "store", "mlruns")], {
        stdio: ["ignore", "pipe", "pipe"],
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      let text = "";
      child.stdout.on("data", (chunk) => (text += chunk));
      child.stderr.on("data", (chunk) => (text += chunk));
      child.on("error", reject);
      child.on("close", () => resolve(text));
    });
    const error = JSON.parse(output.trim()) as { name: string; message: string; publicMessage: string };
    expect(error.name).toBe("FolderNotWritableError");
    expect(error.message).toBe(
      `the tracking store folder ${join(root, "store", "mlruns")} cannot be written (permission denied): ` +
        "make it writable for the user running salescast, or set tracking.uri to a folder it can write",
    );
    expect(error.publicMessage).not.toContain(root);
  });
});
