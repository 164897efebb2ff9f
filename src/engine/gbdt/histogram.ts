// Gradient histograms: for each feature and bin, the sums of the gradients and hessians of a
// leaf's rows falling in that bin, and how many rows do. One flat layout for all features:
// feature f's bins start at layout.offsets[f]. Sums are float64 (the gradients are float32), in
// row order, so a leaf's histogram is the same bits however it is computed, as long as rows are
// visited in the same order (the native learner keeps that order, per feature).

import type { BinnedData } from "./binning.js";

export interface HistogramLayout {
  /** Start of feature f's bins; trivial features take no room (offsets[f] = offsets[f+1]). */
  offsets: Int32Array;
  totalBins: number;
}

export interface Histogram {
  /** grad[b], hess[b]: sums over the rows in bin b (flat index over all features). */
  grad: Float64Array;
  hess: Float64Array;
  count: Int32Array;
}

export function histogramLayout(data: BinnedData): HistogramLayout {
  const offsets = new Int32Array(data.cols + 1);
  for (let f = 0; f < data.cols; f++) offsets[f + 1] = offsets[f] + (data.mappers[f].trivial ? 0 : data.mappers[f].numBins);
  return { offsets, totalBins: offsets[data.cols] };
}

export function newHistogram(layout: HistogramLayout): Histogram {
  return { grad: new Float64Array(layout.totalBins), hess: new Float64Array(layout.totalBins), count: new Int32Array(layout.totalBins) };
}

/**
 * out = the histogram of rows order[begin, end) over `features`, from the per-row gradients.
 * Only the bins of those features are written.
 */
export function buildHistogram(
  out: Histogram,
  data: BinnedData,
  layout: HistogramLayout,
  features: Int32Array,
  order: Int32Array,
  begin: number,
  end: number,
  gradients: Float32Array,
  hessians: Float32Array,
): void {
  for (const f of features) {
    const base = layout.offsets[f];
    const bins = data.mappers[f].numBins;
    out.grad.fill(0, base, base + bins);
    out.hess.fill(0, base, base + bins);
    out.count.fill(0, base, base + bins);
    const column = f * data.rows;
    for (let i = begin; i < end; i++) {
      const row = order[i];
      const b = base + data.bins[column + row];
      out.grad[b] += gradients[row];
      out.hess[b] += hessians[row];
      out.count[b] += 1;
    }
  }
}

/** larger = parent - smaller over `features`, in place in `parent` (the histogram subtraction trick). */
export function subtractHistogram(parent: Histogram, smaller: Histogram, layout: HistogramLayout, features: Int32Array, binsOf: (f: number) => number): void {
  for (const f of features) {
    const base = layout.offsets[f];
    for (let b = base; b < base + binsOf(f); b++) {
      parent.grad[b] -= smaller.grad[b];
      parent.hess[b] -= smaller.hess[b];
      parent.count[b] -= smaller.count[b];
    }
  }
}
