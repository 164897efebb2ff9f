// Two WebAssembly SIMD kernels for CNN+LSTM inference, 4 floats per instruction:
//
//   gemm(out, init, initRowStride, x, w, M, K, N)
//       out[M,N] = init[M,N] + x[M,K] · w[K,N]          (N a multiple of 32; all byte addresses)
//       initRowStride 0 broadcasts one init row (a bias) to every row; out may equal init.
//       w is the TRANSPOSE of a PyTorch weight ([in, out]), so each step reads 32 contiguous
//       outputs' weights for one input value: eight vector multiply-adds per scalar broadcast,
//       the eight sums held in registers for the whole pass over K.
//
//   lstmCell(gates, c, h, B, H)
//       gates[B,4H] pre-activations (i, f, g, o blocks) -> c[B,H] = σ(f)·c + σ(i)·tanh(g),
//       h[B,H] = σ(o)·tanh(c)                                 (H a multiple of 4)
//
// GEMM_COLUMN_MULTIPLE is the column granularity callers pad to.
//
// exp is Cephes' single-precision expf (range reduction by ln 2, degree-5 polynomial, exponent
// bits set directly): within about 2 ulp of the true value. σ(x) = 1 / (1 + e^-x) and
// tanh(x) = 2σ(2x) - 1, so the kernels agree with the float64 reference engine to ~1e-6.
import { type Code, encodeModule, f32, f32x4, forLoop, get, i32, i32x4, set, tee, v128 } from "./encoder.js";

// ---- gemm --------------------------------------------------------------------------------
// params
const OUT = 0, INIT = 1, INIT_STRIDE = 2, X = 3, W = 4, M = 5, K = 6, N = 7;
// i32 locals
const m = 8, k = 9, nb = 10, xRow = 11, wp = 12, outRow = 13, initRow = 14, o = 15, ip = 16;
// v128 locals
const ACC = [17, 18, 19, 20, 21, 22, 23, 24], XK = 25;
const COLUMNS = 4 * ACC.length; // floats per block of columns

const bytes = (code: Code): Code => [...code, ...i32.const(2), ...i32.shl]; // floats -> bytes

const gemmBody: Code = forLoop(m, i32.const(0), get(M), 1, [
  // xRow = x + m*K*4; outRow = out + m*N*4; initRow = init + m*initStride
  ...get(X), ...bytes([...get(m), ...get(K), ...i32.mul]), ...i32.add, ...set(xRow),
  ...get(OUT), ...bytes([...get(m), ...get(N), ...i32.mul]), ...i32.add, ...set(outRow),
  ...get(INIT), ...get(m), ...get(INIT_STRIDE), ...i32.mul, ...i32.add, ...set(initRow),
  ...forLoop(nb, i32.const(0), get(N), COLUMNS, [
    ...bytes(get(nb)), ...tee(o), ...get(initRow), ...i32.add, ...set(ip),
    ...get(outRow), ...get(o), ...i32.add, ...set(o),
    ...ACC.flatMap((acc, i) => [...get(ip), ...v128.load(16 * i), ...set(acc)]),
    ...get(W), ...bytes(get(nb)), ...i32.add, ...set(wp),
    ...forLoop(k, i32.const(0), get(K), 1, [
      ...get(xRow), ...bytes(get(k)), ...i32.add, ...f32.load(), ...f32x4.splat, ...set(XK),
      ...ACC.flatMap((acc, i) => [...get(acc), ...get(XK), ...get(wp), ...v128.load(16 * i), ...f32x4.mul, ...f32x4.add, ...set(acc)]),
      ...get(wp), ...bytes(get(N)), ...i32.add, ...set(wp),
    ]),
    ...ACC.flatMap((acc, i) => [...get(o), ...get(acc), ...v128.store(16 * i)]),
  ]),
]);

// ---- lstmCell -----------------------------------------------------------------------------
const GATES = 0, C = 1, H_OUT = 2, B = 3, H = 4;
const b = 5, j = 6, hBytes = 7, pg = 8, pc = 9, ph = 10;
const ZI = 11, ZF = 12, ZG = 13, ZO = 14, EX = 15, FX = 16, R = 17, CNEW = 18;

/** Pushes e^(local) for the four lanes; clobbers the local, FX and R. */
function exp(x: number): Code {
  const c = v128.f32x4;
  return [
    ...get(x), ...c(88.3762626647949), ...f32x4.min, ...c(-87.3365478515625), ...f32x4.max, ...set(x),
    ...get(x), ...c(1.44269504088896341), ...f32x4.mul, ...f32x4.nearest, ...set(FX),
    // r = x - fx·C1 - fx·C2 with C1 + C2 = ln 2 (C1 exact in float32)
    ...get(x), ...get(FX), ...c(0.693359375), ...f32x4.mul, ...f32x4.sub,
    ...get(FX), ...c(-2.12194440e-4), ...f32x4.mul, ...f32x4.sub, ...set(R),
    ...get(R), ...c(1.9875691500e-4), ...f32x4.mul, ...c(1.3981999507e-3), ...f32x4.add,
    ...get(R), ...f32x4.mul, ...c(8.3334519073e-3), ...f32x4.add,
    ...get(R), ...f32x4.mul, ...c(4.1665795894e-2), ...f32x4.add,
    ...get(R), ...f32x4.mul, ...c(1.6666665459e-1), ...f32x4.add,
    ...get(R), ...f32x4.mul, ...c(5.0000001201e-1), ...f32x4.add,
    ...get(R), ...get(R), ...f32x4.mul, ...f32x4.mul, ...get(R), ...f32x4.add, ...c(1), ...f32x4.add,
    // · 2^fx, built in the exponent bits
    ...get(FX), ...i32x4.truncSatF32x4S, ...v128.i32x4(127), ...i32x4.add, ...i32.const(23), ...i32x4.shl,
    ...f32x4.mul,
  ];
}

/** Pushes σ(local) = 1 / (1 + e^-local); clobbers EX, FX, R. */
function sigmoid(local: number): Code {
  return [...v128.f32x4(1), ...get(local), ...f32x4.neg, ...set(EX), ...exp(EX), ...v128.f32x4(1), ...f32x4.add, ...f32x4.div];
}

/** Pushes tanh(local) = 2σ(2·local) - 1; clobbers EX, FX, R. */
function tanh(local: number): Code {
  return [
    ...v128.f32x4(2),
    ...v128.f32x4(1), ...get(local), ...v128.f32x4(-2), ...f32x4.mul, ...set(EX), ...exp(EX), ...v128.f32x4(1), ...f32x4.add, ...f32x4.div,
    ...f32x4.mul, ...v128.f32x4(1), ...f32x4.sub,
  ];
}

const cellBody: Code = [
  ...bytes(get(H)), ...set(hBytes),
  ...forLoop(b, i32.const(0), get(B), 1, [
    // pg = gates + b·4H·4, pc = c + b·H·4, ph = h + b·H·4
    ...get(GATES), ...get(b), ...get(hBytes), ...i32.mul, ...i32.const(2), ...i32.shl, ...i32.add, ...set(pg),
    ...get(C), ...get(b), ...get(hBytes), ...i32.mul, ...i32.add, ...set(pc),
    ...get(H_OUT), ...get(b), ...get(hBytes), ...i32.mul, ...i32.add, ...set(ph),
    ...forLoop(j, i32.const(0), get(H), 4, [
      ...get(pg), ...v128.load(), ...set(ZI),
      ...get(pg), ...get(hBytes), ...i32.add, ...v128.load(), ...set(ZF),
      ...get(pg), ...get(hBytes), ...i32.const(1), ...i32.shl, ...i32.add, ...v128.load(), ...set(ZG),
      ...get(pg), ...get(hBytes), ...i32.const(3), ...i32.mul, ...i32.add, ...v128.load(), ...set(ZO),
      // c = σ(f)·c + σ(i)·tanh(g)
      ...sigmoid(ZF), ...get(pc), ...v128.load(), ...f32x4.mul,
      ...sigmoid(ZI), ...tanh(ZG), ...f32x4.mul, ...f32x4.add, ...set(CNEW),
      ...get(pc), ...get(CNEW), ...v128.store(),
      // h = σ(o)·tanh(c)
      ...get(ph), ...sigmoid(ZO), ...tanh(CNEW), ...f32x4.mul, ...v128.store(),
      ...get(pg), ...i32.const(16), ...i32.add, ...set(pg),
      ...get(pc), ...i32.const(16), ...i32.add, ...set(pc),
      ...get(ph), ...i32.const(16), ...i32.add, ...set(ph),
    ]),
  ]),
];

// The few WebAssembly JS API members used here, typed locally: the project's TypeScript libs
// (ES2023 + Node) do not declare the WebAssembly namespace.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export const GEMM_COLUMN_MULTIPLE = COLUMNS;

export interface Kernels {
  memory: WasmMemory;
  gemm(out: number, init: number, initRowStride: number, x: number, w: number, M: number, K: number, N: number): void;
  lstmCell(gates: number, c: number, h: number, B: number, H: number): void;
}

let compiled: object | undefined;

/** The compiled module (once per process); undefined when this runtime lacks WebAssembly SIMD. */
export function kernelModule(): object | undefined {
  if (compiled) return compiled;
  if (!wasm) return undefined;
  const binary = encodeModule(
    [
      { name: "gemm", params: 8, i32Locals: 9, v128Locals: ACC.length + 1, body: gemmBody },
      { name: "lstmCell", params: 5, i32Locals: 6, v128Locals: 8, body: cellBody },
    ],
    1,
  );
  try {
    compiled = new wasm.Module(binary);
  } catch {
    return undefined;
  }
  return compiled;
}

/** An instance with its own memory of `pages` 64 KiB pages (grown by the caller as needed). */
export function instantiateKernels(pages: number): Kernels | undefined {
  const module = kernelModule();
  if (!module || !wasm) return undefined;
  const memory = new wasm.Memory({ initial: pages });
  const instance = new wasm.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as Omit<Kernels, "memory">;
  return { memory, gemm: exports.gemm, lstmCell: exports.lstmCell };
}
