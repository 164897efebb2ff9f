// SQL fragments for DuckDB. Every value coming from a file is read as text first and parsed
// here, so the rules for what counts as a date or a number are ours, not the CSV sniffer's.
//
// Speed matters (ten million rows in seconds), so the per-row work is kept minimal: the cheap
// part runs per row (a length test, a cast to DOUBLE) and the strict checks (regular
// expressions, trimming) run on the few thousand category x date groups after aggregation.

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The column as text, untouched (a no-op for CSV, where every column is read as VARCHAR). */
export function rawText(column: string): string {
  return `CAST(${quoteIdentifier(column)} AS VARCHAR)`;
}

/** Text trimmed, with empty or blank cells as NULL. */
export function cleanText(text: string): string {
  return `nullif(trim(${text}), '')`;
}

const DATE_ONLY = String.raw`\d{4}-\d{2}-\d{2}`;

/**
 * Accepted dates: YYYY-MM-DD, optionally followed by a time (T or space, HH:MM, optional
 * seconds and fraction, optional Z or UTC offset), spaces around allowed. The date part is
 * taken as written: a time or an offset never moves a row to another day.
 */
export const DATE_TIME_PATTERN = String.raw`${DATE_ONLY}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?`;

/**
 * Per row: the text reduced to the day it names, so that rows group by day. Ten bytes (the
 * usual case; strlen is cheaper than length) are kept as they are; longer text that is an accepted date-time becomes its
 * first ten characters; anything else stays as it is and fails epochDayOf later.
 */
export function dateKeyOf(text: string): string {
  return (
    `CASE WHEN strlen(${text}) = 10 THEN ${text} ` +
    `WHEN regexp_full_match(trim(${text}), '${DATE_TIME_PATTERN}') THEN substr(trim(${text}), 1, 10) ` +
    `ELSE ${text} END`
  );
}

/** Days since 1970-01-01 as INTEGER, or NULL when the date key is not a real YYYY-MM-DD date. */
export function epochDayOf(dateKey: string): string {
  return (
    `CASE WHEN regexp_full_match(${dateKey}, '${DATE_ONLY}') ` +
    `THEN CAST(datediff('day', DATE '1970-01-01', try_cast(${dateKey} AS DATE)) AS INTEGER) END`
  );
}

/**
 * Per row: the number in the text, or NULL. Not yet strict: non-finite values (inf, nan) pass
 * here and are refused by isNumber. Thousands separators and currency signs give NULL.
 */
export function amountOf(text: string): string {
  return `try_cast(${text} AS DOUBLE)`;
}

/** True for an amount that counts: parsed and finite. */
export function isNumber(amount: string): string {
  return `coalesce(isfinite(${amount}), false)`;
}
