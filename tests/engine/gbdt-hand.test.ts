// GBDT cases small enough to work out by hand: one split of six or eight rows (gain, threshold,
// leaf values), missing values sent to the learnt side, L1's leaf medians, and the Poisson and
// Tweedie gradients and starting scores. Every case runs on every tree learner.
import { describe, expect, it } from "vitest";
import { predictGbdt, trainGbdt, type GbdtDataset, type LearnerChoice } from "../../src/engine/gbdt/index.js";
import { nextUp } from "../../src/engine/gbdt/binning.js";
import { createObjective, percentile } from "../../src/engine/gbdt/objectives.js";
import { resolveGbdtParams } from "../../src/engine/gbdt/params.js";
import { learnersUnderTest } from "./gbdt-learners-under-test.js";

const column = (x: number[], y: number[]): GbdtDataset => ({ features: Float32Array.from(x), cols: 1, label: Float32Array.from(y) });
// One tree of two leaves, no shrinkage, every row usable as a leaf alone.
const ONE_SPLIT = { num_iterations: 1, num_leaves: 2, learning_rate: 1, min_data_in_leaf: 1, min_sum_hessian_in_leaf: 0, min_data_in_bin: 1 };

describe.each(learnersUnderTest())("one split by hand (%s learner)", (learner: LearnerChoice) => {
  // x = 1..6, y = 1 1 1 1 7 7: start at the mean 3, so g = 3 - y = 2 2 2 2 -4 -4, h = 1.
  // Cutting after k rows: gain = G_L²/k + G_R²/(6-k) - 0² / 6:
  //   k=1: 4 + 0.8 = 4.8; k=2: 8 + 4 = 12; k=3: 12 + 12 = 24; k=4: 16 + 32 = 48; k=5: 3.2 + 16 = 19.2.
  // Best k = 4: threshold just above (4 + 5)/2, leaves -8/4 = -2 and 8/2 = 4 (predictions 1 and 7).
  const data = column([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 7, 7]);

  it("finds the best threshold, its gain and the leaf values", () => {
    const model = trainGbdt(data, ONE_SPLIT, { learner });
    expect(model.init_score).toBe(3);
    const tree = model.trees[0];
    expect(tree.num_leaves).toBe(2);
    expect(tree.threshold[0]).toBe(nextUp(4.5));
    expect(tree.split_gain[0]).toBeCloseTo(48, 12);
    expect(tree.leaf_value).toEqual([-2, 4]);
    expect(tree.leaf_count).toEqual([4, 2]);
    expect(Array.from(predictGbdt(model, Float32Array.of(4, 4.5, 4.6, 6), 4))).toEqual([1, 1, 7, 7]);
  });

  it("applies lambda_l2 to the gain and the leaf values", () => {
    // With λ2 = 1: k=4 gives 64/5 + 64/3 = 34.133..., still the best; leaves -8/5 and 8/3.
    const tree = trainGbdt(data, { ...ONE_SPLIT, lambda_l2: 1 }, { learner }).trees[0];
    expect(tree.split_gain[0]).toBeCloseTo(64 / 5 + 64 / 3, 12);
    expect(tree.leaf_value[0]).toBeCloseTo(-8 / 5, 14);
    expect(tree.leaf_value[1]).toBeCloseTo(8 / 3, 14);
  });

  it("applies lambda_l1 by shrinking the gradient sums", () => {
    // λ1 = 1: T(8) = 7, T(-8) = -7 at k=4: gain 49/4 + 49/2 = 36.75 (k=3: 25/3 + 25/3 = 16.7).
    const tree = trainGbdt(data, { ...ONE_SPLIT, lambda_l1: 1 }, { learner }).trees[0];
    expect(tree.split_gain[0]).toBeCloseTo(36.75, 12);
    expect(tree.leaf_value).toEqual([-7 / 4, 7 / 2]);
  });

  it("respects min_data_in_leaf: the best cut leaving 3 rows on each side is k = 3", () => {
    const tree = trainGbdt(data, { ...ONE_SPLIT, min_data_in_leaf: 3 }, { learner }).trees[0];
    expect(tree.threshold[0]).toBe(nextUp(3.5));
    expect(tree.split_gain[0]).toBeCloseTo(24, 12);
    expect(tree.leaf_value).toEqual([-2, 2]);
  });

  it("stops when no split gains more than min_gain_to_split", () => {
    const model = trainGbdt(data, { ...ONE_SPLIT, min_gain_to_split: 48 }, { learner });
    expect(model.trees).toEqual([]);
    expect(model.training.stopped_by).toBe("no_split");
    expect(Array.from(predictGbdt(model, Float32Array.of(1, 6), 2))).toEqual([3, 3]);
  });

  it("learns where missing values go: left when they look like the low rows", () => {
    // x = 1 2 NaN NaN 3 4, y = 1 1 1 1 7 7: NaN with the low rows. The right-to-left scan keeps
    // NaN on the left: cut after 2, left {1, 2, NaN, NaN}, right {3, 4} (gain 48 as above).
    const model = trainGbdt(column([1, 2, NaN, NaN, 3, 4], [1, 1, 1, 1, 7, 7]), ONE_SPLIT, { learner });
    const tree = model.trees[0];
    expect(tree.default_left[0]).toBe(true);
    expect(tree.nan_is_missing[0]).toBe(true);
    expect(tree.threshold[0]).toBe(nextUp(2.5));
    expect(tree.split_gain[0]).toBeCloseTo(48, 12);
    expect(Array.from(predictGbdt(model, Float32Array.of(NaN, 1, 3.5), 3))).toEqual([1, 1, 7]);
  });

  it("learns where missing values go: right when they look like the high rows", () => {
    // x = 0 1 2 3 NaN NaN, y = 1 1 1 1 7 7. The right-to-left scan keeps NaN left and cannot
    // move bin 0 (zero's) right, so only the left-to-right scan finds {0 1 2 3} | {NaN NaN}
    // (gain 48): missing goes right, and every value, however large, goes left.
    const model = trainGbdt(column([0, 1, 2, 3, NaN, NaN], [1, 1, 1, 1, 7, 7]), ONE_SPLIT, { learner });
    const tree = model.trees[0];
    expect(tree.default_left[0]).toBe(false);
    expect(tree.split_gain[0]).toBeCloseTo(48, 12);
    expect(tree.threshold[0]).toBe(Number.MAX_VALUE);
    expect(Array.from(predictGbdt(model, Float32Array.of(NaN, 3, 1e30), 3))).toEqual([7, 1, 1]);
  });

  it("reads NaN as 0 for a feature that had no missing values in training (as LightGBM)", () => {
    const model = trainGbdt(column([-3, -2, -1, 1, 2, 3], [1, 1, 1, 7, 7, 7]), ONE_SPLIT, { learner });
    expect(model.trees[0].nan_is_missing[0]).toBe(false);
    expect(Array.from(predictGbdt(model, Float32Array.of(NaN, 0, 0.5), 3))).toEqual(Array.from(predictGbdt(model, Float32Array.of(0, 0, 0.5), 3)));
  });

  it("L1: starts from the median and replaces each leaf's value by the median of its residuals", () => {
    // y = 1 2 4 5 | 10 11 30 31: median (5 + 10)/2 = 7.5; g = sign(7.5 - y) = +1 ×4, -1 ×4, so
    // the cut is after 4 rows. Left residuals y - 7.5 = -6.5 -5.5 -3.5 -2.5 → median -4.5;
    // right 2.5 3.5 22.5 23.5 → median 13. Predictions 3 and 20.5: the medians of each side.
    const model = trainGbdt(column([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 5, 10, 11, 30, 31]), { ...ONE_SPLIT, objective: "regression_l1" }, { learner });
    expect(model.init_score).toBe(7.5);
    expect(model.trees[0].leaf_value).toEqual([-4.5, 13]);
    expect(Array.from(predictGbdt(model, Float32Array.of(2, 7), 2))).toEqual([3, 20.5]);
  });

  it("Poisson: one split on the log scale", () => {
    // y = 1 1 3 3: start log(2); g = e^s - y = 1 1 -1 -1, h = e^s · e^0.7 = 2e^0.7.
    // Cut after 2: left leaf -2 / (2 · 2e^0.7), right +2 / (2 · 2e^0.7).
    const model = trainGbdt(column([1, 2, 3, 4], [1, 1, 3, 3]), { ...ONE_SPLIT, objective: "poisson" }, { learner });
    expect(model.init_score).toBeCloseTo(Math.log(2), 15);
    const step = 2 / (4 * Math.exp(0.7));
    expect(model.trees[0].leaf_value[0]).toBeCloseTo(-step, 7); // gradients are float32
    expect(model.trees[0].leaf_value[1]).toBeCloseTo(step, 7);
    const [low, high] = predictGbdt(model, Float32Array.of(1, 4), 2);
    expect(low).toBeCloseTo(2 * Math.exp(-step), 6);
    expect(high).toBeCloseTo(2 * Math.exp(step), 6);
  });
});

describe("objective gradients and starting scores", () => {
  const label = Float32Array.of(0, 1, 2, 5);
  const at = (objective: string, score: number, extra = {}) => {
    const o = createObjective(resolveGbdtParams({ objective, ...extra }));
    const g = new Float32Array(4);
    const h = new Float32Array(4);
    o.gradients(new Float64Array(4).fill(score), label, undefined, g, h);
    return { o, g: Array.from(g), h: Array.from(h) };
  };

  it("Poisson starts at log(mean y) with g = e^s - y and h = e^(s + 0.7)", () => {
    const { o, g, h } = at("poisson", Math.log(2));
    expect(o.initScore(label, undefined)).toBeCloseTo(Math.log(2), 15);
    expect(g).toEqual([2, 1, 0, -3].map(Math.fround));
    for (const v of h) expect(v).toBeCloseTo(2 * Math.exp(0.7), 5);
    expect(o.transform(Math.log(2))).toBeCloseTo(2, 15);
  });

  it("Tweedie (ρ = 1.5) has g = -y·e^(-s/2) + e^(s/2) and h = y/2·e^(-s/2) + e^(s/2)/2", () => {
    const { o, g, h } = at("tweedie", Math.log(4), { tweedie_variance_power: 1.5 });
    expect(o.initScore(label, undefined)).toBeCloseTo(Math.log(2), 15);
    // s = log 4: e^(-s/2) = 1/2, e^(s/2) = 2.
    expect(g).toEqual([2, 1.5, 1, -0.5]);
    expect(h).toEqual([1, 1.25, 1.5, 2.25]);
  });

  it("weights multiply gradients and hessians; the weighted mean is the L2 start", () => {
    const o = createObjective(resolveGbdtParams({}));
    const w = Float32Array.of(1, 1, 1, 3);
    expect(o.initScore(label, w)).toBe((0 + 1 + 2 + 15) / 6);
    const g = new Float32Array(4);
    const h = new Float32Array(4);
    o.gradients(new Float64Array(4), label, w, g, h);
    expect(Array.from(g)).toEqual([0, -1, -2, -15]);
    expect(Array.from(h)).toEqual([1, 1, 1, 3]);
  });

  it("percentile interpolates as LightGBM's: the median of an even count is the mean of the middle two", () => {
    expect(percentile(Float64Array.of(4, 1, 3, 2), 0.5)).toBe(2.5);
    expect(percentile(Float64Array.of(5, 1, 3), 0.5)).toBe(3);
    expect(percentile(Float64Array.of(7), 0.5)).toBe(7);
  });
});
