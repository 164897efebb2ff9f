// Inference-only CNN+LSTM on the WebAssembly SIMD kernels (wasm/kernels.ts): the same
// function as CnnLstmModel.predict, in float32 arithmetic, several times faster than the
// engine's readable reference backend. The engine stays the reference: tests check this
// against it on random models (tests/forecaster/fast-model.test.ts).
//
// Layout in the kernel memory (byte offsets, 16-aligned), for L layers, hidden size H padded
// to Hp (so that G = 4·Hp is a multiple of the gemm's column block; the padded units have zero
// weights and biases, so they stay exactly 0 and change nothing), T' = window - 2 and a batch
// capacity Bc:
//   per layer: wIhT [In, G], wHhT [Hp, G], bias [G] (= b_ih + b_hh)        (In = C, then Hp)
//   conv [T', Bc, C]      relu(conv1d(x)), time-major like the engine
//   proj [T', Bc, G]      x_t·W_ihᵀ + b, then in place the gates of each step
//   out  2 × [T', Bc, Hp] h_t of each layer (ping-pong between layers)
//   c    [Bc, Hp]
import { CONV_KERNEL_SIZE } from "../engine/init.js";
import type { CnnLstmModel, ModelShape } from "../engine/model.js";
import { GEMM_COLUMN_MULTIPLE, instantiateKernels, kernelModule, type Kernels } from "./wasm/kernels.js";

const PAGE = 65536;
const align = (n: number) => Math.ceil(n / 16) * 16;

/** Why a model cannot run on the fast path, or undefined when it can. */
export function fastPathProblem(shape: ModelShape): string | undefined {
  if (shape.inputSize !== 1) return `inputSize ${shape.inputSize} (the fast path reads one series)`;
  if (shape.outputSize !== 1) return `outputSize ${shape.outputSize} (the fast path forecasts one value)`;
  if (kernelModule() === undefined) return "this JavaScript runtime has no WebAssembly SIMD";
  return undefined;
}

interface LayerPointers {
  wIhT: number;
  wHhT: number;
  bias: number;
  inputSize: number;
}

export class FastCnnLstm {
  readonly shape: ModelShape;
  private readonly kernels: Kernels;
  private readonly hp: number;
  private readonly layers: LayerPointers[];
  private readonly convW: Float32Array;
  private readonly convB: Float32Array;
  private readonly fcW: Float32Array;
  private readonly fcB: number;
  private readonly workspaceStart: number;
  private capacity = 0;
  private ws!: { conv: number; proj: number; out: [number, number]; c: number };
  private f32!: Float32Array;

  /** A copy of the model's current weights (later changes to the model are not seen). */
  static from(model: CnnLstmModel): FastCnnLstm | undefined {
    if (fastPathProblem(model.shape) !== undefined) return undefined;
    return new FastCnnLstm(model);
  }

  private constructor(model: CnnLstmModel) {
    this.shape = model.shape;
    const { convChannels: C, lstmHidden: H, lstmLayers: L } = model.shape;
    const unit = GEMM_COLUMN_MULTIPLE / 4;
    const hp = (this.hp = Math.ceil(H / unit) * unit);
    const G = 4 * hp;
    let offset = 0;
    const reserve = (floats: number) => {
      const at = offset;
      offset = align(offset + floats * 4);
      return at;
    };
    this.layers = Array.from({ length: L }, (_, k) => {
      const inputSize = k === 0 ? C : hp;
      return { inputSize, wIhT: reserve(inputSize * G), wHhT: reserve(hp * G), bias: reserve(G) };
    });
    this.workspaceStart = offset;
    const kernels = instantiateKernels(Math.max(1, Math.ceil(offset / PAGE)));
    if (!kernels) throw new Error("WebAssembly SIMD is not available");
    this.kernels = kernels;
    this.f32 = new Float32Array(kernels.memory.buffer);

    const p = model.params;
    for (let k = 0; k < L; k++) {
      const layer = this.layers[k];
      const realIn = k === 0 ? C : H;
      const wIh = p.view(`lstm.weight_ih_l${k}`); // [4H, In]
      const wHh = p.view(`lstm.weight_hh_l${k}`); // [4H, H]
      const bIh = p.view(`lstm.bias_ih_l${k}`);
      const bHh = p.view(`lstm.bias_hh_l${k}`);
      const wIhT = this.view(layer.wIhT, layer.inputSize * G);
      const wHhT = this.view(layer.wHhT, hp * G);
      const bias = this.view(layer.bias, G);
      for (let gate = 0; gate < 4; gate++) {
        for (let u = 0; u < H; u++) {
          const row = gate * H + u; // engine row: gate block of H units
          const col = gate * hp + u; // kernel column: gate block of Hp units
          for (let i = 0; i < realIn; i++) wIhT[i * G + col] = wIh[row * realIn + i];
          for (let i = 0; i < H; i++) wHhT[i * G + col] = wHh[row * H + i];
          bias[col] = bIh[row] + bHh[row];
        }
      }
    }
    this.convW = Float32Array.from(p.view("conv.weight")); // [C, 1, 3]
    this.convB = Float32Array.from(p.view("conv.bias"));
    this.fcW = Float32Array.from(p.view("fc.weight")); // [1, H]
    this.fcB = p.view("fc.bias")[0];
  }

  /** x laid out [batch, windowSize] (normalised values); returns one value per window. */
  predict(x: Float32Array, batch: number): Float32Array {
    const { windowSize: T, convChannels: C, lstmHidden: H, lstmLayers: L } = this.shape;
    if (!Number.isInteger(batch) || batch < 1 || x.length !== batch * T) {
      throw new Error(`FastCnnLstm.predict(): x has ${x.length} values, expected batch ${batch} × windowSize ${T}`);
    }
    this.ensureCapacity(batch);
    const hp = this.hp;
    const G = 4 * hp;
    const Tc = T - CONV_KERNEL_SIZE + 1;
    const { kernels, ws } = this;
    const f32 = this.f32;

    // conv1d + ReLU, time-major [T', B, C]
    const w = this.convW;
    const bias = this.convB;
    let at = ws.conv / 4;
    for (let t = 0; t < Tc; t++) {
      for (let b = 0; b < batch; b++) {
        const x0 = x[b * T + t], x1 = x[b * T + t + 1], x2 = x[b * T + t + 2];
        for (let ch = 0; ch < C; ch++) {
          const v = bias[ch] + w[ch * 3] * x0 + w[ch * 3 + 1] * x1 + w[ch * 3 + 2] * x2;
          f32[at++] = v > 0 ? v : 0;
        }
      }
    }

    let input = ws.conv;
    for (let k = 0; k < L; k++) {
      const layer = this.layers[k];
      const out = ws.out[k % 2];
      kernels.gemm(ws.proj, layer.bias, 0, input, layer.wIhT, Tc * batch, layer.inputSize, G);
      f32.fill(0, ws.c / 4, ws.c / 4 + batch * hp);
      for (let t = 0; t < Tc; t++) {
        const gates = ws.proj + t * batch * G * 4;
        const h = out + t * batch * hp * 4;
        if (t > 0) kernels.gemm(gates, gates, G * 4, h - batch * hp * 4, layer.wHhT, batch, hp, G);
        kernels.lstmCell(gates, ws.c, h, batch, hp);
      }
      input = out;
    }

    // fc on the last step's hidden state of the top layer
    const last = (input + (Tc - 1) * batch * hp * 4) / 4;
    const y = new Float32Array(batch);
    for (let b = 0; b < batch; b++) {
      let sum = this.fcB;
      const row = last + b * hp;
      for (let u = 0; u < H; u++) sum += this.fcW[u] * f32[row + u];
      y[b] = sum;
    }
    return y;
  }

  private view(byteOffset: number, length: number): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, byteOffset, length);
  }

  private ensureCapacity(batch: number): void {
    if (batch <= this.capacity) return;
    const capacity = Math.max(batch, this.capacity * 2, 8);
    const { windowSize: T, convChannels: C } = this.shape;
    const Tc = T - CONV_KERNEL_SIZE + 1;
    const hp = this.hp;
    let offset = this.workspaceStart;
    const reserve = (floats: number) => {
      const at = offset;
      offset = align(offset + floats * 4);
      return at;
    };
    this.ws = {
      conv: reserve(Tc * capacity * C),
      proj: reserve(Tc * capacity * 4 * hp),
      out: [reserve(Tc * capacity * hp), reserve(Tc * capacity * hp)],
      c: reserve(capacity * hp),
    };
    const memory = this.kernels.memory;
    const missing = offset - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
    this.f32 = new Float32Array(memory.buffer);
    this.capacity = capacity;
  }
}
