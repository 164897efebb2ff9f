// Covariate values per period of a series, from the daily values loadCovariates (covariates.ts)
// read. Pure (no DuckDB), so worker threads can import it.
import { epochDayFromIso } from "./dates.js";
import { PERIOD_DAYS } from "./calendar.js";
import type { DataSettings, Frequency } from "./types.js";

/** Daily covariate values: per category ("" for every series of a wide file), day -> one value per covariate (NaN = none). */
export interface CovariateData {
  names: string[];
  byCategory: Record<string, { days: number[]; values: number[][] }>;
}

/** The key of covariates shared by every series (wide layout). */
export const ALL_SERIES = "";

/**
 * One value per covariate and period of a series starting at `start` (ISO) with `length`
 * periods: per covariate a Float64Array of `length` values, filled by `fill` where no day has one.
 */
export function covariatePeriods(
  data: CovariateData,
  category: string,
  start: string,
  length: number,
  frequency: Frequency,
  fill: DataSettings["fill"],
): Float64Array[] {
  const entry = data.byCategory[category] ?? data.byCategory[ALL_SERIES];
  const first = epochDayFromIso(start);
  if (first === undefined) throw new Error(`series start ${JSON.stringify(start)} is not a YYYY-MM-DD date`);
  const step = PERIOD_DAYS[frequency];
  const sums = data.names.map(() => new Float64Array(length));
  const counts = data.names.map(() => new Float64Array(length));
  entry?.days.forEach((day, d) => {
    const period = Math.floor((day - first) / step);
    if (period < 0 || period >= length) return;
    entry.values[d].forEach((value, i) => {
      if (Number.isNaN(value)) return;
      sums[i][period] += value;
      counts[i][period] += 1;
    });
  });
  return sums.map((sum, i) => {
    const out = new Float64Array(length);
    for (let p = 0; p < length; p++) {
      out[p] = counts[i][p] > 0 ? sum[p] / counts[i][p] : fill === "previous" && p > 0 ? out[p - 1] : 0;
    }
    return out;
  });
}
