// Dates as whole days since 1970-01-01 (UTC). Periods are counted in days, so plain integers
// avoid every time-zone and daylight-saving trap of Date objects.

export const MS_PER_DAY = 86_400_000;

export function isoFromEpochDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Parses a strict YYYY-MM-DD; returns undefined for anything else (including 2023-02-30). */
export function epochDayFromIso(iso: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const back = new Date(0);
  back.setUTCFullYear(year, month - 1, day);
  const ms = back.getTime();
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return undefined;
  }
  return ms / MS_PER_DAY;
}

/** 0 = January ... 11 = December, like Date.getUTCMonth. */
export function monthOfEpochDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCMonth();
}

/** 0 = Sunday ... 6 = Saturday, like Date.getUTCDay. */
export function weekdayOfEpochDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}
