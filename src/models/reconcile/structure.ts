// The summing structure of a hierarchy, checked once and held as compressed rows (CSR), so every
// method works in O(entries of S) and nothing builds the dense n × n_b summing matrix: at M5
// scale (42,840 series × 30,490 bottom series) that matrix alone would take 10 GB.
import { ModelInputError } from "../errors.js";

/**
 * The hierarchy as plain arrays (the shape src/data builds from `data.hierarchy`):
 * - `bottom_count`: n_b, the number of bottom series (the most disaggregated level);
 * - `aggregates[i]`: the indices (0 .. n_b − 1) of the bottom series aggregate i sums, each
 *   index once. Aggregates are listed level by level from the top (the total first), like the
 *   rows of hierarchicalforecast's S.
 * The series of every forecast matrix are then ordered: aggregates 0 .. n_a − 1, then bottom
 * series 0 .. n_b − 1 (row n_a + k is bottom series k).
 */
export interface HierarchyStructure {
  bottom_count: number;
  aggregates: ReadonlyArray<ArrayLike<number>>;
}

/** The checked structure: aggregate i sums members[offsets[i] .. offsets[i + 1]). */
export interface SummingStructure {
  bottomCount: number;
  aggregateCount: number;
  seriesCount: number;
  offsets: Int32Array;
  members: Int32Array;
}

/** Checks the structure and packs it; throws ModelInputError saying what is wrong. */
export function summingStructure(structure: HierarchyStructure): SummingStructure {
  const bottomCount = structure?.bottom_count;
  if (!Number.isInteger(bottomCount) || bottomCount < 1) {
    throw new ModelInputError(
      `the hierarchy has bottom_count ${String(bottomCount)}: an empty hierarchy cannot be reconciled`,
      "bottom_count is the number of bottom series (a positive integer)",
    );
  }
  const aggregates = structure.aggregates;
  if (!Array.isArray(aggregates) || aggregates.length === 0) {
    throw new ModelInputError(
      "the hierarchy has no aggregate series: there is nothing to reconcile",
      "list at least one aggregate (e.g. the total: every bottom index) in aggregates",
    );
  }
  const offsets = new Int32Array(aggregates.length + 1);
  for (let i = 0; i < aggregates.length; i++) offsets[i + 1] = offsets[i] + (aggregates[i]?.length ?? 0);
  const members = new Int32Array(offsets[aggregates.length]);
  const seenIn = new Int32Array(bottomCount).fill(-1);
  for (let i = 0; i < aggregates.length; i++) {
    const list = aggregates[i];
    if (!list || list.length === 0) {
      throw new ModelInputError(`aggregate ${i} sums no bottom series`, "drop empty aggregates from the hierarchy (a level value with no series under it)");
    }
    for (let j = 0; j < list.length; j++) {
      const k = list[j];
      if (!Number.isInteger(k) || k < 0 || k >= bottomCount) {
        throw new ModelInputError(
          `aggregate ${i} names bottom series ${String(k)}, outside 0 .. ${bottomCount - 1}`,
          "aggregate members are bottom-series indices below bottom_count",
        );
      }
      if (seenIn[k] === i) {
        throw new ModelInputError(`aggregate ${i} names bottom series ${k} twice`, "list each bottom index once per aggregate");
      }
      seenIn[k] = i;
      members[offsets[i] + j] = k;
    }
  }
  return { bottomCount, aggregateCount: aggregates.length, seriesCount: aggregates.length + bottomCount, offsets, members };
}

/** For each bottom series, the aggregates that contain it (the transpose of S's aggregate rows). */
export function containingAggregates(s: SummingStructure): { offsets: Int32Array; aggregates: Int32Array } {
  const counts = new Int32Array(s.bottomCount + 1);
  for (let e = 0; e < s.members.length; e++) counts[s.members[e] + 1]++;
  for (let k = 0; k < s.bottomCount; k++) counts[k + 1] += counts[k];
  const aggregates = new Int32Array(s.members.length);
  const fill = counts.slice(0, s.bottomCount);
  for (let i = 0; i < s.aggregateCount; i++) {
    for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) aggregates[fill[s.members[e]]++] = i;
  }
  return { offsets: counts, aggregates };
}

/**
 * Writes every series of `out` (n × h, row-major) from the bottom rows of `bottom` (rows
 * n_a .. n − 1 of an n × h matrix): bottom rows copied, aggregate rows their members' sums.
 * `bottom` and `out` may be the same array.
 */
export function sumFromBottom(s: SummingStructure, bottom: Float64Array, h: number, out: Float64Array): void {
  const na = s.aggregateCount;
  if (out !== bottom) out.set(bottom.subarray(na * h, s.seriesCount * h), na * h);
  for (let i = 0; i < na; i++) {
    const row = i * h;
    for (let t = 0; t < h; t++) out[row + t] = 0;
    for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) {
      const from = (na + s.members[e]) * h;
      for (let t = 0; t < h; t++) out[row + t] += out[from + t];
    }
  }
}

/** Checks an n × h forecast matrix (or n × T residual matrix): its size and finite values. */
export function checkSeriesMatrix(s: SummingStructure, values: Float64Array, what: string, columns?: number): number {
  if (!(values instanceof Float64Array)) {
    throw new ModelInputError(`${what} must be a Float64Array (series-major: n rows of equal length)`);
  }
  if (values.length === 0 || values.length % s.seriesCount !== 0) {
    throw new ModelInputError(
      `${what} has ${values.length} values, not a positive multiple of the ${s.seriesCount} series ` +
        `(${s.aggregateCount} aggregates + ${s.bottomCount} bottom)`,
      "pass one row per series, aggregates first then bottom series, all rows of the same length",
    );
  }
  const width = values.length / s.seriesCount;
  if (columns !== undefined && width !== columns) {
    throw new ModelInputError(`${what} has ${width} columns per series, expected ${columns}`);
  }
  for (let j = 0; j < values.length; j++) {
    if (!Number.isFinite(values[j])) {
      const series = Math.floor(j / width);
      throw new ModelInputError(
        `${what} has a non-finite value (${values[j]}) for series ${series}, column ${j % width}`,
        "fill or drop the series before reconciling; base forecasts and residuals must be finite",
      );
    }
  }
  return width;
}
