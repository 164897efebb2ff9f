// One LSTM layer (PyTorch nn.LSTM, one layer of it, batch_first input seen time-major).
//
// Shapes: T time steps, B batch, In input features, H hidden size; gate order i, f, g, o.
//   x [T, B, In]            layer input (conv output, or the layer below's h)
//   wIh [4H, In]            lstm.weight_ih_l{k}      bIh [4H]  lstm.bias_ih_l{k}
//   wHh [4H, H]             lstm.weight_hh_l{k}      bHh [4H]  lstm.bias_hh_l{k}
// Per step t (h_{-1} = c_{-1} = 0):
//   z_t = x_t · W_ihᵀ + b_ih + h_{t-1} · W_hhᵀ + b_hh           [B, 4H]
//   i, f, o = σ(z_i, z_f, z_o);  g = tanh(z_g)
//   c_t = f ⊙ c_{t-1} + i ⊙ g;   h_t = o ⊙ tanh(c_t)
//
// The input projection x · W_ihᵀ does not depend on the recurrence, so it runs as one product
// over all T·B rows; only h · W_hhᵀ runs per step. The backward pass mirrors this: per step
// only the cell and dh_{t-1}, then the weight gradients as one product over all steps.

import type { Backend, FloatArray } from "./backend.js";

export interface LstmWeights<A extends FloatArray = FloatArray> {
  wIh: A;
  wHh: A;
  bIh: A;
  bHh: A;
}

/** Buffers of one layer for one batch size, allocated once and reused every batch. */
export interface LstmLayerState<A extends FloatArray = FloatArray> {
  /** [T, B, 4H] activated gates per step (after forward). */
  gates: A;
  gatesAt: A[];
  /** [T+1, B, H]: hAt[0] is h_{-1} = 0, hAt[t+1] is h_t. */
  h: A;
  hAt: A[];
  /** h_0 … h_{T-1} as [T, B, H]: this layer's output and the next layer's input. */
  output: A;
  /** h_{-1} … h_{T-2} as [T, B, H]: what W_hh multiplied at each step. */
  hPrev: A;
  /** [T+1, B, H], same indexing as h. */
  cAt: A[];
  /** [T, B, H] tanh(c_t), kept for the backward pass. */
  tanhCAt: A[];
  /** [T, B, H] gradient w.r.t. output; the caller zeroes it and adds into it, backward consumes it. */
  dOutput: A;
  dOutputAt: A[];
  /** [T, B, 4H] gradient w.r.t. the gate pre-activations (backward scratch). */
  dGates: A;
  dGatesAt: A[];
  /** [B, H] gradient w.r.t. the cell state flowing backwards in time. */
  dC: A;
}

/** withGradients false (inference) leaves the backward buffers empty. */
export function createLstmLayerState<A extends FloatArray>(
  alloc: (n: number) => A,
  B: number,
  T: number,
  H: number,
  withGradients: boolean,
): LstmLayerState<A> {
  const gates = alloc(T * B * 4 * H);
  const h = alloc((T + 1) * B * H);
  const c = alloc((T + 1) * B * H);
  const tanhC = alloc(T * B * H);
  const gradSteps = withGradients ? T : 0;
  const dOutput = alloc(gradSteps * B * H);
  const dGates = alloc(gradSteps * B * 4 * H);
  return {
    gates,
    gatesAt: stepViews(gates, T, B * 4 * H),
    h,
    hAt: stepViews(h, T + 1, B * H),
    output: h.subarray(B * H) as A,
    hPrev: h.subarray(0, T * B * H) as A,
    cAt: stepViews(c, T + 1, B * H),
    tanhCAt: stepViews(tanhC, T, B * H),
    dOutput,
    dOutputAt: stepViews(dOutput, gradSteps, B * H),
    dGates,
    dGatesAt: stepViews(dGates, gradSteps, B * 4 * H),
    dC: alloc(withGradients ? B * H : 0),
  };
}

export function lstmLayerForward<A extends FloatArray>(
  be: Backend,
  s: LstmLayerState<A>,
  x: FloatArray,
  w: LstmWeights,
  B: number,
  T: number,
  In: number,
  H: number,
): void {
  const G = 4 * H;
  be.matmulBt(s.gates, x, w.wIh, T * B, In, G, false); // (1) z_t = x_t · W_ihᵀ, all steps at once
  be.addRowVector(s.gates, w.bIh, T * B, G); // (2) + b_ih
  be.addRowVector(s.gates, w.bHh, T * B, G); // (3) + b_hh
  for (let t = 0; t < T; t++) {
    // (4) z_t += h_{t-1} · W_hhᵀ (skipped at t = 0, where h_{-1} = 0)
    if (t > 0) be.matmulBt(s.gatesAt[t], s.hAt[t], w.wHh, B, H, G, true);
    // (5) gates, c_t, h_t
    be.lstmCellForward(s.gatesAt[t], s.cAt[t], s.cAt[t + 1], s.hAt[t + 1], s.tanhCAt[t], B, H);
  }
}

/**
 * Adds into dx [T, B, In] and the weight gradients, given s.dOutput [T, B, H] (gradient of the
 * loss w.r.t. every h_t, which this function consumes) and the state of the last forward.
 */
export function lstmLayerBackward<A extends FloatArray>(
  be: Backend,
  dx: FloatArray,
  grads: LstmWeights,
  s: LstmLayerState<A>,
  x: FloatArray,
  w: LstmWeights,
  B: number,
  T: number,
  In: number,
  H: number,
): void {
  const G = 4 * H;
  s.dC.fill(0); // the final cell state is not used by the model
  for (let t = T - 1; t >= 0; t--) {
    // from (5): dz_t, and dc_{t-1} into dC
    be.lstmCellBackward(s.dGatesAt[t], s.gatesAt[t], s.cAt[t], s.tanhCAt[t], s.dOutputAt[t], s.dC, B, H);
    // from (4): dh_{t-1} += dz_t · W_hh
    if (t > 0) be.matmul(s.dOutputAt[t - 1], s.dGatesAt[t], w.wHh, B, G, H, true);
  }
  be.matmulAt(grads.wHh, s.dGates, s.hPrev, G, T * B, H, true); // from (4): dW_hh = Σ_t dz_tᵀ · h_{t-1}
  be.sumRows(grads.bHh, s.dGates, T * B, G); // from (3)
  be.sumRows(grads.bIh, s.dGates, T * B, G); // from (2)
  be.matmulAt(grads.wIh, s.dGates, x, G, T * B, In, true); // from (1): dW_ih = Σ_t dz_tᵀ · x_t
  be.matmul(dx, s.dGates, w.wIh, T * B, G, In, true); // from (1): dx_t = dz_t · W_ih
}

/** Views of `count` consecutive blocks of `stride` elements. */
function stepViews<A extends FloatArray>(buffer: A, count: number, stride: number): A[] {
  const views: A[] = [];
  for (let i = 0; i < count; i++) views.push(buffer.subarray(i * stride, (i + 1) * stride) as A);
  return views;
}
