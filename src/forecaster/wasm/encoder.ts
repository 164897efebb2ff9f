// Just enough of the WebAssembly binary format to write the inference kernels by hand: one
// memory imported as env.memory, functions with i32 parameters and i32/v128 locals, the
// control flow, integer, f32 and 128-bit SIMD instructions the kernels use. Spec:
// https://webassembly.github.io/spec/core/binary/ (SIMD opcodes: the 0xFD prefix table).
//
// Instructions are plain byte arrays concatenated into a function body; `forLoop` is the one
// structured helper (a counted loop is all the kernels need).

export type Code = number[];

export function uleb(value: number): Code {
  const out: Code = [];
  let n = value >>> 0;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(value: number): Code {
  const out: Code = [];
  let n = value | 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const f32Bytes = (value: number): Code => [...new Uint8Array(new Float32Array([value]).buffer)];
const vector = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
const name = (text: string): Code => [...uleb(text.length), ...new TextEncoder().encode(text)];
const section = (id: number, body: Code): Code => [id, ...uleb(body.length), ...body];

export const I32 = 0x7f;
export const V128 = 0x7b;

/** Local variable access (index counts the parameters first). */
export const get = (index: number): Code => [0x20, ...uleb(index)];
export const set = (index: number): Code => [0x21, ...uleb(index)];
export const tee = (index: number): Code => [0x22, ...uleb(index)];

export const i32 = {
  const: (value: number): Code => [0x41, ...sleb(value)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  geU: [0x4f],
};

export const f32 = {
  /** Loads a float at address + offset (4-byte aligned). */
  load: (offset = 0): Code => [0x2a, 2, ...uleb(offset)],
};

const simd = (opcode: number): Code => [0xfd, ...uleb(opcode)];

export const v128 = {
  /** Loads 16 bytes at address + offset (alignment hint 16). */
  load: (offset = 0): Code => [...simd(0x00), 4, ...uleb(offset)],
  store: (offset = 0): Code => [...simd(0x0b), 4, ...uleb(offset)],
  /** Four copies of a float constant. */
  f32x4: (value: number): Code => [...simd(0x0c), ...f32Bytes(value), ...f32Bytes(value), ...f32Bytes(value), ...f32Bytes(value)],
  /** Four copies of an integer constant. */
  i32x4: (value: number): Code => {
    const bytes = [...new Uint8Array(new Int32Array([value]).buffer)];
    return [...simd(0x0c), ...bytes, ...bytes, ...bytes, ...bytes];
  },
};

export const f32x4 = {
  splat: simd(0x13),
  nearest: simd(0x6a),
  neg: simd(0xe1),
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
  min: simd(0xe8),
  max: simd(0xe9),
  convertI32x4S: simd(0xfa),
};

export const i32x4 = {
  shl: simd(0xab),
  add: simd(0xae),
  truncSatF32x4S: simd(0xf8),
};

/**
 * for (counter = start; counter < limit; counter += step) body
 * `limit` is code that pushes the bound (an i32); the body may contain other loops but no
 * branches of its own.
 */
export function forLoop(counter: number, start: Code, limit: Code, step: number, body: Code): Code {
  return [
    ...start, ...set(counter),
    0x02, 0x40, // block
    0x03, 0x40, //   loop
    ...get(counter), ...limit, ...i32.geU, 0x0d, 1, // br_if to the block's end when counter >= limit
    ...body,
    ...get(counter), ...i32.const(step), ...i32.add, ...set(counter),
    0x0c, 0, // br to the loop's start
    0x0b, // end loop
    0x0b, // end block
  ];
}

export interface FunctionSpec {
  name: string;
  /** Number of i32 parameters. */
  params: number;
  i32Locals: number;
  v128Locals: number;
  body: Code;
}

/** A module importing env.memory (at least `minPages` 64 KiB pages) and exporting `functions`. */
export function encodeModule(functions: FunctionSpec[], minPages: number): Uint8Array {
  const types = functions.map((f) => [0x60, ...vector(Array.from({ length: f.params }, () => [I32])), 0x00]);
  const imports = [[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(minPages)]];
  const declared = functions.map((_, i) => uleb(i));
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => {
    const locals = vector([
      [...uleb(f.i32Locals), I32],
      [...uleb(f.v128Locals), V128],
    ]);
    const code = [...locals, ...f.body, 0x0b];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(declared)),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
