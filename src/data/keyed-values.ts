// The second pass over a catalogue file: every row as (series, day, value), streamed out of
// DuckDB chunk by chunk (2,048 rows) and added straight into one matrix of series x periods.
// No row ever becomes a JavaScript object, so 59 million rows take the matrix (8 bytes a cell)
// plus a bit per series and day, whatever the file's size.
//
// The matrix (SeriesMatrix) is the compact columnar form of a catalogue: one Float64Array on a
// SharedArrayBuffer (worker threads read it without a copy), row s = series s over the common
// calendar of periods from `firstDay`; a series counts 0 outside its own first..last period.
// Each CategorySeries.values of the catalogue is a view into it (no copy).

import type { DataSource } from "./source.js";
import { unreadableFile } from "./source.js";
import { DataError } from "./errors.js";
import { isoFromEpochDay } from "./dates.js";
import { rowLocation } from "./row-search.js";
import { keyedTextColumns, type KeyedPlan } from "./keyed-plan.js";
import type { KeyedDictionary } from "./keyed-dictionary.js";
import type { DataSettings, Frequency } from "./types.js";
import { PERIOD_DAYS } from "./calendar.js";
import type { SeriesMatrix } from "./catalogue-types.js";
export type { SeriesMatrix } from "./catalogue-types.js";

export interface DuplicateRow {
  series: number;
  day: number;
}

/** Most bytes the matrix may take: beyond it the catalogue is refused with its size, never an out-of-memory crash. */
export function matrixBytesLimit(totalMemory: number): number {
  return Math.floor(totalMemory / 4);
}

/**
 * Reads every row into the matrix. `seriesOfGroup[gid]` is the series index of each key group
 * (-1: not selected). Duplicated series x day rows are summed when `sumDuplicates`, else the
 * first one is returned (and the pass stops) for the caller to refuse.
 */
export async function readKeyedValues(
  source: DataSource,
  plan: KeyedPlan,
  dictionary: KeyedDictionary,
  seriesOfGroup: Int32Array,
  seriesCount: number,
  frequency: Frequency,
  fill: DataSettings["fill"],
  sumDuplicates: boolean,
  maxBytes: number,
): Promise<{ matrix: SeriesMatrix; duplicate?: DuplicateRow }> {
  const firstDay = dictionary.days[0];
  const lastDay = dictionary.days[dictionary.days.length - 1];
  const step = PERIOD_DAYS[frequency];
  const periods = Math.floor((lastDay - firstDay) / step) + 1;
  const spanDays = lastDay - firstDay + 1;
  const bytes = seriesCount * periods * 8 + Math.ceil((seriesCount * spanDays) / 8);
  if (bytes > maxBytes) {
    throw new DataError(
      `${source.path} holds ${seriesCount.toLocaleString("en-US")} series over ${periods.toLocaleString("en-US")} periods (${isoFromEpochDay(firstDay)} .. ${isoFromEpochDay(lastDay)}): ` +
        `${Math.ceil(bytes / 2 ** 20).toLocaleString("en-US")} MiB in memory, more than the ${Math.floor(maxBytes / 2 ** 20).toLocaleString("en-US")} MiB salescast allows (a quarter of this machine's memory).`,
      "Select fewer series (data.available_categories), shorten the history, or use weekly periods (data.frequency: W).",
    );
  }
  const values = new Float64Array(new SharedArrayBuffer(seriesCount * periods * 8));
  const seen = new Uint8Array(Math.ceil((seriesCount * spanDays) / 8));
  const firstPeriod = new Int32Array(seriesCount).fill(periods);
  const lastPeriod = new Int32Array(seriesCount).fill(-1);
  const totals = new Float64Array(seriesCount);
  let duplicate: DuplicateRow | undefined;

  const keyJoin = plan.keyColumns.map((_, i) => `r.k${i} = g.k${i}`).join(" AND ");
  const sql = `
    SELECT g.gid, d.day, r.amount
    FROM (SELECT ${keyedTextColumns(plan)}, ${plan.dateKeySql} AS date_key, ${plan.amountSql} AS amount FROM ${source.relation}) r
    JOIN keys g ON ${keyJoin}
    JOIN dates d ON r.date_key = d.date_key`;
  let result;
  try {
    result = await source.connection.stream(sql);
  } catch (error) {
    throw unreadableFile(source.path, source.kind, error);
  }
  reading: for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const gids = chunk.getColumnVector(0);
    const days = chunk.getColumnVector(1);
    const amounts = chunk.getColumnVector(2);
    const count = chunk.rowCount;
    for (let r = 0; r < count; r++) {
      const series = seriesOfGroup[gids.getItem(r) as number];
      if (series < 0) continue;
      const dayOffset = (days.getItem(r) as number) - firstDay;
      const bit = series * spanDays + dayOffset;
      const mask = 1 << (bit & 7);
      if (seen[bit >> 3] & mask) {
        if (!sumDuplicates) {
          duplicate = { series, day: dayOffset + firstDay };
          break reading;
        }
      } else seen[bit >> 3] |= mask;
      const period = Math.floor(dayOffset / step);
      const value = amounts.getItem(r) as number;
      values[series * periods + period] += value;
      totals[series] += value;
      if (period < firstPeriod[series]) firstPeriod[series] = period;
      if (period > lastPeriod[series]) lastPeriod[series] = period;
    }
  }
  const filledPeriods = fillUnobserved(seen, spanDays, step, periods, values, firstPeriod, lastPeriod, fill);
  return { matrix: { series: seriesCount, periods, firstDay, step, values, firstPeriod, lastPeriod, filledPeriods, totals }, duplicate };
}

/**
 * Per series, counts the periods between its first and last without any day seen, and fills them
 * per data.fill (zero: left at 0; previous: the period before's value).
 */
function fillUnobserved(seen: Uint8Array, spanDays: number, step: number, periods: number, values: Float64Array, first: Int32Array, last: Int32Array, fill: DataSettings["fill"]): Int32Array {
  const filled = new Int32Array(first.length);
  for (let s = 0; s < first.length; s++) {
    for (let p = first[s]; p <= last[s]; p++) {
      let any = false;
      for (let d = p * step; d < Math.min((p + 1) * step, spanDays) && !any; d++) {
        const bit = s * spanDays + d;
        any = (seen[bit >> 3] & (1 << (bit & 7))) !== 0;
      }
      if (any) continue;
      filled[s]++;
      // The first period always has a row, so p - 1 is inside the series.
      if (fill === "previous") values[s * periods + p] = values[s * periods + p - 1];
    }
  }
  return filled;
}

/** The rows of one series and day, in file order, for the message about a duplicate. */
export async function duplicateRows(source: DataSource, plan: KeyedPlan, gids: readonly number[], day: number): Promise<number[]> {
  const keyJoin = plan.keyColumns.map((_, i) => `r.k${i} = g.k${i}`).join(" AND ");
  const sql = `
    SELECT r.rn FROM (SELECT row_number() OVER () AS rn, ${keyedTextColumns(plan)}, ${plan.dateKeySql} AS date_key FROM ${source.relation}) r
    JOIN keys g ON ${keyJoin} JOIN dates d ON r.date_key = d.date_key
    WHERE g.gid IN (${gids.join(", ")}) AND d.day = ${day} ORDER BY r.rn LIMIT 5`;
  return (await source.connection.runAndReadAll(sql)).getRowObjectsJS().map((row) => Number(row.rn));
}

export function describeRows(source: DataSource, rows: readonly number[]): string {
  return rows.map((rn) => rowLocation(source, rn).replace(/ of .*$/, "")).join(", ");
}
