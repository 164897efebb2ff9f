// The names of an ETS model: error, trend and season types, and the "ZZZ"-style request that
// says which of them the automatic search may try (R's forecast::ets `model` argument).
import { ModelInputError } from "../errors.js";

export type ErrorType = "A" | "M";
/** Multiplicative trend ("M") is left out, as R's default allow.multiplicative.trend = FALSE. */
export type TrendType = "N" | "A";
export type SeasonType = "N" | "A" | "M";

/** One ETS model: ETS(error, trend[d], season). */
export interface EtsComponents {
  error: ErrorType;
  trend: TrendType;
  season: SeasonType;
  damped: boolean;
}

/** What the search may try for each component: a letter, or every allowed one ("Z"). */
export interface EtsRequest {
  error: ErrorType[];
  trend: TrendType[];
  season: SeasonType[];
  /** undefined: both damped and undamped trends are tried. */
  damped: boolean | undefined;
}

/** "ETS(M,Ad,N)" as R prints it. */
export function etsMethodName(c: EtsComponents): string {
  return `ETS(${c.error},${c.trend}${c.damped ? "d" : ""},${c.season})`;
}

function pick<T extends string>(letter: string, allowed: readonly T[], what: string, spec: string): T[] {
  if (letter === "Z") return [...allowed];
  if ((allowed as readonly string[]).includes(letter)) return [letter as T];
  throw new ModelInputError(
    `ETS model "${spec}": ${what} "${letter}" is not one of ${[...allowed, "Z"].join(", ")}`,
    'write three letters error-trend-season, e.g. "ZZZ" (search all), "MAN", "AAdA" (a "d" after the trend letter damps it)',
  );
}

/**
 * Parses "ZZZ", "AAN", "MAdM"... A "d" after the trend letter asks for a damped trend (and
 * overrides `damped`); R's "M" trend is refused (not supported: R excludes it by default too).
 */
export function parseEtsRequest(spec: string, damped?: boolean): EtsRequest {
  const match = /^([AMZ])([NAZ])(d?)([NAMZ])$/.exec(spec);
  if (!match) {
    throw new ModelInputError(
      `ETS model "${spec}" is not a model specification`,
      'write three letters error-trend-season from A (additive), M (multiplicative), N (none), Z (search), e.g. "ZZZ", "ANN", "MAdM"; trend is N, A or Z',
    );
  }
  const [, e, t, d, s] = match;
  const request: EtsRequest = {
    error: pick(e, ["A", "M"] as const, "error type", spec),
    trend: pick(t, ["N", "A"] as const, "trend type", spec),
    season: pick(s, ["N", "A", "M"] as const, "season type", spec),
    damped: d === "d" ? true : damped,
  };
  if (request.damped === true && !request.trend.includes("A")) {
    throw new ModelInputError(`ETS model "${spec}": a damped trend needs a trend`, 'use trend "A" or "Z" with damping');
  }
  if (request.damped === true) request.trend = ["A"];
  return request;
}
