// The ETS recursion of a version (ets, or the intermittent kind when it chose ETS for smooth
// demand) as onnx-ets.ts unrolls it: the fitted parameters and the states after the stored
// history before the window, from the ETS code's own finalStates.
import type { EtsRecursion } from "../engine/onnx-ets.js";
import { finalStates, type EtsFit } from "../models/ets/index.js";
import type { FittedModel, SeriesInput } from "../models/model.js";

/** The ETS fit inside a saved state: the kind's own, or the member the intermittent kind chose. */
function etsFitOf(kind: string, state: unknown): EtsFit | undefined {
  const s = state as { fit?: EtsFit; member?: { kind?: string; state?: { fit?: EtsFit } } } | null;
  if (kind === "ets") return s?.fit;
  if (kind === "intermittent" && s?.member?.kind === "ets") return s.member.state?.fit;
  return undefined;
}

/** The recursion of `model` over a window of `windowSize` values; undefined when it is not ETS; a reason when it cannot be unrolled. */
export function etsRecursionOf(
  model: FittedModel,
  windowSize: number,
  stored: SeriesInput | undefined = model.history,
): EtsRecursion | { reason: string } | undefined {
  const fit = etsFitOf(model.kind, model.save().state);
  if (!fit) return undefined;
  if (!stored || stored.values.length <= windowSize) {
    return { reason: `its stored history has no period before the window of ${windowSize} to start the recursion from` };
  }
  const { components } = fit;
  return {
    trend: components.trend !== "N",
    season: components.season,
    m: fit.m,
    alpha: fit.alpha,
    beta: fit.beta ?? 0,
    gamma: fit.gamma ?? 0,
    phi: fit.phi ?? 1,
    start: finalStates(fit, stored.values.subarray(0, stored.values.length - windowSize)),
  };
}
