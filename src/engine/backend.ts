// The kernels the engine is built from, behind one small interface so that a faster
// implementation (the native addon) can replace the readable reference one without touching the
// layers. This file is the interface only; the implementations and the choice between them
// (engine.backend) live in backends/index.ts. The interface stays at the level of kernels
// (matrix products, the LSTM cell's pointwise step, the convolution): layers own the buffers and
// the order of operations, backends only do arithmetic. One optional exception, createNetwork(): a backend whose calls
// cost more than the arithmetic of one kernel (the native addon) may run the whole network in
// one call per batch; CnnLstmModel then uses it for float32 models.
//
// Conventions every backend follows:
// - Matrices are dense, row-major, with shapes given in the comments as [rows, cols].
// - `accumulate: true` adds the result into `out`, `false` overwrites it.
// - Sums are accumulated in float64 and stored once into the (float32) output, which keeps
//   results within float32 rounding of PyTorch's.
// - The float64 path (`supportsFloat64`) exists for gradient checking; a backend that only
//   handles float32 says so and the engine falls back to the reference backend for float64.

import type { ModelShape } from "./model-shape.js";

export type FloatArray = Float32Array | Float64Array;

/** The model's shape as a fused network needs it (ModelShape plus the convolution kernel size). */
export type NetworkShape = ModelShape & { kernelSize: number };

/**
 * The whole CNN+LSTM in one call per batch, on the parameters of a ParameterSet laid out as
 * parameterLayout() says (float32). Holds the activations of its last training forward.
 */
export interface FusedNetwork {
  /** Number of parameters it expects (must equal the ParameterSet's size). */
  readonly parameterCount: number;
  /**
   * y[batch, O] = network(x[batch, F, T]). keepForBackward keeps the activations for backward();
   * false (inference) leaves those of the last training forward alone.
   */
  forward(params: Float32Array, x: Float32Array, batch: number, y: Float32Array, keepForBackward: boolean): void;
  /** grad += dLoss/dparams and dInput[batch, F, T] = dLoss/dx for the last forward(…, true), given dOut[batch, O]. */
  backward(params: Float32Array, grad: Float32Array, dOut: Float32Array, dInput: Float32Array): void;
}

/** Adam's moment and parameter update (after clipping), as src/engine/adam.ts step() computes it. */
export interface AdamUpdateArgs {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** lr / (1 - beta1^step) */
  stepSize: number;
  /** sqrt(1 - beta2^step) */
  correction2Sqrt: number;
}

export interface Backend {
  readonly name: string;
  readonly supportsFloat64: boolean;

  /** A zeroed float32 buffer this backend can work on without copying (e.g. in WASM memory). */
  alloc(length: number): Float32Array;

  /** out[M,N] (=|+=) a[M,K] · b[K,N] */
  matmul(out: FloatArray, a: FloatArray, b: FloatArray, M: number, K: number, N: number, accumulate: boolean): void;
  /** out[M,N] (=|+=) a[M,K] · b[N,K]ᵀ   (x · Wᵀ with W stored [out_features, in_features]) */
  matmulBt(out: FloatArray, a: FloatArray, b: FloatArray, M: number, K: number, N: number, accumulate: boolean): void;
  /** out[M,N] (=|+=) a[K,M]ᵀ · b[K,N]   (weight gradients: dYᵀ · X) */
  matmulAt(out: FloatArray, a: FloatArray, b: FloatArray, M: number, K: number, N: number, accumulate: boolean): void;

  /** out[M,N] += v[N] on every row (bias add) */
  addRowVector(out: FloatArray, v: FloatArray, M: number, N: number): void;
  /** out[N] += Σ_m a[m,N] (bias gradient) */
  sumRows(out: FloatArray, a: FloatArray, M: number, N: number): void;

  /** x[n] = max(x[n], 0) in place */
  reluForward(x: FloatArray, n: number): void;
  /** d[n] = out[n] > 0 ? d[n] : 0 in place (out is the ReLU output) */
  reluBackward(d: FloatArray, out: FloatArray, n: number): void;

  /**
   * out[T',B,C] = bias[C] + conv(x[B,F,T], w[C,F,K]), stride 1, no padding, T' = T-K+1.
   * The output is time-major so each LSTM step reads one contiguous [B, C] block.
   */
  conv1dForward(out: FloatArray, x: FloatArray, w: FloatArray, bias: FloatArray, B: number, F: number, T: number, C: number, K: number): void;
  /** Adds into dx[B,F,T], dw[C,F,K], dbias[C] the gradients of conv1dForward given dOut[T',B,C]. */
  conv1dBackward(
    dx: FloatArray,
    dw: FloatArray,
    dbias: FloatArray,
    dOut: FloatArray,
    x: FloatArray,
    w: FloatArray,
    B: number,
    F: number,
    T: number,
    C: number,
    K: number,
  ): void;

  /**
   * One LSTM time step after the gate pre-activations are known (gate order i, f, g, o).
   * gates[B,4H]: pre-activations in, activations out (in place); cPrev[B,H] -> c[B,H], h[B,H];
   * tanhC[B,H] keeps tanh(c) for the backward pass.
   */
  lstmCellForward(gates: FloatArray, cPrev: FloatArray, c: FloatArray, h: FloatArray, tanhC: FloatArray, B: number, H: number): void;
  /**
   * Gradient of lstmCellForward. Reads acts[B,4H] (activated gates), cPrev, tanhC, dH[B,H]
   * (gradient w.r.t. h) and dC[B,H] (gradient w.r.t. c from the next step); writes
   * dGates[B,4H] (gradient w.r.t. the pre-activations) and replaces dC with the gradient
   * w.r.t. cPrev.
   */
  lstmCellBackward(dGates: FloatArray, acts: FloatArray, cPrev: FloatArray, tanhC: FloatArray, dH: FloatArray, dC: FloatArray, B: number, H: number): void;

  /** Optional: the whole network per call (see FusedNetwork); float32 only. */
  createNetwork?(shape: NetworkShape): FusedNetwork;
  /** Optional: Adam's update on float32 arrays, bit for bit the TypeScript loop's result. */
  adamUpdate?(p: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, args: AdamUpdateArgs): void;
}
