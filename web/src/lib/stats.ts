// Figures the Explorer shows, computed in the browser from the series the API sends (one value
// per day or per week). Pure functions over plain arrays so they are cheap to test and to
// recompute on every slider move (five years of daily data for 50 series is ~90k values: one
// pass each).

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
  /** Mean per period in the range (per day for daily data, per week for weekly). */
  meanPerPeriod: number;
  periods: number;
  /** Sum of the last `span` periods of the range. */
  last: number;
  /** Sum of the `span` periods before those; undefined when the range is shorter than 2 × span. */
  previous?: number;
  /** (last - previous) / previous, undefined when previous is missing or 0. */
  change?: number;
}

/** Total, mean per period, and the last `span` periods against the `span` before them. */
export function summarise(values: readonly number[], span: number): SeriesSummary {
  if (!Number.isInteger(span) || span < 1) throw new Error(`summary span must be a whole number >= 1, got ${span}`);
  let total = 0;
  for (const v of values) total += v;
  const n = values.length;
  const last = sum(values, Math.max(0, n - span), n);
  const previous = n >= 2 * span ? sum(values, n - 2 * span, n - span) : undefined;
  const change = previous !== undefined && previous !== 0 ? (last - previous) / previous : undefined;
  return { total, meanPerPeriod: n > 0 ? total / n : 0, periods: n, last, previous, change };
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
