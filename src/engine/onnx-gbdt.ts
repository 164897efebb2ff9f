// ONNX nodes of a GBDT version's one-step forecast from a window placed at the end of its stored
// history (the default placement). The history before the window is fixed, so every period of
// the series is either a constant or a column of the window; the graph rebuilds the one feature
// row salescast builds (src/models/gbdt/feature-rows.ts), in the same order and with the same
// double-precision operations in the same sequence (so each feature rounds to the same float32):
//
//   scale     mean |v| over the scale's periods (constants' sum, then each window value added in
//             order), its fallbacks when 0 (src/models/gbdt/scaling.ts); 1 without scaling
//   z_t       v_t / scale
//   features  series code and calendar: constants; series scale; lag l: z_{n-l}; rolling mean or
//             std over z_from..z_to (summed in order); a lag before the series' start: NaN
//   forecast  the trees (onnx-trees.ts) on the row rounded to float32, the link (exp for
//             poisson and tweedie), × scale
import type { GbdtModel } from "./gbdt/model.js";
import { AttributeType, TensorDataType } from "./onnx-proto.js";
import { addTreeEnsembleNodes, treeEnsembleAttributes } from "./onnx-trees.js";
import type { WindowGraph } from "./onnx-window-graph.js";

/** One feature of the row: where its value comes from. Period indices count from the stored history's start. */
export type GbdtFeatureSource =
  | { source: "constant"; value: number }
  | { source: "scale" }
  | { source: "period"; index: number }
  | { source: "rolling"; stat: "mean" | "std"; from: number; to: number };

/** A mean of |v| over periods from..n-1: the part before the window summed already (in order). */
export interface MeanAbsTerm {
  from: number;
  prefixSum: number;
  count: number;
}

export interface GbdtWindowForecast {
  /** The stored history's periods before the window (n − W of them). */
  prefix: Float64Array;
  /** mean_abs: its terms, the first used unless it is 0, then the next; none: a scale of 1. */
  scaling: { method: "none" } | { method: "mean_abs"; terms: MeanAbsTerm[] };
  features: GbdtFeatureSource[];
  /** The step-1 model, or the scaled constant it forecasts when it has no trees. */
  predictor: { trees: GbdtModel; link: "identity" | "exp" } | { constant: number };
}

/** Adds the forecast's nodes to `g`; returns its output's name (double [batch]). `attributes`: the trees' (the tests bend one). */
export function addGbdtNodes(g: WindowGraph, plan: GbdtWindowForecast, attributes?: ReturnType<typeof treeEnsembleAttributes>): string {
  const P = plan.prefix.length;
  const n = P + g.windowSize;
  const value = (i: number) => (i < P ? g.constant(`history_${i}`, plan.prefix[i]) : g.column(i - P));
  // [batch] of anything: Expand a scalar constant to the window's batch size.
  const batchShape = g.node("Shape", [g.column(0)]);
  const toBatch = (name: string) => g.node("Expand", [name, batchShape]);

  let scale: string;
  if (plan.scaling.method === "none") scale = g.constant("scale", 1);
  else {
    const one = g.constant("one", 1);
    const zero = g.constant("zero", 0);
    const means = plan.scaling.terms.map((term, k) => {
      let sum = g.constant(`scale_sum_${k}`, term.prefixSum);
      for (let i = Math.max(term.from, P); i < n; i++) sum = g.node("Add", [sum, g.node("Abs", [value(i)])]);
      return g.node("Div", [sum, g.constant(`scale_count_${k}`, term.count)]);
    });
    // The first positive one, else 1 (scaling.ts: a scale of 0 is replaced).
    scale = one;
    for (let k = means.length - 1; k >= 0; k--) scale = g.node("Where", [g.node("Greater", [means[k], zero]), means[k], scale]);
  }

  const z = new Map<number, string>();
  const scaled = (i: number): string => {
    let name = z.get(i);
    if (name === undefined) z.set(i, (name = g.node("Div", [value(i), scale])));
    return name;
  };
  const rolling = (stat: "mean" | "std", from: number, to: number): string => {
    const count = to - from + 1;
    let sum = scaled(from);
    for (let i = from + 1; i <= to; i++) sum = g.node("Add", [sum, scaled(i)]);
    const mean = g.node("Div", [sum, g.constant("rolling_count", count)]);
    if (stat === "mean") return mean;
    let squares: string | undefined;
    for (let i = from; i <= to; i++) {
      const d = g.node("Sub", [scaled(i), mean]);
      const square = g.node("Mul", [d, d]);
      squares = squares === undefined ? square : g.node("Add", [squares, square]);
    }
    return g.node("Sqrt", [g.node("Div", [squares!, g.constant("rolling_count_less_one", count - 1)])]);
  };

  const columns = plan.features.map((f, c) => {
    const feature =
      f.source === "constant"
        ? g.constant(`feature_${c}`, f.value, [], true)
        : f.source === "scale"
          ? scale
          : f.source === "period"
            ? scaled(f.index)
            : rolling(f.stat, f.from, f.to);
    return g.node("Unsqueeze", [toBatch(feature), g.int64Constant("feature_axis", [1])]);
  });
  // salescast's rows are float32: round each feature as Float32Array does, then back to double for the trees.
  const row = g.node("Concat", columns, [{ name: "axis", type: AttributeType.INT, i: 1 }]);
  const rounded = g.cast(g.cast(row, "features_f32", TensorDataType.FLOAT), "features", TensorDataType.DOUBLE);

  let forecast: string;
  if ("constant" in plan.predictor) forecast = g.constant("constant_forecast", plan.predictor.constant);
  else {
    const { trees, link } = plan.predictor;
    const raw = trees.trees.length === 0 ? g.constant("init_score", trees.init_score) : addTreeEnsembleNodes(g, rounded, trees, attributes);
    forecast = link === "exp" ? g.node("Exp", [raw]) : raw;
  }
  return toBatch(g.node("Mul", [forecast, scale]));
}
