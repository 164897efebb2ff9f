// Mean squared error, PyTorch's nn.MSELoss() with reduction "mean": the mean over every
// element of pred and target.

import type { FloatArray } from "./backend.js";

/** Returns mean((pred - target)²); when dPred is given, fills it with dLoss/dPred = 2(pred - target)/N. */
export function mseLoss(pred: FloatArray, target: FloatArray, dPred?: FloatArray): number {
  const n = pred.length;
  if (n === 0) throw new Error("mseLoss: pred is empty; there is nothing to compare.");
  if (target.length !== n) {
    throw new Error(`mseLoss: pred has ${n} values but target has ${target.length}; they must match element for element.`);
  }
  if (dPred && dPred.length !== n) {
    throw new Error(`mseLoss: dPred has ${dPred.length} values but pred has ${n}.`);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const diff = pred[i] - target[i];
    sum += diff * diff;
    if (dPred) dPred[i] = (2 * diff) / n;
  }
  return sum / n;
}

/** A training loss: the mean over every element; when dPred is given, fills it with dLoss/dPred. */
export type LossFunction = (pred: FloatArray, target: FloatArray, dPred?: FloatArray) => number;

/**
 * Pinball (quantile) loss at quantile q: the mean of q·(y − ŷ) where ŷ ≤ y and (1 − q)·(ŷ − y)
 * where ŷ > y; its minimiser is the q-quantile. `factor` multiplies loss and gradient (2 at
 * q = 0.5 makes it the mean absolute error). The gradient where ŷ = y is taken as 0.
 */
function pinball(pred: FloatArray, target: FloatArray, dPred: FloatArray | undefined, q: number, factor: number, name: string): number {
  const n = pred.length;
  if (n === 0) throw new Error(`${name}: pred is empty; there is nothing to compare.`);
  if (target.length !== n) throw new Error(`${name}: pred has ${n} values but target has ${target.length}; they must match element for element.`);
  if (dPred && dPred.length !== n) throw new Error(`${name}: dPred has ${dPred.length} values but pred has ${n}.`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const diff = target[i] - pred[i];
    sum += diff >= 0 ? q * diff : (q - 1) * diff;
    if (dPred) dPred[i] = (factor * (diff > 0 ? -q : diff < 0 ? 1 - q : 0)) / n;
  }
  return (factor * sum) / n;
}

/** Mean absolute error, mean |pred − target|; gradient sign(pred − target)/N. */
export const l1Loss: LossFunction = (pred, target, dPred) => pinball(pred, target, dPred, 0.5, 2, "l1Loss");

/** The pinball loss at quantile q (0 < q < 1). */
export function pinballLoss(q: number): LossFunction {
  if (!(q > 0 && q < 1)) throw new Error(`pinballLoss: the quantile must lie strictly between 0 and 1, got ${q}.`);
  return (pred, target, dPred) => pinball(pred, target, dPred, q, 1, "pinballLoss");
}
