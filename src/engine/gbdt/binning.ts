// Feature binning, as LightGBM builds its bins (src/io/bin.cpp: FindBin, GreedyFindBin,
// FindBinWithZeroAsOneBin), written again from its description:
//
// - Boundaries are learnt on a sample of rows (bin_construct_sample_cnt, default 200,000).
// - Zero gets a bin of its own, (-1e-35, 1e-35]; negative and positive values share the other
//   max_bin - 1 bins in proportion to their counts.
// - On each side, with at most max_bin distinct values every value gets its own bin (merged
//   until a bin holds min_data_in_bin sampled rows); with more, values frequent enough to fill a
//   bin alone get one, and the rest are cut greedily into bins of about equal counts.
// - A boundary is just above the midpoint of the last value of a bin and the first of the next,
//   so a value v falls in the first bin whose upper bound is >= v.
// - A feature with NaN in its sample gets one more bin, the last, for NaN; a feature without
//   sends NaN (at prediction) where 0 goes, as LightGBM does.
// - A feature with a single bin, or (feature_pre_filter) with no cut leaving min_data_in_leaf
//   sampled rows on both sides, is "trivial": never split on.
//
// Bins fit in a byte: max_bin <= 255 value bins plus the NaN bin.

import { Random } from "../random.js";
import { featureAccessor, type FeatureLayout } from "./dataset.js";
import type { GbdtParams } from "./params.js";

/** |v| <= this is zero (LightGBM's kZeroThreshold, 1e-35f). */
export const ZERO_THRESHOLD = Math.fround(1e-35);

export interface BinMapper {
  /** Upper bound of each value bin (ascending, the last is Infinity); the NaN bin is not listed. */
  upperBounds: Float64Array;
  /** Value bins + 1 when hasNanBin. */
  numBins: number;
  /** NaN was seen in the sample: bin numBins-1 holds the missing values. */
  hasNanBin: boolean;
  /** Never split on (one bin, or filtered: see above). */
  trivial: boolean;
}

/** The training features as bin indices, column-major: feature c of row r is bins[c*rows + r]. */
export interface BinnedData {
  rows: number;
  cols: number;
  bins: Uint8Array;
  mappers: BinMapper[];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // [low word, high word] on little-endian machines
const LOW = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;

/** The next double above x (C's nextafter(x, +Infinity)) for finite x: its bits as an integer, +1 above zero, -1 below. */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  if (x > 0) {
    if (u32[LOW] === 0xffffffff) u32[HIGH] += 1;
    u32[LOW] += 1;
  } else {
    if (u32[LOW] === 0) u32[HIGH] -= 1;
    u32[LOW] -= 1;
  }
  return f64[0];
}

/** b is a or the double just above it (LightGBM's CheckDoubleEqualOrdered, a <= b). */
function equalOrdered(a: number, b: number): boolean {
  // A gap wider than a few units in the last place cannot be one step: skip nextUp.
  if (b - a > Math.abs(a) * 1e-14) return false;
  return b <= nextUp(a);
}

/** Distinct values (ascending) with how many sampled rows have each, and the NaN count. */
export interface Distinct {
  values: Float64Array;
  counts: Float64Array;
  nanCount: number;
}

/** Sorted distinct values with their counts; zero (|v| <= ZERO_THRESHOLD) counted once, at its place. */
export function distinctValues(sample: ArrayLike<number>): Distinct {
  return distinctSorted(Float64Array.from(sample).sort()); // typed arrays sort numerically, NaN last
}

/** distinctValues of a sample already sorted ascending with its NaNs last. */
export function distinctSorted(sorted: Float32Array | Float64Array): Distinct {
  let end = sorted.length;
  while (end > 0 && Number.isNaN(sorted[end - 1])) end--;
  const nanCount = sorted.length - end;
  // Zeros sit between the negative and the positive values; they are counted apart.
  let zeroCount = 0;
  const nonZero = new Float64Array(end);
  let size = 0;
  for (let i = 0; i < end; i++) {
    const v = sorted[i];
    if (Math.abs(v) <= ZERO_THRESHOLD) zeroCount++;
    else nonZero[size++] = v;
  }
  const values = new Float64Array(size + 1);
  const counts = new Float64Array(size + 1);
  let n = 0;
  let zeroPlaced = zeroCount === 0;
  const placeZero = () => {
    values[n] = 0;
    counts[n++] = zeroCount;
    zeroPlaced = true;
  };
  for (let i = 0; i < size; i++) {
    const v = nonZero[i];
    if (!zeroPlaced && v > 0) placeZero();
    if (n > 0 && values[n - 1] !== 0 && equalOrdered(values[n - 1], v)) {
      values[n - 1] = v; // nearly equal values are one: keep the larger
      counts[n - 1]++;
    } else {
      values[n] = v;
      counts[n++] = 1;
    }
  }
  if (!zeroPlaced) placeZero();
  return { values: values.subarray(0, n), counts: counts.subarray(0, n), nanCount };
}

/**
 * Upper bounds (the last Infinity) cutting values[start, end) (sorted, distinct, with counts)
 * into at most maxBin bins (LightGBM's GreedyFindBin).
 */
export function greedyFindBin(
  values: ArrayLike<number>,
  counts: ArrayLike<number>,
  start: number,
  end: number,
  maxBin: number,
  totalCount: number,
  minDataInBin: number,
): number[] {
  const n = end - start;
  const bounds: number[] = [];
  if (n <= maxBin) {
    // Few distinct values: a cut between neighbours, once the bin holds min_data_in_bin rows.
    let inBin = 0;
    for (let i = start; i < end - 1; i++) {
      inBin += counts[i];
      if (inBin >= minDataInBin) {
        const cut = nextUp((values[i] + values[i + 1]) / 2);
        if (bounds.length === 0 || !equalOrdered(bounds[bounds.length - 1], cut)) {
          bounds.push(cut);
          inBin = 0;
        }
      }
    }
    bounds.push(Infinity);
    return bounds;
  }
  if (minDataInBin > 0) maxBin = Math.max(1, Math.min(maxBin, Math.floor(totalCount / minDataInBin)));
  // Values holding a bin's worth of rows alone get their own bin; the rest share the others.
  let meanBinSize = totalCount / maxBin;
  let restBins = maxBin;
  let restCount = totalCount;
  const big = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (counts[start + i] >= meanBinSize) {
      big[i] = 1;
      restBins--;
      restCount -= counts[start + i];
    }
  }
  meanBinSize = restCount / restBins;
  const upper: number[] = new Array(maxBin).fill(Infinity);
  const lower: number[] = new Array(maxBin).fill(Infinity);
  let binCount = 0;
  lower[0] = values[start];
  let inBin = 0;
  for (let i = 0; i < n - 1; i++) {
    if (!big[i]) restCount -= counts[start + i];
    inBin += counts[start + i];
    if (big[i] || inBin >= meanBinSize || (big[i + 1] && inBin >= Math.max(1, meanBinSize * 0.5))) {
      upper[binCount] = values[start + i];
      binCount++;
      lower[binCount] = values[start + i + 1];
      if (binCount >= maxBin - 1) break;
      inBin = 0;
      if (!big[i]) {
        restBins--;
        meanBinSize = restCount / restBins;
      }
    }
  }
  binCount++;
  for (let i = 0; i < binCount - 1; i++) {
    const cut = nextUp((upper[i] + lower[i + 1]) / 2);
    if (bounds.length === 0 || !equalOrdered(bounds[bounds.length - 1], cut)) bounds.push(cut);
  }
  bounds.push(Infinity);
  return bounds;
}

/** Upper bounds with zero alone in its bin (LightGBM's FindBinWithZeroAsOneBin). */
function findBinWithZeroAsOneBin(values: Float64Array, counts: Float64Array, maxBin: number, totalCount: number, minDataInBin: number): number[] {
  let negativeCount = 0;
  let zeroCount = 0;
  let positiveCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] <= -ZERO_THRESHOLD) negativeCount += counts[i];
    else if (values[i] > ZERO_THRESHOLD) positiveCount += counts[i];
    else zeroCount += counts[i];
  }
  let negativeEnd = values.findIndex((v) => v > -ZERO_THRESHOLD);
  if (negativeEnd < 0) negativeEnd = values.length;
  let bounds: number[] = [];
  if (negativeEnd > 0 && maxBin > 1) {
    const negativeBins = Math.max(1, Math.floor((negativeCount / (totalCount - zeroCount)) * (maxBin - 1)));
    bounds = greedyFindBin(values, counts, 0, negativeEnd, negativeBins, negativeCount, minDataInBin);
    bounds[bounds.length - 1] = -ZERO_THRESHOLD;
  }
  let positiveStart = -1;
  for (let i = negativeEnd; i < values.length; i++) {
    if (values[i] > ZERO_THRESHOLD) {
      positiveStart = i;
      break;
    }
  }
  const positiveBins = maxBin - 1 - bounds.length;
  if (positiveStart >= 0 && positiveBins > 0) {
    bounds.push(ZERO_THRESHOLD);
    bounds.push(...greedyFindBin(values, counts, positiveStart, values.length, positiveBins, positiveCount, minDataInBin));
  } else {
    bounds.push(Infinity);
  }
  return bounds;
}

/** The bin of a value (LightGBM's ValueToBin): the first bin whose upper bound is >= value; NaN to the NaN bin, or to 0's bin. */
export function valueToBin(mapper: BinMapper, value: number): number {
  if (Number.isNaN(value)) {
    if (mapper.hasNanBin) return mapper.numBins - 1;
    value = 0;
  }
  const ub = mapper.upperBounds;
  let lo = 0;
  let hi = ub.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= ub[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The bin mapper of one feature from its sampled values (NaN = missing). totalCount is the
 * sample size; filterCount the min_data_in_leaf scaled to the sample, used when preFilter.
 */
export function findBinMapper(sample: ArrayLike<number>, maxBin: number, minDataInBin: number, filterCount: number, preFilter: boolean): BinMapper {
  return findBinMapperSorted(Float64Array.from(sample).sort(), maxBin, minDataInBin, filterCount, preFilter);
}

/** findBinMapper of a sample already sorted ascending with its NaNs last. */
export function findBinMapperSorted(
  sorted: Float32Array | Float64Array,
  maxBin: number,
  minDataInBin: number,
  filterCount: number,
  preFilter: boolean,
): BinMapper {
  const total = sorted.length;
  const { values, counts, nanCount } = distinctSorted(sorted);
  const hasNanBin = nanCount > 0;
  const bounds = findBinWithZeroAsOneBin(values, counts, hasNanBin ? maxBin - 1 : maxBin, total - nanCount, minDataInBin);
  const numBins = bounds.length + (hasNanBin ? 1 : 0);
  // Sampled rows per bin, to filter features no split could use.
  const inBin = new Array<number>(numBins).fill(0);
  let bin = 0;
  for (let i = 0; i < values.length; i++) {
    while (values[i] > bounds[bin] && bin < bounds.length - 1) bin++;
    inBin[bin] += counts[i];
  }
  if (hasNanBin) inBin[numBins - 1] = nanCount;
  let trivial = numBins <= 1;
  if (!trivial && preFilter) {
    trivial = true;
    let left = 0;
    for (let i = 0; i < numBins - 1; i++) {
      left += inBin[i];
      if (left >= filterCount && total - left >= filterCount) {
        trivial = false;
        break;
      }
    }
  }
  return { upperBounds: Float64Array.from(bounds), numBins, hasNanBin, trivial };
}

/** Rows used to find the bins, or a bag: all of them, or sampleCount of them drawn with `random` (ascending). */
export function sampleRows(rows: number, sampleCount: number, random: Random): Int32Array {
  if (rows <= sampleCount) return Int32Array.from({ length: rows }, (_, i) => i);
  // Selection sampling (Knuth's algorithm S): each row kept with probability needed / left.
  const out = new Int32Array(sampleCount);
  let taken = 0;
  for (let r = 0; r < rows && taken < sampleCount; r++) {
    if (random.next() * (rows - r) < sampleCount - taken) out[taken++] = r;
  }
  return out;
}

/**
 * Each feature's values in the `sample` rows, sorted ascending with NaN last: column c is
 * out[c*n .. c*n+n) for n = sample.length. The native learner has a faster one.
 */
export type SortSample = (features: Float32Array, rows: number, cols: number, layout: FeatureLayout, sample: Int32Array) => Float32Array;

export const sortSample: SortSample = (features, rows, cols, layout, sample) => {
  const n = sample.length;
  const out = new Float32Array(cols * n);
  // Feature c of row r is features[r * rowStride + c * colStride].
  const [rowStride, colStride] = layout === "column-major" ? [1, rows] : [cols, 1];
  for (let c = 0; c < cols; c++) {
    const column = out.subarray(c * n, (c + 1) * n);
    for (let i = 0; i < n; i++) column[i] = features[sample[i] * rowStride + c * colStride];
    column.sort();
  }
  return out;
};

/** The bin mappers of every feature, learnt on a sample of the rows. */
export function findBinMappers(
  features: Float32Array,
  rows: number,
  cols: number,
  layout: FeatureLayout,
  params: GbdtParams,
  sort: SortSample = sortSample,
): BinMapper[] {
  const sample = sampleRows(rows, params.bin_construct_sample_cnt, new Random(params.data_random_seed));
  // min_data_in_leaf in rows of the sample (LightGBM scales it the same way).
  const filterCount = Math.floor((params.min_data_in_leaf * sample.length) / rows);
  const sorted = sort(features, rows, cols, layout, sample);
  const n = sample.length;
  const mappers: BinMapper[] = [];
  for (let c = 0; c < cols; c++) {
    mappers.push(findBinMapperSorted(sorted.subarray(c * n, (c + 1) * n), params.max_bin, params.min_data_in_bin, filterCount, params.feature_pre_filter));
  }
  return mappers;
}

/** Every value as its bin, column-major (the reference way; the native learner has a faster one). */
export function binFeatures(features: Float32Array, rows: number, cols: number, layout: FeatureLayout, mappers: BinMapper[]): Uint8Array {
  const at = featureAccessor(features, rows, cols, layout);
  const bins = new Uint8Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    if (mappers[c].trivial) continue; // never read
    for (let r = 0; r < rows; r++) bins[c * rows + r] = valueToBin(mappers[c], at(r, c));
  }
  return bins;
}
