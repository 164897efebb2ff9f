// AutoETS as R's forecast::ets(y, model = "ZZZ") chooses: every allowed combination of error,
// trend (damped or not) and season is fitted by maximum likelihood and the one with the lowest
// AICc wins, under R's default restrictions; series R would not fit that way get R's fallbacks.
import { ModelInputError } from "../errors.js";
import { fitEtsModel, type EtsModelFit } from "./fit-model.js";
import { fitHoltWinters } from "./holt-winters.js";
import { etsMethodName, parseEtsRequest, type EtsComponents, type SeasonType } from "./spec.js";

export interface EtsOptions {
  /** Values per season: 7 for daily data, 52 (or 52.18) for weekly. Seasonal models are tried
   *  only for an integer period from 2 to 24 with more values than one period (R's limits);
   *  a longer period is fitted without a season, as R does. */
  period: number;
  /** R's model string: error, trend (+ "d" to damp it), season, each letter fixed or "Z" to
   *  search. Default "ZZZ". Trend "M" is not supported (R leaves it out by default too). */
  model?: string;
  /** true: only damped trends; false: only undamped; default (undefined): both are tried. */
  damped?: boolean;
  /** Criterion the search minimises. Default "aicc" (R's default). */
  ic?: "aicc" | "aic" | "bic";
  /** The longest period fitted with a season. Default 24, R's limit (its C code keeps 24
   *  seasonal states); these recursions have no such limit, and statsforecast fits 52. A
   *  longer period is fitted without a season. */
  maxSeasonalPeriod?: number;
}

/** A fitted ETS model: plain data, saved as JSON. */
export interface EtsFit extends EtsModelFit {
  /** "ETS(M,Ad,N)" as R prints it. */
  method: string;
  /** "ets": chosen by likelihood; "holt_winters": R's fallback for a series too short for
   *  that; "constant": R's fallback for a constant series (simple smoothing, α = 0.99999). */
  kind: "ets" | "holt_winters" | "constant";
  /** The options' period (m is the period the chosen model uses). */
  period: number;
  /** Every model the search fitted, with its criteria, in R's search order. */
  candidates: { method: string; aicc: number | null; aic: number | null; bic: number | null }[];
}

/** R's largest period for a seasonal ETS model (its C code keeps 24 seasonal states). */
export const MAX_SEASONAL_PERIOD = 24;

function checkSeries(y: Float64Array): void {
  if (y.length === 0) throw new ModelInputError("ETS needs at least one value, got an empty series", "pass the history to fit");
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) {
      throw new ModelInputError(`ETS needs finite values; value ${i} is ${y[i]}`, "fill gaps and remove non-finite values before fitting");
    }
  }
}

function isConstant(y: Float64Array): boolean {
  for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) return false;
  return true;
}

function finish(model: EtsModelFit, kind: EtsFit["kind"], period: number, candidates: EtsFit["candidates"]): EtsFit {
  return { ...model, method: etsMethodName(model.components), kind, period, candidates };
}

/** A constant series: R fits simple exponential smoothing with α = 0.99999 from the first value. */
function constantFit(y: Float64Array, period: number): EtsFit {
  const model: EtsModelFit = {
    components: { error: "A", trend: "N", season: "N", damped: false },
    m: 1,
    alpha: 0.99999,
    beta: null,
    gamma: null,
    phi: null,
    initial_states: [y[0]],
    loglik: null,
    aic: null,
    aicc: null,
    bic: null,
    sigma2: 0,
    n: y.length,
    evaluations: 0,
  };
  return finish(model, "constant", period, []);
}

/** The seasonal period the search may use, or 1 for none; throws for a period it cannot use. */
function seasonalPeriod(period: number, seasons: SeasonType[], n: number, spec: string, maxPeriod: number): number {
  if (!(period >= 1) || !Number.isFinite(period)) {
    throw new ModelInputError(`ETS period must be a number ≥ 1, got ${period}`, "use 1 for no season, 7 for daily data, 52 for weekly");
  }
  const explicit = !seasons.includes("N");
  if (period > maxPeriod) {
    if (explicit) {
      throw new ModelInputError(
        `ETS model "${spec}" asks for a season of period ${period}, above the longest allowed (maxSeasonalPeriod ${maxPeriod})`,
        'use season "Z" or "N" (fitted without a season), raise maxSeasonalPeriod, or use a model built for long seasons (MSTL)',
      );
    }
    return 1;
  }
  if (period === 1) {
    if (explicit) throw new ModelInputError(`ETS model "${spec}" asks for a season but the period is 1`, 'use season "N" or "Z"');
    return 1;
  }
  if (!Number.isInteger(period)) {
    throw new ModelInputError(`a seasonal ETS model needs a whole period up to ${maxPeriod}, got ${period}`, "round the period, or use 1 for no season");
  }
  return n <= period ? 1 : period;
}

/**
 * Fits AutoETS to y (one value per period, oldest first, finite) as R's forecast::ets does.
 * Throws ModelInputError for an empty or non-finite series, an impossible request (a
 * multiplicative model on data with zeros or negatives, additive error with multiplicative
 * season, a season the period cannot have).
 */
export function fitEts(y: Float64Array, options: EtsOptions): EtsFit {
  checkSeries(y);
  const spec = options.model ?? "ZZZ";
  const ic = options.ic ?? "aicc";
  const request = parseEtsRequest(spec, options.damped);
  const n = y.length;
  const period = options.period;
  const maxPeriod = options.maxSeasonalPeriod ?? MAX_SEASONAL_PERIOD;
  if (!(maxPeriod >= 1)) throw new ModelInputError(`maxSeasonalPeriod must be ≥ 1, got ${maxPeriod}`, "leave it out for R's 24");
  const m = seasonalPeriod(period, request.season, n, spec, maxPeriod);
  if (m === 1) request.season = ["N"];
  if (isConstant(y) && options.model === undefined) return constantFit(y, period);
  if (request.error.length === 1 && request.error[0] === "A" && request.season.length === 1 && request.season[0] === "M") {
    throw new ModelInputError(`ETS model "${spec}": additive errors with a multiplicative season are not allowed (R's restrict)`, 'use error "M" or "Z"');
  }
  let positive = true;
  for (let i = 0; i < n; i++) if (!(y[i] > 0)) positive = false;
  if (!positive && request.error.length === 1 && request.error[0] === "M") {
    throw new ModelInputError(
      `ETS model "${spec}" has multiplicative errors, which need strictly positive data; this series has zeros or negative values`,
      'use error "A" or "Z"',
    );
  }
  // R: too few values for the parameters of the letters fixed in the request → Holt–Winters
  const fixedTrend = request.trend.length === 1 && request.trend[0] === "A";
  const fixedSeason = request.season.length === 1 && request.season[0] !== "N";
  const npars = 2 + (fixedTrend ? 2 : 0) + (fixedSeason ? m : 0) + (request.damped === true ? 1 : 0);
  if (n <= npars + 4) return shortSeriesFit(y, request, m, period, positive);

  const candidates: EtsFit["candidates"] = [];
  let best: EtsModelFit | undefined;
  let bestIc = Infinity;
  const dampings = request.damped === undefined ? [true, false] : [request.damped];
  for (const error of request.error) {
    for (const trend of request.trend) {
      for (const season of request.season) {
        for (const damped of dampings) {
          if (trend === "N" && damped) continue;
          if (error === "A" && season === "M") continue; // R's restrict
          if (!positive && (error === "M" || season === "M")) continue;
          const c: EtsComponents = { error, trend, season, damped };
          const fit = fitEtsModel(y, c, m);
          if (!fit) continue;
          const value = fit[ic] as number;
          candidates.push({ method: etsMethodName(c), aicc: fit.aicc, aic: fit.aic, bic: fit.bic });
          if (value < bestIc) {
            best = fit;
            bestIc = value;
          }
        }
      }
    }
  }
  if (!best) {
    throw new ModelInputError(`no ETS model "${spec}" could be fitted to these ${n} values`, 'try model "ZZZ" or a longer series');
  }
  return finish(best, "ets", period, candidates);
}

/** R's choices among Holt–Winters fits for a series too short for the request. */
function shortSeriesFit(y: Float64Array, request: ReturnType<typeof parseEtsRequest>, m: number, period: number, positive: boolean): EtsFit {
  const season = request.season.length === 1 ? request.season[0] : undefined;
  if (season && season !== "N" && (season === "A" || positive)) {
    const fit = fitHoltWinters(y, { trend: true, season, m });
    if (fit) return finish(fit, "holt_winters", period, []);
  }
  const trendFixed = request.trend.length === 1 ? request.trend[0] : undefined;
  if (trendFixed === "A") {
    const fit = fitHoltWinters(y, { trend: true, season: "N", m: period });
    if (fit) return finish(fit, "holt_winters", period, []);
  }
  const baseM = period >= 1 && Number.isFinite(period) ? period : 1;
  if (trendFixed === "N") {
    const fit = fitHoltWinters(y, { trend: false, season: "N", m: baseM });
    if (fit) return finish(fit, "holt_winters", period, []);
  }
  const withTrend = fitHoltWinters(y, { trend: true, season: "N", m: baseM });
  const level = fitHoltWinters(y, { trend: false, season: "N", m: baseM });
  const chosen = withTrend && level ? (withTrend.sigma2 < level.sigma2 ? withTrend : level) : (withTrend ?? level);
  if (!chosen) throw new ModelInputError(`ETS could not fit a model to these ${y.length} values`, "use a longer series");
  return finish(chosen, "holt_winters", period, []);
}
