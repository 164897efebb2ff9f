// Figures the Explorer shows, computed in the browser from the daily series the API sends.
// Pure functions over plain arrays so they are cheap to test and to recompute on every
// slider move (five years of daily data for 50 series is ~90k values: one pass each).

/**
 * Trailing mean over `window` values: out[i] = mean(values[i-window+1 .. i]).
 * The first window-1 points average what exists so far, so the line starts with the data
 * instead of leaving a gap. O(n) with a running sum.
 */
export function rollingMean(values: readonly number[], window: number): number[] {
  if (!Number.isInteger(window) || window < 1) throw new Error(`rolling window must be a whole number >= 1, got ${window}`);
  const out = new Array<number>(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}

export interface SeriesSummary {
  total: number;
  /** Mean per period in the range (per day for daily data). */
  meanPerDay: number;
  days: number;
  /** Sum of the last 28 periods of the range. */
  last28: number;
  /** Sum of the 28 periods before those; undefined when the range is shorter than 56. */
  previous28?: number;
  /** (last28 - previous28) / previous28, undefined when previous28 is missing or 0. */
  change?: number;
}

export const COMPARE_DAYS = 28;

export function summarise(values: readonly number[]): SeriesSummary {
  let total = 0;
  for (const v of values) total += v;
  const n = values.length;
  const last28 = sum(values, Math.max(0, n - COMPARE_DAYS), n);
  const previous28 = n >= 2 * COMPARE_DAYS ? sum(values, n - 2 * COMPARE_DAYS, n - COMPARE_DAYS) : undefined;
  const change = previous28 !== undefined && previous28 !== 0 ? (last28 - previous28) / previous28 : undefined;
  return { total, meanPerDay: n > 0 ? total / n : 0, days: n, last28, previous28, change };
}

function sum(values: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += values[i];
  return s;
}

/**
 * Index range [start, end) of the ISO dates (sorted ascending) that fall within from..to
 * (inclusive; either may be empty = open). Binary search: dates compare as strings.
 */
export function dateRangeIndices(dates: readonly string[], from: string, to: string): [number, number] {
  const start = from ? lowerBound(dates, from) : 0;
  const end = to ? upperBound(dates, to) : dates.length;
  return [start, Math.max(start, end)];
}

function lowerBound(dates: readonly string[], key: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(dates: readonly string[], key: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** YYYY-MM-DD plus n days (UTC, so no daylight-saving surprises). */
export function addDays(isoDate: string, days: number): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`not a date (YYYY-MM-DD): ${isoDate}`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}
