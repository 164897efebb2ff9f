// One entry point for the intermittent-demand methods (methods.ts has the formulas).
import { ModelInputError } from "../errors.js";
import { checkHorizon, checkSeries } from "../numeric/series-checks.js";
import { classifyDemand, type DemandClassification } from "./classify.js";
import { optimiseSesAlphaPair } from "../numeric/ses.js";
import { crostonRate, demandOccurrence, demandSizes, optimisedCrostonAlphas, tsbRate } from "./methods.js";

export type IntermittentMethod = "croston" | "sba" | "croston_optimized" | "tsb";
export const INTERMITTENT_METHODS: readonly IntermittentMethod[] = ["croston", "sba", "croston_optimized", "tsb"];

export interface IntermittentOptions {
  method: IntermittentMethod;
  /** Croston and SBA: the smoothing constant of both series. Default 0.1 (Croston's, R's and statsforecast's). */
  alpha?: number;
  /** croston_optimized: the box each α is searched in. Default [0.1, 0.3] (statsforecast's). */
  alphaBox?: readonly [number, number];
  /** TSB: the demand-size α; default: least squares in [0.1, 0.3]. */
  alphaDemand?: number;
  /**
   * TSB: the demand-probability α; default: least squares of the 0/1 occurrence series in
   * [0.01, 0.3] (the lower end lets a stable rate stay stable; the upper lets obsolescence show).
   */
  alphaProbability?: number;
}

export interface IntermittentFit {
  family: "intermittent";
  method: IntermittentMethod;
  /** α of the demand sizes. */
  alpha_demand: number;
  /** α of the intervals (Croston, SBA, optimised) or of the occurrence series (TSB). */
  alpha_second: number;
  /** Factor on ẑ/p̂: 1 − α/2 for SBA, 1 otherwise. */
  debias: number;
  classification: DemandClassification;
  /** The rate forecast for every period after the fitted series. */
  rate: number;
  n: number;
}

const FAMILY = "intermittent demand";

export function fitIntermittent(y: Float64Array, options: IntermittentOptions): IntermittentFit {
  checkDemand(y);
  const { method } = options;
  if (!INTERMITTENT_METHODS.includes(method)) {
    throw new ModelInputError(`${FAMILY}: unknown method "${String(method)}"; use one of ${INTERMITTENT_METHODS.join(", ")}`);
  }
  let alphaDemand: number;
  let alphaSecond: number;
  let debias = 1;
  if (method === "croston" || method === "sba") {
    alphaDemand = alphaSecond = checkAlpha("alpha", options.alpha ?? 0.1);
    if (method === "sba") debias = 1 - alphaDemand / 2;
  } else if (method === "croston_optimized") {
    const [lower, upper] = options.alphaBox ?? [0.1, 0.3];
    checkAlpha("alphaBox lower end", lower);
    checkAlpha("alphaBox upper end", upper);
    if (lower > upper) throw new ModelInputError(`${FAMILY}: alphaBox [${lower}, ${upper}] is empty; give [lower, upper] with lower ≤ upper`);
    ({ demand: alphaDemand, interval: alphaSecond } = optimisedCrostonAlphas(y, lower, upper));
  } else {
    // α to 1e-6 is all a forecast needs; the 1e-12 of the Croston search is there to match statsforecast's.
    const optimised =
      options.alphaDemand === undefined || options.alphaProbability === undefined
        ? optimiseSesAlphaPair(demandSizes(y), demandOccurrence(y), [0.1, 0.3], [0.01, 0.3], 1e-6)
        : undefined;
    alphaDemand = options.alphaDemand === undefined ? optimised!.x : checkAlpha("alphaDemand", options.alphaDemand);
    alphaSecond = options.alphaProbability === undefined ? optimised!.y : checkAlpha("alphaProbability", options.alphaProbability);
  }
  const fit: IntermittentFit = {
    family: "intermittent",
    method,
    alpha_demand: alphaDemand,
    alpha_second: alphaSecond,
    debias,
    classification: classifyDemand(y),
    rate: 0,
    n: y.length,
  };
  fit.rate = rateOf(fit, y);
  return fit;
}

/** The h forecasts after y (all equal: these methods forecast a rate), with the fitted α's re-run over y. */
export function forecastIntermittent(fit: IntermittentFit, y: Float64Array, h: number): Float64Array {
  checkHorizon(FAMILY, h);
  checkDemand(y);
  return new Float64Array(h).fill(rateOf(fit, y));
}

function rateOf(fit: IntermittentFit, y: Float64Array): number {
  return fit.method === "tsb" ? tsbRate(y, fit.alpha_demand, fit.alpha_second) : crostonRate(y, fit.alpha_demand, fit.alpha_second, fit.debias);
}

function checkDemand(y: Float64Array): void {
  checkSeries(FAMILY, y, 1);
  let negative = -1;
  for (let t = 0; t < y.length && negative < 0; t++) if (y[t] < 0) negative = t;
  if (negative >= 0) {
    throw new ModelInputError(
      `${FAMILY}: value ${y[negative]} at period ${negative} is negative; Croston-type methods model demand counts or quantities (≥ 0): use another family for returns or net sales`,
    );
  }
}

function checkAlpha(name: string, alpha: number): number {
  if (!(alpha > 0 && alpha <= 1)) throw new ModelInputError(`${FAMILY}: ${name} must be in (0, 1] (got ${alpha})`);
  return alpha;
}
