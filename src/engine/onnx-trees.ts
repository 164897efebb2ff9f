// ONNX nodes of a salescast GBDT's raw score: ONNX-ML's TreeEnsembleRegressor (operator set 3,
// thresholds, leaf values and the base score in double precision, so the trees split exactly where
// src/engine/gbdt/predict.ts does). The split semantics, mapped one to one:
//   - value <= threshold goes left (the true branch): BRANCH_LEQ;
//   - NaN goes the learnt side (default_left) where the feature had missing values in training,
//     and is read as 0 elsewhere (so it goes left exactly when 0 <= threshold):
//     nodes_missing_value_tracks_true says which, per node;
//   - the score is init_score plus the sum of every tree's leaf (learning rate applied): base
//     value and SUM. The objective's link (exp for poisson and tweedie) is the caller's.
// salescast's tree layout (LightGBM's: internal nodes 0..L-2, a child < 0 is leaf ~child) becomes
// node ids 0..L-2 for the internal nodes and L-1+l for leaf l.
import type { GbdtModel } from "./gbdt/model.js";
import { AttributeType, float64ToLittleEndian, TensorDataType, type AttributeProto } from "./onnx-proto.js";
import type { WindowGraph } from "./onnx-window-graph.js";

/** The ONNX attributes of `model`'s trees (exported for the tests, which bend a threshold). */
export function treeEnsembleAttributes(model: GbdtModel): AttributeProto[] {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const targetTree: number[] = [];
  const targetNode: number[] = [];
  const targetWeight: number[] = [];
  const push = (tree: number, node: number, feature: number, mode: string, value: number, yes: number, no: number, missing: number) => {
    treeIds.push(tree);
    nodeIds.push(node);
    featureIds.push(feature);
    modes.push(mode);
    values.push(value);
    trueIds.push(yes);
    falseIds.push(no);
    missingTrue.push(missing);
  };
  model.trees.forEach((tree, t) => {
    const internal = tree.num_leaves - 1;
    const id = (child: number) => (child >= 0 ? child : internal + ~child);
    for (let n = 0; n < internal; n++) {
      const threshold = tree.threshold[n];
      const nanLeft = tree.nan_is_missing[n] ? tree.default_left[n] : 0 <= threshold;
      push(t, n, tree.split_feature[n], "BRANCH_LEQ", threshold, id(tree.left_child[n]), id(tree.right_child[n]), nanLeft ? 1 : 0);
    }
    for (let l = 0; l < tree.num_leaves; l++) {
      push(t, internal + l, 0, "LEAF", 0, 0, 0, 0);
      targetTree.push(t);
      targetNode.push(internal + l);
      targetWeight.push(tree.leaf_value[l]);
    }
  });
  const ints = (name: string, v: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: v });
  const doubles = (name: string, v: number[]): AttributeProto => ({
    name,
    type: AttributeType.TENSOR,
    t: { name, dims: [v.length], data_type: TensorDataType.DOUBLE, raw_data: float64ToLittleEndian(Float64Array.from(v)) },
  });
  const utf8 = new TextEncoder();
  return [
    { name: "n_targets", type: AttributeType.INT, i: 1 },
    { name: "aggregate_function", type: AttributeType.STRING, s: utf8.encode("SUM") },
    { name: "post_transform", type: AttributeType.STRING, s: utf8.encode("NONE") },
    doubles("base_values_as_tensor", [model.init_score]),
    ints("nodes_treeids", treeIds),
    ints("nodes_nodeids", nodeIds),
    ints("nodes_featureids", featureIds),
    { name: "nodes_modes", type: AttributeType.STRINGS, strings: modes.map((m) => utf8.encode(m)) },
    doubles("nodes_values_as_tensor", values),
    ints("nodes_truenodeids", trueIds),
    ints("nodes_falsenodeids", falseIds),
    ints("nodes_missing_value_tracks_true", missingTrue),
    ints("target_treeids", targetTree),
    ints("target_nodeids", targetNode),
    ints(
      "target_ids",
      targetNode.map(() => 0),
    ),
    doubles("target_weights_as_tensor", targetWeight),
  ];
}

/**
 * Adds `model`'s raw score (before the link) for the rows of `features` (double [batch, F], each
 * value already rounded to float32 as salescast's feature rows are); returns a double [batch].
 */
export function addTreeEnsembleNodes(g: WindowGraph, features: string, model: GbdtModel, attributes = treeEnsembleAttributes(model)): string {
  if (model.trees.length === 0) throw new Error("addTreeEnsembleNodes: the model has no trees (its score is init_score alone)");
  const score = g.mlNode("TreeEnsembleRegressor", [features], attributes);
  // The operator's output is float [batch, 1]: back to double [batch] for the unscaling.
  const flat = g.node("Reshape", [score, g.int64Constant("batch_shape", [-1])]);
  return g.cast(flat, `tree_score_${flat}`, TensorDataType.DOUBLE);
}
