// How many trees a GBDT model will grow before early stopping, foreseen from its held-out curve
// so far (progress-estimate.ts prices the trees left with it).
//
// The model of the curve: metric(t) = a + b·(t + s)^-c for tree number t, a power law with an
// asymptote a and a shift s. Held-out curves of boosting flatten more slowly than geometrically
// (their gains per tree fall like a power of t, not by a constant ratio: measured on the
// catalogue's traces, the ratio of successive gains keeps shrinking toward 1), which is what a
// power law says; the shift lets the same family bend toward a geometric tail (s large against
// t, c/s the rate; s infinite is the geometric curve itself), so a curve that does flatten
// geometrically is read as one. a and b are the least-squares fit for each shift and exponent
// (a grid of shifts, the exponent refined per shift), and the smallest squared error wins: no
// constant is fitted to one catalogue's curve. The first quarter of the trees is left out of the
// fit (the first trees split the strongest features and fall faster than any smooth tail).
// Compared on recorded runs with bench/eta-replay.ts (README, "The trees foreseen from a power
// law"): the trees left were foreseen within 18% on average, against 25% for the geometric
// extrapolation used before.
//
// The stopping rule is then run on the fitted curve, continued from the last value seen, tree by
// tree: a tree is a new best only if it beats the best by more than minDelta of it (beatsBest,
// the engine's rule), and the model stops `patience` trees after its best, or at max_rounds.
// With minDelta 0 gains below `noise` of the metric per tree are taken as none (otherwise a
// power law never stops).

/**
 * The fitted curve: metric(t) = a + b·((t + s) / (at + s))^-c, t the tree number from 1 (the
 * power law a + B·(t + s)^-c written from tree `at`, so that b stays a number); s infinite:
 * a + b·exp(-c·(t - at)).
 */
export interface CurveModel {
  a: number;
  b: number;
  c: number;
  s: number;
  at: number;
}

/** How fast the fitted curve's gains shrink at the last tree seen, per tree: 0.2% to 100%, evenly on a log scale. */
const DECAYS = Array.from({ length: 41 }, (_, i) => 0.002 * 500 ** (i / 40));
/** Shifts tried, in trees seen: 0 is a pure power law, Infinity a geometric curve, the others between. */
export const SHIFTS: readonly number[] = [0, 0.05, 0.1, 0.15, 0.25, 0.35, 0.5, 0.7, 1, 1.4, 2, 3, 4, 6, 8, 16, Number.POSITIVE_INFINITY];

export function curveValue(m: CurveModel, tree: number): number {
  return m.a + m.b * (Number.isFinite(m.s) ? ((tree + m.s) / (m.at + m.s)) ** -m.c : Math.exp(-m.c * (tree - m.at)));
}

/**
 * The least-squares curve through trees `from`..end of `curve` (0-based indexes: tree numbers
 * from + 1..). The grid is over the shift and over how fast the gains shrink at the last tree
 * (d/dt log of the gain: c / (t + s), or c for the geometric curve), so that every shift,
 * the geometric one too, is tried at the same rates; for each a and b in closed form (b > 0: a
 * falling curve), the smallest squared error kept. Undefined with fewer than 4 points or no
 * falling fit.
 */
export function fitCurve(curve: readonly number[], from = 0, shifts: readonly number[] = SHIFTS): CurveModel | undefined {
  if (curve.length - from < 4) return undefined;
  let best: { model: CurveModel; sse: number } | undefined;
  const g = (Math.sqrt(5) - 1) / 2;
  for (const shift of shifts) {
    // The grid, then the best decay refined between its grid neighbours (golden section): a
    // curve of the family is then found closely, not only to the grid's step.
    const fits = DECAYS.map((decay) => fitAt(curve, from, shift, decay));
    let at = -1;
    fits.forEach((fit, i) => {
      if (fit && (at < 0 || fit.sse < fits[at]!.sse)) at = i;
    });
    if (at < 0) continue;
    let lo = Math.log(DECAYS[Math.max(0, at - 1)]);
    let hi = Math.log(DECAYS[Math.min(DECAYS.length - 1, at + 1)]);
    let shiftBest = fits[at]!;
    for (let k = 0; k < 24; k++) {
      const x1 = hi - g * (hi - lo);
      const x2 = lo + g * (hi - lo);
      const f1 = fitAt(curve, from, shift, Math.exp(x1));
      const f2 = fitAt(curve, from, shift, Math.exp(x2));
      for (const f of [f1, f2]) if (f && f.sse < shiftBest.sse) shiftBest = f;
      if ((f1?.sse ?? Infinity) < (f2?.sse ?? Infinity)) hi = x2;
      else lo = x1;
    }
    if (!best || shiftBest.sse < best.sse) best = shiftBest;
  }
  return best?.model;
}

/** The least-squares a and b for one shift and decay, and the squared error (undefined unless falling). */
function fitAt(curve: readonly number[], from: number, shift: number, decay: number): { model: CurveModel; sse: number } | undefined {
  const n = curve.length - from;
  const last = curve.length;
  const s = shift * last;
  const c = Number.isFinite(s) ? decay * (last + s) : decay;
  let mean = 0;
  let zMean = 0;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tree = from + i + 1;
    // Written from the last tree (z = 1 there): no under- or overflow.
    z[i] = Number.isFinite(s) ? ((tree + s) / (last + s)) ** -c : Math.exp(-c * (tree - last));
    zMean += z[i];
    mean += curve[from + i];
  }
  zMean /= n;
  mean /= n;
  let zz = 0;
  let zy = 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const dz = z[i] - zMean;
    const dy = curve[from + i] - mean;
    zz += dz * dz;
    zy += dz * dy;
    yy += dy * dy;
  }
  // A flat curve (no spread) or a flat fit (z constant): nothing falls.
  if (!(yy > 0) || !(zz > 0) || !Number.isFinite(zz)) return undefined;
  const slope = zy / zz;
  if (!(slope > 0)) return undefined;
  return { model: { a: mean - slope * zMean, b: slope, c, s, at: last }, sse: Math.max(0, yy - slope * zy) };
}

/**
 * Whether `value` is a new best for early stopping: lower than `best` by more than `minDelta` of
 * it. The engine's rule (src/engine/gbdt/train.ts, early_stopping_min_relative_delta, which
 * catalogue.early_stopping_min_delta sets), restated here so the estimate and the stop agree.
 */
export function beatsBest(value: number, best: number, minDelta: number): boolean {
  return value < best - minDelta * Math.abs(best);
}

/**
 * The early-stopping rule run on the curve seen, then on the gains of `next` (the metric of tree
 * number t) past it, to where it fires or to `maxTrees`; a gain per tree of at most `floor`
 * counts as none. The trees grown in all.
 */
export function stopOn(curve: readonly number[], next: (tree: number) => number, patience: number, maxTrees: number, minDelta: number, floor: number): number {
  const grown = curve.length;
  let best = 0;
  for (let i = 1; i < grown; i++) if (beatsBest(curve[i], curve[best], minDelta)) best = i;
  if (grown - 1 - best >= patience) return grown;
  let bestValue = curve[best];
  let value = curve[grown - 1];
  for (let tree = grown; tree < maxTrees; tree++) {
    if (tree - 1 - best >= patience) return tree;
    // The fitted gain of this tree (tree + 1 in numbers from 1), none if below the floor.
    const gain = next(tree) - next(tree + 1);
    if (gain > floor) value -= gain;
    if (beatsBest(value, bestValue, minDelta)) {
      best = tree;
      bestValue = value;
    }
  }
  return maxTrees;
}

/**
 * Trees a model grows in all, foreseen from its held-out curve so far (see the top of the file):
 * `patience` trees after its best, a best beating the previous one by more than `minDelta` of
 * it, at most `maxTrees`. Undefined while the curve is too short to read (under 12 trees).
 */
export function expectedTrees(curve: readonly number[], patience: number, maxTrees: number, minDelta = 0, noise = 2e-5): number | undefined {
  const grown = curve.length;
  if (patience <= 0) return maxTrees;
  if (grown === 0) return undefined;
  if (stopsBy(curve, patience, minDelta)) return grown;
  if (grown < 12 || curve.some((v) => !Number.isFinite(v))) return undefined;
  const model = fitCurve(curve, Math.floor(grown / 4));
  const last = curve[grown - 1];
  // Only the fit's gains are read (stopOn), continued from the last value seen.
  const next = model ? (tree: number) => curveValue(model, tree) : () => last;
  const floor = minDelta > 0 ? 0 : noise * Math.abs(last);
  return stopOn(curve, next, patience, maxTrees, minDelta, floor);
}

/** Whether the rule has already fired on the curve seen (its best `patience` trees back or more). */
export function stopsBy(curve: readonly number[], patience: number, minDelta: number): boolean {
  let best = 0;
  for (let i = 1; i < curve.length; i++) if (beatsBest(curve[i], curve[best], minDelta)) best = i;
  return curve.length - 1 - best >= patience;
}
