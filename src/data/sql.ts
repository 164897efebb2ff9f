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

/**
 * A category name: trimmed, empty as NULL, and in Unicode NFC, so "é" typed as one code point
 * and as "e" + combining accent (macOS file names, some exports) is one category, not two that
 * look identical. Runs on the aggregated groups, not per row.
 */
export function categoryText(text: string): string {
  return `nfc_normalize(${cleanText(text)})`;
}

const DATE_ONLY = String.raw`\d{4}-\d{2}-\d{2}`;
/** Hours 00-23, minutes and seconds 00-59: a time of day that exists (25:99 does not). */
const TIME_OF_DAY = String.raw`([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?`;
/** Z or an offset from UTC of at most 23:59, with or without the colon. */
const UTC_OFFSET = String.raw`(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)`;

/**
 * Accepted dates: YYYY-MM-DD, optionally followed by a time (T or space, HH:MM, optional
 * seconds and fraction, optional Z or UTC offset), spaces around allowed. The date part is
 * taken as written: a time or an offset never moves a row to another day.
 */
export const DATE_TIME_PATTERN = `${DATE_ONLY}([T ]${TIME_OF_DAY}${UTC_OFFSET}?)?`;

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
 * here and are refused by isNumber. Thousands separators and currency signs give NULL, and so
 * does an underscore: DuckDB's cast reads "1_000" as 1000, a digit separator the rules refuse
 * like "1,000" (is "1_000" a thousand, or 1 and 000 run together?).
 */
export function amountOf(text: string): string {
  return `CASE WHEN contains(${text}, '_') THEN NULL ELSE try_cast(${text} AS DOUBLE) END`;
}

/** True for an amount that counts: parsed and finite. */
export function isNumber(amount: string): string {
  return `coalesce(isfinite(${amount}), false)`;
}

/**
 * Columns unnested into rows by one query at most (wide files). DuckDB materialises each input
 * chunk's lists whole (2,048 rows x the columns), so one query over 5,000 columns ran out of its
 * 1 GB; in slices of this many columns a chunk stays near 16 MB and the file is read once per
 * slice. Found by `ingest` on a 28-row file of 5,000 columns (issue 14, item 3).
 */
export const COLUMNS_PER_SCAN = 256;

/** `columns` in consecutive slices of at most COLUMNS_PER_SCAN. */
export function columnSlices<T>(columns: readonly T[]): T[][] {
  const slices: T[][] = [];
  for (let i = 0; i < columns.length; i += COLUMNS_PER_SCAN) slices.push(columns.slice(i, i + COLUMNS_PER_SCAN));
  return slices;
}
