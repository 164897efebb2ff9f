// Croston, SBA and TSB (this folder's library) as model kinds. They model demand quantities, so a
// training part with a negative value (returns, net sales) is skipped with the reason before
// any work; an all-zero series forecasts 0. croston and sba smooth with model.intermittent.alpha;
// tsb chooses its two α's by least squares (the library's default).
import type { Config } from "../../config/schema.js";
import { ModelInputError } from "../errors.js";
import { localLibraryFamily, type LocalLibrarySpec } from "../local-family.js";
import { fitIntermittent, forecastIntermittent, INTERMITTENT_METHODS, type IntermittentFit, type IntermittentMethod } from "./index.js";

/** A rate needs one period; two let the first interval and the first size be smoothed. */
const MIN_HISTORY = 2;

const NAMES: Record<IntermittentMethod, string> = { croston: "Croston", sba: "SBA", croston_optimized: "Croston (optimised)", tsb: "TSB" };

/** Index of the first negative value, or -1. */
export function firstNegative(values: Float64Array): number {
  for (let t = 0; t < values.length; t++) if (values[t] < 0) return t;
  return -1;
}

/** The ModelInputError for demand methods given a negative value. */
export function refuseNegative(kind: string, values: Float64Array): void {
  const at = firstNegative(values);
  if (at >= 0) {
    throw new ModelInputError(
      `a ${kind} model forecasts demand quantities, but the training part has ${values[at]} at period ${at + 1}`,
      "use a kind that takes negative values (ets, theta, arima, intermittent) for returns or net sales",
    );
  }
}

export function describeIntermittent(fit: IntermittentFit): string {
  const c = fit.classification;
  const round = (x: number) => Number(x.toPrecision(3));
  const alphas = fit.method === "tsb" ? `α size ${round(fit.alpha_demand)}, α probability ${round(fit.alpha_second)}` : `α ${round(fit.alpha_demand)}`;
  const demand = c.category === "no_demand" ? "no demand" : `${c.category} demand, ADI ${round(c.adi)}, CV² ${round(c.cv2)}`;
  return `${NAMES[fit.method]} (${alphas}; ${demand}): ${round(fit.rate)} per period`;
}

export function parseIntermittentFit(value: unknown, damaged: (what: string) => Error): IntermittentFit {
  const fit = value as Partial<IntermittentFit>;
  if (fit.family !== "intermittent" || !INTERMITTENT_METHODS.includes(fit.method as IntermittentMethod)) throw damaged("family, method");
  const numbers = [fit.alpha_demand, fit.alpha_second, fit.debias, fit.rate];
  if (!numbers.every((x) => typeof x === "number" && Number.isFinite(x)) || typeof fit.classification !== "object")
    throw damaged("smoothing constants, classification");
  return fit as IntermittentFit;
}

function demandSpec(kind: "croston" | "sba" | "tsb", label: string): LocalLibrarySpec<IntermittentFit> {
  return {
    kind,
    label,
    formatVersion: 1,
    minHistory: () => MIN_HISTORY,
    checkValues: (values) => refuseNegative(kind, values),
    fit: (values, config: Config) => fitIntermittent(values, { method: kind, ...(kind === "tsb" ? {} : { alpha: config.model.intermittent.alpha }) }),
    forecast: forecastIntermittent,
    describe: describeIntermittent,
    parseFit: parseIntermittentFit,
  };
}

// The intermittent kind chooses among these three by the demand pattern: the tournament runs it, not them (model.ts defaultCandidate).
export const crostonFamily = { ...localLibraryFamily(demandSpec("croston", "Croston model")), defaultCandidate: false };
export const sbaFamily = { ...localLibraryFamily(demandSpec("sba", "SBA model")), defaultCandidate: false };
export const tsbFamily = { ...localLibraryFamily(demandSpec("tsb", "TSB model")), defaultCandidate: false };
