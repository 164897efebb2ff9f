// A date far from the rest of its series is almost always a typo in the year (0001-01-01 in a
// 2023 file, 2002 for 2022). Left in, the calendar would run from it to the other dates and fill
// every period in between as a period without sales: one such row in a 200-day file made a
// series of 738,720 days, a training of 140 s and a model 41,099 times worse than naive (MASE).
// Refused like a future date (future-dates.ts), with the row and the fix.
//
// The rule, per series: the largest gap between two consecutive dates is refused when it is at
// least MIN_DISTANT_GAP_DAYS long AND more than MAX_GAP_SHARE of the series' calendar, i.e. more
// than 4 times as long as all its dates outside the gap together. The side of the gap with fewer
// dates is the one named (usually a single row). Ordinary gaps (a closed month, a seasonal
// product sold every December) stay far below that share.

import type { DailyTotal } from "./calendar.js";
import { isoFromEpochDay } from "./dates.js";
import { DataError } from "./errors.js";
import type { ReadPlan } from "./read-plan.js";
import { rowLocation, seriesRowsSql } from "./row-search.js";
import type { DataSource } from "./source.js";
import { epochDayOf } from "./sql.js";

/** A gap is refused when it is more than this share of its series' calendar... */
export const MAX_GAP_SHARE = 0.8;
/** ...and at least this many days without data (shorter gaps are ordinary missing periods). */
export const MIN_DISTANT_GAP_DAYS = 365;

export interface DistantGap {
  /** Days without data between the two dates around the gap. */
  gapDays: number;
  /** Days of the calendar outside the gap. */
  restDays: number;
  /** The last date before the gap and the first after it (epoch days). */
  before: number;
  after: number;
  /** The side with fewer dates, the one to report: its first and last date and how many dates it has. */
  side: "before" | "after";
  from: number;
  to: number;
  dates: number;
}

/** The gap of one series that the rule refuses, or undefined. `daily` is sorted by day, one entry per day. */
export function findDistantGap(daily: readonly DailyTotal[]): DistantGap | undefined {
  if (daily.length < 2) return undefined;
  let k = 0;
  for (let i = 1; i < daily.length - 1; i++) if (daily[i + 1].day - daily[i].day > daily[k + 1].day - daily[k].day) k = i;
  const first = daily[0].day;
  const last = daily[daily.length - 1].day;
  const gapDays = daily[k + 1].day - daily[k].day - 1;
  const span = last - first + 1;
  if (gapDays < MIN_DISTANT_GAP_DAYS || gapDays <= MAX_GAP_SHARE * span) return undefined;
  const datesBefore = k + 1;
  const datesAfter = daily.length - datesBefore;
  const side = datesBefore <= datesAfter ? "before" : "after";
  return {
    gapDays,
    restDays: span - gapDays,
    before: daily[k].day,
    after: daily[k + 1].day,
    side,
    from: side === "before" ? first : daily[k + 1].day,
    to: side === "before" ? daily[k].day : last,
    dates: side === "before" ? datesBefore : datesAfter,
  };
}

/** Throws a DataError naming the first row (in file order) on the far side of a refused gap, if any series has one. */
export async function rejectDistantDates(source: DataSource, plan: ReadPlan, dailyBySeries: ReadonlyMap<string, readonly DailyTotal[]>): Promise<void> {
  for (const [series, daily] of dailyBySeries) {
    const gap = findDistantGap(daily);
    if (!gap) continue;
    const rows = seriesRowsSql(source, plan, series);
    const found = rows
      ? (await source.connection.runAndReadAll(
          `SELECT rn, date_text, day FROM (SELECT *, ${epochDayOf("date_key")} AS day FROM (${rows})) WHERE day BETWEEN ${gap.from} AND ${gap.to} LIMIT 1`,
        )).getRowObjectsJS()[0]
      : undefined;
    if (!found) throw new Error(`bug: series ${JSON.stringify(series)} has a distant date but the row search found none`);
    const iso = isoFromEpochDay;
    const share = ((100 * gap.gapDays) / (gap.gapDays + gap.restDays)).toFixed(gap.gapDays / (gap.gapDays + gap.restDays) > 0.999 ? 3 : 1);
    const day = Number(found.day);
    const direction =
      gap.side === "before"
        ? `is ${(gap.after - day).toLocaleString("en-US")} days before the dates of "${series}" that follow the gap (from ${iso(gap.after)})`
        : `is ${(day - gap.before).toLocaleString("en-US")} days after the dates of "${series}" before the gap (up to ${iso(gap.before)})`;
    const more =
      gap.dates > 1
        ? ` ${gap.dates} dates of "${series}" lie ${gap.side === "before" ? `on or before ${iso(gap.to)}` : `on or after ${iso(gap.from)}`}; this row is the first.`
        : "";
    const remove = gap.side === "before" ? `dated before ${iso(gap.after)}` : `dated after ${iso(gap.before)}`;
    throw new DataError(
      `${rowLocation(source, Number(found.rn))}: "${String(found.date_text)}" in column "${plan.dateColumn}" ${direction}; ` +
        `outside the gap its dates span ${gap.restDays.toLocaleString("en-US")} days, so the gap would be ${share}% of its calendar, ` +
        `filled as ${gap.gapDays.toLocaleString("en-US")} days without sales.${more}`,
      `Fix the date (a typo in the year?) or remove the rows of "${series}" ${remove}.`,
    );
  }
}
