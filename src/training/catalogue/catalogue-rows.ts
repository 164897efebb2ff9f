// The rows of a catalogue's forecasts: every series of every level, in the order the
// reconciliation reads them (src/models/reconcile: the aggregates level by level from the top,
// then the bottom series), with each row's level and name. The aggregates of a level whose
// columns are the series key are the bottom series themselves: they are the bottom rows, not
// repeated as aggregates.
import type { CatalogueData } from "../../data/types.js";
import type { HierarchyStructure } from "../../models/reconcile/index.js";

export interface CatalogueRows {
  structure: HierarchyStructure;
  /** Level labels ("total", "state_id", "store_id/item_id"), data.hierarchy's order; "series" appended when no level is the key. */
  levelNames: string[];
  /** Per row: its index into levelNames. */
  rowLevels: Int32Array;
  /** Per row: its name within its level ("total", "CA", "CA_1/FOODS_1_001"). */
  rowNames: string[];
  /** Per aggregate row: the index into the hierarchy's aggregates (its values series). */
  aggregateIndex: number[];
  /** Index of the bottom series' level. */
  bottomLevel: number;
}

/** The rows of `catalogue`; names of bottom series are `bottomNames` (SalesData.series' categories). */
export function catalogueRows(catalogue: CatalogueData, bottomNames: readonly string[]): CatalogueRows {
  const hierarchy = catalogue.hierarchy;
  const levels = hierarchy?.levels ?? [];
  const levelNames = levels.map((level) => level.label);
  let bottomLevel = levels.findIndex((level) => level.bottom);
  if (bottomLevel < 0) {
    bottomLevel = levelNames.length;
    levelNames.push("series");
  }
  const aggregates: number[][] = [];
  const aggregateIndex: number[] = [];
  const rowNames: string[] = [];
  const rowLevelList: number[] = [];
  (hierarchy?.aggregates ?? []).forEach((aggregate, a) => {
    if (levels[aggregate.level].bottom) return;
    aggregates.push(aggregate.bottom);
    aggregateIndex.push(a);
    rowNames.push(aggregate.name);
    rowLevelList.push(aggregate.level);
  });
  for (const name of bottomNames) {
    rowNames.push(name);
    rowLevelList.push(bottomLevel);
  }
  return {
    structure: { bottom_count: bottomNames.length, aggregates },
    levelNames,
    rowLevels: Int32Array.from(rowLevelList),
    rowNames,
    aggregateIndex,
    bottomLevel,
  };
}

/** The value of `column` for each bottom series (a key column or a level's column), or undefined when the catalogue has no such column. */
export function columnValues(catalogue: CatalogueData, column: string): string[] | undefined {
  const key = catalogue.keyColumns.indexOf(column);
  if (key >= 0) return catalogue.parts.map((parts) => parts[key]);
  const attribute = catalogue.attributeColumns.indexOf(column);
  if (attribute >= 0) return catalogue.attributes.map((values) => values[attribute]);
  return undefined;
}
