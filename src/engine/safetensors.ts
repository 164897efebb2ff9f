// The safetensors file format (https://github.com/huggingface/safetensors), F32 only:
//
//   [u64 little-endian N][N bytes of JSON header, space-padded to a multiple of 8][raw data]
//   header = { "__metadata__": {string: string},
//              "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, ... }
//
// Offsets are relative to the start of the raw data; tensors tile it with no gap or overlap.
// Files written here load with `safetensors.torch.load_file` and with the Rust reader, and the
// reader below refuses anything that reader would refuse, so a truncated or hand-edited file
// is an error naming the file and the problem, never garbage weights.
import { readFile } from "node:fs/promises";

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsContents {
  /** Tensors in file order (ascending data offset). */
  tensors: NamedTensor[];
  metadata: Record<string, string>;
}

/** Every problem found in a safetensors file; the message starts with the file it came from. */
export class SafetensorsError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = "SafetensorsError";
  }
}

const HEADER_LENGTH_BYTES = 8;
// Same limit as the reference Rust reader: a bigger header means a corrupt length field.
const MAX_HEADER_BYTES = 100_000_000;
const F32_BYTES = 4;
const METADATA_KEY = "__metadata__";
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function float32ToLittleEndianBytes(data: Float32Array, target: Uint8Array, offset: number): void {
  if (HOST_IS_LITTLE_ENDIAN) {
    target.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset + offset, data.byteLength);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * F32_BYTES, data[i], true);
}

/** Float32 little-endian bytes of `values` (a copy; float64 values are rounded to float32). */
export function float32ToLittleEndian(values: Float32Array | Float64Array): Uint8Array {
  const data = values instanceof Float32Array ? values : Float32Array.from(values);
  const out = new Uint8Array(data.byteLength);
  float32ToLittleEndianBytes(data, out, 0);
  return out;
}

function littleEndianBytesToFloat32(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  // Copy rather than alias: the source offset need not be 4-byte aligned.
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + count * F32_BYTES));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * F32_BYTES);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * F32_BYTES, true);
  return out;
}

/** Serialises tensors (kept in the given order) and string metadata into one safetensors buffer. */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = { ...metadata };
  let dataBytes = 0;
  for (const tensor of tensors) {
    if (tensor.name === METADATA_KEY || tensor.name in header) {
      throw new Error(`safetensors: tensor name "${tensor.name}" is reserved or used twice`);
    }
    if (!tensor.shape.every((dim) => isNonNegativeInteger(dim))) {
      throw new Error(`safetensors: tensor "${tensor.name}" has an invalid shape [${tensor.shape.join(", ")}]`);
    }
    if (elementCount(tensor.shape) !== tensor.data.length) {
      throw new Error(
        `safetensors: tensor "${tensor.name}" has shape [${tensor.shape.join(", ")}] ` +
          `(${elementCount(tensor.shape)} values) but ${tensor.data.length} values`,
      );
    }
    const begin = dataBytes;
    dataBytes += tensor.data.length * F32_BYTES;
    header[tensor.name] = { dtype: "F32", shape: [...tensor.shape], data_offsets: [begin, dataBytes] };
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const paddedLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(HEADER_LENGTH_BYTES + paddedLength + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(paddedLength), true);
  out.set(json, HEADER_LENGTH_BYTES);
  out.fill(0x20, HEADER_LENGTH_BYTES + json.length, HEADER_LENGTH_BYTES + paddedLength);
  let offset = HEADER_LENGTH_BYTES + paddedLength;
  for (const tensor of tensors) {
    float32ToLittleEndianBytes(tensor.data, out, offset);
    offset += tensor.data.byteLength;
  }
  return out;
}

interface HeaderEntry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeaderEntry(source: string, name: string, raw: unknown): HeaderEntry {
  const fail = (problem: string): never => {
    throw new SafetensorsError(source, `tensor "${name}": ${problem}`);
  };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail("header entry is not an object");
  const info = raw as Record<string, unknown>;
  if (info.dtype !== "F32") {
    fail(`dtype is ${JSON.stringify(info.dtype)}; salescast reads only F32 (float32) tensors`);
  }
  const shape = info.shape;
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) {
    fail(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  const offsets = info.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger)) {
    fail(`data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
  }
  const [begin, end] = offsets as number[];
  if (end < begin) fail(`data_offsets [${begin}, ${end}] end before they begin`);
  const expectedBytes = elementCount(shape as number[]) * F32_BYTES;
  if (end - begin !== expectedBytes) {
    fail(`shape [${(shape as number[]).join(", ")}] needs ${expectedBytes} bytes but data_offsets span ${end - begin}`);
  }
  return { name, shape: shape as number[], begin, end };
}

function parseMetadata(source: string, raw: unknown): Record<string, string> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new SafetensorsError(source, `${METADATA_KEY} is not an object of strings`);
  }
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== "string") {
      throw new SafetensorsError(source, `${METADATA_KEY}.${key} is ${JSON.stringify(value)}, not a string`);
    }
  }
  return { ...(raw as Record<string, string>) };
}

/** Parses and validates a safetensors buffer. `source` (usually the file path) prefixes every error. */
export function decodeSafetensors(bytes: Uint8Array, source = "<buffer>"): SafetensorsContents {
  if (bytes.length < HEADER_LENGTH_BYTES) {
    throw new SafetensorsError(source, `file is ${bytes.length} bytes, too short to hold the 8-byte header length (truncated?)`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - HEADER_LENGTH_BYTES)) {
    throw new SafetensorsError(
      source,
      `header length ${headerLength} exceeds the ${bytes.length - HEADER_LENGTH_BYTES} bytes after the length field (truncated or not a safetensors file)`,
    );
  }
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(source, `header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit (corrupt length field)`);
  }
  const dataStart = HEADER_LENGTH_BYTES + Number(headerLength);
  let header: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(HEADER_LENGTH_BYTES, dataStart));
    header = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(source, `header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new SafetensorsError(source, "header is not a JSON object");
  }

  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(source, raw);
    else entries.push(parseHeaderEntry(source, name, raw));
  }

  // Tensors must tile the data section exactly: sorted by offset, each starting where the last ended.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const entry of entries) {
    if (entry.begin !== expectedBegin) {
      throw new SafetensorsError(
        source,
        `tensor "${entry.name}" starts at data offset ${entry.begin}, expected ${expectedBegin} (offsets must be contiguous, no gaps or overlaps)`,
      );
    }
    expectedBegin = entry.end;
  }
  const dataBytes = bytes.length - dataStart;
  if (expectedBegin !== dataBytes) {
    const detail =
      expectedBegin > dataBytes
        ? `tensors need ${expectedBegin} bytes of data but the file holds ${dataBytes} (truncated?)`
        : `the file holds ${dataBytes} bytes of data but tensors use only ${expectedBegin} (trailing bytes)`;
    throw new SafetensorsError(source, detail);
  }

  const tensors = entries.map((entry) => ({
    name: entry.name,
    shape: entry.shape,
    data: littleEndianBytesToFloat32(bytes, dataStart + entry.begin, (entry.end - entry.begin) / F32_BYTES),
  }));
  return { tensors, metadata };
}

/** Reads and validates a safetensors file; a missing file is an error naming the path. */
export async function readSafetensorsFile(path: string): Promise<SafetensorsContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SafetensorsError(path, code === "ENOENT" ? "file not found" : `cannot read (${(error as Error).message})`);
  }
  return decodeSafetensors(bytes, path);
}
