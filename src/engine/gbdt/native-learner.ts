// The native tree learner: the C++ addon's GBDT entry points (native/src/gbdt_*.cpp) behind the
// TreeLearner interface. It grows the same trees as grow-tree.ts (same sums, same order, same
// tie-breaking), faster: byte bins column-major, ordered gradients, histogram features split
// over two threads. It also sorts the binning sample and bins the features (binning.ts's
// sortSample and valueToBin, in C++).

import { loadedAddon, nativeBackendProblem } from "../backends/native.js";
import type { BinMapper, BinnedData, SortSample } from "./binning.js";
import type { FeatureLayout } from "./dataset.js";
import type { TreeLearner, TreeParams } from "./learner.js";
import { allocateGrownTree } from "./tree.js";

type LearnerHandle = { readonly __brand: "salescast-gbdt-learner" };

interface NativeGbdtAddon {
  gbdtBinFeatures(
    features: Float32Array,
    rows: number,
    cols: number,
    columnMajor: boolean,
    upperBounds: Float64Array,
    boundStart: Int32Array,
    hasNanBin: Uint8Array,
    trivial: Uint8Array,
    out: Uint8Array,
    threads: number,
  ): void;
  gbdtSortSample(features: Float32Array, rows: number, cols: number, columnMajor: boolean, sample: Int32Array, out: Float32Array, threads: number): void;
  gbdtCreateLearner(
    bins: Uint8Array,
    rows: number,
    cols: number,
    numBins: Int32Array,
    hasNanBin: Uint8Array,
    trivial: Uint8Array,
    params: Float64Array,
  ): LearnerHandle;
  gbdtGrow(
    learner: LearnerHandle,
    grad: Float32Array,
    hess: Float32Array,
    bag: Int32Array | null,
    bagCount: number,
    features: Int32Array,
    featureCount: number,
    threads: number,
    splitFeature: Int32Array,
    thresholdBin: Int32Array,
    defaultLeft: Uint8Array,
    leftChild: Int32Array,
    rightChild: Int32Array,
    splitGain: Float64Array,
    leafValue: Float64Array,
    leafCount: Int32Array,
    leafDepth: Int32Array,
    leafOfRow: Int32Array,
  ): number;
}

function addon(): NativeGbdtAddon {
  const loaded = loadedAddon() as NativeGbdtAddon | undefined;
  if (!loaded) throw new Error(`The native GBDT learner cannot be used: ${nativeBackendProblem()}. Or choose the reference learner (learner: "reference").`);
  return loaded;
}

/** Why the native learner cannot be used here, or undefined when it can. */
export function nativeLearnerProblem(): string | undefined {
  return nativeBackendProblem();
}

const flags = (mappers: BinMapper[], pick: (m: BinMapper) => boolean) => Uint8Array.from(mappers, (m) => (pick(m) ? 1 : 0));

/** binning.ts sortSample in C++ (std::sort, two threads over the features). */
export const nativeSortSample: SortSample = (features, rows, cols, layout, sample) => {
  const out = new Float32Array(cols * sample.length);
  addon().gbdtSortSample(features, rows, cols, layout === "column-major", sample, out, 0);
  return out;
};

/** valueToBin for every value, column-major, in C++ (two threads over the features). */
export function nativeBinFeatures(features: Float32Array, rows: number, cols: number, layout: FeatureLayout, mappers: BinMapper[], threads = 0): Uint8Array {
  const boundStart = new Int32Array(cols + 1);
  for (let c = 0; c < cols; c++) boundStart[c + 1] = boundStart[c] + mappers[c].upperBounds.length;
  const bounds = new Float64Array(boundStart[cols]);
  mappers.forEach((m, c) => bounds.set(m.upperBounds, boundStart[c]));
  const out = new Uint8Array(rows * cols);
  addon().gbdtBinFeatures(
    features,
    rows,
    cols,
    layout === "column-major",
    bounds,
    boundStart,
    flags(mappers, (m) => m.hasNanBin),
    flags(mappers, (m) => m.trivial),
    out,
    threads,
  );
  return out;
}

export function createNativeLearner(data: BinnedData, params: TreeParams): TreeLearner {
  const n = addon();
  const handle = n.gbdtCreateLearner(
    data.bins,
    data.rows,
    data.cols,
    Int32Array.from(data.mappers, (m) => m.numBins),
    flags(data.mappers, (m) => m.hasNanBin),
    flags(data.mappers, (m) => m.trivial),
    Float64Array.of(
      params.num_leaves,
      params.max_depth,
      params.min_data_in_leaf,
      params.min_sum_hessian_in_leaf,
      params.lambda_l1,
      params.lambda_l2,
      params.min_gain_to_split,
    ),
  );
  const tree = allocateGrownTree(params.num_leaves, data.rows);
  return {
    name: "native",
    grow(gradients, hessians, bag, features) {
      tree.numLeaves = n.gbdtGrow(
        handle,
        gradients,
        hessians,
        bag,
        bag ? bag.length : 0,
        features,
        features.length,
        params.num_threads,
        tree.splitFeature,
        tree.thresholdBin,
        tree.defaultLeft,
        tree.leftChild,
        tree.rightChild,
        tree.splitGain,
        tree.leafValue,
        tree.leafCount,
        tree.leafDepth,
        tree.leafOfRow,
      );
      return tree;
    },
  };
}
