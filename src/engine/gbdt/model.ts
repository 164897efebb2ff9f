// A trained GBDT: plain JSON-ready data (snake_case keys), enough to predict without the
// training data or the bins.

import type { GbdtParams } from "./params.js";
import type { GbdtTree } from "./tree.js";

export const GBDT_MODEL_FORMAT = "salescast-gbdt";
export const GBDT_MODEL_VERSION = 1;

export interface GbdtModel {
  format: typeof GBDT_MODEL_FORMAT;
  version: typeof GBDT_MODEL_VERSION;
  /** The parameters it was trained with, resolved (defaults filled in, names canonical). */
  params: GbdtParams;
  num_features: number;
  feature_names: string[];
  /** Raw score every prediction starts from (boost_from_average), before the trees. */
  init_score: number;
  /** The trees, learning rate applied; after early stopping only those up to the best iteration. */
  trees: GbdtTree[];
  training: GbdtTrainingReport;
}

export interface GbdtTrainingReport {
  /** "reference" or "native" ("fast" in models trained before the rename): which tree learner grew the trees (they are the same either way). */
  learner: string;
  /** Iterations run (may exceed trees.length after early stopping). */
  iterations: number;
  /** Why training ended: "num_iterations", "early_stopping" or "no_split" (no leaf could be split). */
  stopped_by: "num_iterations" | "early_stopping" | "no_split";
  /** Features never split on: one bin, or filtered (feature_pre_filter). */
  unused_features: number[];
  /** The validation metric after each iteration (empty without a validation set). */
  valid_metric: { name: string; values: number[]; best_iteration: number } | null;
}
