// The reference tree learner: leaf-wise (best-first) growth as LightGBM's SerialTreeLearner.
//
//   1. The root holds every row of the bag; build its histogram, find its best split.
//   2. Repeat until num_leaves: take the leaf whose best split gains most (the first such leaf
//      on ties); stop if no leaf has a positive gain. Split its rows (a stable partition of
//      the leaf's slice of `order`), build the histogram of the child with fewer rows, get the
//      other's as parent minus that one, and find the best split of both children (none when a
//      child is at max_depth or too small to give two leaves of min_data_in_leaf rows). The
//      children only look at the features that were splittable in their parent (split.ts).
//   3. A leaf's output is -T(G)/(H + λ2) of its rows' sums (split.ts); the learning rate and
//      any objective-specific renewal (L1's medians) are applied by the boosting loop.
//
// The native learner implements exactly this; the two must produce identical trees.

import type { BinnedData } from "./binning.js";
import { buildHistogram, histogramLayout, newHistogram, subtractHistogram, type Histogram } from "./histogram.js";
import type { TreeLearner, TreeParams } from "./learner.js";
import { findBestThreshold, leafOutput, noSplit, type SplitCandidate } from "./split.js";
import { allocateGrownTree, leafOfBinnedRow, type GrownTree } from "./tree.js";

export function createReferenceLearner(data: BinnedData, params: TreeParams): TreeLearner {
  const layout = histogramLayout(data);
  const maxLeaves = params.num_leaves;
  const tree = allocateGrownTree(maxLeaves, data.rows);
  const order = new Int32Array(data.rows);
  const scratch = new Int32Array(data.rows);
  const histograms: Histogram[] = [];
  const binsOf = (f: number) => data.mappers[f].numBins;

  // Per leaf: its slice of `order`, its sums and its best split.
  const leafBegin = new Int32Array(maxLeaves);
  const leafSumGrad = new Float64Array(maxLeaves);
  const leafSumHess = new Float64Array(maxLeaves);
  const best: SplitCandidate[] = Array.from({ length: maxLeaves }, noSplit);
  // The features splittable in each leaf: the only ones its children look at.
  const leafFeatures: Int32Array[] = Array.from({ length: maxLeaves }, () => new Int32Array(0));
  // The histogram owned by each leaf (an index into `histograms`); reused across trees.
  const leafHistogram = new Int32Array(maxLeaves);

  /** Sets best[leaf] over `features` (the parent's splittable ones) and leafFeatures[leaf]. */
  function findBestSplit(leaf: number, features: Int32Array): void {
    const candidate = noSplit();
    best[leaf] = candidate;
    leafFeatures[leaf] = new Int32Array(0);
    const count = tree.leafCount[leaf];
    const depthAllows = params.max_depth <= 0 || tree.leafDepth[leaf] < params.max_depth;
    if (!depthAllows || count < 2 * params.min_data_in_leaf || leafSumHess[leaf] < 2 * params.min_sum_hessian_in_leaf) return;
    const hist = histograms[leafHistogram[leaf]];
    const splittable: number[] = [];
    for (const f of features) {
      const m = data.mappers[f];
      if (findBestThreshold(candidate, hist, layout.offsets[f], m.numBins, m.hasNanBin, f, leafSumGrad[leaf], leafSumHess[leaf], count, params)) {
        splittable.push(f);
      }
    }
    leafFeatures[leaf] = Int32Array.from(splittable);
  }

  /** Stable partition of the leaf's rows: those going left first, both groups in their old order. */
  function partition(leaf: number, split: SplitCandidate): number {
    const begin = leafBegin[leaf];
    const end = begin + tree.leafCount[leaf];
    const column = split.feature * data.rows;
    const m = data.mappers[split.feature];
    const nanBin = m.hasNanBin ? m.numBins - 1 : -1;
    let left = begin;
    let right = 0;
    for (let i = begin; i < end; i++) {
      const row = order[i];
      const bin = data.bins[column + row];
      const goesLeft = bin === nanBin ? split.defaultLeft : bin <= split.thresholdBin;
      if (goesLeft) order[left++] = row;
      else scratch[right++] = row;
    }
    order.set(scratch.subarray(0, right), left);
    return left - begin;
  }

  function grow(gradients: Float32Array, hessians: Float32Array, bag: Int32Array | null, features: Int32Array): GrownTree {
    const rows = bag ? bag.length : data.rows;
    if (bag) order.set(bag);
    else for (let i = 0; i < rows; i++) order[i] = i;
    while (histograms.length < maxLeaves) histograms.push(newHistogram(layout));
    for (let l = 0; l < maxLeaves; l++) leafHistogram[l] = l;

    tree.numLeaves = 1;
    leafBegin[0] = 0;
    tree.leafCount[0] = rows;
    tree.leafDepth[0] = 0;
    let sumGrad = 0;
    let sumHess = 0;
    for (let i = 0; i < rows; i++) {
      sumGrad += gradients[order[i]];
      sumHess += hessians[order[i]];
    }
    leafSumGrad[0] = sumGrad;
    leafSumHess[0] = sumHess;
    tree.leafValue[0] = leafOutput(sumGrad, sumHess, params);
    buildHistogram(histograms[leafHistogram[0]], data, layout, features, order, 0, rows, gradients, hessians);
    findBestSplit(0, features);

    while (tree.numLeaves < maxLeaves) {
      let leaf = -1;
      for (let l = 0; l < tree.numLeaves; l++) if (leaf < 0 || best[l].gain > best[leaf].gain) leaf = l;
      const split = best[leaf];
      if (!(split.gain > 0)) break;
      const newLeaf = tree.numLeaves;
      const node = newLeaf - 1;
      // Re-point the parent's link from the leaf to the new internal node.
      for (let n = 0; n < node; n++) {
        if (tree.leftChild[n] === ~leaf) tree.leftChild[n] = node;
        else if (tree.rightChild[n] === ~leaf) tree.rightChild[n] = node;
      }
      tree.splitFeature[node] = split.feature;
      tree.thresholdBin[node] = split.thresholdBin;
      tree.defaultLeft[node] = split.defaultLeft ? 1 : 0;
      tree.leftChild[node] = ~leaf;
      tree.rightChild[node] = ~newLeaf;
      tree.splitGain[node] = split.gain;

      const parentFeatures = leafFeatures[leaf];
      const leftCount = partition(leaf, split);
      leafBegin[newLeaf] = leafBegin[leaf] + leftCount;
      tree.leafCount[leaf] = leftCount;
      tree.leafCount[newLeaf] = split.rightCount;
      tree.leafDepth[leaf] += 1;
      tree.leafDepth[newLeaf] = tree.leafDepth[leaf];
      leafSumGrad[leaf] = split.leftGrad;
      leafSumHess[leaf] = split.leftHess;
      leafSumGrad[newLeaf] = split.rightGrad;
      leafSumHess[newLeaf] = split.rightHess;
      tree.leafValue[leaf] = leafOutput(split.leftGrad, split.leftHess, params);
      tree.leafValue[newLeaf] = leafOutput(split.rightGrad, split.rightHess, params);
      tree.numLeaves += 1;

      // The smaller child gets a fresh histogram; the larger one takes over the parent's and
      // subtracts the smaller from it.
      const smaller = leftCount < split.rightCount ? leaf : newLeaf;
      const larger = smaller === leaf ? newLeaf : leaf;
      const parentHistogram = leafHistogram[leaf];
      leafHistogram[larger] = parentHistogram;
      leafHistogram[smaller] = freeHistogram(parentHistogram, newLeaf);
      const smallHist = histograms[leafHistogram[smaller]];
      buildHistogram(smallHist, data, layout, parentFeatures, order, leafBegin[smaller], leafBegin[smaller] + tree.leafCount[smaller], gradients, hessians);
      subtractHistogram(histograms[parentHistogram], smallHist, layout, parentFeatures, binsOf);
      findBestSplit(leaf, parentFeatures);
      findBestSplit(newLeaf, parentFeatures);
    }

    for (let l = 0; l < tree.numLeaves; l++) {
      const begin = leafBegin[l];
      for (let i = begin; i < begin + tree.leafCount[l]; i++) tree.leafOfRow[order[i]] = l;
    }
    if (bag) fillOutOfBag(tree, bag);
    return tree;
  }

  /** A histogram index no leaf of the tree uses (leaves 0..newLeaf hold newLeaf + 1 of maxLeaves). */
  function freeHistogram(taken: number, newLeaf: number): number {
    const used = new Uint8Array(maxLeaves);
    for (let l = 0; l < newLeaf; l++) used[leafHistogram[l]] = 1;
    used[taken] = 1;
    return used.indexOf(0);
  }

  /** Rows outside the bag get their leaf by walking the tree on their bins. */
  function fillOutOfBag(grown: GrownTree, bag: Int32Array): void {
    let next = 0;
    for (let row = 0; row < data.rows; row++) {
      if (next < bag.length && bag[next] === row) {
        next++;
        continue;
      }
      grown.leafOfRow[row] = leafOfBinnedRow(grown, data.bins, data.rows, row, data.mappers);
    }
  }

  return { name: "reference", grow };
}
