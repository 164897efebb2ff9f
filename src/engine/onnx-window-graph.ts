// A small builder for the ONNX graphs of a statistical version's forecast from a window
// (onnx-affine.ts, onnx-demand.ts): float32 `series` [batch, W] in sales units, computed in
// double precision inside, float32 `forecast` [batch] out: the signature the network's export has.
import { ONNX_DEFAULT_OPSET, ONNX_INPUT_NAME, ONNX_IR_VERSION, ONNX_OUTPUT_NAME } from "./onnx.js";
import {
  AttributeType,
  encodeModelProto,
  float64ToLittleEndian,
  floatTensorValueInfo,
  TensorDataType,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
} from "./onnx-proto.js";

export interface WindowGraphOptions {
  producerVersion?: string;
  /** The graph's name and doc string. */
  name: string;
  docString: string;
  /** metadata_props (the model kind, the formula). */
  metadata: Record<string, string>;
}

/** The ONNX-ML operator set (TreeEnsembleRegressor); version 3 has the double-precision *_as_tensor attributes. */
export const ONNX_ML_DOMAIN = "ai.onnx.ml";
export const ONNX_ML_OPSET = 3;

export class WindowGraph {
  private readonly nodes: NodeProto[] = [];
  private usesMl = false;
  private readonly initializers: TensorProto[] = [];
  /** The window as doubles, [batch, W]. */
  readonly series = "series_f64";

  constructor(readonly windowSize: number) {
    if (!Number.isInteger(windowSize) || windowSize < 1) throw new Error(`WindowGraph: the window must have at least one value, got ${windowSize}`);
    this.cast(ONNX_INPUT_NAME, this.series, TensorDataType.DOUBLE);
  }

  /** Adds a node; returns its (first) output's name. */
  node(opType: string, input: string[], attribute: AttributeProto[] = [], output = `${opType.toLowerCase()}_${this.nodes.length}`): string {
    this.nodes.push({ name: `${opType}_${this.nodes.length}`, op_type: opType, input, output: [output], attribute });
    return output;
  }

  /** Adds a node of the ai.onnx.ml domain (the model then imports that operator set); returns its output's name. */
  mlNode(opType: string, input: string[], attribute: AttributeProto[]): string {
    this.usesMl = true;
    const output = `${opType.toLowerCase()}_${this.nodes.length}`;
    this.nodes.push({ name: `${opType}_${this.nodes.length}`, op_type: opType, domain: ONNX_ML_DOMAIN, input, output: [output], attribute });
    return output;
  }

  /** An int64 constant of shape `dims` (shapes, axes, indices); returns its (unique) name. */
  int64Constant(name: string, values: number[], dims: number[] = [values.length]): string {
    let unique = name;
    for (let k = 2; this.initializers.some((i) => i.name === unique); k++) unique = `${name}_${k}`;
    this.initializers.push({ name: unique, dims, data_type: TensorDataType.INT64, int64_data: values });
    return unique;
  }

  cast(input: string, output: string, to: number): string {
    return this.node("Cast", [input], [{ name: "to", type: AttributeType.INT, i: to }], output);
  }

  /**
   * A double constant of shape `dims` ([] for a scalar); returns its name, `name` or, when an
   * ensemble's members both use that name, `name` with a number. NaN only with `allowMissing`.
   */
  constant(name: string, values: Float64Array | number, dims: number[] = [], allowMissing = false): string {
    const data = typeof values === "number" ? Float64Array.of(values) : values;
    // NaN only where asked for: a GBDT feature that is missing (a lag before the series' start).
    if (!data.every((x) => Number.isFinite(x) || (allowMissing && Number.isNaN(x)))) throw new Error(`WindowGraph: constant ${name} is not finite`);
    let unique = name;
    for (let k = 2; this.initializers.some((i) => i.name === unique); k++) unique = `${name}_${k}`;
    this.initializers.push({ name: unique, dims, data_type: TensorDataType.DOUBLE, raw_data: float64ToLittleEndian(data) });
    return unique;
  }

  /** The window's value at position t, [batch] (one Gather per position, shared by every reader). */
  column(t: number): string {
    const output = `value_${t}`;
    if (this.nodes.some((n) => n.output[0] === output)) return output;
    const index = this.int64Constant(`index_${t}`, [t], []);
    return this.node("Gather", [this.series, index], [{ name: "axis", type: AttributeType.INT, i: 1 }], output);
  }

  /** The serialised ModelProto whose output is `result` (double, [batch]) cast to float32. */
  encode(result: string, options: WindowGraphOptions): Uint8Array {
    this.cast(result, ONNX_OUTPUT_NAME, TensorDataType.FLOAT);
    return encodeModelProto({
      ir_version: ONNX_IR_VERSION,
      opset_import: [{ domain: "", version: ONNX_DEFAULT_OPSET }, ...(this.usesMl ? [{ domain: ONNX_ML_DOMAIN, version: ONNX_ML_OPSET }] : [])],
      producer_name: "salescast",
      producer_version: options.producerVersion ?? "",
      doc_string: options.docString,
      graph: {
        name: options.name,
        node: this.nodes,
        initializer: this.initializers,
        input: [floatTensorValueInfo(ONNX_INPUT_NAME, ["batch", this.windowSize], `the last ${this.windowSize} periods, oldest first, in sales units`)],
        output: [floatTensorValueInfo(ONNX_OUTPUT_NAME, ["batch"], "next-period forecast in sales units")],
      },
      metadata_props: [{ key: "window_size", value: String(this.windowSize) }, ...Object.entries(options.metadata).map(([key, value]) => ({ key, value }))],
    });
  }
}
