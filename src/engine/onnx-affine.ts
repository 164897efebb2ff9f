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
import { WindowGraph } from "./onnx-window-graph.js";

export interface AffineForecast {
  /** One weight per window value, oldest first. */
  weights: Float64Array;
  /** The forecast of a window of zeros: what the stored history and the parameters contribute. */
  bias: number;
}

export interface AffineOnnxOptions {
  producerVersion?: string;
  /** What the graph is of, for its doc string ("Holt-Winters model (holt_winters) of Beauty"). */
  description: string;
  /** Extra metadata_props (the model kind, the check it passed). */
  metadata?: Record<string, string>;
}

/** The serialised ModelProto of `forecast = series · weights + bias`, float32 in and out, double inside. */
export function exportAffineOnnx(affine: AffineForecast, options: AffineOnnxOptions): Uint8Array {
  const { weights, bias } = affine;
  const graph = new WindowGraph(weights.length);
  const weighted = graph.node("MatMul", [graph.series, graph.constant("weights", weights, [weights.length])]);
  const forecast = graph.node("Add", [weighted, graph.constant("bias", bias)]);
  return graph.encode(forecast, {
    ...(options.producerVersion === undefined ? {} : { producerVersion: options.producerVersion }),
    name: "salescast_affine_forecast",
    docString:
      `salescast ${options.description}: its one-step forecast as an affine function of the window ` +
      `(the stored history before the window and the fitted parameters are inside the constants); sales units in and out.`,
    metadata: { formula: "forecast = sum_t series[t] * weights[t] + bias (double precision)", ...options.metadata },
  });
}
