// Split finding on a histogram (LightGBM's FeatureHistogram::FindBestThresholdSequentially,
// without monotone constraints, max_delta_step or path smoothing).
//
// A leaf with gradient sum G and hessian sum H has output -T(G)/(H + λ2) and "gain"
// T(G)²/(H + λ2), where T(G) = sign(G)·max(|G| - λ1, 0). A split is worth
// gain(left) + gain(right) - gain(parent) - min_gain_to_split, when positive, with at least
// min_data_in_leaf rows and min_sum_hessian_in_leaf hessian on each side.
//
// Thresholds are bins: rows with bin <= t go left. Missing values (the NaN bin, the last) go to
// a learnt side: a right-to-left scan keeps them on the left (default_left), then a
// left-to-right scan tries them on the right, and wins only when strictly better. Ties between
// thresholds keep the first found; ties between features keep the lower feature index.
//
// A feature is "splittable" in a leaf when some threshold passes the row and hessian minimums
// and gains more than min_gain_to_split. As in LightGBM, a feature not splittable in a leaf is
// not tried in that leaf's children (a heuristic LightGBM applies, kept to grow its trees).

import type { Histogram } from "./histogram.js";

export interface SplitParams {
  min_data_in_leaf: number;
  min_sum_hessian_in_leaf: number;
  lambda_l1: number;
  lambda_l2: number;
  min_gain_to_split: number;
}

export interface SplitCandidate {
  /** Gain over not splitting (already minus min_gain_to_split); -Infinity = no valid split. */
  gain: number;
  feature: number;
  /** Rows with bin <= thresholdBin go left (the NaN bin goes by defaultLeft). */
  thresholdBin: number;
  defaultLeft: boolean;
  leftGrad: number;
  leftHess: number;
  leftCount: number;
  rightGrad: number;
  rightHess: number;
  rightCount: number;
}

export function noSplit(): SplitCandidate {
  return {
    gain: -Infinity,
    feature: -1,
    thresholdBin: 0,
    defaultLeft: true,
    leftGrad: 0,
    leftHess: 0,
    leftCount: 0,
    rightGrad: 0,
    rightHess: 0,
    rightCount: 0,
  };
}

/** sign(s) · max(|s| - l1, 0) */
export function thresholdL1(s: number, l1: number): number {
  const reduced = Math.max(0, Math.abs(s) - l1);
  return s > 0 ? reduced : s < 0 ? -reduced : 0;
}

/** The output of a leaf with these sums (before the learning rate). */
export function leafOutput(sumGrad: number, sumHess: number, p: SplitParams): number {
  return -thresholdL1(sumGrad, p.lambda_l1) / (sumHess + p.lambda_l2);
}

/** How much a leaf with these sums lowers the loss's second-order approximation (times 2). */
export function leafGain(sumGrad: number, sumHess: number, p: SplitParams): number {
  const g = thresholdL1(sumGrad, p.lambda_l1);
  return (g * g) / (sumHess + p.lambda_l2);
}

/**
 * The best threshold of one feature, whose bins are hist[base, base + numBins), for a leaf with
 * sums (sumGrad, sumHess, count). Replaces `best` when strictly better; returns whether the
 * feature is splittable in this leaf.
 */
export function findBestThreshold(
  best: SplitCandidate,
  hist: Histogram,
  base: number,
  numBins: number,
  hasNanBin: boolean,
  feature: number,
  sumGrad: number,
  sumHess: number,
  count: number,
  p: SplitParams,
): boolean {
  const minGainShift = leafGain(sumGrad, sumHess, p) + p.min_gain_to_split;
  let bestGain = -Infinity;
  let bestThreshold = 0;
  let bestLeftGrad = 0;
  let bestLeftHess = 0;
  let bestLeftCount = 0;
  let bestDefaultLeft = true;
  let splittable = false;

  const consider = (gain: number, threshold: number, leftGrad: number, leftHess: number, leftCount: number, defaultLeft: boolean) => {
    if (!(gain > minGainShift)) return;
    splittable = true;
    if (!(gain > bestGain)) return;
    bestGain = gain;
    bestThreshold = threshold;
    bestLeftGrad = leftGrad;
    bestLeftHess = leftHess;
    bestLeftCount = leftCount;
    bestDefaultLeft = defaultLeft;
  };

  // Right to left: bin t joins the right side, the threshold is t - 1. The NaN bin, when it is
  // one of several value bins, stays out of the scan and so on the left.
  const nanApart = hasNanBin && numBins > 2;
  {
    let rightGrad = 0;
    let rightHess = 0;
    let rightCount = 0;
    for (let t = numBins - 1 - (nanApart ? 1 : 0); t >= 1; t--) {
      rightGrad += hist.grad[base + t];
      rightHess += hist.hess[base + t];
      rightCount += hist.count[base + t];
      if (rightCount < p.min_data_in_leaf || rightHess < p.min_sum_hessian_in_leaf) continue;
      const leftCount = count - rightCount;
      if (leftCount < p.min_data_in_leaf) break;
      const leftHess = sumHess - rightHess;
      if (leftHess < p.min_sum_hessian_in_leaf) break;
      const leftGrad = sumGrad - rightGrad;
      const gain = leafGain(leftGrad, leftHess, p) + leafGain(rightGrad, rightHess, p);
      // NaN kept apart stays left; a lone NaN bin (numBins = 2) is the right side: missing goes right.
      consider(gain, t - 1, leftGrad, leftHess, leftCount, nanApart || !hasNanBin);
    }
  }
  // Left to right, the NaN bin staying on the right: tried only when there is one to place.
  if (nanApart) {
    const reverseGain = bestGain;
    let leftGrad = 0;
    let leftHess = 0;
    let leftCount = 0;
    for (let t = 0; t <= numBins - 2; t++) {
      leftGrad += hist.grad[base + t];
      leftHess += hist.hess[base + t];
      leftCount += hist.count[base + t];
      if (leftCount < p.min_data_in_leaf || leftHess < p.min_sum_hessian_in_leaf) continue;
      const rightCount = count - leftCount;
      if (rightCount < p.min_data_in_leaf) break;
      const rightHess = sumHess - leftHess;
      if (rightHess < p.min_sum_hessian_in_leaf) break;
      const gain = leafGain(leftGrad, leftHess, p) + leafGain(sumGrad - leftGrad, rightHess, p);
      if (gain > reverseGain) consider(gain, t, leftGrad, leftHess, leftCount, false);
      else if (gain > minGainShift) splittable = true;
    }
  }

  const gain = bestGain - minGainShift;
  if (bestGain === -Infinity || !(gain > best.gain)) return splittable;
  best.gain = gain;
  best.feature = feature;
  best.thresholdBin = bestThreshold;
  best.defaultLeft = bestDefaultLeft;
  best.leftGrad = bestLeftGrad;
  best.leftHess = bestLeftHess;
  best.leftCount = bestLeftCount;
  best.rightGrad = sumGrad - bestLeftGrad;
  best.rightHess = sumHess - bestLeftHess;
  best.rightCount = count - bestLeftCount;
  return splittable;
}
