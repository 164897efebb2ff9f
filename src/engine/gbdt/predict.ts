// Prediction from feature values: each tree is walked with the real-valued thresholds (value <=
// threshold goes left; NaN goes the learnt way where the feature had missing values in
// training, and is read as 0 elsewhere, as LightGBM does).

import { GbdtDataError, featureAccessor, type FeatureLayout } from "./dataset.js";
import type { GbdtModel } from "./model.js";
import { createObjective } from "./objectives.js";
import { leafOfValues } from "./tree.js";

export interface PredictOptions {
  /** Layout of `features` (default "row-major"). */
  layout?: FeatureLayout;
  /** true: the raw score (log scale for poisson/tweedie); false (default): the prediction. */
  raw?: boolean;
}

/** Raw scores of `rows` rows added into `out` (which starts at the init score). */
export function addTreeScores(
  model: GbdtModel,
  features: Float32Array,
  rows: number,
  layout: FeatureLayout,
  out: Float64Array,
  firstTree = 0,
  endTree = model.trees.length,
): void {
  const at = featureAccessor(features, rows, model.num_features, layout);
  for (let r = 0; r < rows; r++) {
    const value = (f: number) => at(r, f);
    let sum = 0;
    for (let t = firstTree; t < endTree; t++) {
      const tree = model.trees[t];
      sum += tree.leaf_value[leafOfValues(tree, value)];
    }
    out[r] += sum;
  }
}

/** Predictions for `rows` rows of model.num_features features each. */
export function predictGbdt(model: GbdtModel, features: Float32Array, rows: number, options: PredictOptions = {}): Float64Array {
  const layout = options.layout ?? "row-major";
  if (!(features instanceof Float32Array)) throw new GbdtDataError("predictGbdt: features must be a Float32Array (rows × num_features values).");
  if (!Number.isInteger(rows) || rows < 0) throw new GbdtDataError(`predictGbdt: rows must be a non-negative integer, got ${rows}.`);
  if (features.length !== rows * model.num_features) {
    throw new GbdtDataError(
      `predictGbdt: features has ${features.length} values for ${rows} rows, but the model takes ${model.num_features} features per row ` +
        `(expected ${rows * model.num_features}); build the rows with the same features as in training.`,
    );
  }
  const out = new Float64Array(rows).fill(model.init_score);
  addTreeScores(model, features, rows, layout, out);
  if (!options.raw) {
    const objective = createObjective(model.params);
    for (let i = 0; i < rows; i++) out[i] = objective.transform(out[i]);
  }
  return out;
}
