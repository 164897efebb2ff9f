// Calendar features of a period, from its first day (whole days since 1970-01-01, UTC), with
// pandas' conventions so the same dates give the same numbers as mlforecast's date features:
// day of week 0 = Monday, month 1..12, day of year 1..366, ISO week 1..53.
import { MS_PER_DAY, monthOfEpochDay, weekdayOfEpochDay } from "../../data/dates.js";
import type { CalendarFeature } from "./types.js";

/** 0 = Monday .. 6 = Sunday (pandas' dayofweek; dates.ts counts from Sunday). */
export function mondayWeekday(day: number): number {
  return (weekdayOfEpochDay(day) + 6) % 7;
}

function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** Epoch day of 1 January of `year`. */
function newYearDay(year: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1); // not Date.UTC, which reads years 0-99 as 1900-1999
  return Math.round(d.getTime() / MS_PER_DAY);
}

/** 1 = 1 January .. 365 or 366. */
export function dayOfYear(day: number): number {
  return day - newYearDay(yearOf(day)) + 1;
}

/** ISO 8601 week number: the week (Monday to Sunday) whose Thursday falls in the year counts for it. */
export function isoWeek(day: number): number {
  const thursday = day - mondayWeekday(day) + 3;
  return Math.floor((dayOfYear(thursday) - 1) / 7) + 1;
}

export function calendarValue(feature: CalendarFeature, day: number): number {
  switch (feature) {
    case "day_of_week":
      return mondayWeekday(day);
    case "month":
      return monthOfEpochDay(day) + 1;
    case "day_of_year":
      return dayOfYear(day);
    case "week_of_year":
      return isoWeek(day);
  }
}
