// Issue 14 #1: `--out` pointed at a device, a FIFO, a symbolic link or a folder. The atomic
// write renamed its temporary file over the target, so `--out /dev/null` turned the device
// node into a plain file (as root, any device). Every command with --out (backtest, export,
// demo-data) must refuse such a target with a clear message and leave it exactly as it was,
// and `--out -` must write to standard output. /dev/null is only ever named, never written:
// the check refuses it before anything is opened, and the test asserts it is still a device.
import { execFileSync } from "node:child_process";
import { lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCliProblem, createWorkspace, runCli, type Workspace } from "./helpers.js";

const problem = builtCliProblem();
let ws: Workspace;

beforeAll(async () => {
  if (problem) return;
  ws = await createWorkspace({ maxEpochs: 1 });
  const trained = await runCli(ws, ["train", "--json"]);
  expect(trained.code, trained.stderr).toBe(0);
  await mkdir(join(ws.root, "a-folder"));
  execFileSync("mkfifo", [join(ws.root, "a-fifo")]);
  await writeFile(join(ws.root, "real.csv"), "keep me\n");
  await symlink("real.csv", join(ws.root, "a-link.csv"));
}, 120_000);
afterAll(() => ws?.cleanup());

// Each command with the arguments that make it write its --out file (quick settings).
const commands: Array<[string, string[]]> = [
  ["backtest", ["backtest", "--category", "Beauty", "--horizon", "2", "--windows", "1"]],
  ["export", ["export", "--category", "Beauty"]],
  ["demo-data", ["demo-data", "--days", "5"]],
];

describe.skipIf(problem)(`--out refuses what is not a regular file${problem ? ` (skipped: ${problem})` : ""}`, () => {
  it.each(commands)("%s: a character device (/dev/null) is refused and stays a device", async (_name, args) => {
    const ran = await runCli(ws, [...args, "--out", "/dev/null"]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("--out /dev/null is a character device, not a regular file");
    expect(ran.stderr).toContain("hint: give a file name");
    expect((await lstat("/dev/null")).isCharacterDevice()).toBe(true);
  });

  it.each(commands)("%s: a FIFO is refused without being opened (no hang) and stays a FIFO", async (_name, args) => {
    const ran = await runCli(ws, [...args, "--out", "a-fifo"]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("--out a-fifo is a named pipe (FIFO), not a regular file");
    expect((await lstat(join(ws.root, "a-fifo"))).isFIFO()).toBe(true);
  });

  it.each(commands)("%s: a symbolic link is refused (not followed), the link and its target stay as they were", async (_name, args) => {
    const ran = await runCli(ws, [...args, "--out", "a-link.csv"]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("--out a-link.csv is a symbolic link (to real.csv)");
    expect(ran.stderr).toContain(`give the file itself (${join(ws.root, "real.csv")})`);
    expect(await readlink(join(ws.root, "a-link.csv"))).toBe("real.csv");
    expect(await readFile(join(ws.root, "real.csv"), "utf8")).toBe("keep me\n");
  });

  it.each(commands)("%s: a folder is refused and left alone", async (_name, args) => {
    const ran = await runCli(ws, [...args, "--out", "a-folder"]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("--out a-folder is a folder, not a regular file");
    expect((await stat(join(ws.root, "a-folder"))).isDirectory()).toBe(true);
  });

  it("nothing was written by any refused command (no file, no temporary beside the targets)", async () => {
    const { readdir } = await import("node:fs/promises");
    expect((await readdir(ws.root)).filter((name) => name.includes(".tmp-"))).toEqual([]);
    expect(await readdir(join(ws.root, "a-folder"))).toEqual([]);
  });

  it("--out - writes the file to standard output; the summary goes to stderr", async () => {
    const backtest = await runCli(ws, [...commands[0][1], "--out", "-"]);
    expect(backtest.code, backtest.stderr).toBe(0);
    expect(backtest.stdout.split("\n")[0]).toBe("category,model,cutoff,step,date,forecast,actual,error,lo_80,hi_80,lo_95,hi_95");
    expect(backtest.stderr).toContain("rows to standard output");
    expect(backtest.stderr).toMatch(/Beauty: MASE by day ahead/);

    const demo = await runCli(ws, [...commands[2][1], "--out", "-"]);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout.startsWith("Transaction ID,Date,")).toBe(true);
    expect(demo.stderr).toContain("transactions to standard output");

    const exported = await runCli(ws, [...commands[1][1], "--out", "-"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.length).toBeGreaterThan(1000); // the ONNX protobuf bytes
    expect(exported.stderr).toContain("wrote standard output (Beauty, version 1)");
  });

  it("--out - with --json is refused: both want standard output", async () => {
    const ran = await runCli(ws, [...commands[2][1], "--out", "-", "--json"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("--out - and --json both write to standard output");
  });

  it("a regular file is replaced, and a new one (in a new folder) is created", async () => {
    await writeFile(join(ws.root, "old.csv"), "old\n");
    const replaced = await runCli(ws, [...commands[2][1], "--out", "old.csv"]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect((await readFile(join(ws.root, "old.csv"), "utf8")).startsWith("Transaction ID,")).toBe(true);
    const created = await runCli(ws, [...commands[1][1], "--out", "new/beauty.onnx"]);
    expect(created.code, created.stderr).toBe(0);
    expect((await stat(join(ws.root, "new", "beauty.onnx"))).isFile()).toBe(true);
  });
});
