// The engine's early-stopping rule run on a whole held-out curve, tree by tree: where a fit
// really stops, against which the catalogue ETA's foreseen stop is checked.
import { beatsBest } from "../../src/training/catalogue/progress-curve.js";

/** Trees grown when early stopping (a new best must beat the best by more than minDelta of it; `patience` trees without one) ends on `values`. */
export function stopOf(values: readonly number[], patience: number, minDelta: number): number {
  let best = 0;
  for (let t = 1; t < values.length; t++) {
    if (beatsBest(values[t], values[best], minDelta)) best = t;
    if (t - best >= patience) return t + 1;
  }
  return values.length;
}
