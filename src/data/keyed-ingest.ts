// loadKeyedSales: a catalogue file (data.series_key: several key columns, e.g. store x item) ->
// one series per key, in a compact columnar matrix, and the hierarchy's level series.
//
//   planKeyed            columns resolved, per-row SQL by column type        keyed-plan.ts
//   readKeyedDictionary  ONE scan: the series and the dates (GROUPING SETS)  keyed-dictionary.ts
//                        bad values, dates, missing keys, level columns with two values: refused
//   readKeyedValues      a second scan streamed into series x periods        keyed-values.ts
//                        duplicated series/date rows refused (or summed)
//   buildHierarchy       which bottom series sum to which aggregate          hierarchy.ts
//   sumAggregates        the level series, summed from the matrix
//
// The level series are summed in JavaScript from the bottom matrix, not grouped again by DuckDB
// per level: one more scan of the file per level would cost more than the whole ingest (each is a
// pass over 59 million rows), and sums of the very series the models see are coherent by
// construction. DuckDB does the per-row work: parsing, validation, grouping by key and by date.

import { isoFromEpochDay } from "./dates.js";
import { DataError } from "./errors.js";
import { sha256File } from "./file-hash.js";
import { buildHierarchy, sumAggregates } from "./hierarchy.js";
import { readKeyedDictionary, seriesNames } from "./keyed-dictionary.js";
import { planKeyed } from "./keyed-plan.js";
import { describeRows, duplicateRows, matrixBytesLimit, readKeyedValues, type SeriesMatrix } from "./keyed-values.js";
import { datesLookWeekly } from "./calendar.js";
import { seriesName } from "./read-plan.js";
import { openSource } from "./source.js";
import { totalmem } from "node:os";
import type { CatalogueHierarchy, CategorySeries, DataSettings, SalesData } from "./types.js";

export async function loadKeyedSales(settings: DataSettings, options: { maxMatrixBytes?: number } = {}): Promise<SalesData> {
  const source = await openSource(settings.csv_path);
  try {
    const plan = planKeyed(source, settings);
    const hashing = sha256File(source.path);
    hashing.catch(() => undefined); // awaited below; only errors thrown first leave it dangling
    const dictionary = await readKeyedDictionary(source, plan);
    if (settings.frequency === "D" && datesLookWeekly([dictionary.days.map((day) => ({ day, value: 0 }))])) {
      throw new DataError(
        `Every date in ${source.path} is a whole number of weeks after ${isoFromEpochDay(dictionary.days[0])}, but data.frequency is D: six of every seven days would be filled as gaps.`,
        `Set data.frequency: W (weeks are anchored on the first date, ${isoFromEpochDay(dictionary.days[0])}).`,
      );
    }

    // Key groups are raw texts; "CA_1" and "CA_1 " are one series once trimmed, so several groups may share a series.
    const natural = seriesNames(dictionary);
    const names = selectSeries(source.path, natural, settings.available_categories);
    const indexOf = new Map(names.map((name, s) => [name, s]));
    const seriesOfGroup = Int32Array.from(dictionary.keys, (group) => indexOf.get(group.name) ?? -1);
    const groupOf = new Map<number, (typeof dictionary.keys)[number]>();
    for (const group of dictionary.keys) if (indexOf.has(group.name) && !groupOf.has(indexOf.get(group.name)!)) groupOf.set(indexOf.get(group.name)!, group);

    const duplicates = settings.duplicates ?? "auto";
    const { matrix, duplicate } = await readKeyedValues(
      source, plan, dictionary, seriesOfGroup, names.length, settings.frequency, settings.fill,
      duplicates === "sum", options.maxMatrixBytes ?? matrixBytesLimit(totalmem()),
    );
    if (duplicate) {
      const gids = dictionary.keys.filter((group) => group.name === names[duplicate.series]).map((group) => group.gid);
      const rows = await duplicateRows(source, plan, gids, duplicate.day);
      throw new DataError(
        `Series "${names[duplicate.series]}" (${plan.keyColumns.join(", ")}) has more than one row dated ${isoFromEpochDay(duplicate.day)} in ${source.path}: ${describeRows(source, rows)}.`,
        "With data.series_key each series has one row per date, so a repeat is refused (a file loaded twice?): remove the repeated rows, " +
          "or set data.duplicates: sum if the rows are transactions to add up.",
      );
    }
    const series = names.map((name, s) => bottomSeries(name, s, matrix));
    rejectNonFinite(source.path, series);
    const parts = names.map((_, s) => groupOf.get(s)!.parts);
    const attributes = names.map((_, s) => groupOf.get(s)!.attributes);
    const hierarchy = plan.levels.length === 0 ? undefined : levelSeries(plan, parts, attributes, series, matrix);
    return {
      frequency: settings.frequency,
      source: { path: source.path, sha256: await hashing, rows: dictionary.rows },
      series,
      catalogue: { keyColumns: plan.keyColumns, attributeColumns: plan.attributeColumns, parts, attributes, matrix, ...(hierarchy ? { hierarchy } : {}) },
    };
  } finally {
    source.close();
  }
}

function selectSeries(path: string, found: string[], configured: readonly string[]): string[] {
  if (configured.length === 0) return found;
  const wanted = configured.map((name) => seriesName(name));
  const known = new Set(found);
  const missing = wanted.filter((name) => !known.has(name));
  if (missing.length > 0) {
    throw new DataError(
      `Series ${missing.map((name) => `"${name}"`).join(", ")} (data.available_categories) not found in ${path}. Series found: ${found.slice(0, 20).map((name) => `"${name}"`).join(", ")}${found.length > 20 ? ` and ${found.length - 20} more` : ""}.`,
      "Name series by their key values joined with / (e.g. CA_1/FOODS_3_090; a / or % inside a value is written %2F or %25), or set data.available_categories to [].",
    );
  }
  return [...new Set(wanted)];
}

function bottomSeries(name: string, s: number, matrix: SeriesMatrix): CategorySeries {
  const first = matrix.firstPeriod[s];
  const last = matrix.lastPeriod[s];
  const row = s * matrix.periods;
  return {
    category: name,
    start: isoFromEpochDay(matrix.firstDay + first * matrix.step),
    values: matrix.values.subarray(row + first, row + last + 1),
    filledPeriods: matrix.filledPeriods[s],
    total: matrix.totals[s],
  };
}

/** Sums that overflow float64 (rows of 1e308) would make every later mean and deviation meaningless. */
function rejectNonFinite(path: string, series: readonly CategorySeries[]): void {
  for (const one of series) {
    let squares = 0;
    for (let i = 0; i < one.values.length; i++) squares += one.values[i] * one.values[i];
    if (!Number.isFinite(squares)) {
      throw new DataError(
        `The values of series "${one.category}" in ${path} are too large to compute with (their squares overflow a 64-bit float).`,
        "Check the value column for typos such as 1e300; amounts should be in units or currency.",
      );
    }
  }
}

function levelSeries(
  plan: ReturnType<typeof planKeyed>,
  parts: string[][],
  attributes: string[][],
  bottom: CategorySeries[],
  matrix: SeriesMatrix,
): CatalogueHierarchy {
  const columns = [...plan.keyColumns, ...plan.attributeColumns];
  const values = parts.map((key, s) => [...key, ...attributes[s]]);
  const structure = buildHierarchy(columns, values, plan.levels, plan.keyColumns);
  const rows = bottom.map((_, s) => ({ firstPeriod: 0, values: matrix.values.subarray(s * matrix.periods, (s + 1) * matrix.periods) }));
  const toSum = structure.aggregates.filter((aggregate) => !structure.levels[aggregate.level].bottom);
  const sums = sumAggregates(toSum, rows, matrix.periods);
  let next = 0;
  const series = structure.aggregates.map((aggregate) => {
    if (structure.levels[aggregate.level].bottom) return bottom[aggregate.bottom[0]];
    const sum = sums[next++];
    let first = matrix.periods;
    let last = -1;
    let total = 0;
    for (const b of aggregate.bottom) {
      first = Math.min(first, matrix.firstPeriod[b]);
      last = Math.max(last, matrix.lastPeriod[b]);
      total += matrix.totals[b];
    }
    return {
      category: aggregate.name,
      start: isoFromEpochDay(matrix.firstDay + first * matrix.step),
      values: sum.subarray(first, last + 1),
      // Filled periods are counted on the bottom series, which own the rows.
      filledPeriods: 0,
      total,
    };
  });
  return { levels: structure.levels, aggregates: structure.aggregates, series };
}
