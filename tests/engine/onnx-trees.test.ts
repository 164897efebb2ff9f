// A GBDT's trees as ONNX-ML's TreeEnsembleRegressor (src/engine/onnx-trees.ts), run in
// onnxruntime-node against salescast's own tree walk (predictGbdt, raw scores) on the cases where
// the two could part: a value exactly at a threshold (<= goes left), a threshold between two
// float32 values, NaN where the feature had missing values in training (the learnt side) and
// where it had none (read as 0).
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { predictGbdt, trainGbdt, type GbdtModel } from "../../src/engine/gbdt/index.js";
import { addTreeEnsembleNodes } from "../../src/engine/onnx-trees.js";
import { WindowGraph } from "../../src/engine/onnx-window-graph.js";

/** The trees' raw scores in onnxruntime for rows of `cols` features (the graph's input is the row itself). */
async function onnxScores(model: GbdtModel, rows: number[][]): Promise<Float32Array> {
  const cols = model.num_features;
  const g = new WindowGraph(cols);
  const bytes = g.encode(addTreeEnsembleNodes(g, g.series, model), { name: "trees", docString: "trees", metadata: {} });
  const session = await ort.InferenceSession.create(bytes);
  const output = await session.run({ series: new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, cols]) });
  return output.forecast.data as Float32Array;
}

function expectSameScores(model: GbdtModel, rows: number[][], got: Float32Array): void {
  const expected = predictGbdt(model, Float32Array.from(rows.flat()), rows.length, { raw: true });
  rows.forEach((row, r) => {
    expect(Math.abs(got[r] - expected[r]), `row ${JSON.stringify(row)}: onnx ${got[r]}, salescast ${expected[r]}`).toBeLessThanOrEqual(
      1e-6 * Math.max(1, Math.abs(expected[r])),
    );
  });
}

/** Two trees by hand: a split on feature 0 at 0.5 (no missing values in training), then on feature 1 at 0.1 (with them, NaN left); a one-leaf tree. */
const handMade = {
  format: "salescast-gbdt",
  version: 1,
  params: {},
  num_features: 2,
  feature_names: ["a", "b"],
  init_score: 10,
  trees: [
    {
      num_leaves: 3,
      split_feature: [0, 1],
      threshold: [0.5, 0.1],
      default_left: [false, true],
      nan_is_missing: [false, true],
      left_child: [-1, -2],
      right_child: [1, -3],
      split_gain: [1, 1],
      leaf_value: [1, 2, 4],
      leaf_count: [1, 1, 1],
    },
    {
      num_leaves: 1,
      split_feature: [],
      threshold: [],
      default_left: [],
      nan_is_missing: [],
      left_child: [],
      right_child: [],
      split_gain: [],
      leaf_value: [0.25],
      leaf_count: [3],
    },
  ],
  training: { learner: "reference", iterations: 2, stopped_by: "num_iterations", unused_features: [], valid_metric: null },
} as unknown as GbdtModel;

describe("a GBDT's trees as a TreeEnsembleRegressor", () => {
  it("split exactly as salescast's tree walk: <= at the threshold, thresholds between float32 values, NaN both ways", async () => {
    const rows = [
      [0.5, 0], // at the threshold: left
      [Math.fround(0.5000001), 0], // the next float32: right
      [Number.NaN, 7], // no missing values in training: NaN is 0, 0 <= 0.5: left
      [1, Number.NaN], // missing values in training: the learnt side (left)
      [1, Math.fround(0.1)], // float32(0.1) > 0.1: right (a float32 threshold would send it left)
      [1, -0.2],
    ];
    const got = await onnxScores(handMade, rows);
    expect(Array.from(got)).toEqual([11.25, 12.25, 11.25, 12.25, 14.25, 12.25]);
    expectSameScores(handMade, rows, got);
  });

  it("a trained model with missing values gives salescast's scores on rows at, between and beside its thresholds", async () => {
    const rows = 600;
    const cols = 4;
    const features = new Float32Array(rows * cols);
    const label = new Float32Array(rows);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) features[r * cols + c] = c === 2 && r % 5 === 0 ? Number.NaN : random() * 10 - 3;
      const [a, b, d] = [features[r * cols], features[r * cols + 1], features[r * cols + 2]];
      label[r] = 2 * a - b * b * 0.3 + (Number.isNaN(d) ? 5 : d);
    }
    const model = trainGbdt(
      { features, cols, label },
      { num_iterations: 40, num_leaves: 8, min_data_in_leaf: 5, learning_rate: 0.2 },
      { learner: "reference" },
    );
    expect(model.trees.some((t) => t.nan_is_missing.some(Boolean))).toBe(true);
    // Rows whose values sit on thresholds (and on their float32 neighbours), with NaN in a feature that never had one.
    const probes: number[][] = [];
    for (const tree of model.trees.slice(0, 10)) {
      tree.threshold.forEach((threshold, n) => {
        const at = Math.fround(threshold);
        for (const v of [at, Math.fround(at * (1 + 1e-7)), Math.fround(at * (1 - 1e-7))]) {
          const row = [1, 2, 3, 4];
          row[tree.split_feature[n]] = v;
          probes.push(row);
        }
      });
    }
    probes.push([Number.NaN, 1, 1, 1], [1, Number.NaN, Number.NaN, 1], [Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    expectSameScores(model, probes, await onnxScores(model, probes));
  });
});
