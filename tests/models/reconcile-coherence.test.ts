// Properties every reconciliation method must have, on seeded random hierarchies (strict trees
// and small M5-shaped grouped ones): the result is coherent (each aggregate equals the sum of
// its bottom series), coherent base forecasts come back unchanged, and bottom-up intervals add
// variances.
import { describe, expect, it } from "vitest";
import { type HierarchyStructure, type ReconcileMethod, reconcile } from "../../src/models/reconcile/index.js";
import { m5Hierarchy, m5TopDownAggregates, seededRandom, syntheticForecasts } from "../../bench/reconcile-hierarchy.js";

/** A random strict tree: total, then `depth` levels each splitting every node into 1..3 parts. */
function randomTree(random: () => number, depth: number): HierarchyStructure {
  const levels: number[][][] = [];
  let nextLeaf = 0;
  // Grow node labels top-down, then number the leaves.
  let nodes: number[][] = [[0]];
  for (let d = 0; d < depth; d++) {
    const children: number[][] = [];
    for (const path of nodes) {
      const parts = 1 + Math.floor(random() * 3);
      for (let p = 0; p < parts; p++) children.push([...path, p]);
    }
    levels.push(nodes);
    nodes = children;
  }
  const leafOf = new Map(nodes.map((path) => [path.join("."), nextLeaf++]));
  const level: number[][] = [];
  for (const upper of levels) {
    for (const path of upper) {
      const prefix = path.join(".");
      level.push([...leafOf].filter(([leaf]) => leaf === prefix || leaf.startsWith(`${prefix}.`)).map(([, k]) => k));
    }
  }
  return { bottom_count: nextLeaf, aggregates: level };
}

function maxIncoherence(structure: HierarchyStructure, forecasts: Float64Array, h: number): number {
  const na = structure.aggregates.length;
  let worst = 0;
  structure.aggregates.forEach((members, i) => {
    for (let t = 0; t < h; t++) {
      let sum = 0;
      for (let e = 0; e < members.length; e++) sum += forecasts[(na + members[e]) * h + t];
      worst = Math.max(worst, Math.abs(forecasts[i * h + t] - sum) / Math.max(1, Math.abs(sum)));
    }
  });
  return worst;
}

const ALL: ReconcileMethod[] = ["bottom_up", "top_down", "ols", "wls_struct", "wls_var", "mint_shrink"];
const random = seededRandom(7);
const cases = [
  ...Array.from({ length: 6 }, (_, i) => ({ name: `tree ${i}`, structure: randomTree(random, 2 + (i % 3)) })),
  ...[m5Hierarchy(3, 20), m5Hierarchy(10, 14)].map((m5) => ({
    name: `m5-shaped ${m5.structure.bottom_count} bottom series`,
    structure: m5.structure,
    treeAggregates: m5TopDownAggregates(m5),
  })),
];

describe.each(cases as { name: string; structure: HierarchyStructure; treeAggregates?: Int32Array }[])(
  "coherence on $name",
  ({ structure, treeAggregates }) => {
    const h = 5;
    const n = structure.aggregates.length + structure.bottom_count;
    const data = syntheticForecasts({ structure, level_of: new Int32Array(n), seriesCount: n }, h, 30, n);

    it.each(ALL)("%s makes incoherent forecasts coherent", (method) => {
      expect(maxIncoherence(structure, data.base, h)).toBeGreaterThan(1e-3);
      const { forecasts } = reconcile(structure, data.base, h, { method, residuals: data.residuals, top_down_aggregates: treeAggregates });
      expect(maxIncoherence(structure, forecasts, h)).toBeLessThan(1e-12);
      expect(forecasts.every(Number.isFinite)).toBe(true);
    });

    it.each(ALL)("%s leaves coherent forecasts as they are", (method) => {
      const coherent = reconcile(structure, data.base, h, { method: "bottom_up" }).forecasts;
      const again = reconcile(structure, coherent, h, { method, residuals: data.residuals, top_down_aggregates: treeAggregates }).forecasts;
      let worst = 0;
      for (let j = 0; j < coherent.length; j++) worst = Math.max(worst, Math.abs(again[j] - coherent[j]) / Math.max(1, Math.abs(coherent[j])));
      expect(worst).toBeLessThan(1e-8);
    });

    it("bottom-up intervals: an aggregate's variance is the sum of its bottom series' variances", () => {
      const result = reconcile(structure, data.base, h, { method: "bottom_up", sigma: data.sigma, levels: [90] });
      const na = structure.aggregates.length;
      const members = structure.aggregates[0];
      let variance = 0;
      for (let e = 0; e < members.length; e++) variance += data.sigma[(na + members[e]) * h] ** 2;
      expect(result.intervals!.sigma[0]).toBeCloseTo(Math.sqrt(variance), 9);
      const { lower, upper } = result.intervals!.intervals[0];
      expect((upper[0] - lower[0]) / 2 / result.intervals!.sigma[0]).toBeCloseTo(1.6448536, 6);
    });
  },
);

describe("MinT moves the noisier series more", () => {
  it("wls_var keeps a precise aggregate close to its base forecast and moves noisy bottoms", () => {
    const structure = { bottom_count: 2, aggregates: [[0, 1]] };
    const base = Float64Array.of(10, 4, 4); // total 10, bottoms sum to 8
    const T = 20;
    const residuals = new Float64Array(3 * T);
    for (let t = 0; t < T; t++) {
      residuals[t] = t % 2 ? 0.01 : -0.01; // the total's model is precise
      residuals[T + t] = t % 2 ? 2 : -2;
      residuals[2 * T + t] = t % 2 ? -2 : 2.2;
    }
    const { forecasts } = reconcile(structure, base, 1, { method: "wls_var", residuals });
    expect(forecasts[0]).toBeGreaterThan(9.99);
    expect(forecasts[1]).toBeGreaterThan(4.9);
  });
});

describe("MinT's preconditioner", () => {
  it("sets the large aggregates apart on an M5-shaped hierarchy, so a diagonal W needs one or two solver steps", async () => {
    const { minTraceProjector } = await import("../../src/models/reconcile/min-trace.js");
    const { summingStructure } = await import("../../src/models/reconcile/index.js");
    const m5 = m5Hierarchy(10, 200); // 954 aggregates: more than one dense block holds
    const s = summingStructure(m5.structure);
    const projector = minTraceProjector(s, { method: "ols" });
    expect(projector.preconditioner.kind).toBe("schur");
    expect(projector.preconditioner.large).toBeGreaterThan(0);
    const data = syntheticForecasts(m5, 1, 10, 3);
    const out = new Float64Array(s.seriesCount);
    expect(projector.project(data.base, out)).toBeLessThanOrEqual(2);
    expect(maxIncoherence(m5.structure, out, 1)).toBeLessThan(1e-9);
  });
});
