// Is a version's one-step forecast an affine function of the served window, and which one?
//
// A model that keeps its history (the statistical kinds) forecasts a served window from that
// history with the window in place of its last W periods, its parameters as fitted. For a
// linear model (additive ETS and Holt-Winters, ARIMA, Theta, the naive baselines, the moving
// average, MSTL with additive parts, ensembles of them) that forecast is forecast = w·a + c for
// fixed a and c: the states are linear in the observations. Rather than derive a and c for each
// kind (a second copy of each model's equations), they are measured on the model itself, through
// the same forecast() serving calls: a[j] from a step of the j-th value, c from the reference
// window, and the result is then checked on windows unlike the probes (zeros, reversed, spikes,
// up to 3× the largest sale). A model that is not affine (multiplicative parts, Croston's
// demand intervals, trees, networks) fails the check, and no affine graph is written for it.
import type { AffineForecast } from "../engine/onnx-affine.js";
import { historyWithWindowAtEnd } from "../models/history.js";
import type { FittedModel, SeriesInput } from "../models/model.js";

/** How far the affine form may be from the model's own forecast, relative to the data's scale. */
export const AFFINE_TOLERANCE = 1e-8;

export type AffineProbe = { status: "affine"; affine: AffineForecast; windowsChecked: number } | { status: "not_affine"; reason: string };

/** Windows unlike the probes, at the data's scale and beyond (deterministic, so exports repeat). */
function checkWindows(reference: Float64Array, top: number): Float64Array[] {
  const W = reference.length;
  const pattern = (seed: number, amplitude: number) => Float64Array.from({ length: W }, (_, t) => (((t * 7919 + seed * 104729) % 97) / 96) * amplitude);
  return [
    new Float64Array(W),
    Float64Array.from(reference).reverse(),
    Float64Array.from(reference, (x) => 3 * x),
    pattern(1, top),
    pattern(2, 3 * top),
    Float64Array.from(pattern(3, top), (x, t) => (t % 5 === 0 ? 0 : x)),
  ];
}

/**
 * Measures a and c of `model`'s one-step forecast of a window of `windowSize` values placed at
 * the end of its stored history (or of `stored`: an ensemble's, for its members), and checks them; says why not when the model is not affine.
 */
export function probeAffine(model: FittedModel, windowSize: number, stored: SeriesInput | undefined = model.history): AffineProbe {
  if (!stored) return { status: "not_affine", reason: "it keeps no history to forecast a window from" };
  if (stored.values.length < windowSize) {
    return { status: "not_affine", reason: `its stored history (${stored.values.length} periods) is shorter than the window (${windowSize})` };
  }
  const forecastOf = (window: Float64Array): number => model.forecast(historyWithWindowAtEnd(stored, window), 1)[0];
  const reference = Float64Array.from(stored.values.subarray(stored.values.length - windowSize));
  let top = 0;
  let sumAbs = 0;
  for (const x of stored.values) {
    top = Math.max(top, Math.abs(x));
    sumAbs += Math.abs(x);
  }
  const scale = Math.max(sumAbs / stored.values.length, 1);
  top = Math.max(top, 1);
  try {
    const base = forecastOf(reference);
    const weights = new Float64Array(windowSize);
    for (let j = 0; j < windowSize; j++) {
      const probe = Float64Array.from(reference);
      probe[j] += scale;
      weights[j] = (forecastOf(probe) - base) / scale;
    }
    const apply = (window: Float64Array) => window.reduce((sum, x, t) => sum + x * weights[t], 0);
    const bias = base - apply(reference);
    const windows = checkWindows(reference, top);
    for (const window of windows) {
      const expected = forecastOf(window);
      const got = apply(window) + bias;
      if (!Number.isFinite(expected) || !(Math.abs(got - expected) <= AFFINE_TOLERANCE * (Math.abs(expected) + scale))) {
        return {
          status: "not_affine",
          reason:
            `its forecast is not an affine function of the window (a window [${Array.from(window.slice(0, 4), (x) => x.toPrecision(4)).join(", ")}, ...] ` +
            `forecasts ${expected} where the affine fit says ${got}), so no affine ONNX graph reproduces it`,
        };
      }
    }
    if (!weights.every(Number.isFinite) || !Number.isFinite(bias)) {
      return { status: "not_affine", reason: "its forecast's weights are not finite numbers" };
    }
    return { status: "affine", affine: { weights, bias }, windowsChecked: windows.length };
  } catch (error) {
    return { status: "not_affine", reason: `it could not forecast a probe window (${(error as Error).message})` };
  }
}
