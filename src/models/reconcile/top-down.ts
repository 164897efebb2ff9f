// Top-down by forecast proportions (Athanasopoulos, Ahmed & Hyndman 2009; hierarchicalforecast's
// TopDown("forecast_proportions")): each root keeps its base forecast and, step by step, every
// node's reconciled forecast is split among its children in proportion to the children's base
// forecasts for that step (equally when those sum to ~0).
//
// The tree: each series' parent is the smallest aggregate listed before it that contains all its
// bottom series (aggregates are listed from the top; among equal sets the nearest one above). In
// a strict hierarchy that is the level above. A grouped structure (M5) has crossing levels, so
// the caller names the aggregates that nest (`treeAggregates`, e.g. M5's total, category,
// department, item and state×item levels); the other aggregates (states, stores, ...) become sums
// of the reconciled bottom series. The children of every tree node must split it exactly, else
// top-down refuses the structure and says so.
import { ModelInputError } from "../errors.js";
import { type SummingStructure, containingAggregates, sumFromBottom } from "./structure.js";

/** Below this, children's base forecasts count as summing to zero (hierarchicalforecast's 1e-8). */
const ZERO_SUM = 1e-8;

export interface TopDownTree {
  /** Series on some bottom series' path, parents before children. */
  order: Int32Array;
  /** parent[series], −1 for roots and for aggregates off every path. */
  parent: Int32Array;
}

/** The top-down tree of a structure (see the file comment); O(entries of S × levels). */
export function topDownTree(s: SummingStructure, treeAggregates?: ArrayLike<number>): TopDownTree {
  const inTree = new Uint8Array(s.aggregateCount).fill(treeAggregates ? 0 : 1);
  if (treeAggregates) {
    for (let j = 0; j < treeAggregates.length; j++) {
      const i = treeAggregates[j];
      if (!Number.isInteger(i) || i < 0 || i >= s.aggregateCount) {
        throw new ModelInputError(`top_down_aggregates names aggregate ${i}, outside 0 .. ${s.aggregateCount - 1}`);
      }
      inTree[i] = 1;
    }
  }
  const { offsets: cOff, aggregates: cAgg } = containingAggregates(s);
  const na = s.aggregateCount;
  const size = (i: number) => s.offsets[i + 1] - s.offsets[i];
  const contains = (agg: number, k: number) => {
    for (let e = cOff[k]; e < cOff[k + 1]; e++) if (cAgg[e] === agg) return true;
    return false;
  };
  const parent = new Int32Array(s.seriesCount).fill(-1);
  // The smallest superset listed before `node` among the aggregates containing `first`.
  const smallestSuperset = (node: number, first: number, members: ArrayLike<number>, from: number, to: number, nodeSize: number) => {
    let best = -1;
    for (let e = cOff[first]; e < cOff[first + 1]; e++) {
      const candidate = cAgg[e];
      if (!inTree[candidate] || candidate >= node || size(candidate) < nodeSize) continue;
      if (best >= 0 && (size(candidate) > size(best) || (size(candidate) === size(best) && candidate < best))) continue;
      let all = true;
      for (let m = from; m < to && all; m++) all = contains(candidate, members[m]);
      if (all) best = candidate;
    }
    return best;
  };
  for (let i = 0; i < na; i++) {
    if (!inTree[i]) continue;
    parent[i] = smallestSuperset(i, s.members[s.offsets[i]], s.members, s.offsets[i], s.offsets[i + 1], size(i));
  }
  const single = new Int32Array(1);
  for (let k = 0; k < s.bottomCount; k++) {
    single[0] = k;
    parent[na + k] = smallestSuperset(na + k, k, single, 0, 1, 1);
  }
  // Keep the nodes on bottom series' paths; the children of each must partition it.
  const onPath = new Uint8Array(s.seriesCount);
  for (let k = 0; k < s.bottomCount; k++) {
    for (let node = na + k; node >= 0 && !onPath[node]; node = parent[node]) onPath[node] = 1;
  }
  const childSizes = new Float64Array(na);
  for (let node = 0; node < s.seriesCount; node++) {
    if (onPath[node] && parent[node] >= 0) childSizes[parent[node]] += node < na ? size(node) : 1;
  }
  for (let i = 0; i < na; i++) {
    if (!onPath[i]) parent[i] = -1;
    else if (childSizes[i] !== size(i)) {
      throw new ModelInputError(
        `top-down cannot split aggregate ${i}: the series under it on the top-down path cover ${childSizes[i]} of its ${size(i)} bottom series`,
        "top-down needs nested levels: pass top_down_aggregates (the aggregates of levels that split one another, e.g. total, category, department, item), or use bottom-up or MinT",
      );
    }
  }
  const order: number[] = [];
  for (let node = 0; node < s.seriesCount; node++) if (onPath[node]) order.push(node);
  // Aggregates are listed from the top and a parent is always listed before its child, so index
  // order already puts parents first.
  return { order: Int32Array.from(order), parent };
}

/** Coherent n × h forecasts by top-down forecast proportions. */
export function topDownForecastProportions(s: SummingStructure, baseForecasts: Float64Array, h: number, tree: TopDownTree): Float64Array {
  const n = s.seriesCount;
  const out = new Float64Array(n * h);
  const childSum = new Float64Array(n * h);
  const childCount = new Int32Array(n);
  for (const node of tree.order) {
    const p = tree.parent[node];
    if (p < 0) continue;
    childCount[p]++;
    for (let t = 0; t < h; t++) childSum[p * h + t] += baseForecasts[node * h + t];
  }
  for (const node of tree.order) {
    const p = tree.parent[node];
    for (let t = 0; t < h; t++) {
      if (p < 0) out[node * h + t] = baseForecasts[node * h + t];
      else {
        const total = childSum[p * h + t];
        out[node * h + t] = Math.abs(total) < ZERO_SUM ? out[p * h + t] / childCount[p] : (baseForecasts[node * h + t] * out[p * h + t]) / total;
      }
    }
  }
  sumFromBottom(s, out, h, out);
  return out;
}
