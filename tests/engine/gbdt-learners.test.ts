// The two tree learners grow the same trees (the native one is checked against the readable
// reference, bit for bit), whatever the thread count; training is deterministic for a seed;
// early stopping keeps the best iteration; models survive a JSON round trip.
import { afterEach, describe, expect, it } from "vitest";
import { gbdtFeatureImportance, gbdtFromJson, gbdtToJson, predictGbdt, trainGbdt, type GbdtModel } from "../../src/engine/gbdt/index.js";
import { createNativeLearner, nativeLearnerProblem } from "../../src/engine/gbdt/native-learner.js";
import { backendSelection, useBackend } from "../../src/engine/index.js";
import { splitRows, syntheticDataset } from "./gbdt-data.js";

/** The model without the name of the learner that grew it. */
const trees = (m: GbdtModel) => JSON.parse(gbdtToJson({ ...m, training: { ...m.training, learner: "" } }));

const CASES: [string, Parameters<typeof syntheticDataset>[0], Record<string, unknown>][] = [
  ["L2 with missing values", { rows: 4000, cols: 8, missing: 0.15, seed: 3 }, { num_iterations: 30 }],
  [
    "L2, bagging and feature fraction",
    { rows: 4000, cols: 8, missing: 0.05, seed: 4 },
    { num_iterations: 30, bagging_fraction: 0.6, bagging_freq: 2, feature_fraction: 0.6, seed: 9 },
  ],
  [
    "L1, depth limit, λ1 and λ2",
    { rows: 3000, cols: 6, seed: 5 },
    { objective: "regression_l1", num_iterations: 25, max_depth: 4, lambda_l1: 0.3, lambda_l2: 2 },
  ],
  ["Poisson with weights", { rows: 3000, cols: 6, seed: 6, kind: "count" }, { objective: "poisson", num_iterations: 25, num_leaves: 15 }],
  [
    "Tweedie with max_bin 31",
    { rows: 3000, cols: 6, seed: 7, kind: "count", missing: 0.1 },
    { objective: "tweedie", num_iterations: 25, max_bin: 31, tweedie_variance_power: 1.2 },
  ],
];

describe.skipIf(nativeLearnerProblem() !== undefined)("the native learner grows the reference's trees", () => {
  for (const [name, dataOptions, params] of CASES) {
    it(name, () => {
      const data = syntheticDataset(dataOptions);
      if (name.includes("weights")) data.weight = Float32Array.from(data.label, (_, i) => 0.5 + (i % 3));
      const reference = trainGbdt(data, params, { learner: "reference" });
      const native = trainGbdt(data, params, { learner: "native" });
      expect(reference.training.learner).toBe("reference");
      expect(native.training.learner).toBe("native");
      expect(native.trees.length).toBe(params.num_iterations);
      expect(trees(native)).toEqual(trees(reference));
      const rows = data.label.length;
      expect(predictGbdt(native, data.features, rows)).toEqual(predictGbdt(reference, data.features, rows));
    });
  }

  it("gives the same trees on one thread or two (histograms big enough to be split)", () => {
    const data = syntheticDataset({ rows: 30000, cols: 10, missing: 0.05, seed: 8 });
    const params = { num_iterations: 10, bagging_fraction: 0.8, bagging_freq: 1 };
    const one = trainGbdt(data, { ...params, num_threads: 1 }, { learner: "native" });
    const two = trainGbdt(data, { ...params, num_threads: 2 }, { learner: "native" });
    expect(one.params.num_threads).toBe(1);
    expect(two.params.num_threads).toBe(2);
    expect(two.trees).toEqual(one.trees);
  });

  it("refuses bins outside their feature's bins, features it cannot use and a bad bag (no memory overrun)", () => {
    const mapper = { upperBounds: Float64Array.of(0.5, Infinity), numBins: 2, hasNanBin: false, trivial: false };
    const params = {
      num_leaves: 4,
      max_depth: -1,
      min_data_in_leaf: 1,
      min_sum_hessian_in_leaf: 0,
      lambda_l1: 0,
      lambda_l2: 0,
      min_gain_to_split: 0,
      num_threads: 1,
    };
    expect(() => createNativeLearner({ rows: 3, cols: 1, bins: Uint8Array.of(0, 1, 2), mappers: [mapper] }, params)).toThrow(
      /a bin is not below its feature's numBins/,
    );
    const learner = createNativeLearner({ rows: 3, cols: 1, bins: Uint8Array.of(0, 1, 1), mappers: [mapper] }, params);
    const g = Float32Array.of(1, -1, -1);
    const h = Float32Array.of(1, 1, 1);
    expect(() => learner.grow(g, h, null, Int32Array.of(1))).toThrow(/features must be non-trivial feature indices/);
    expect(() => learner.grow(g, h, Int32Array.of(2, 0), Int32Array.of(0))).toThrow(/bag must hold ascending row indices/);
    expect(learner.grow(g, h, null, Int32Array.of(0)).numLeaves).toBe(2);
  });

  it("reads column-major features as row-major ones", () => {
    const data = syntheticDataset({ rows: 2000, cols: 5, missing: 0.1, seed: 10 });
    const rows = data.label.length;
    const columnMajor = new Float32Array(data.features.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < 5; c++) columnMajor[c * rows + r] = data.features[r * 5 + c];
    const a = trainGbdt(data, { num_iterations: 10 }, { learner: "native" });
    const b = trainGbdt({ ...data, features: columnMajor, layout: "column-major" }, { num_iterations: 10 }, { learner: "native" });
    expect(trees(b)).toEqual(trees(a));
    expect(predictGbdt(b, columnMajor, rows, { layout: "column-major" })).toEqual(predictGbdt(a, data.features, rows));
  });
});

describe("which learner trains without learner: engine.backend's", () => {
  const data = syntheticDataset({ rows: 500, cols: 4, seed: 2 });
  const saved = backendSelection();
  afterEach(() => useBackend(saved.choice, saved.source));

  it("reference when engine.backend is reference; under auto, native exactly when the addon loads", () => {
    useBackend("reference");
    expect(trainGbdt(data, { num_iterations: 2 }).training.learner).toBe("reference");
    useBackend("auto");
    expect(trainGbdt(data, { num_iterations: 2 }).training.learner).toBe(nativeLearnerProblem() === undefined ? "native" : "reference");
  });

  it.runIf(nativeLearnerProblem() === undefined)('still takes learner: "fast", the native learner\'s old name, with a deprecation warning', async () => {
    const warned: string[] = [];
    const listen = (warning: Error) => warned.push(warning.message);
    process.on("warning", listen);
    try {
      const model = trainGbdt(data, { num_iterations: 2 }, { learner: "fast" });
      expect(model.training.learner).toBe("native");
      await new Promise((resolve) => setImmediate(resolve)); // emitWarning delivers on a later tick
    } finally {
      process.off("warning", listen);
    }
    expect(warned.join("\n")).toMatch(/"fast" is the old name of "native"/);
  });
});

describe("determinism and early stopping", () => {
  const data = syntheticDataset({ rows: 3000, cols: 6, missing: 0.05, seed: 11 });
  const stochastic = { num_iterations: 15, bagging_fraction: 0.7, bagging_freq: 1, feature_fraction: 0.5 };

  it("trains the same model twice with the same seeds, another with another seed", () => {
    const a = trainGbdt(data, { ...stochastic, seed: 1 }, { learner: "reference" });
    const b = trainGbdt(data, { ...stochastic, seed: 1 }, { learner: "reference" });
    const c = trainGbdt(data, { ...stochastic, seed: 2 }, { learner: "reference" });
    expect(gbdtToJson(b)).toBe(gbdtToJson(a));
    expect(gbdtToJson(c)).not.toBe(gbdtToJson(a));
  });

  it("stops when the validation metric has not improved for early_stopping_round rounds, keeping the best trees", () => {
    const [train, valid] = splitRows(syntheticDataset({ rows: 1500, cols: 6, seed: 12 }), 1000);
    // A high learning rate and small leaves overfit quickly: the validation l2 turns up.
    const params = { num_iterations: 500, learning_rate: 0.5, num_leaves: 63, min_data_in_leaf: 2, early_stopping_round: 5 };
    const iterations: number[] = [];
    const model = trainGbdt(train, params, { valid, learner: "reference", onIteration: (i) => iterations.push(i) });
    const report = model.training.valid_metric!;
    expect(model.training.stopped_by).toBe("early_stopping");
    expect(report.name).toBe("l2");
    expect(model.training.iterations).toBeLessThan(500);
    expect(report.values.length).toBe(model.training.iterations);
    expect(iterations.length).toBe(model.training.iterations);
    expect(model.training.iterations - 1 - report.best_iteration).toBe(5);
    expect(model.trees.length).toBe(report.best_iteration + 1);
    expect(Math.min(...report.values)).toBe(report.values[report.best_iteration]);
    // The kept model scores the best validation value.
    const prediction = predictGbdt(model, valid.features, valid.label.length);
    let se = 0;
    for (let i = 0; i < prediction.length; i++) se += (prediction[i] - valid.label[i]) ** 2;
    expect(se / prediction.length).toBeCloseTo(report.values[report.best_iteration], 10);
  });
});

describe("feature importance", () => {
  it("counts splits and sums gains per feature, and ranks signal above noise", () => {
    // syntheticDataset: features 0-3 carry the signal, 4 and 5 are noise.
    const model = trainGbdt(syntheticDataset({ rows: 3000, cols: 6, seed: 15 }), { num_iterations: 20 }, { learner: "reference" });
    const splits = gbdtFeatureImportance(model, "split");
    const gains = gbdtFeatureImportance(model, "gain");
    expect(splits.reduce((a, b) => a + b, 0)).toBe(model.trees.reduce((a, t) => a + t.num_leaves - 1, 0));
    let total = 0;
    for (const t of model.trees) for (const g of t.split_gain) total += g;
    expect(gains.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 6);
    expect(Math.min(gains[0], gains[1])).toBeGreaterThan(Math.max(gains[4], gains[5]));
  });
});

describe("models as JSON", () => {
  it("predicts the same after a round trip", () => {
    const data = syntheticDataset({ rows: 2000, cols: 5, missing: 0.2, seed: 13, kind: "count" });
    const model = trainGbdt(data, { objective: "tweedie", num_iterations: 20 }, { learner: "reference" });
    const text = gbdtToJson(model);
    expect(text).toContain('"leaf_value"');
    const again = gbdtFromJson(text);
    const rows = data.label.length;
    expect(predictGbdt(again, data.features, rows)).toEqual(predictGbdt(model, data.features, rows));
    expect(gbdtToJson(again)).toBe(text);
  });

  it("refuses damaged models, saying where", () => {
    const model = trainGbdt(syntheticDataset({ rows: 500, cols: 3, seed: 14 }), { num_iterations: 2, num_leaves: 4 }, { learner: "reference" });
    const damaged = (edit: (m: Record<string, any>) => void) => {
      const m = JSON.parse(gbdtToJson(model));
      edit(m);
      return () => gbdtFromJson(JSON.stringify(m));
    };
    expect(() => gbdtFromJson("{not json")).toThrow(/not JSON/);
    expect(damaged((m) => (m.format = "lightgbm"))).toThrow(/format is "lightgbm", expected "salescast-gbdt"/);
    expect(damaged((m) => (m.version = 9))).toThrow(/version is 9/);
    expect(damaged((m) => (m.trees[1].left_child[0] = 7))).toThrow(/trees\[1\]\.left_child\[0\] is 7/);
    expect(damaged((m) => (m.trees[0].left_child[0] = m.trees[0].right_child[0]))).toThrow(/trees\[0\] reaches/);
    expect(damaged((m) => (m.trees[0].split_feature[0] = 3))).toThrow(/split_feature\[0\] is 3, expected a feature index below 3/);
    expect(damaged((m) => m.trees[0].leaf_value.pop())).toThrow(/trees\[0\]\.leaf_value must be an array of 4 values/);
    expect(damaged((m) => (m.trees[0].leaf_value[0] = null))).toThrow(/leaf_value\[0\] is null/);
    expect(damaged((m) => (m.params.num_leaves = 1))).toThrow(/params are not valid .*num_leaves/);
  });
});
