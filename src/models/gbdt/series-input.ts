// Checks of the series the forecaster is given, for fitting and for forecasting: each problem
// refused with the series' name, what was wrong and what to do.
import { epochDayFromIso } from "../../data/dates.js";
import { ModelInputError } from "../errors.js";
import { FAMILY } from "./options.js";
import type { GbdtSeries } from "./types.js";

export const PERIOD_DAYS = { D: 1, W: 7 } as const;

/** Checks one series and returns the epoch day of its first period. */
export function checkSeriesInput(s: GbdtSeries, what: string): number {
  if (typeof s !== "object" || s === null) throw new ModelInputError(`${FAMILY}: ${what} is not a series object ({ name, values, start, frequency })`);
  const label = typeof s.name === "string" ? `series "${s.name}"` : what;
  if (typeof s.name !== "string" || s.name.length === 0) throw new ModelInputError(`${FAMILY}: ${what} has no name (a non-empty string)`);
  if (!(s.values instanceof Float64Array)) {
    throw new ModelInputError(`${FAMILY}: ${label}: values must be a Float64Array (got ${Object.prototype.toString.call(s.values)})`);
  }
  if (s.values.length === 0) throw new ModelInputError(`${FAMILY}: ${label} has no values`, "give at least one period of history");
  for (let t = 0; t < s.values.length; t++) {
    if (!Number.isFinite(s.values[t])) {
      throw new ModelInputError(
        `${FAMILY}: ${label}: value ${s.values[t]} at period ${t} is not a finite number`,
        "fill gaps before fitting (each period must hold a number)",
      );
    }
  }
  if (s.frequency !== "D" && s.frequency !== "W") {
    throw new ModelInputError(`${FAMILY}: ${label}: frequency must be "D" (daily) or "W" (weekly), got ${JSON.stringify(s.frequency)}`);
  }
  const day = typeof s.start === "string" ? epochDayFromIso(s.start) : undefined;
  if (day === undefined) throw new ModelInputError(`${FAMILY}: ${label}: start must be an ISO date YYYY-MM-DD (got ${JSON.stringify(s.start)})`);
  if (s.covariates !== undefined) {
    if (typeof s.covariates !== "object" || s.covariates === null)
      throw new ModelInputError(`${FAMILY}: ${label}: covariates must be an object of Float64Arrays by name`);
    for (const [name, values] of Object.entries(s.covariates)) {
      if (!(values instanceof Float64Array))
        throw new ModelInputError(`${FAMILY}: ${label}: covariate "${name}" must be a Float64Array (one value per period)`);
      for (let t = 0; t < values.length; t++) {
        if (values[t] === Infinity || values[t] === -Infinity) {
          throw new ModelInputError(
            `${FAMILY}: ${label}: covariate "${name}" is ${values[t]} at period ${t}`,
            "give finite values, or NaN where a value is unknown",
          );
        }
      }
    }
  }
  return day;
}

/** Checks the training series: at least one, unique names, one frequency, all valid. */
export function checkTrainingSeries(series: readonly GbdtSeries[]): number[] {
  if (!Array.isArray(series) || series.length === 0) throw new ModelInputError(`${FAMILY}: no series to fit`, "give at least one series");
  const days = series.map((s, i) => checkSeriesInput(s, `series ${i}`));
  const names = new Set<string>();
  for (const s of series) {
    if (names.has(s.name)) throw new ModelInputError(`${FAMILY}: two series are named "${s.name}"`, "give each series a unique name");
    names.add(s.name);
  }
  const frequency = series[0].frequency;
  const other = series.find((s) => s.frequency !== frequency);
  if (other) {
    throw new ModelInputError(
      `${FAMILY}: series "${series[0].name}" is ${frequency === "D" ? "daily" : "weekly"} but "${other.name}" is not`,
      "fit one model per frequency",
    );
  }
  return days;
}
