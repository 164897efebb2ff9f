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
