// Covariate values per period of a series, from the daily values loadCovariates (covariates.ts)
// read. Pure (no DuckDB), so worker threads can import it.
import { epochDayFromIso } from "./dates.js";
import { PERIOD_DAYS } from "./calendar.js";
import type { DataSettings, Frequency } from "./types.js";

/** Daily covariate values: per category ("" for every series of a wide file), day -> one value per covariate (NaN = none). */
export interface CovariateData {
  names: string[];
  byCategory: Record<string, { days: number[]; values: number[][] }>;
  /** A catalogue (data.series_key): per series and day, in a compact matrix (byCategory is then empty). */
  bySeries?: SeriesCovariates;
}

/**
 * Covariates known per series and day (price, promotion, event, SNAP flags of a catalogue):
 * per covariate one Float32Array of series x days, row-major, on a SharedArrayBuffer (worker
 * threads share it without a copy); NaN where the series has no row or no number that day.
 */
export interface SeriesCovariates {
  /** Series name -> row. */
  index: Record<string, number>;
  /** Epoch day of column 0. */
  firstDay: number;
  days: number;
  /** One per covariate, in `names` order. */
  values: Float32Array[];
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
  const row = data.bySeries?.index[category];
  if (data.bySeries && row !== undefined) {
    const { firstDay, days, values } = data.bySeries;
    // Days of the matrix that fall in the series' periods (the forecast's future days too, when the file has them).
    for (let d = Math.max(0, first - firstDay); d < Math.min(days, first - firstDay + length * step); d++) {
      const period = Math.floor((d + firstDay - first) / step);
      values.forEach((matrix, i) => {
        const value = matrix[row * days + d];
        if (Number.isNaN(value)) return;
        sums[i][period] += value;
        counts[i][period] += 1;
      });
    }
  }
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
