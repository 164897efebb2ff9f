// A throw-away salescast project for the browser suite: generated sales data, a configuration
// with a tiny network, and models already trained for some categories, all in a temp folder.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, withOverrides } from "../../../src/config/index.js";
import type { Config } from "../../../src/config/schema.js";
import { writeDemoData } from "../../../src/data/demo.js";
import { writeCatalogue } from "../../../src/data/demo-catalogue.js";
import { loadConfiguredData } from "../../../src/data/model-data.js";
import { trainCatalogue } from "../../../src/training/catalogue/train.js";
import { trainCategory } from "../../../src/training/train-category.js";
import type { CategoryResult } from "../../../src/training/result.js";

export interface TestProject {
  dir: string;
  config: Config;
  categories: string[];
  /** Results of the trainings done before the browser starts. */
  pretrained: CategoryResult[];
  remove(): Promise<void>;
}

export interface ProjectOptions {
  categories?: string[];
  /**
   * Categories trained before the suite starts (each gives a model and a tracking run), with
   * settings of their own if given (e.g. covariates: {model: {features: {covariates: [...]}}}).
   */
  pretrain?: Array<string | { category: string; settings: Record<string, unknown> }>;
  days?: number;
  /** More key.path=value overrides of the project's configuration (data.frequency=W, app.currency=EUR). */
  overrides?: string[];
  /** data.item_id; default the first category. */
  defaultCategory?: string;
  /** Instead of the transactions demo: a store x item catalogue (demo-data --shape catalogue) read with data.series_key. */
  catalogue?: {
    stores: number;
    items: number;
    days: number;
    /** data.hierarchy as YAML; default [[], [store_id]]. */
    hierarchy?: string;
    /** Written as Parquet (large catalogues: CSV ingest is ten times slower), else CSV. */
    parquet?: boolean;
    /** Train the catalogue model (train --catalogue: reconciled forecasts of every level) before the browser starts. */
    train?: boolean;
  };
}

/** Small on purpose: two epochs of a 4-channel, 8-unit network train in about a second. */
const TINY_MODEL = [
  "model.architecture=CNNLSTM",
  "data.window_size=14",
  "model.conv_channels=4",
  "model.lstm_hidden=8",
  "train.max_epochs=2",
  "data.batch_size=32",
];

export async function makeProject(options: ProjectOptions = {}): Promise<TestProject> {
  const categories = options.categories ?? ["Beauty", "Clothing", "Electronics"];
  const dir = await mkdtemp(join(tmpdir(), "salescast-e2e-"));
  try {
    const csv = join(dir, options.catalogue?.parquet ? "sales.parquet" : "sales.csv");
    if (options.catalogue) {
      const { stores, items, days } = options.catalogue;
      await writeCatalogue(csv, { seed: 7, stores, items, days });
    } else await writeDemoData(csv, { seed: 7, start: "2023-01-01", days: options.days ?? 420, categories });
    const keyed = options.catalogue
      ? [
          "data.date_column=date",
          "data.value_column=sales",
          "data.series_key=[store_id, item_id]",
          `data.hierarchy=${options.catalogue.hierarchy ?? "[[], [store_id]]"}`,
        ]
      : [];
    const { config } = await loadConfig({
      path: "config/config.yaml",
      env: {}, // the suite must not depend on the environment it runs in
      overrides: [
        `data.csv_path=${csv}`,
        `data.item_id=${options.defaultCategory ?? categories[0]}`,
        `train.checkpoint_path=${join(dir, "checkpoints", "model.ckpt")}`,
        `train.normalization_path=${join(dir, "checkpoints", "normalization.json")}`,
        `tracking.uri=${join(dir, "mlruns")}`,
        ...TINY_MODEL,
        ...keyed,
        ...(options.overrides ?? []),
      ],
    });
    if (!options.catalogue) config.data.available_categories = categories;
    const pretrained: CategoryResult[] = [];
    for (const entry of options.pretrain ?? []) {
      const { category, settings } = typeof entry === "string" ? { category: entry, settings: {} } : entry;
      const result = await trainCategory(withOverrides(config, settings), category);
      if (result.status !== "ok") throw new Error(`pretraining ${category} for the e2e suite failed: ${result.reason}`);
      pretrained.push(result);
    }
    if (options.catalogue?.train) await trainCatalogue(config, await loadConfiguredData(config));
    return { dir, config, categories, pretrained, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
