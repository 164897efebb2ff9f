// Drill-down through a catalogue's hierarchy (the dashboard's total → store → department → item):
// which level a series' children are at, and which series of a level lie within one series of
// another. Both come from the bottom series each series sums (IndexedSeries.bottom), so they hold
// for any data.hierarchy, not only for levels whose columns extend each other: a store lies within
// a state because all its bottom series are the state's, though [store_id] does not name state_id.
//
// A level nests in another when each of its series lies within exactly one series of the other.
// The child level of a level is the first level after it in data.hierarchy's order (the bottom
// series last when the hierarchy does not list the key's level) that nests in it: with M5's
// [[], [state_id], [store_id], [cat_id], [dept_id], [store_id, dept_id], [item_id], [store_id, item_id]]
// that is total → state_id → store_id → store_id/dept_id → store_id/item_id ([cat_id] does not
// nest in a store: a category spans every store).
import { HttpError } from "./errors.js";
import type { IndexedLevel, SeriesIndex } from "./series-index.js";

/** Per level, for each bottom series, the position (in level.entries) of the level's series holding it. */
const owners = new WeakMap<IndexedLevel, Int32Array>();

function ownerOf(level: IndexedLevel, bottomCount: number): Int32Array {
  let owner = owners.get(level);
  if (!owner) {
    owner = new Int32Array(bottomCount).fill(-1);
    level.entries.forEach((entry, i) => {
      for (const b of entry.bottom) owner![b] = i;
    });
    owners.set(level, owner);
  }
  return owner;
}

/** True when every series of `child` lies within one series of `parent`. */
export function nests(child: IndexedLevel, parent: IndexedLevel, bottomCount: number): boolean {
  const owner = ownerOf(parent, bottomCount);
  return child.entries.every((entry) => {
    const first = owner[entry.bottom[0]];
    return first >= 0 && entry.bottom.every((b) => owner[b] === first);
  });
}

/** Per index, each level's child level (computed on first use, like the index itself). */
const childLevels = new WeakMap<SeriesIndex, Map<IndexedLevel, IndexedLevel>>();

/** The level a series of `level` drills down to: the first later level of index.drillOrder nesting in it; undefined at the bottom. */
export function childLevelOf(index: SeriesIndex, level: IndexedLevel): IndexedLevel | undefined {
  let links = childLevels.get(index);
  if (!links) {
    links = new Map();
    const path = index.drillOrder;
    for (const [i, parent] of path.entries()) {
      if (parent.bottom) continue;
      const child = path.slice(i + 1).find((candidate) => nests(candidate, parent, index.bottomCount));
      if (child) links.set(parent, child);
    }
    childLevels.set(index, links);
  }
  return links.get(level);
}

/**
 * Which entries of `level` lie within the series `parentName` of `parentLevel`: a test by position
 * in level.entries. 404 for an unknown parent; 422 when `level` does not nest in `parentLevel`.
 */
export function childrenOf(index: SeriesIndex, level: IndexedLevel, parentLevel: IndexedLevel, parentName: string): (i: number) => boolean {
  const parent = parentLevel.byName.get(parentName.normalize("NFC")) ?? parentLevel.byName.get(parentName);
  if (!parent) {
    throw new HttpError(
      404,
      "unknown_category",
      `parent ${JSON.stringify(parentName)} is not a series of level ${JSON.stringify(parentLevel.label)} (GET /api/series?level=${encodeURIComponent(parentLevel.label)} lists them)`,
    );
  }
  if (!nests(level, parentLevel, index.bottomCount)) {
    const nesting = index.levels.filter((candidate) => candidate !== parentLevel && nests(candidate, parentLevel, index.bottomCount)).map((l) => l.label);
    throw new HttpError(
      422,
      "validation_error",
      `level ${JSON.stringify(level.label)} does not nest in ${JSON.stringify(parentLevel.label)}: its series are not each within one series of it. ` +
        `Levels that do: ${nesting.join(", ") || "none"}`,
    );
  }
  const owner = ownerOf(parentLevel, index.bottomCount);
  const wanted = parentLevel.entries.indexOf(parent);
  return (i) => owner[level.entries[i].bottom[0]] === wanted;
}
