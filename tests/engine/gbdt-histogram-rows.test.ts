// A tree's histogram work (histogramRows): the rows summed into histograms to grow it, the root's
// and each split's smaller child's; what the catalogue's ETA prices the trees left with.
import { describe, expect, it } from "vitest";
import { trainGbdt } from "../../src/engine/gbdt/index.js";
import { allocateGrownTree, histogramRows } from "../../src/engine/gbdt/tree.js";
import { syntheticDataset } from "./gbdt-data.js";
import { learnersUnderTest } from "./gbdt-learners-under-test.js";

describe("histogramRows", () => {
  it("counts the root's rows and each split's smaller child", () => {
    // 100 rows: the root splits 60 / 40 (node 0), then the 60 split 10 / 50 (node 1), then the
    // 40 split 20 / 20 (node 2). Histograms: 100, then 40, 10 and 20.
    const tree = allocateGrownTree(4, 100);
    tree.numLeaves = 4;
    tree.leftChild.set([1, ~0, ~2]);
    tree.rightChild.set([2, ~1, ~3]);
    tree.leafCount.set([10, 50, 20, 20]);
    expect(histogramRows(tree)).toBe(170);
  });

  it("is the rows alone for a tree of one leaf", () => {
    const tree = allocateGrownTree(4, 30);
    tree.leafCount[0] = 30;
    expect(histogramRows(tree)).toBe(30);
  });

  for (const learner of learnersUnderTest()) {
    it(`is reported per tree by the ${learner} learner, between one and 1 + (leaves - 1) / 2 passes, falling as the trees go on`, () => {
      const data = syntheticDataset({ rows: 4000, seed: 5 });
      const work: number[] = [];
      trainGbdt(data, { num_iterations: 60, num_leaves: 15, learning_rate: 0.3, min_data_in_leaf: 5 }, { learner, onIteration: (_i, _m, w) => work.push(w) });
      expect(work).toHaveLength(60);
      // The root is one pass; each of at most 14 splits adds its smaller child, at most half the rows.
      for (const w of work) {
        expect(w).toBeGreaterThanOrEqual(1);
        expect(w).toBeLessThanOrEqual(1 + 14 / 2);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(work.slice(-10))).toBeLessThan(mean(work.slice(0, 10)));
    });
  }
});
