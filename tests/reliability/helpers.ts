// Shared by the crash tests: a temporary workspace (tiny sales file + tiny config), the built
// CLI as a child process, and the checks every kill must pass. The CLI runs from dist/, so the
// tests skip (and say why) when dist/ is missing or older than the sources, like the other
// suites that run the build.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { builtDistProblem } from "../built-dist.js";
import { loadCheckpoint } from "../../src/engine/checkpoint.js";
import { SalesForecaster } from "../../src/forecaster/index.js";
import { LocalRegistry, type ModelVersionInfo } from "../../src/registry/index.js";
import { LocalTrackingStore } from "../../src/tracking/index.js";
import { TMP_MARKER } from "../../src/util/atomic-file.js";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const bin = join(projectRoot, "bin", "salescast.js");
export const WINDOW = 7;
export const CATEGORY = "Beauty";

/** Why the built CLI cannot be tested, or undefined when dist/ is there and newer than every source it runs. */
export function builtCliProblem(): string | undefined {
  return builtDistProblem(["dist/src/cli.js"], ["src"]);
}

export interface Workspace {
  root: string;
  registry: LocalRegistry;
  store: LocalTrackingStore;
  cleanup(): Promise<void>;
}

/** Daily sales of Beauty and Clothing with a weekly pattern; tiny model settings so a training takes well under a second. */
export async function createWorkspace(options: { maxEpochs?: number; days?: number } = {}): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), "salescast-reliability-"));
  const days = options.days ?? 120;
  const lines = ["Date,Product Category,Total Amount"];
  ["Beauty", "Clothing"].forEach((category, k) => {
    for (let i = 0; i < days; i++) {
      const date = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${date},${category},${((100 + 50 * k) * (1 + 0.3 * Math.sin((i * 2 * Math.PI) / 7)) + (i % 5)).toFixed(2)}`);
    }
  });
  await writeFile(join(root, "sales.csv"), `${lines.join("\n")}\n`);
  await writeFile(
    join(root, "config.yaml"),
    [
      "data: {csv_path: sales.csv, window_size: 7, batch_size: 8}",
      "model: {architecture: CNNLSTM, conv_channels: 4, lstm_hidden: 8}",
      `train: {max_epochs: ${options.maxEpochs ?? 3}, patience: 100, experiment_name: crash-tests}`,
      "tracking: {uri: mlruns}",
      "app: {model_refresh_ms: 0, training_threads: 1}",
      "",
    ].join("\n"),
  );
  return {
    root,
    registry: new LocalRegistry(join(root, "checkpoints")),
    store: new LocalTrackingStore(join(root, "mlruns")),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built CLI in the workspace; only PATH and the given variables reach it. */
export function startCli(
  ws: Workspace,
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; exited: Promise<Exited>; output: () => string } {
  const child = spawn(process.execPath, [bin, ...args, "--config", "config.yaml"], {
    cwd: ws.root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<Exited>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited, output: () => stdout + stderr };
}

export function runCli(ws: Workspace, args: string[], env: Record<string, string> = {}): Promise<Exited> {
  return startCli(ws, args, env).exited;
}

/** A plausible window of Beauty sales. */
export function sampleWindow(): number[] {
  return Array.from({ length: WINDOW }, (_, i) => 100 * (1 + 0.3 * Math.sin((i * 2 * Math.PI) / 7)));
}

/**
 * What must hold after any kill: every version the registry lists loads with the engine's
 * checkpoint loader and answers a forecast; no listed folder is a staging folder or holds a
 * temporary file; the served version (champion, else latest) answers. Returns the served version.
 */
export async function expectRegistryIntact(ws: Workspace): Promise<ModelVersionInfo | undefined> {
  for (const category of await ws.registry.categories()) {
    for (const info of await ws.registry.versions(category)) {
      expect(relative(ws.registry.root, info.dir)).toMatch(/^[a-z0-9-]+\/v\d+$/);
      const files = await readdir(info.dir);
      expect(
        files.filter((name) => name.includes(TMP_MARKER)),
        info.dir,
      ).toEqual([]);
      await loadCheckpoint(info.dir, { windowSize: info.windowSize });
    }
  }
  const served = await ws.registry.resolve(CATEGORY);
  if (served) {
    const forecaster = await SalesForecaster.fromRegistered(served);
    const value = forecaster.forecast(sampleWindow());
    expect(Number.isFinite(value as number)).toBe(true);
  }
  return served;
}

export interface Champion {
  /** Wall time of that first training, from process start to exit. */
  trainMs: number;
  forecast: number;
}

/** Trains version 1 with the CLI and makes it the champion, so later versions never replace it. */
export async function trainChampion(ws: Workspace): Promise<Champion> {
  const started = performance.now();
  const first = await runCli(ws, ["train", "--json"]);
  const trainMs = performance.now() - started;
  expect(first.code, first.stderr).toBe(0);
  await ws.registry.setAlias(CATEGORY, "champion", 1);
  const served = await ws.registry.resolve(CATEGORY);
  return { trainMs, forecast: (await SalesForecaster.fromRegistered(served!)).forecast(sampleWindow()) as number };
}

/** After any kill: nothing lost, nothing partial visible, the champion answers as before, no run left RUNNING. */
export async function expectSafeAfterKill(ws: Workspace, champion: Champion, what: string): Promise<void> {
  const served = await expectRegistryIntact(ws);
  expect(served?.version, what).toBe(1);
  expect((await SalesForecaster.fromRegistered(served!)).forecast(sampleWindow())).toBe(champion.forecast);
  const run = await newestRun(ws);
  // Killed before its process could end it: never FINISHED, FAILED "abandoned" once read.
  // (Killed before the run existed, the newest run is an earlier one: also never RUNNING.)
  expect(run.status, what).not.toBe("RUNNING");
  if (run.status !== "FINISHED") expect(run.error, what).toMatch(/abandoned|interrupted|failed/i);
}

/** The newest run of the experiment (runs are listed newest first). */
export async function newestRun(ws: Workspace) {
  const runs = await ws.store.listRuns({ experimentName: "crash-tests" });
  return runs[0];
}

/** Files a crash may leave on disk that the next run must have removed. */
export async function leftovers(ws: Workspace): Promise<string[]> {
  const root = ws.registry.root;
  const found: string[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (name.includes(TMP_MARKER) || name.startsWith("registry.lock")) found.push(name);
  }
  for (const name of await readdir(join(root, ".staging")).catch(() => [] as string[])) found.push(`.staging/${name}`);
  const listed = new Set((await ws.registry.versions(CATEGORY)).map((v) => v.dir));
  for (const info of await ws.registry.list()) {
    const categoryDir = dirname(info.dir);
    for (const name of await readdir(categoryDir)) {
      if (!listed.has(join(categoryDir, name)) && info.category === CATEGORY) found.push(`${relative(root, categoryDir)}/${name}`);
    }
  }
  return found.sort();
}

/** A small seeded generator (mulberry32), so a failing random-kill sequence can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
