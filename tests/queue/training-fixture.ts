// A small training set-up for the queue tests that compare a distributed run with an
// in-process one: a seeded tiny network on a generated sales file, each run's files in its own
// folder, and what of `train --all --json` must be the same wherever it ran.
import { copyFile, mkdir, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalRegistry } from "../../src/registry/index.js";
import { writeSalesCsv } from "../training/helpers.js";
import { projectRoot } from "./helpers.js";

/** A folder holding config/config.yaml (the shipped one) and sales.csv with these categories. */
export async function trainingFolder(categories: string[], days = 120): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "salescast-queue-"));
  await mkdir(join(dir, "config"));
  await copyFile(join(projectRoot, "config", "config.yaml"), join(dir, "config", "config.yaml"));
  await writeSalesCsv(join(dir, "sales.csv"), { categories, days });
  return dir;
}

/** A tiny seeded model (add model.architecture=CNNLSTM for the network), its registry and runs under `root` (relative to the folder). */
export function tinyNetwork(root: string, extra: string[] = []): string[] {
  return [
    "data.csv_path=sales.csv",
    "data.item_id=A", // the generated categories start at A
    "data.window_size=7",
    "model.conv_channels=4",
    "model.lstm_hidden=8",
    "train.seed=7",
    `train.checkpoint_path=${root}/checkpoints/model.ckpt`,
    `train.normalization_path=${root}/checkpoints/normalization.json`,
    `tracking.uri=${root}/mlruns`,
    ...extra,
  ];
}

interface TrainedJson {
  categories: Array<{ category: string; status: string; version: number | null; metrics: unknown; baselines: unknown; best_epoch: number; epochs: number }>;
}

/** What of `train --all --json` does not depend on where or how fast it ran. */
export function comparable(stdout: string) {
  return (JSON.parse(stdout) as TrainedJson).categories.map(({ category, status, version, metrics, baselines, best_epoch, epochs }) => ({
    category,
    status,
    version,
    metrics,
    baselines,
    best_epoch,
    epochs,
  }));
}

/** Category -> its registered version numbers, in the registry under `root`. */
export async function registryVersions(dir: string, root: string): Promise<Record<string, number[]>> {
  const registry = new LocalRegistry(join(dir, root, "checkpoints"));
  const out: Record<string, number[]> = {};
  for (const category of await registry.categories()) out[category] = (await registry.versions(category)).map((v) => v.version);
  return out;
}

/** The bytes of a category's version 1 weights. */
export async function weights(dir: string, root: string, category: string): Promise<Buffer> {
  const version = await new LocalRegistry(join(dir, root, "checkpoints")).resolve(category, 1);
  return readFile(join(version!.dir, "model.safetensors"));
}
