// Sales cannot be recorded in the future: a date after today is almost always a typo in the
// year (2203 for 2023), and left in, it would stretch the calendar to that date and fill every
// period in between with zeros, a series no model should learn from. Refused with the row,
// like any other bad date. One day of slack: a store east of UTC may already be "tomorrow".

import type { DailyAggregate } from "./aggregate.js";
import { isoFromEpochDay, MS_PER_DAY } from "./dates.js";
import { DataError } from "./errors.js";
import type { ReadPlan } from "./read-plan.js";
import { numberedRowsSql, rowLocation } from "./row-search.js";
import type { DataSource } from "./source.js";
import { epochDayOf } from "./sql.js";

/** The latest day a row may be dated: tomorrow (UTC). */
export function latestAllowedDay(now = Date.now()): number {
  return Math.floor(now / MS_PER_DAY) + 1;
}

/** Throws a DataError naming the first row dated after `latestDay` (in file order), if any. */
export async function rejectFutureDates(source: DataSource, plan: ReadPlan, aggregate: DailyAggregate, latestDay = latestAllowedDay()): Promise<void> {
  const cellsPerRow = plan.layout === "wide" ? plan.seriesColumns.length : 1;
  let rows = 0;
  for (const group of aggregate.groups) if (group.day !== null && group.day > latestDay) rows += group.rows;
  if (rows === 0) return;
  rows /= cellsPerRow;
  const sql = `SELECT rn, date_text FROM (${numberedRowsSql(source, plan)}) WHERE ${epochDayOf("date_key")} > ${latestDay} LIMIT 1`;
  const found = (await source.connection.runAndReadAll(sql)).getRowObjectsJS()[0];
  if (!found) throw new Error("bug: the aggregate counted future dates but the row search found none");
  const where = rowLocation(source, Number(found.rn));
  const more = rows > 1 ? ` ${rows} rows are dated after ${isoFromEpochDay(latestDay)}; this is the first.` : "";
  throw new DataError(
    `${where}: "${String(found.date_text)}" in column "${plan.dateColumn}" is in the future (after ${isoFromEpochDay(latestDay)}).${more}`,
    "Sales can only be recorded up to today: fix the date (a typo in the year?) or remove the row.",
  );
}
