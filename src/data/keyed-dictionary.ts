// The first pass over a catalogue file (data.series_key): ONE scan that groups the rows two ways
// at once (GROUPING SETS): by the key columns (the series, tens of thousands) and by date (a few
// thousand). Both dictionaries stay in DuckDB as temporary tables for the second pass
// (keyed-values.ts) and come to JavaScript as small arrays. Every problem a row can have is
// counted here; a scan that names the first offending row runs only when there is one.

import { DataError, quotedList } from "./errors.js";
import { keyedTextColumns, type KeyedPlan } from "./keyed-plan.js";
import { rowLocation } from "./row-search.js";
import { seriesKeyName } from "./series-key.js";
import { unreadableFile, type DataSource } from "./source.js";
import { categoryText, cleanText, epochDayOf, quoteIdentifier, rawText } from "./sql.js";
import { isoFromEpochDay } from "./dates.js";

export interface KeyGroup {
  /** Row of the key_groups table (the second pass joins on it). */
  gid: number;
  /** The key's parts, trimmed and NFC, in data.series_key order. */
  parts: string[];
  /** The series name (series-key.ts). */
  name: string;
  /** Per attribute column (KeyedPlan.attributeColumns), the one value it has (trimmed, NFC). */
  attributes: string[];
  rows: number;
}

export interface KeyedDictionary {
  keys: KeyGroup[];
  /** Epoch days present in the file, ascending. */
  days: number[];
  rows: number;
}

/** Days after today (UTC) tolerated, like future-dates.ts: tomorrow is fine (stores east of UTC). */
const FUTURE_DAYS_ALLOWED = 1;

export async function readKeyedDictionary(source: DataSource, plan: KeyedPlan): Promise<KeyedDictionary> {
  const keys = plan.keyColumns.map((_, i) => `k${i}`);
  const attributes = plan.attributeColumns.map((_, i) => `a${i}`);
  // min and max skip NULLs, so empty cells are counted apart (a blank "  " shows as a min that trims to nothing).
  const attributeAggregates = attributes.map((a) => `min(${a}) AS ${a}_min, max(${a}) AS ${a}_max, (count(*) - count(${a}))::DOUBLE AS ${a}_missing`);
  const rowsSql = `SELECT ${keyedTextColumns(plan)}, ${plan.dateKeySql} AS date_key, ${plan.amountSql} AS amount, ${quoteIdentifier(plan.valueColumn)} AS present FROM ${source.relation}`;
  const groupsSql = `
    CREATE TEMP TABLE groups AS
    SELECT GROUPING(date_key) = 1 AS by_key, ${keys.join(", ")}, date_key,
           ${[...attributeAggregates, ""].join(", ")}
           count(*)::DOUBLE AS n, (count(*) - count(present))::DOUBLE AS empty_values,
           (count(present) - count(amount))::DOUBLE AS bad_values, sum(amount) AS total
    FROM (${rowsSql})
    GROUP BY GROUPING SETS ((${keys.join(", ")}), (date_key))`;
  await run(source, groupsSql);

  const counts = (await select(source, `SELECT sum(n) AS n, sum(empty_values) AS empty, sum(bad_values) AS bad, count(*) FILTER (WHERE NOT isfinite(total)) AS non_finite FROM groups WHERE by_key`))[0];
  const rows = Number(counts.n ?? 0);
  if (rows === 0) throw new DataError(`${source.path} has a header but no data rows.`, "Add data rows, or point data.csv_path at the full file.");
  if (Number(counts.empty) > 0 || Number(counts.bad) > 0 || Number(counts.non_finite) > 0) await rejectBadValue(source, plan, Number(counts.empty), Number(counts.bad));

  const days = await readDays(source, plan);
  const keyGroups = await readKeys(source, plan);
  return { keys: keyGroups, days, rows };
}

async function run(source: DataSource, sql: string): Promise<void> {
  try {
    await source.connection.run(sql);
  } catch (error) {
    throw unreadableFile(source.path, source.kind, error);
  }
}

async function select(source: DataSource, sql: string): Promise<Record<string, unknown>[]> {
  try {
    return (await source.connection.runAndReadAll(sql)).getRowObjectsJS();
  } catch (error) {
    throw unreadableFile(source.path, source.kind, error);
  }
}

/** Rows in file order with their number (rn), as the plan reads them, for naming one. */
function numberedSql(source: DataSource, plan: KeyedPlan): string {
  return `SELECT row_number() OVER () AS rn, ${keyedTextColumns(plan)}, ${plan.dateKeySql} AS date_key, ${rawText(plan.dateColumn)} AS date_text,
                 ${plan.amountSql} AS amount, ${plan.amountTextSql} AS amount_text FROM ${source.relation}`;
}

async function firstRow(source: DataSource, plan: KeyedPlan, condition: string): Promise<Record<string, unknown> | undefined> {
  return (await select(source, `SELECT * FROM (${numberedSql(source, plan)}) WHERE ${condition} LIMIT 1`))[0];
}

/** Throws for the first empty or unparsable value; returns when the only problem is a sum that overflowed (keyed-ingest refuses it with the series). */
async function rejectBadValue(source: DataSource, plan: KeyedPlan, empty: number, bad: number): Promise<void> {
  const column = plan.valueColumn;
  if (empty > 0) {
    const row = await firstRow(source, plan, "amount_text IS NULL");
    throw new DataError(
      `${rowLocation(source, Number(row?.rn))} has no value in column "${column}".${empty > 1 ? ` ${empty} rows have no value; this is the first.` : ""}`,
      "Every row needs a value: enter 0 for a day without sales, or remove the row.",
    );
  }
  const row = await firstRow(source, plan, "amount IS NULL OR NOT isfinite(amount)");
  if (!row) return;
  throw new DataError(
    `${rowLocation(source, Number(row?.rn))}: "${String(row?.amount_text)}" in column "${column}" is not a number.${bad > 1 ? ` ${bad} rows have a value that is not a number; this is the first.` : ""}`,
    "Values must be plain numbers such as 1234.5 (no thousands separators, currency signs, inf or nan); fix or remove the row.",
  );
}

async function readDays(source: DataSource, plan: KeyedPlan): Promise<number[]> {
  const day = plan.typedDate ? `CAST(datediff('day', DATE '1970-01-01', date_key) AS INTEGER)` : epochDayOf("date_key");
  await run(source, `CREATE TEMP TABLE dates AS SELECT date_key, ${day} AS day, n FROM groups WHERE NOT by_key`);
  const bad = await select(source, `SELECT sum(n) AS n FROM dates WHERE day IS NULL`);
  const badRows = Number(bad[0]?.n ?? 0);
  if (badRows > 0) {
    const row = await firstRow(source, plan, `date_key IS NULL OR date_key IN (SELECT date_key FROM dates WHERE day IS NULL)`);
    const text = row?.date_text === null || row?.date_text === undefined ? null : String(row.date_text);
    const where = rowLocation(source, Number(row?.rn));
    throw new DataError(
      (text === null ? `${where} has no date in column "${plan.dateColumn}".` : `${where}: "${text}" in column "${plan.dateColumn}" is not a date (expected YYYY-MM-DD).`) +
        (badRows > 1 ? ` ${badRows} rows have a missing or invalid date; this is the first.` : ""),
      "Dates must be ISO YYYY-MM-DD, optionally with a time (2023-01-05 or 2023-01-05 14:30:00); fix or remove the row.",
    );
  }
  const days = (await select(source, `SELECT day FROM dates ORDER BY day`)).map((row) => Number(row.day));
  const today = Math.floor(Date.now() / 86_400_000);
  const last = days[days.length - 1];
  if (last > today + FUTURE_DAYS_ALLOWED) {
    const row = await firstRow(source, plan, `date_key IN (SELECT date_key FROM dates WHERE day > ${today + FUTURE_DAYS_ALLOWED})`);
    throw new DataError(
      `${rowLocation(source, Number(row?.rn))}: "${String(row?.date_text)}" in column "${plan.dateColumn}" is after tomorrow (${isoFromEpochDay(today + 1)}).`,
      "Sales cannot be recorded in the future: fix the date (a typo in the year?) or remove the row.",
    );
  }
  return days;
}

async function readKeys(source: DataSource, plan: KeyedPlan): Promise<KeyGroup[]> {
  const parts = plan.keyColumns.map((_, i) => `${categoryText(`k${i}`)} AS p${i}`);
  const attributes = plan.attributeColumns.map((_, i) => `${categoryText(`a${i}_min`)} AS a${i}_lo, ${categoryText(`a${i}_max`)} AS a${i}_hi, a${i}_missing`);
  await run(source, `CREATE TEMP TABLE keys AS SELECT (row_number() OVER () - 1)::INTEGER AS gid, * FROM groups WHERE by_key`);
  const rows = await select(source, `SELECT gid, n, ${[...parts, ...attributes].join(", ")} FROM keys ORDER BY gid`);
  const groups: KeyGroup[] = [];
  for (const row of rows) {
    const keyParts = plan.keyColumns.map((_, i) => row[`p${i}`]);
    const missing = keyParts.findIndex((part) => part === null);
    if (missing >= 0) await rejectMissingKey(source, plan);
    const values: string[] = [];
    for (let i = 0; i < plan.attributeColumns.length; i++) {
      const lo = row[`a${i}_lo`];
      const hi = row[`a${i}_hi`];
      const name = seriesKeyName(keyParts as string[]);
      if (lo === null || hi === null || Number(row[`a${i}_missing`]) > 0) await rejectMissingAttribute(source, plan, i);
      if (lo !== hi) {
        const column = plan.attributeColumns[i];
        throw new DataError(
          `Series "${name}" (data.series_key: ${plan.keyColumns.join(", ")}) has more than one value of column "${column}": "${String(lo)}" and "${String(hi)}". ` +
            `A hierarchy level must group whole series, so each series needs one value of every level column.`,
          `Fix the rows of that series, or add "${column}" to data.series_key if a series really spans several of its values.`,
        );
      }
      values.push(String(lo));
    }
    groups.push({ gid: Number(row.gid), parts: keyParts as string[], name: seriesKeyName(keyParts as string[]), attributes: values, rows: Number(row.n) });
  }
  return groups;
}

async function rejectMissingKey(source: DataSource, plan: KeyedPlan): Promise<never> {
  const empties = plan.keyColumns.map((_, i) => `${cleanText(`k${i}`)} IS NULL`);
  const count = Number((await select(source, `SELECT count(*)::DOUBLE AS n FROM (${numberedSql(source, plan)}) WHERE ${empties.join(" OR ")}`))[0].n);
  const row = await firstRow(source, plan, empties.join(" OR "));
  const column = plan.keyColumns.find((_, i) => row?.[`k${i}`] === null || String(row?.[`k${i}`]).trim() === "");
  throw new DataError(
    `${rowLocation(source, Number(row?.rn))} has no value in column "${column}" (data.series_key).${count > 1 ? ` ${count} rows miss a key value; this is the first.` : ""}`,
    `Every row needs a value in each key column (${quotedList(plan.keyColumns)}): fill it in or remove the row.`,
  );
}

async function rejectMissingAttribute(source: DataSource, plan: KeyedPlan, index: number): Promise<never> {
  const column = plan.attributeColumns[index];
  const row = await firstRow(source, plan, `${cleanText(`a${index}`)} IS NULL`);
  throw new DataError(
    `${rowLocation(source, Number(row?.rn))} has no value in column "${column}" (a level of data.hierarchy).`,
    `Every row needs a value in each column data.hierarchy names: fill it in or remove the row, or remove "${column}" from data.hierarchy.`,
  );
}
