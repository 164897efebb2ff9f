// The list behind GET /api/series: every series of the loaded data, grouped by level (the bottom
// series, then each data.hierarchy level's aggregates), each level in natural name order, with a
// lower-case search text per series. Built ONCE per loaded SalesData (a WeakMap keyed on it, so
// a reloaded file gets a new index and the old one is collected): a request then only scans the
// search texts of one level and slices a page, with no sort and no allocation per series. On the
// 30,490 series of an M5-sized catalogue a search is one pass over 30,490 short strings.
//
// Levels are named by their label (hierarchy.ts: "total", "state_id", "store_id/dept_id"). The
// bottom series are the level of the series key ("store_id/item_id"); a file without
// data.series_key has one level, "category" (its series are the categories).
import { lastPeriodDate } from "../data/calendar.js";
import { levelLabel } from "../data/hierarchy.js";
import { naturalCompare } from "../data/natural-order.js";
import type { CategorySeries, Frequency, SalesData } from "../data/types.js";
import { HttpError } from "./errors.js";

/** The level of a file without data.series_key: one series per category. */
export const PLAIN_LEVEL = "category";

export interface IndexedSeries {
  name: string;
  parts: string[];
  series: CategorySeries;
  /** The bottom series (indices into SalesData.series) it sums: itself for a bottom series. */
  bottom: readonly number[];
}

export interface IndexedLevel {
  label: string;
  columns: string[];
  /** True for the bottom series (the series key's level). */
  bottom: boolean;
  /** Natural order of name. */
  entries: IndexedSeries[];
  /** Per entry (same order): its name and parts, NFC and lower case, joined by "\n" (search terms never hold a "\n"). */
  searchTexts: string[];
  byName: Map<string, IndexedSeries>;
}

export interface SeriesIndex {
  /** The bottom level first, then the hierarchy's levels in config order. */
  levels: IndexedLevel[];
  byLabel: Map<string, IndexedLevel>;
  /** How many bottom series the data has (the length of every level's bottom-to-entry map). */
  bottomCount: number;
  /**
   * The order drill-down follows (drill-down.ts): data.hierarchy's levels in config order, the
   * bottom level where the hierarchy names the key's columns, else last; without a hierarchy the
   * bottom level alone.
   */
  drillOrder: IndexedLevel[];
}

const indexes = new WeakMap<SalesData, SeriesIndex>();

/** The index of `sales`, built on first use. */
export function seriesIndexOf(sales: SalesData): SeriesIndex {
  let index = indexes.get(sales);
  if (!index) indexes.set(sales, (index = buildSeriesIndex(sales)));
  return index;
}

function buildSeriesIndex(sales: SalesData): SeriesIndex {
  const catalogue = sales.catalogue;
  const bottomEntries = sales.series.map((series, s) => ({
    name: series.category,
    parts: catalogue ? catalogue.parts[s] : [series.category],
    series,
    bottom: [s],
  }));
  const levels: IndexedLevel[] = [indexedLevel(catalogue ? levelLabel(catalogue.keyColumns) : PLAIN_LEVEL, catalogue?.keyColumns ?? [], true, bottomEntries)];
  const hierarchy = catalogue?.hierarchy;
  if (hierarchy) {
    hierarchy.levels.forEach((level, l) => {
      // A level spelling the key in the key's order is the bottom level itself.
      if (level.label === levels[0].label) return;
      const entries: IndexedSeries[] = [];
      hierarchy.aggregates.forEach((aggregate, a) => {
        if (aggregate.level === l) entries.push({ name: aggregate.name, parts: aggregate.parts, series: hierarchy.series[a], bottom: aggregate.bottom });
      });
      levels.push(indexedLevel(level.label, level.columns, false, entries));
    });
  }
  const byLabel = new Map(levels.map((level) => [level.label, level]));
  const listed = hierarchy ? hierarchy.levels.map((level) => byLabel.get(level.label) ?? levels[0]) : [];
  const drillOrder = [...new Set(listed.includes(levels[0]) ? listed : [...listed, levels[0]])];
  return { levels, byLabel, bottomCount: sales.series.length, drillOrder };
}

function indexedLevel(label: string, columns: string[], bottom: boolean, entries: IndexedSeries[]): IndexedLevel {
  const sorted = [...entries].sort((a, b) => naturalCompare(a.name, b.name));
  return {
    label,
    columns: [...columns],
    bottom,
    entries: sorted,
    searchTexts: sorted.map((entry) => searchText([entry.name, ...entry.parts].join("\n"))),
    byName: new Map(sorted.map((entry) => [entry.name, entry])),
  };
}

function searchText(text: string): string {
  return text.normalize("NFC").toLowerCase();
}

/** A search box's text as terms: NFC, lower case, split on white space; a series matches when its name or parts hold every term. */
export function searchTerms(search: string): string[] {
  return searchText(search)
    .split(/\s+/u)
    .filter((term) => term.length > 0);
}

/** The entries of `level` matching every term, page `page` (1-based) of `pageSize`, and how many match in all. */
export function searchLevel(
  level: IndexedLevel,
  terms: readonly string[],
  page: number,
  pageSize: number,
  /** Only the entries (by position in level.entries) it accepts: the children of one series (drill-down.ts). */
  within?: (i: number) => boolean,
): { entries: IndexedSeries[]; totalCount: number } {
  const from = (page - 1) * pageSize;
  if (terms.length === 0 && !within) return { entries: level.entries.slice(from, from + pageSize), totalCount: level.entries.length };
  const entries: IndexedSeries[] = [];
  let totalCount = 0;
  for (let i = 0; i < level.searchTexts.length; i++) {
    if (within && !within(i)) continue;
    const text = level.searchTexts[i];
    if (!terms.every((term) => text.includes(term))) continue;
    if (totalCount >= from && entries.length < pageSize) entries.push(level.entries[i]);
    totalCount++;
  }
  return { entries, totalCount };
}

/** What the list shows of one series. */
export function describeSeries(entry: IndexedSeries, level: string, frequency: Frequency) {
  return {
    name: entry.name,
    parts: entry.parts,
    level,
    first_date: entry.series.start,
    last_date: lastPeriodDate(entry.series, frequency),
    periods: entry.series.values.length,
    total: entry.series.total,
  };
}

/** The level named `label` (the bottom series without one); 404 listing the levels otherwise. */
export function levelOf(index: SeriesIndex, label: string | undefined): IndexedLevel {
  if (label === undefined) return index.levels[0];
  const level = index.byLabel.get(label.normalize("NFC"));
  if (!level) {
    throw new HttpError(
      404,
      "unknown_level",
      `level ${JSON.stringify(label)} is not in the data. Levels: ${index.levels.map((l) => l.label).join(", ")} (data.hierarchy sets them)`,
    );
  }
  return level;
}
