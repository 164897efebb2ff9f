// Calendar and gap filling: turns per-day totals of one category into a complete series of
// periods (days, or 7-day weeks anchored on the first date in the data) with no holes.

import { isoFromEpochDay, epochDayFromIso } from "./dates.js";
import type { CategorySeries, DataSettings, Frequency } from "./types.js";

export const PERIOD_DAYS: Record<Frequency, number> = { D: 1, W: 7 };

/** One period in words, for titles and tables: "day" or "week". */
export const PERIOD_WORD: Record<Frequency, string> = { D: "day", W: "week" };

/** The summed value of one category on one day (days as epoch days, see dates.ts). */
export interface DailyTotal {
  day: number;
  value: number;
}

/**
 * Buckets `daily` (sorted by day, at least one entry) into periods of `frequency` counted from
 * `anchorDay`, sums each period, and fills the periods with no rows so the calendar runs
 * without gaps from the category's first to its last period.
 */
export function buildSeries(
  category: string,
  daily: readonly DailyTotal[],
  frequency: Frequency,
  anchorDay: number,
  fill: DataSettings["fill"],
): CategorySeries {
  const step = PERIOD_DAYS[frequency];
  const periodOf = (day: number) => Math.floor((day - anchorDay) / step);
  const firstPeriod = periodOf(daily[0].day);
  const lastPeriod = periodOf(daily[daily.length - 1].day);
  const length = lastPeriod - firstPeriod + 1;

  const values = new Float64Array(length);
  const observed = new Uint8Array(length);
  let total = 0;
  for (const { day, value } of daily) {
    const index = periodOf(day) - firstPeriod;
    values[index] += value;
    observed[index] = 1;
    total += value;
  }

  let filledPeriods = 0;
  for (let i = 0; i < length; i++) {
    if (observed[i]) continue;
    filledPeriods++;
    // The first period is always observed, so values[i - 1] exists for "previous".
    values[i] = fill === "previous" ? values[i - 1] : 0;
  }

  const start = isoFromEpochDay(anchorDay + firstPeriod * step);
  return { category, start, values, filledPeriods, total };
}

/** ISO date of each period of `series` (the first day of the period). */
export function periodDates(series: Pick<CategorySeries, "start" | "values">, frequency: Frequency): string[] {
  const first = epochDayFromIso(series.start);
  if (first === undefined) throw new Error(`series.start is not an ISO date: ${series.start}`);
  const step = PERIOD_DAYS[frequency];
  return Array.from(series.values, (_, i) => isoFromEpochDay(first + i * step));
}

/** ISO date of the last period of `series`. */
export function lastPeriodDate(series: Pick<CategorySeries, "start" | "values">, frequency: Frequency): string {
  const first = epochDayFromIso(series.start) ?? 0;
  return isoFromEpochDay(first + (series.values.length - 1) * PERIOD_DAYS[frequency]);
}

/**
 * True when every category's dates are a whole number of weeks apart (and there are enough
 * dates to tell). Read as daily, such data would get six filled days out of every seven.
 */
export function datesLookWeekly(dailyByCategory: Iterable<readonly DailyTotal[]>): boolean {
  let intervals = 0;
  for (const daily of dailyByCategory) {
    for (let i = 1; i < daily.length; i++) {
      if ((daily[i].day - daily[i - 1].day) % 7 !== 0) return false;
      intervals++;
    }
  }
  return intervals >= 2;
}
