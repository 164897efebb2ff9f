// Trees, in LightGBM's layout: internal nodes 0..num_leaves-2, leaves 0..num_leaves-1; a child
// index >= 0 is an internal node, < 0 is the leaf ~index. Splitting leaf L makes internal node
// num_leaves-1 whose left child is leaf L (keeps its number) and right child the new leaf
// num_leaves.
//
// GrownTree is what a tree learner returns (typed arrays, thresholds as bins, with every
// training row's leaf); GbdtTree is what a model keeps (plain arrays, thresholds as feature
// values, JSON-ready with snake_case keys).

import type { BinMapper } from "./binning.js";

export interface GrownTree {
  numLeaves: number;
  /** Internal nodes [numLeaves - 1]. */
  splitFeature: Int32Array;
  thresholdBin: Int32Array;
  defaultLeft: Uint8Array;
  leftChild: Int32Array;
  rightChild: Int32Array;
  splitGain: Float64Array;
  /** Leaves [numLeaves]: output before the learning rate, rows (of the bag), depth. */
  leafValue: Float64Array;
  leafCount: Int32Array;
  leafDepth: Int32Array;
  /** The leaf of every training row (in the bag or not). */
  leafOfRow: Int32Array;
}

export interface GbdtTree {
  num_leaves: number;
  split_feature: number[];
  /** Feature value <= threshold goes left. */
  threshold: number[];
  /** Where a missing value (NaN) goes when nan_is_missing; otherwise NaN is read as 0. */
  default_left: boolean[];
  /** The feature had missing values in training (LightGBM's missing_type NaN). */
  nan_is_missing: boolean[];
  left_child: number[];
  right_child: number[];
  split_gain: number[];
  /** Leaf outputs, learning rate applied (raw score units). */
  leaf_value: number[];
  leaf_count: number[];
}

/**
 * Rows whose gradients were summed into histograms to grow `tree`: all of the root's, then at
 * each split the smaller child's (the larger one's histogram is the parent's minus it). Most of
 * a tree's time goes there, and it falls as the trees go on: the first trees split the rows
 * evenly, later ones peel off small groups. The catalogue's ETA prices the trees left with it.
 */
export function histogramRows(tree: GrownTree): number {
  const internal = tree.numLeaves - 1;
  const rowsUnder = new Float64Array(internal);
  const under = (child: number) => (child < 0 ? tree.leafCount[~child] : rowsUnder[child]);
  let smaller = 0;
  // Children are created after their parent, so a reverse sweep sees every child first.
  for (let n = internal - 1; n >= 0; n--) {
    const left = under(tree.leftChild[n]);
    const right = under(tree.rightChild[n]);
    rowsUnder[n] = left + right;
    smaller += Math.min(left, right);
  }
  let root = 0;
  for (let leaf = 0; leaf < tree.numLeaves; leaf++) root += tree.leafCount[leaf];
  return root + smaller;
}

/** An empty grown tree with room for maxLeaves leaves and `rows` training rows. */
export function allocateGrownTree(maxLeaves: number, rows: number): GrownTree {
  return {
    numLeaves: 1,
    splitFeature: new Int32Array(maxLeaves - 1),
    thresholdBin: new Int32Array(maxLeaves - 1),
    defaultLeft: new Uint8Array(maxLeaves - 1),
    leftChild: new Int32Array(maxLeaves - 1),
    rightChild: new Int32Array(maxLeaves - 1),
    splitGain: new Float64Array(maxLeaves - 1),
    leafValue: new Float64Array(maxLeaves),
    leafCount: new Int32Array(maxLeaves),
    leafDepth: new Int32Array(maxLeaves),
    leafOfRow: new Int32Array(rows),
  };
}

/** The leaf a row's bins lead to (column-major bins of `rows` rows). */
export function leafOfBinnedRow(tree: GrownTree, bins: Uint8Array, rows: number, row: number, mappers: BinMapper[]): number {
  if (tree.numLeaves === 1) return 0;
  let node = 0;
  while (node >= 0) {
    const f = tree.splitFeature[node];
    const bin = bins[f * rows + row];
    const m = mappers[f];
    const left = m.hasNanBin && bin === m.numBins - 1 ? tree.defaultLeft[node] === 1 : bin <= tree.thresholdBin[node];
    node = left ? tree.leftChild[node] : tree.rightChild[node];
  }
  return ~node;
}

/** The model's form of a grown tree: thresholds as values, leaf values times the learning rate. */
export function toModelTree(tree: GrownTree, mappers: BinMapper[], learningRate: number): GbdtTree {
  const internal = tree.numLeaves - 1;
  const out: GbdtTree = {
    num_leaves: tree.numLeaves,
    split_feature: [],
    threshold: [],
    default_left: [],
    nan_is_missing: [],
    left_child: [],
    right_child: [],
    split_gain: [],
    leaf_value: [],
    leaf_count: [],
  };
  for (let n = 0; n < internal; n++) {
    const f = tree.splitFeature[n];
    out.split_feature.push(f);
    // The last value bin's bound is +Infinity (a NaN-versus-the-rest split): stored as the
    // largest double, which every finite value is <= and JSON can hold (LightGBM's AvoidInf).
    out.threshold.push(Math.min(mappers[f].upperBounds[tree.thresholdBin[n]], Number.MAX_VALUE));
    out.default_left.push(tree.defaultLeft[n] === 1);
    out.nan_is_missing.push(mappers[f].hasNanBin);
    out.left_child.push(tree.leftChild[n]);
    out.right_child.push(tree.rightChild[n]);
    out.split_gain.push(tree.splitGain[n]);
  }
  for (let l = 0; l < tree.numLeaves; l++) {
    out.leaf_value.push(tree.leafValue[l] * learningRate);
    out.leaf_count.push(tree.leafCount[l]);
  }
  return out;
}

/** The leaf a row of feature values falls in (NaN read as 0 where the feature had no missing values). */
export function leafOfValues(tree: GbdtTree, value: (feature: number) => number): number {
  if (tree.num_leaves === 1) return 0;
  let node = 0;
  while (node >= 0) {
    let v = value(tree.split_feature[node]);
    let left: boolean;
    if (Number.isNaN(v)) {
      if (tree.nan_is_missing[node]) {
        left = tree.default_left[node];
        node = left ? tree.left_child[node] : tree.right_child[node];
        continue;
      }
      v = 0;
    }
    left = v <= tree.threshold[node];
    node = left ? tree.left_child[node] : tree.right_child[node];
  }
  return ~node;
}
