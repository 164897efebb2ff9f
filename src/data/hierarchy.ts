// The summing structure of a hierarchy (data.hierarchy): which bottom series add up to which
// aggregate series. Pure (no DuckDB, no I/O): the reconciliation (src/models/reconcile) and
// worker threads import it.
//
// Input
//   columns     the attribute columns every bottom series has one value of (data.series_key and
//               the columns the levels name), e.g. ["state_id", "store_id", "item_id"]
//   bottom      per bottom series (index b = its index in SalesData.series), its value of each
//               column, in `columns` order
//   levels      data.hierarchy: each level a list of columns, [] = the total
//
// Output (Hierarchy), plain arrays so they pass to worker threads and JSON unchanged:
//   levels[l]        { columns, label, bottom: true when the level's columns are the whole key }
//   aggregates[a]    { level: l, name, parts, bottom: number[] }
//                    name   the series name within its level: "total" for [], else the level's
//                           values joined like a series key (series-key.ts): "CA", "CA_1/FOODS_1"
//                    bottom the indices of the bottom series that sum to it, ascending; every
//                           bottom series is in exactly one aggregate of each level
//   Aggregates are ordered by level (config order), then by name (natural order). A level whose
//   columns are exactly the series key maps each bottom series to itself (identity rows), as
//   hierarchicalforecast's summing matrix S includes the bottom rows.
//
// In matrix terms, S (aggregates x bottom) has S[a][b] = 1 for b in aggregates[a].bottom; the
// values of aggregate a on a day are the sum of its bottom series' values that day (a bottom
// series counts 0 on days outside its own calendar: before it started or after it stopped selling).

import { naturalCompare } from "./natural-order.js";
import { seriesKeyName } from "./series-key.js";
import type { AggregateSeries, HierarchyLevel } from "./catalogue-types.js";
export type { AggregateSeries, HierarchyLevel } from "./catalogue-types.js";


export interface Hierarchy {
  levels: HierarchyLevel[];
  aggregates: AggregateSeries[];
}

/** A level naming a column the bottom series have no value of: a setting the user got wrong. */
export class HierarchyError extends Error {
  constructor(
    message: string,
    readonly column: string,
  ) {
    super(message);
    this.name = "HierarchyError";
  }
}

export function levelLabel(columns: readonly string[]): string {
  return columns.length === 0 ? "total" : columns.join("/");
}

export function buildHierarchy(
  columns: readonly string[],
  bottom: readonly (readonly string[])[],
  levels: readonly (readonly string[])[],
  keyColumns: readonly string[],
): Hierarchy {
  const position = new Map(columns.map((column, i) => [column, i]));
  const keySet = new Set(keyColumns);
  const outLevels: HierarchyLevel[] = [];
  const aggregates: AggregateSeries[] = [];
  levels.forEach((levelColumns, level) => {
    for (const column of levelColumns) {
      if (!position.has(column)) {
        throw new HierarchyError(`Hierarchy level [${levelColumns.join(", ")}] names column "${column}", which the series have no value of (known: ${columns.join(", ")}).`, column);
      }
    }
    const unique = [...new Set(levelColumns)];
    outLevels.push({
      columns: [...levelColumns],
      label: levelLabel(levelColumns),
      bottom: unique.length === keySet.size && unique.every((column) => keySet.has(column)),
    });
    const indices = levelColumns.map((column) => position.get(column)!);
    const groups = new Map<string, { parts: string[]; bottom: number[] }>();
    bottom.forEach((values, b) => {
      const parts = indices.map((i) => values[i]);
      const name = parts.length === 0 ? "total" : seriesKeyName(parts);
      let group = groups.get(name);
      if (!group) groups.set(name, (group = { parts, bottom: [] }));
      group.bottom.push(b);
    });
    const names = [...groups.keys()].sort(naturalCompare);
    for (const name of names) {
      const group = groups.get(name)!;
      aggregates.push({ level, name, parts: group.parts, bottom: group.bottom });
    }
  });
  return { levels: outLevels, aggregates };
}

/**
 * Each aggregate's values over a common calendar of `periods` periods: the sum of its bottom
 * series (each given by the index of its first period in that calendar and its values; 0 outside
 * them). One Float64Array per aggregate, in `aggregates` order.
 */
export function sumAggregates(
  aggregates: readonly Pick<AggregateSeries, "bottom">[],
  bottom: readonly { firstPeriod: number; values: ArrayLike<number> }[],
  periods: number,
): Float64Array[] {
  return aggregates.map((aggregate) => {
    const sums = new Float64Array(periods);
    for (const b of aggregate.bottom) {
      const { firstPeriod, values } = bottom[b];
      for (let i = 0; i < values.length; i++) sums[firstPeriod + i] += values[i];
    }
    return sums;
  });
}
