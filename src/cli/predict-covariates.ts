// The covariate values a `salescast predict` of a covariate model needs (model.features.covariates):
// one value per covariate for each of the window's T periods, then each of the H forecast
// periods. Three sources, the first that has a period's value wins:
//
//   --covariates name=v1,v2,...   inline: H values (the forecast periods) or T+H (window, then forecast)
//   --covariates plan.csv         a file with a date column and one column per covariate (any dates)
//   the sales file's own columns  the window periods only (the values recorded there)
//
// So forecasting from the data's last window needs only the future: `--covariates Promo=1,0,0`.
import { UsageError } from "./spec.js";

export interface CovariateArgs {
  /** name => values, from `name=v1,v2,...` words. */
  inline: Map<string, number[]>;
  /** A covariate file, when a --covariates word had no "=". */
  file?: string;
}

/** Parses the --covariates words (the option may be repeated). */
export function parseCovariateArgs(words: readonly string[]): CovariateArgs {
  const inline = new Map<string, number[]>();
  let file: string | undefined;
  for (const word of words) {
    const equals = word.indexOf("=");
    if (equals < 0) {
      if (file !== undefined) throw new UsageError(`--covariates names two files (${file}, ${word}): put every covariate in one file.`);
      file = word;
      continue;
    }
    const name = word.slice(0, equals).trim();
    if (name === "") throw new UsageError(`--covariates ${word}: write name=v1,v2,... (e.g. --covariates Holiday_Flag=0,1,0).`);
    if (inline.has(name)) throw new UsageError(`--covariates gives ${name} twice.`);
    const values = word
      .slice(equals + 1)
      .split(",")
      .map((part) => part.trim());
    const bad = values.findIndex((part) => part === "" || !Number.isFinite(Number(part)));
    if (bad >= 0) throw new UsageError(`--covariates ${name}: value ${bad + 1} ("${values[bad]}") is not a number: write ${name}=1,0,0.5`);
    inline.set(name, values.map(Number));
  }
  return { inline, file };
}

/** Values by epoch day for one covariate. */
export type DayValues = ReadonlyMap<number, number>;

export interface CovariateRequest {
  category: string;
  /** In the model's order (SalesForecaster.covariateNames). */
  names: readonly string[];
  windowSize: number;
  horizon: number;
  /** Epoch day of each of the T + H periods (window, then forecast); undefined when the window has no date. */
  days: readonly number[] | undefined;
  /** ISO dates for messages, same length as `days`. */
  dates: readonly string[] | undefined;
  args: CovariateArgs;
  /** The file's values, by covariate name (read by the caller from args.file). */
  file?: ReadonlyMap<string, DayValues>;
  /** The sales file's recorded values by covariate name, or why there are none. */
  stored: ReadonlyMap<string, DayValues> | { unavailable: string };
}

/** One array of T + H values per covariate, or a UsageError saying which values are missing and how to give them. */
export function assembleCovariates(request: CovariateRequest): Record<string, number[]> {
  const { names, windowSize: T, horizon: H, days, dates, args, category } = request;
  const unknown = [...args.inline.keys()].filter((name) => !names.includes(name));
  if (unknown.length) {
    throw new UsageError(`--covariates ${unknown.join(", ")}: the ${category} model reads ${names.length ? names.join(", ") : "no covariates"}.`);
  }
  const out: Record<string, number[]> = {};
  for (const name of names) {
    const given = args.inline.get(name);
    if (given !== undefined && given.length !== H && given.length !== T + H) {
      throw new UsageError(
        `--covariates ${name} has ${given.length} values: give ${H} (the forecast period${H === 1 ? "" : "s"}${dates ? ` ${span(dates.slice(T))}` : ""}) ` +
          `or ${T + H} (the ${T} periods of the window, then the forecast).`,
      );
    }
    if (given?.length === T + H) {
      out[name] = [...given];
      continue;
    }
    if (days === undefined) {
      throw new UsageError(
        `the ${category} model reads covariates (${names.join(", ")}): with --series and no --last-date the window has no dates, so give ` +
          `${T + H} values per covariate (--covariates ${name}=v1,...,v${T + H}: the window, then the forecast), or give --last-date.`,
      );
    }
    const fromFile = request.file?.get(name);
    const fromData = "unavailable" in request.stored ? undefined : request.stored.get(name);
    const values: number[] = [];
    const missing: number[] = [];
    days.forEach((day, p) => {
      const value = given !== undefined && p >= T ? given[p - T] : (fromFile?.get(day) ?? (p < T ? fromData?.get(day) : undefined));
      if (value === undefined) missing.push(p);
      values.push(value ?? Number.NaN);
    });
    if (missing.length) throw missingValues(request, name, missing);
    out[name] = values;
  }
  return out;
}

function missingValues(request: CovariateRequest, name: string, missing: number[]): UsageError {
  const { windowSize: T, horizon: H, dates, category, names } = request;
  const future = missing.filter((p) => p >= T);
  const past = missing.filter((p) => p < T);
  const at = (ps: number[]) => span(ps.map((p) => dates![p]));
  const parts: string[] = [];
  if (future.length) {
    parts.push(
      `no value of ${name} for the forecast period${future.length === 1 ? "" : "s"} ${at(future)}: give ${H === 1 ? "it" : `all ${H}`} with ` +
        `--covariates ${name}=${Array.from({ length: H }, (_, i) => `v${i + 1}`).join(",")} or --covariates plan.csv (a date column and ${names.join(", ")})`,
    );
  }
  if (past.length) {
    const why = "unavailable" in request.stored ? ` (${request.stored.unavailable})` : " (the sales file has no value for those dates)";
    parts.push(
      `no value of ${name} for the window period${past.length === 1 ? "" : "s"} ${at(past)}${why}: give ${T + H} values (window, then forecast) or a file covering those dates`,
    );
  }
  return new UsageError(`the ${category} model reads covariates (${names.join(", ")}); ${parts.join("; ")}.`);
}

/** "2024-01-01" or "2024-01-01 .. 2024-01-05 (5 dates)". */
function span(dates: readonly string[]): string {
  return dates.length === 1 ? dates[0] : `${dates[0]} .. ${dates[dates.length - 1]} (${dates.length} dates)`;
}
