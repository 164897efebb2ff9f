// Coherent interval widths from observed errors (src/models/reconcile/error-sigma.ts, the
// catalogue's intervals): every σ is a marginal of one joint normal on the coherent subspace
// (σ² = diag(S Ĉ Sᵀ), checked against a dense computation), and on synthetic errors with shocks
// shared by a store's items they cover at every level, where adding independent variances does not.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/reconcile-hierarchy.js";
import { coherentErrorSigma, normalQuantile, summingStructure } from "../../src/models/reconcile/index.js";
import { bottomUpSigma } from "../../src/models/reconcile/intervals.js";

const STORES = 4;
const ITEMS = 15;
const nb = STORES * ITEMS;
// total, then one aggregate per store: bottom k = store ⌊k / ITEMS⌋.
const structure = summingStructure({
  bottom_count: nb,
  aggregates: [Array.from({ length: nb }, (_, k) => k), ...Array.from({ length: STORES }, (_, s) => Array.from({ length: ITEMS }, (_, i) => s * ITEMS + i))],
});
const na = structure.aggregateCount;

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** n_b × T bottom errors: a total shock, a shock per store and one per item, each period. */
function correlatedErrors(T: number, seed: number): Float64Array {
  const normal = gaussian(seededRandom(seed));
  const errors = new Float64Array(nb * T);
  for (let t = 0; t < T; t++) {
    const total = 0.5 * normal();
    const store = Array.from({ length: STORES }, () => normal());
    for (let k = 0; k < nb; k++) errors[k * T + t] = total + store[Math.floor(k / ITEMS)] + normal();
  }
  return errors;
}

/** Every series' errors (aggregates the sums of their members'), n × T. */
function allErrors(bottom: Float64Array, T: number): Float64Array {
  const out = new Float64Array(structure.seriesCount * T);
  out.set(bottom, na * T);
  for (let i = 0; i < na; i++) {
    for (let e = structure.offsets[i]; e < structure.offsets[i + 1]; e++) {
      for (let t = 0; t < T; t++) out[i * T + t] += bottom[structure.members[e] * T + t];
    }
  }
  return out;
}

/** Share of errors inside ±z σ, per row group (the total, the stores, the items). */
function coverage(sigma: Float64Array, errors: Float64Array, T: number, level: number): { total: number; stores: number; items: number } {
  const z = normalQuantile(0.5 + level / 200);
  const share = (rows: number[]) => {
    let inside = 0;
    for (const r of rows) for (let t = 0; t < T; t++) if (Math.abs(errors[r * T + t]) <= z * sigma[r]) inside++;
    return inside / (rows.length * T);
  };
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  return { total: share([0]), stores: share(range(1, na)), items: share(range(na, structure.seriesCount)) };
}

describe("coherentErrorSigma", () => {
  it("gives σ² = diag(S Ĉ Sᵀ), Ĉ the bottom errors' second moments: one joint distribution for every level", () => {
    const T = 28;
    const errors = correlatedErrors(T, 3);
    const sigma = coherentErrorSigma(structure, errors, T);
    // Dense S Ĉ Sᵀ, written out.
    const C = new Float64Array(nb * nb);
    for (let a = 0; a < nb; a++) for (let b = 0; b < nb; b++) for (let t = 0; t < T; t++) C[a * nb + b] += (errors[a * T + t] * errors[b * T + t]) / T;
    const rowOf = (i: number): number[] => (i < na ? Array.from(structure.members.subarray(structure.offsets[i], structure.offsets[i + 1])) : [i - na]);
    for (let i = 0; i < structure.seriesCount; i++) {
      let variance = 0;
      for (const a of rowOf(i)) for (const b of rowOf(i)) variance += C[a * nb + b];
      expect(sigma[i] ** 2).toBeCloseTo(variance, 8);
    }
    // Correlated items: a store's σ is far above the root of its items' summed variances.
    const independent = bottomUpSigma(structure, sigma, 1);
    for (let i = 0; i < na; i++) expect(sigma[i]).toBeGreaterThan(2 * independent[i]);
  });

  it("covers at every level on new errors from the same process; independent variances under-cover the aggregates", () => {
    const estimate = 200;
    const sigma = coherentErrorSigma(structure, correlatedErrors(estimate, 5), estimate);
    const T = 2000;
    const future = allErrors(correlatedErrors(T, 6), T);
    for (const [level, low, high] of [
      [80, 0.75, 0.85],
      [95, 0.92, 0.975],
    ]) {
      const got = coverage(sigma, future, T, level);
      console.log(`coverage at ${level}%: total ${got.total.toFixed(3)}, stores ${got.stores.toFixed(3)}, items ${got.items.toFixed(3)}`);
      for (const share of [got.total, got.stores, got.items]) {
        expect(share).toBeGreaterThan(low);
        expect(share).toBeLessThan(high);
      }
    }
    const independent = bottomUpSigma(structure, sigma, 1);
    const naive = coverage(independent, future, T, 95);
    expect(naive.stores).toBeLessThan(0.7);
    expect(naive.total).toBeLessThan(0.7);
  });

  it("refuses errors of the wrong size or not finite, saying what to pass", () => {
    expect(() => coherentErrorSigma(structure, new Float64Array(nb * 3 + 1), 3)).toThrow(/expected 60 bottom series × 3 periods/);
    const bad = new Float64Array(nb * 2);
    bad[5] = Number.NaN;
    expect(() => coherentErrorSigma(structure, bad, 2)).toThrow(/bottom series 2 at period 1 is NaN/);
  });
});
