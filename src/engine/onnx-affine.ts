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
import { AttributeType, encodeModelProto, float64ToLittleEndian, floatTensorValueInfo, TensorDataType, type NodeProto } from "./onnx-proto.js";
import { ONNX_DEFAULT_OPSET, ONNX_INPUT_NAME, ONNX_IR_VERSION, ONNX_OUTPUT_NAME } from "./onnx.js";

export interface AffineForecast {
  /** One weight per window value, oldest first. */
  weights: Float64Array;
  /** The forecast of a window of zeros: what the stored history and the parameters contribute. */
  bias: number;
}

export interface AffineOnnxOptions {
  producerVersion?: string;
  /** What the graph is of, for its doc string ("Holt-Winters model (holt_winters)"). */
  description: string;
  /** Extra metadata_props (the model kind, the check it passed). */
  metadata?: Record<string, string>;
}

/** The serialised ModelProto of `forecast = series · weights + bias`, float32 in and out, double inside. */
export function exportAffineOnnx(affine: AffineForecast, options: AffineOnnxOptions): Uint8Array {
  const { weights, bias } = affine;
  const windowSize = weights.length;
  if (windowSize === 0 || !weights.every(Number.isFinite) || !Number.isFinite(bias)) {
    throw new Error(`exportAffineOnnx: the weights (${windowSize}) and the bias must be finite and the window not empty`);
  }
  const cast = (input: string, output: string, to: number): NodeProto => ({
    name: `Cast_${output}`,
    op_type: "Cast",
    input: [input],
    output: [output],
    attribute: [{ name: "to", type: AttributeType.INT, i: to }],
  });
  const nodes: NodeProto[] = [
    cast(ONNX_INPUT_NAME, "series_f64", TensorDataType.DOUBLE),
    { name: "MatMul_weights", op_type: "MatMul", input: ["series_f64", "weights"], output: ["weighted"] },
    { name: "Add_bias", op_type: "Add", input: ["weighted", "bias"], output: ["forecast_f64"] },
    cast("forecast_f64", ONNX_OUTPUT_NAME, TensorDataType.FLOAT),
  ];
  return encodeModelProto({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: "", version: ONNX_DEFAULT_OPSET }],
    producer_name: "salescast",
    producer_version: options.producerVersion ?? "",
    doc_string:
      `salescast ${options.description}: its one-step forecast as an affine function of the window ` +
      `(the stored history before the window and the fitted parameters are inside the constants); sales units in and out.`,
    graph: {
      name: "salescast_affine_forecast",
      node: nodes,
      initializer: [
        { name: "weights", dims: [windowSize], data_type: TensorDataType.DOUBLE, raw_data: float64ToLittleEndian(weights) },
        { name: "bias", dims: [], data_type: TensorDataType.DOUBLE, raw_data: float64ToLittleEndian(Float64Array.of(bias)) },
      ],
      input: [floatTensorValueInfo(ONNX_INPUT_NAME, ["batch", windowSize], `the last ${windowSize} periods, oldest first, in sales units`)],
      output: [floatTensorValueInfo(ONNX_OUTPUT_NAME, ["batch"], "next-period forecast in sales units")],
    },
    metadata_props: [
      { key: "window_size", value: String(windowSize) },
      { key: "formula", value: "forecast = sum_t series[t] * weights[t] + bias (double precision)" },
      ...Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    ],
  });
}
