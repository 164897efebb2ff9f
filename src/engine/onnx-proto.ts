// The part of onnx.proto (github.com/onnx/onnx, onnx/onnx.in.proto) that the exporter writes.
// Field numbers are the real ones, so the bytes are a standard ModelProto; messages and fields
// the exporter never sets are left out (protobuf readers skip nothing they need).
import protobuf from "protobufjs";

const ONNX_PROTO_SUBSET = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5;
    FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10;
  }
  optional string name = 1;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
}

message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  enum DataType { UNDEFINED = 0; FLOAT = 1; INT32 = 6; INT64 = 7; DOUBLE = 11; }
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional bytes raw_data = 9;
  optional string doc_string = 12;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
  optional string denotation = 6;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

// keepCase: field names stay snake_case, exactly as in onnx.proto.
const root = protobuf.parse(ONNX_PROTO_SUBSET, { keepCase: true }).root;
const modelProtoType = root.lookupType("onnx.ModelProto");

export const TensorDataType = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface TensorProto {
  name: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
  int64_data?: number[];
}

export interface AttributeProto {
  name: string;
  type: number;
  i?: number;
  f?: number;
  ints?: number[];
  floats?: number[];
  /** STRING (UTF-8 bytes). */
  s?: Uint8Array;
  /** STRINGS (UTF-8 bytes), as the ai.onnx.ml operators' mode lists take them. */
  strings?: Uint8Array[];
  /** TENSOR (the ai.onnx.ml *_as_tensor attributes: values in double precision). */
  t?: TensorProto;
}

export interface NodeProto {
  name: string;
  op_type: string;
  /** The operator set's domain: "" (default ONNX) or "ai.onnx.ml". */
  domain?: string;
  input: string[];
  output: string[];
  attribute?: AttributeProto[];
}

/** A dimension is a fixed size or a symbolic name (a dynamic axis such as "batch"). */
export type Dim = number | string;

export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_value: number } | { dim_param: string })[] } } };
  doc_string?: string;
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  doc_string?: string;
}

export interface ModelProto {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  producer_version: string;
  doc_string?: string;
  graph: GraphProto;
  metadata_props?: { key: string; value: string }[];
}

export function floatTensorValueInfo(name: string, dims: Dim[], docString?: string): ValueInfoProto {
  return tensorValueInfo(name, TensorDataType.FLOAT, dims, docString);
}

/** A graph input or output of element type `elemType` (TensorDataType) and shape `dims`. */
export function tensorValueInfo(name: string, elemType: number, dims: Dim[], docString?: string): ValueInfoProto {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((dim) => (typeof dim === "number" ? { dim_value: dim } : { dim_param: dim })) },
      },
    },
    ...(docString === undefined ? {} : { doc_string: docString }),
  };
}

export function encodeModelProto(model: ModelProto): Uint8Array {
  const message = modelProtoType.fromObject(model);
  return modelProtoType.encode(message).finish();
}

/** Decodes a ModelProto into a plain object (int64 fields as numbers); used to inspect exports. */
export function decodeModelProto(bytes: Uint8Array): Record<string, unknown> {
  const message = modelProtoType.decode(bytes);
  return modelProtoType.toObject(message, { longs: Number, bytes: Array, defaults: false, arrays: true });
}

/** Little-endian IEEE doubles, as TensorProto.raw_data of a DOUBLE tensor holds them. */
export function float64ToLittleEndian(values: Float64Array): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((x, i) => view.setFloat64(i * 8, x, true));
  return out;
}
