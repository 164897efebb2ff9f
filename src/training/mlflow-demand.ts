// The Croston-type recursion of a version (croston, sba, tsb, or the intermittent kind when it
// chose one of them) as onnx-demand.ts unrolls it: the fitted smoothing constants, and the state
// after the stored history before the window (methods.ts's own crostonState / tsbState, so the
// graph continues exactly the recursion salescast runs).
import type { DemandRecursion } from "../engine/onnx-demand.js";
import type { IntermittentFit } from "../models/intermittent/index.js";
import { crostonState, tsbState } from "../models/intermittent/methods.js";
import type { FittedModel, SeriesInput } from "../models/model.js";

/** The intermittent-demand fit inside a saved state: the kind's own, or the member the intermittent kind chose. */
function demandFitOf(state: unknown): IntermittentFit | undefined {
  const s = state as { fit?: Partial<IntermittentFit>; member?: { state?: { fit?: Partial<IntermittentFit> } } } | null;
  const fit = s?.fit ?? s?.member?.state?.fit;
  return fit?.family === "intermittent" ? (fit as IntermittentFit) : undefined;
}

/** The recursion of `model` over a window of `windowSize` values; undefined when it is not a Croston-type model; a reason when it cannot be unrolled. */
export function demandRecursionOf(
  model: FittedModel,
  windowSize: number,
  stored: SeriesInput | undefined = model.history,
): DemandRecursion | { reason: string } | undefined {
  const fit = demandFitOf(model.save().state);
  if (!fit) return undefined;
  if (!stored || stored.values.length <= windowSize) {
    return { reason: `its stored history has no period before the window of ${windowSize} to start the recursion from` };
  }
  const prefix = stored.values.subarray(0, stored.values.length - windowSize);
  if (fit.method === "tsb") {
    const { size, probability } = tsbState(prefix, fit.alpha_demand, fit.alpha_second);
    const hasDemand = !Number.isNaN(size);
    return { method: "tsb", alphaDemand: fit.alpha_demand, alphaProbability: fit.alpha_second, start: { size: hasDemand ? size : 0, probability, hasDemand } };
  }
  const { size, interval, sinceDemand } = crostonState(prefix, fit.alpha_demand, fit.alpha_second);
  const hasDemand = !Number.isNaN(size);
  return {
    method: "croston",
    alphaDemand: fit.alpha_demand,
    alphaInterval: fit.alpha_second,
    debias: fit.debias,
    start: { size: hasDemand ? size : 0, interval: hasDemand ? interval : 1, sinceDemand, hasDemand },
  };
}
