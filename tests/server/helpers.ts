// Fixtures for the forecaster and server tests: a temporary folder with a synthetic sales CSV,
// a configuration pointing into it, and real (tiny, randomly initialised) models committed to
// a real LocalRegistry. Nothing here reads /work/shared/data.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builtDistProblem } from "../built-dist.js";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import type { Config } from "../../src/config/schema.js";
import { saveCheckpoint } from "../../src/engine/checkpoint.js";
import { CnnLstmModel } from "../../src/engine/model.js";
import { LocalRegistry, type ModelVersionInfo } from "../../src/registry/index.js";
import type { IntervalCalibration } from "../../src/models/intervals.js";

export const WINDOW = 14;
export const TINY_SHAPE = { windowSize: WINDOW, inputSize: 1, convChannels: 4, lstmHidden: 8, lstmLayers: 1, outputSize: 1 };
export const NORMALIZATION = { mean: 120, std: 30 };

export interface Workspace {
  root: string;
  csvPath: string;
  registryRoot: string;
  config: Config;
  registry: LocalRegistry;
  cleanup(): Promise<void>;
}

export function dailyDates(n: number, start = "2024-01-01"): string[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

/** A weekly pattern with a little seeded noise: something a tiny network can learn in two epochs. */
export function syntheticValues(n: number, seed: number, level: number): number[] {
  let state = seed >>> 0 || 1;
  const noise = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  const weekly = [1.0, 1.2, 0.9, 1.1, 1.4, 0.6, 0.5];
  return Array.from({ length: n }, (_, i) => Math.round((level * weekly[i % 7] + noise() * 10) * 100) / 100);
}

/** Long layout, one row per day and category (Beauty and Clothing, 90 days from 2024-01-01). */
export async function writeSalesCsv(path: string, categories = ["Beauty", "Clothing"], days = 90): Promise<void> {
  const dates = dailyDates(days);
  const lines = ["Date,Product Category,Total Amount"];
  categories.forEach((category, k) => {
    const values = syntheticValues(days, k + 1, 100 + 50 * k);
    dates.forEach((date, i) => lines.push(`${date},${category},${values[i]}`));
  });
  await writeFile(path, `${lines.join("\n")}\n`);
}

/** A tiny model's configuration with its files in `root` (the defaults for everything else). */
export function testConfig(root: string, overrides: { itemId?: string; maxEpochs?: number } = {}): Config {
  return configFromDefaults(
    {
      data: { item_id: overrides.itemId ?? "Beauty", window_size: WINDOW, batch_size: 16 },
      // The reference's network (architecture auto, the default, is tested in tests/server/forecast.test.ts).
      model: { architecture: "CNNLSTM", conv_channels: 4, lstm_hidden: 8, lr: 0.01 },
      train: { max_epochs: overrides.maxEpochs ?? 2, mlflow_tracking_uri: "", experiment_name: "server-tests" },
    },
    { folder: root },
  );
}

export async function createWorkspace(options: { categories?: string[]; days?: number } = {}): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), "salescast-server-"));
  const csvPath = join(root, "sales.csv");
  await writeSalesCsv(csvPath, options.categories, options.days);
  const config = testConfig(root);
  const registryRoot = join(root, "checkpoints");
  return {
    root,
    csvPath,
    registryRoot,
    config,
    registry: new LocalRegistry(registryRoot),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** Saves a randomly initialised tiny model (different seed = different predictions) and registers it. */
export async function commitModel(
  registry: LocalRegistry,
  category: string,
  options: {
    seed?: number;
    windowSize?: number;
    normalization?: { mean: number; std: number };
    metrics?: Record<string, number>;
    intervals?: IntervalCalibration;
  } = {},
): Promise<ModelVersionInfo> {
  const shape = { ...TINY_SHAPE, windowSize: options.windowSize ?? WINDOW };
  const model = new CnnLstmModel(shape, options.seed ?? 1);
  const staging = await registry.stage(category);
  await saveCheckpoint(staging, model, {
    normalization: options.normalization ?? NORMALIZATION,
    data: { file: "sales.csv", sha256: "0".repeat(64), category, start: "2024-01-01", end: "2024-03-30", frequency: "D" },
    ...(options.intervals ? { extra: { intervals: options.intervals } } : {}),
  });
  return registry.commit(category, staging, { windowSize: shape.windowSize, metrics: options.metrics ?? { val_rmse: 12.5, val_mase: 0.8 } });
}

/** A window of `length` plausible sales values. */
export function sampleWindow(length = WINDOW, level = 120): number[] {
  return Array.from({ length }, (_, i) => level + 10 * Math.sin(i));
}

/** An app over the workspace: no logs, no key from the environment, every request checks the registry. */
export async function testApp(ws: Workspace, options: Partial<import("../../src/server/options.js").ServerOptions> = {}) {
  const { buildApp } = await import("../../src/server/app.js");
  const app = await buildApp({ config: ws.config, logger: false, env: {}, modelRefreshMs: 0, registry: ws.registry, ...options });
  await app.ready();
  return app;
}

/** Splits a server-sent events body into its events (each data line is JSON). */
export function parseSse(text: string): Array<{ event: string; data: any }> {
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("event:"))
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      return { event: eventLine.slice("event: ".length), data: JSON.parse(dataLine.slice("data: ".length)) };
    });
}

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Why the built server (dist/) cannot be tested, or undefined when it is there and newer than its sources. */
export function builtServerProblem(): string | undefined {
  // What the built server runs (the CLI and the dashboard are not part of it).
  const folders = ["server", "forecaster", "training", "registry", "tracking", "backtest", "models", "engine", "data", "config"];
  return builtDistProblem(
    ["dist/src/server/app.js", "dist/src/training/worker.js"],
    folders.map((folder) => `src/${folder}`),
  );
}
