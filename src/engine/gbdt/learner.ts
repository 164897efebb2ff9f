// A tree learner grows one tree from per-row gradients on binned data. Two implement it: the
// readable TypeScript one (grow-tree.ts, the specification) and the native one (the C++ addon,
// native-learner.ts). Both must grow the same trees bit for bit: same histograms (float64 sums in
// row order), same tie-breaking, same leaf numbering. The boosting loop around them
// (objectives, bagging, feature sampling, early stopping) is shared TypeScript.

import type { BinnedData } from "./binning.js";
import type { SplitParams } from "./split.js";
import type { GrownTree } from "./tree.js";

export interface TreeParams extends SplitParams {
  num_leaves: number;
  /** <= 0: no limit. */
  max_depth: number;
  /** Native learner threads (1 or 2; 0 = its default). */
  num_threads: number;
}

export interface TreeLearner {
  /** "reference" or "native" (the engine backends' names). */
  readonly name: string;
  /**
   * Grows one tree on the rows `bag` (ascending row indices; null = every row), splitting only on
   * `features` (ascending, non-trivial). Fills leafOfRow for every row, in the bag or not. The
   * returned tree is valid until the next call.
   */
  grow(gradients: Float32Array, hessians: Float32Array, bag: Int32Array | null, features: Int32Array): GrownTree;
}

export type TreeLearnerFactory = (data: BinnedData, params: TreeParams) => TreeLearner;
