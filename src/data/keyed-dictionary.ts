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
import { naturalCompare } from "./natural-order.js";

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

/**
 * The distinct series names of the key groups, in natural order (several raw spellings of a key,
 * "CA_1" and " CA_1", are one series).
 */
export function seriesNames(dictionary: KeyedDictionary): string[] {
  return [...new Set(dictionary.keys.map((group) => group.name))].sort(naturalCompare);
}

/** Days after today (UTC) tolerated, like future-dates.ts: tomorrow is fine (stores east of UTC). */
const FUTURE_DAYS_ALLOWED = 1;

export async function readKeyedDictionary(source: DataSource, plan: KeyedPlan): Promise<KeyedDictionary> {
  const keys = plan.keyColumns.map((_, i) => `k${i}`);
  const attributes = plan.attributeColumns.map((_, i) => `a${i}`);
  // The level columns are grouped on with the key (not min/max per key: string aggregates over
  // every row cost a third of the ingest); a series with two values of one shows as two groups.
  const rowsSql = `SELECT ${keyedTextColumns(plan)}, ${plan.dateKeySql} AS date_key, ${plan.amountSql} AS amount, ${quoteIdentifier(plan.valueColumn)} AS present FROM ${source.relation}`;
  const groupsSql = `
    CREATE TEMP TABLE groups AS
    SELECT GROUPING(date_key) = 1 AS by_key, ${[...keys, ...attributes].join(", ")}, date_key,
           count(*)::DOUBLE AS n, (count(*) - count(present))::DOUBLE AS empty_values,
           (count(present) - count(amount))::DOUBLE AS bad_values, sum(amount) AS total
    FROM (${rowsSql})
    GROUP BY GROUPING SETS ((${[...keys, ...attributes].join(", ")}), (date_key))`;
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
  const keyColumns = plan.keyColumns.map((_, i) => `k${i}`);
  const parts = keyColumns.map((k, i) => `${categoryText(k)} AS p${i}`);
  // One row per raw key (the second pass joins on it); the groups may hold several per key (level columns).
  await run(source, `CREATE TEMP TABLE keys AS SELECT (row_number() OVER () - 1)::INTEGER AS gid, * FROM (SELECT ${keyColumns.join(", ")}, sum(n) AS n FROM groups WHERE by_key GROUP BY ALL)`);
  const rows = await select(source, `SELECT gid, n, ${parts.join(", ")} FROM keys ORDER BY gid`);
  if (rows.some((row) => keyColumns.some((_, i) => row[`p${i}`] === null))) await rejectMissingKey(source, plan);
  const groups: KeyGroup[] = rows.map((row) => {
    const keyParts = keyColumns.map((_, i) => String(row[`p${i}`]));
    return { gid: Number(row.gid), parts: keyParts, name: seriesKeyName(keyParts), attributes: [], rows: Number(row.n) };
  });
  if (plan.attributeColumns.length === 0) return groups;

  const join = keyColumns.map((k) => `g.${k} = k.${k}`).join(" AND ");
  const values = plan.attributeColumns.map((_, i) => `${categoryText(`g.a${i}`)} AS v${i}`);
  const attributeRows = await select(source, `SELECT k.gid, ${values.join(", ")} FROM groups g JOIN keys k ON ${join} WHERE g.by_key`);
  const seen = new Array<(string | null)[] | undefined>(groups.length);
  for (const row of attributeRows) {
    const gid = Number(row.gid);
    const found = plan.attributeColumns.map((_, i) => (row[`v${i}`] === null ? null : String(row[`v${i}`])));
    const missing = found.indexOf(null);
    if (missing >= 0) await rejectMissingAttribute(source, plan, missing);
    const earlier = seen[gid];
    if (earlier) {
      const i = found.findIndex((value, j) => value !== earlier[j]);
      // Raw spellings that normalise alike ("CA", "CA ") are one value; anything else is a second one.
      if (i >= 0) {
        const column = plan.attributeColumns[i];
        const [first, second] = [earlier[i]!, found[i]!].sort(naturalCompare);
        throw new DataError(
          `Series "${groups[gid].name}" (data.series_key: ${plan.keyColumns.join(", ")}) has more than one value of column "${column}": "${first}" and "${second}". ` +
            `A hierarchy level must group whole series, so each series needs one value of every level column.`,
          `Fix the rows of that series, or add "${column}" to data.series_key if a series really spans several of its values.`,
        );
      }
    } else seen[gid] = found;
  }
  groups.forEach((group, gid) => (group.attributes = seen[gid] as string[]));
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
