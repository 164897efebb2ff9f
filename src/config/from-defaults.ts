// A configuration built in code rather than read from a file: the schema's defaults (the values
// config/config.yaml ships with) with only the given settings over them, checked by the same
// schema. Tests and benchmarks build theirs with it, so each states only what it changes, and a
// new key in the schema reaches them all with its default instead of through copies of the file.
import { join } from "node:path";
import type { z } from "zod";
import { withOverrides } from "./overrides.js";
import { configSchema, type Config, type DataConfig } from "./schema.js";
import { deepMerge, type Tree } from "./tree.js";

/** Settings as config.yaml takes them: any section or key may be left out (the default applies). */
export type ConfigSettings = z.input<typeof configSchema>;

export interface FromDefaultsOptions {
  /**
   * A folder holding every file the configuration names: the sales file (sales.csv), the model
   * registry (checkpoints/) and the run store (mlruns/); `settings` may still place any elsewhere.
   */
  folder?: string;
}

export function configFromDefaults(settings: ConfigSettings = {}, options: FromDefaultsOptions = {}): Config {
  const files: Tree =
    options.folder === undefined
      ? {}
      : {
          data: { csv_path: join(options.folder, "sales.csv") },
          train: {
            checkpoint_path: join(options.folder, "checkpoints", "model.ckpt"),
            normalization_path: join(options.folder, "checkpoints", "normalization.json"),
          },
          tracking: { uri: join(options.folder, "mlruns") },
        };
  return withOverrides(configSchema.parse({}), deepMerge(files, settings as Tree), "settings");
}

/** The `data` section alone (what ingestion reads), from the defaults and `settings`. */
export function dataSettingsFromDefaults(settings: NonNullable<ConfigSettings["data"]> = {}): DataConfig {
  return configFromDefaults({ data: settings }).data;
}
