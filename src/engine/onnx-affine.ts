// ONNX graph of a forecast that is an affine function of the served window: forecast = w·a + c.
// A statistical model with its parameters as fitted and the history before the window fixed
// (ETS and Holt-Winters with additive parts, ARIMA, Theta, the baselines, and ensembles of them)
// forecasts exactly that way; src/training/mlflow-affine.ts finds a and c and checks that the
// model is affine. The graph computes in double precision, so the stored history's weight in c
// and large coefficients of opposite signs (differencing) lose nothing at sales scale:
//
//   series [batch, W] float32 (sales units)
//   Cast(double) MatMul(a [W]) Add(c)   -> [batch] double
//   Cast(float)                         -> forecast [batch] float32 (sales units)
import type { WindowGraph } from "./onnx-window-graph.js";

export interface AffineForecast {
  /** One weight per window value, oldest first. */
  weights: Float64Array;
  /** The forecast of a window of zeros: what the stored history and the parameters contribute. */
  bias: number;
}

/** Adds `series · weights + bias` to `graph`; returns its output's name ([batch], double). */
export function addAffineNodes(graph: WindowGraph, affine: AffineForecast): string {
  const { weights, bias } = affine;
  if (weights.length !== graph.windowSize) throw new Error(`addAffineNodes: ${weights.length} weights for a window of ${graph.windowSize}`);
  const weighted = graph.node("MatMul", [graph.series, graph.constant("weights", weights, [weights.length])]);
  return graph.node("Add", [weighted, graph.constant("bias", bias)]);
}
