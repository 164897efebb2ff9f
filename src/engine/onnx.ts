// ONNX export of the CNN+LSTM: a standard ModelProto any ONNX runtime can run, working in sales
// units (the normalisation is part of the graph), so a user needs nothing but the .onnx file.
//
//   series [batch, T] (sales units)            or [batch, inputSize, T] when inputSize > 1
//   Sub(mean) Div(std)                         z-score, same convention as checkpoint.ts
//   Unsqueeze(axis 1)        -> [B, 1, T]
//   Conv(k=3) Relu           -> [B, C, T-2]
//   Transpose(2, 0, 1)       -> [T-2, B, C]    ONNX LSTM's default layout is sequence-first
//   LSTM layer k             -> Y [T-2, 1, B, H], Y_h [1, B, H]; Y squeezed feeds layer k+1
//   Squeeze(Y_h of last layer, axis 0) -> [B, H]
//   Gemm(fc.weight^T, fc.bias) -> [B, out];  Squeeze(axis 1) -> [B] when out = 1
//   Mul(std) Add(mean)       -> forecast (sales units)
import type { FloatArray } from "./backend.js";
import type { CnnLstmModel } from "./model.js";
import type { NormalizationStats } from "./checkpoint.js";
import {
  AttributeType,
  encodeModelProto,
  floatTensorValueInfo,
  TensorDataType,
  type AttributeProto,
  type Dim,
  type NodeProto,
  type TensorProto,
} from "./onnx-proto.js";
import { float32ToLittleEndian } from "./safetensors.js";

export const ONNX_INPUT_NAME = "series";
export const ONNX_OUTPUT_NAME = "forecast";
export const ONNX_IR_VERSION = 8;
export const ONNX_DEFAULT_OPSET = 17;
// Unsqueeze/Squeeze take their axes as an input from opset 13; LSTM and Gemm are stable since 14/13.
const MIN_OPSET = 14;

export interface OnnxExportOptions {
  /** ONNX operator set (default 17, minimum 14). */
  opset?: number;
  /** Written into ModelProto.producer_version. */
  producerVersion?: string;
}

function floatInitializer(name: string, dims: number[], values: FloatArray): TensorProto {
  return { name, dims, data_type: TensorDataType.FLOAT, raw_data: float32ToLittleEndian(values) };
}

function int64Initializer(name: string, values: number[]): TensorProto {
  return { name, dims: [values.length], data_type: TensorDataType.INT64, int64_data: values };
}

const intAttribute = (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i });
const intsAttribute = (name: string, ints: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints });

/**
 * PyTorch stacks LSTM gate blocks as (i, f, g, o); ONNX expects (i, o, f, c). Each block is
 * `hidden` rows of `columns` values; returns the blocks in ONNX order.
 */
export function reorderGatesToOnnx(values: FloatArray, hidden: number, columns: number): Float32Array {
  const blockSize = hidden * columns;
  if (values.length !== 4 * blockSize) {
    throw new Error(`reorderGatesToOnnx: expected ${4 * blockSize} values (4 gates x ${hidden} x ${columns}), got ${values.length}`);
  }
  const pytorchBlockForOnnxSlot = [0, 3, 1, 2]; // i <- i, o <- o, f <- f, c <- g
  const out = new Float32Array(values.length);
  pytorchBlockForOnnxSlot.forEach((source, slot) => {
    out.set(values.subarray(source * blockSize, (source + 1) * blockSize), slot * blockSize);
  });
  return out;
}

function validateNormalization(normalization: NormalizationStats): void {
  const { mean, std } = normalization;
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std <= 0) {
    throw new Error(`exportOnnx: normalization must have a finite mean and a positive finite std, got mean=${mean} std=${std}`);
  }
}

/** Builds the ONNX model (serialised ModelProto bytes) of `model` with `normalization` folded in. */
export function exportOnnx(model: CnnLstmModel<FloatArray>, normalization: NormalizationStats, options: OnnxExportOptions = {}): Uint8Array {
  const opset = options.opset ?? ONNX_DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET) {
    throw new Error(`exportOnnx: opset must be an integer >= ${MIN_OPSET}, got ${opset}`);
  }
  validateNormalization(normalization);
  const { windowSize, inputSize, convChannels, lstmHidden, lstmLayers, outputSize } = model.shape;
  const param = (name: string) => model.params.view(name);

  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const node = (op_type: string, input: string[], output: string[], attribute: AttributeProto[] = []) => {
    nodes.push({ name: `${op_type}_${nodes.length}`, op_type, input, output, attribute });
  };

  initializers.push(
    floatInitializer("norm_mean", [], new Float32Array([normalization.mean])),
    floatInitializer("norm_std", [], new Float32Array([normalization.std])),
  );
  // Squeeze/Unsqueeze axes are int64 inputs; each is added once, only if some node uses it
  // (onnxruntime warns about unused initializers).
  const axes = (axis: number): string => {
    const name = `axes_${axis}`;
    if (!initializers.some((t) => t.name === name)) initializers.push(int64Initializer(name, [axis]));
    return name;
  };

  node("Sub", [ONNX_INPUT_NAME, "norm_mean"], ["centered"]);
  node("Div", ["centered", "norm_std"], ["z"]);
  let convInput = "z";
  if (inputSize === 1) {
    node("Unsqueeze", ["z", axes(1)], ["z_channels"]);
    convInput = "z_channels";
  }

  initializers.push(
    floatInitializer("conv.weight", [convChannels, inputSize, 3], param("conv.weight")),
    floatInitializer("conv.bias", [convChannels], param("conv.bias")),
  );
  node("Conv", [convInput, "conv.weight", "conv.bias"], ["conv_out"], [intsAttribute("kernel_shape", [3])]);
  node("Relu", ["conv_out"], ["conv_relu"]);
  node("Transpose", ["conv_relu"], ["lstm_in_0"], [intsAttribute("perm", [2, 0, 1])]);

  let layerInput = "lstm_in_0";
  let layerInputSize = convChannels;
  for (let k = 0; k < lstmLayers; k++) {
    const H = lstmHidden;
    const W = reorderGatesToOnnx(param(`lstm.weight_ih_l${k}`), H, layerInputSize);
    const R = reorderGatesToOnnx(param(`lstm.weight_hh_l${k}`), H, H);
    const B = new Float32Array(8 * H);
    B.set(reorderGatesToOnnx(param(`lstm.bias_ih_l${k}`), H, 1), 0);
    B.set(reorderGatesToOnnx(param(`lstm.bias_hh_l${k}`), H, 1), 4 * H);
    initializers.push(
      floatInitializer(`lstm_W_l${k}`, [1, 4 * H, layerInputSize], W),
      floatInitializer(`lstm_R_l${k}`, [1, 4 * H, H], R),
      floatInitializer(`lstm_B_l${k}`, [1, 8 * H], B),
    );
    node("LSTM", [layerInput, `lstm_W_l${k}`, `lstm_R_l${k}`, `lstm_B_l${k}`], [`lstm_Y_l${k}`, `lstm_Yh_l${k}`], [intAttribute("hidden_size", H)]);
    if (k < lstmLayers - 1) {
      // Y is [seq, num_directions=1, B, H]; the next layer wants [seq, B, H].
      node("Squeeze", [`lstm_Y_l${k}`, axes(1)], [`lstm_in_${k + 1}`]);
      layerInput = `lstm_in_${k + 1}`;
      layerInputSize = H;
    }
  }
  node("Squeeze", [`lstm_Yh_l${lstmLayers - 1}`, axes(0)], ["last_hidden"]);

  initializers.push(floatInitializer("fc.weight", [outputSize, lstmHidden], param("fc.weight")), floatInitializer("fc.bias", [outputSize], param("fc.bias")));
  node("Gemm", ["last_hidden", "fc.weight", "fc.bias"], ["fc_out"], [intAttribute("transB", 1)]);
  let zForecast = "fc_out";
  if (outputSize === 1) {
    node("Squeeze", ["fc_out", axes(1)], ["z_forecast"]);
    zForecast = "z_forecast";
  }
  node("Mul", [zForecast, "norm_std"], ["scaled"]);
  node("Add", ["scaled", "norm_mean"], [ONNX_OUTPUT_NAME]);

  const inputDims: Dim[] = inputSize === 1 ? ["batch", windowSize] : ["batch", inputSize, windowSize];
  const outputDims: Dim[] = outputSize === 1 ? ["batch"] : ["batch", outputSize];
  return encodeModelProto({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: "", version: opset }],
    producer_name: "salescast",
    producer_version: options.producerVersion ?? "",
    doc_string: "salescast CNN+LSTM forecaster; input and output in sales units (normalisation inside the graph).",
    graph: {
      name: "salescast_cnnlstm",
      node: nodes,
      initializer: initializers,
      input: [floatTensorValueInfo(ONNX_INPUT_NAME, inputDims, `the last ${windowSize} periods, oldest first, in sales units`)],
      output: [floatTensorValueInfo(ONNX_OUTPUT_NAME, outputDims, "next-period forecast in sales units")],
    },
    metadata_props: [
      { key: "normalization_mean", value: String(normalization.mean) },
      { key: "normalization_std", value: String(normalization.std) },
      { key: "window_size", value: String(windowSize) },
      { key: "normalization_formula", value: "z = (x - mean) / std; forecast = z_out * std + mean" },
    ],
  });
}
