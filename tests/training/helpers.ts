// Synthetic data and tiny configurations for the training tests (never the real data files).
import { configFromDefaults } from "../../src/config/from-defaults.js";
import type { Config } from "../../src/config/schema.js";

export function dailyDates(n: number, start = "2024-01-01"): string[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

/** A weekly pattern plus a slow trend and seeded noise: something a small network can learn. */
export function syntheticSeries(n: number, seed = 1, level = 100): Float64Array {
  let state = seed >>> 0 || 1;
  const noise = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  const weekly = [1.0, 1.2, 0.9, 1.1, 1.4, 0.6, 0.5];
  return Float64Array.from({ length: n }, (_, i) => level * weekly[i % 7] + i * 0.1 + noise() * 10);
}

/** A valid configuration with a tiny model, its files in `root` (the defaults for everything else). */
export function tinyConfig(overrides: { csvPath?: string; root?: string; maxEpochs?: number; patience?: number; seed?: number } = {}): Config {
  return configFromDefaults(
    {
      data: { ...(overrides.csvPath === undefined ? {} : { csv_path: overrides.csvPath }), item_id: "A", window_size: 7, batch_size: 16 },
      // The reference's network: these tests are about it (architecture auto, the default, is tests/training/auto.test.ts's).
      model: { architecture: "CNNLSTM", conv_channels: 4, lstm_hidden: 6, lr: 0.01 },
      train: {
        max_epochs: overrides.maxEpochs ?? 4,
        seed: overrides.seed ?? 42,
        patience: overrides.patience ?? 3,
        mlflow_tracking_uri: "",
        experiment_name: "test-experiment",
      },
    },
    { folder: overrides.root ?? "/nonexistent" },
  );
}

/**
 * Writes a long-layout CSV (Date, Product Category, Total Amount) with one row per day and
 * category: `days` of synthetic sales for each of `categories`, and `shortDays` for each of
 * `shortCategories` (too short to train on).
 */
export async function writeSalesCsv(path: string, spec: { categories: string[]; days: number; shortCategories?: string[]; shortDays?: number }): Promise<void> {
  const { writeFile } = await import("node:fs/promises");
  const dates = dailyDates(spec.days);
  const lines = ["Date,Product Category,Total Amount"];
  spec.categories.forEach((category, k) => {
    const values = syntheticSeries(spec.days, k + 1, 100 + 50 * k);
    dates.forEach((date, i) => lines.push(`${date},${category},${values[i].toFixed(2)}`));
  });
  for (const category of spec.shortCategories ?? []) {
    for (let i = 0; i < (spec.shortDays ?? 5); i++) lines.push(`${dates[i]},${category},${10 + i}`);
  }
  await writeFile(path, `${lines.join("\n")}\n`);
}
