// A small, quick gbdt configuration for the tests of the gbdt kind (models, backtest, training, serving).
import type { Config } from "../../src/config/schema.js";
import { tinyConfig } from "../training/helpers.js";

/** A small, quick GBDT: the defaults with fewer, smaller trees. */
export function gbdtConfig(base: Config = tinyConfig(), changes: Partial<Config["model"]["gbdt"]> = {}): Config {
  return {
    ...base,
    model: {
      ...base.model,
      architecture: "gbdt",
      gbdt: { ...base.model.gbdt, max_rounds: 60, early_stopping_rounds: 10, num_leaves: 7, min_data_in_leaf: 5, threads: 1, ...changes },
    },
  };
}
