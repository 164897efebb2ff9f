// Feature importance, as LightGBM's feature_importance(): per feature, how many splits use it
// ("split") or the total gain of those splits ("gain"). For the model on top (which lags or
// calendar features carry the forecast) and for reports.

import type { GbdtModel } from "./model.js";

export function gbdtFeatureImportance(model: GbdtModel, type: "split" | "gain" = "split"): Float64Array {
  const out = new Float64Array(model.num_features);
  for (const tree of model.trees) {
    for (let n = 0; n < tree.num_leaves - 1; n++) out[tree.split_feature[n]] += type === "split" ? 1 : tree.split_gain[n];
  }
  return out;
}
