// The CNN+LSTM forecaster, layer for layer the PyTorch CNNLSTMForecastModel:
//   x [B, F, T] -> relu(conv1d) [T', B, C] -> LSTM × L (hidden H) -> h_{T'-1} of the last layer
//   [B, H] -> linear -> y [B, O]          (T' = T - 2, PyTorch's transpose(1, 2) is implicit)
// Parameter names and order are PyTorch's named_parameters(), so a state_dict maps 1:1.
//
// A float32 model on a backend with createNetwork() (the native one) runs forward,
// backward and predict as one call per batch on the same parameter buffers; otherwise the
// layers below drive the backend kernel by kernel.

import type { Backend, FloatArray, FusedNetwork } from "./backend.js";
import { activeBackend, getBackend } from "./backends/index.js";
import { conv1dReluBackward, conv1dReluForward } from "./conv1d.js";
import { CONV_KERNEL_SIZE, initializeParameters } from "./init.js";
import { linearBackward, linearForward } from "./linear.js";
import { createLstmLayerState, lstmLayerBackward, lstmLayerForward, type LstmLayerState, type LstmWeights } from "./lstm.js";
import type { ModelShape, Precision } from "./model-shape.js";
import { ParameterSet, type ParameterSpec } from "./parameters.js";

export type { ModelShape, Precision } from "./model-shape.js";

export interface ModelOptions {
  /** float64 exists for gradient checking; training and inference use float32. */
  precision?: Precision;
  /** Defaults to activeBackend() (engine.backend, src/engine/backends/index.ts). */
  backend?: Backend;
}

/** Throws a message naming the field when a shape cannot make a model. */
export function validateModelShape(shape: ModelShape): ModelShape {
  const fields: (keyof ModelShape)[] = ["windowSize", "inputSize", "convChannels", "lstmHidden", "lstmLayers", "outputSize"];
  for (const field of fields) {
    const value = shape[field];
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`Model shape: ${field} must be a positive integer, got ${String(value)}.`);
    }
  }
  if (shape.windowSize < CONV_KERNEL_SIZE) {
    throw new Error(
      `Model shape: windowSize ${shape.windowSize} is shorter than the convolution kernel (${CONV_KERNEL_SIZE}); ` +
        `use a window of at least ${CONV_KERNEL_SIZE} periods.`,
    );
  }
  return shape;
}

/** Names and shapes of every parameter, in PyTorch's named_parameters() order. */
export function parameterLayout(shape: ModelShape): ParameterSpec[] {
  validateModelShape(shape);
  const { inputSize: F, convChannels: C, lstmHidden: H, lstmLayers: L, outputSize: O } = shape;
  const layout: ParameterSpec[] = [
    { name: "conv.weight", shape: [C, F, CONV_KERNEL_SIZE] },
    { name: "conv.bias", shape: [C] },
  ];
  for (let k = 0; k < L; k++) {
    layout.push(
      { name: `lstm.weight_ih_l${k}`, shape: [4 * H, k === 0 ? C : H] },
      { name: `lstm.weight_hh_l${k}`, shape: [4 * H, H] },
      { name: `lstm.bias_ih_l${k}`, shape: [4 * H] },
      { name: `lstm.bias_hh_l${k}`, shape: [4 * H] },
    );
  }
  layout.push({ name: "fc.weight", shape: [O, H] }, { name: "fc.bias", shape: [O] });
  return layout;
}

/** Every buffer one batch size needs, allocated once and reused. */
interface Workspace<A extends FloatArray> {
  batch: number;
  x: A; // [B, F, T] copy of the input (conv backward reads it)
  conv: A; // [T', B, C] relu(conv(x))
  layers: LstmLayerState<A>[];
  y: A; // [B, O]
  dConv: A; // [T', B, C]
  dInput: A; // [B, F, T]
}

interface LayerTensors {
  conv: { w: FloatArray; b: FloatArray };
  lstm: LstmWeights[];
  fc: { w: FloatArray; b: FloatArray };
}

const MAX_CACHED_BATCH_SIZES = 4;
/** predict() runs larger batches in chunks of this many rows, so memory stays bounded. */
const PREDICT_CHUNK = 256;

export class CnnLstmModel<A extends FloatArray = Float32Array> {
  readonly shape: ModelShape;
  readonly params: ParameterSet<A>;
  readonly backend: Backend;
  readonly precision: Precision;
  private readonly alloc: (n: number) => A;
  private readonly weights: LayerTensors;
  private readonly grads: LayerTensors;
  private readonly trainWorkspaces = new Map<number, Workspace<A>>();
  private readonly inferWorkspaces = new Map<number, Workspace<A>>();
  private lastForward: Workspace<A> | null = null;
  /** The backend's whole-network path, when it has one and the model is float32. */
  private readonly fused: FusedNetwork | null;
  /** Rows of the last fused training forward (0: none). */
  private fusedBatch = 0;
  /** dLoss/dx of the last fused backward, grown to the largest batch seen. */
  private fusedInputGrad = new Float32Array(0);

  /** A float64 model for gradient checks (the reference backend when the active one is float32-only). */
  static float64(shape: ModelShape, seed: number): CnnLstmModel<Float64Array> {
    return new CnnLstmModel<Float64Array>(shape, seed, { precision: "float64" });
  }

  constructor(shape: ModelShape, seed: number, options: ModelOptions = {}) {
    this.shape = Object.freeze({ ...validateModelShape(shape) });
    this.precision = options.precision ?? "float32";
    const backend = options.backend ?? activeBackend();
    if (this.precision === "float64") {
      this.backend = backend.supportsFloat64 ? backend : getBackend("reference");
      this.alloc = (n) => new Float64Array(n) as A;
    } else {
      this.backend = backend;
      this.alloc = (n) => backend.alloc(n) as A;
    }
    this.params = new ParameterSet<A>(parameterLayout(this.shape), this.alloc);
    initializeParameters(this.params, this.shape, seed);
    this.weights = this.tensors((name) => this.params.view(name));
    this.grads = this.tensors((name) => this.params.gradView(name));
    this.fused =
      this.precision === "float32" && this.backend.createNetwork ? this.backend.createNetwork({ ...this.shape, kernelSize: CONV_KERNEL_SIZE }) : null;
    if (this.fused && this.fused.parameterCount !== this.params.size) {
      throw new Error(
        `CnnLstmModel: the ${this.backend.name} backend's network expects ${this.fused.parameterCount} parameters but the layout has ` +
          `${this.params.size}; the backend was built from other sources (rebuild it with \`node scripts/build-native.mjs\`).`,
      );
    }
  }

  /**
   * Training forward pass. x is laid out [batch, inputSize, windowSize]; returns a new array
   * [batch * outputSize] and keeps the activations for backward().
   */
  forward(x: FloatArray, batch: number): A {
    this.checkInput(x, batch, "forward");
    if (this.fused) {
      const y = new Float32Array(batch * this.shape.outputSize);
      this.fusedBatch = 0;
      this.fused.forward(this.params.data as Float32Array, asFloat32(x), batch, y, true);
      this.fusedBatch = batch;
      return y as A;
    }
    const ws = this.run(x, batch, this.trainWorkspaces);
    this.lastForward = ws;
    return ws.y.slice() as A;
  }

  /**
   * Adds into params.grad the gradient of the loss given dOut = dLoss/dy [batch * outputSize]
   * for the last forward(). The caller zeroes the gradients (params.zeroGrad()) beforehand.
   */
  backward(dOut: FloatArray): void {
    if (this.fused) return this.fusedBackward(dOut);
    const ws = this.lastForward;
    if (!ws) throw new Error("CnnLstmModel.backward() needs a forward() call first (predict() keeps no activations).");
    const { inputSize: F, windowSize: T, convChannels: C, lstmHidden: H, lstmLayers: L, outputSize: O } = this.shape;
    const B = ws.batch;
    const Tc = T - CONV_KERNEL_SIZE + 1;
    if (dOut.length !== B * O) {
      throw new Error(`CnnLstmModel.backward(): dOut has ${dOut.length} values but the last forward() produced ${B * O} (batch ${B} × outputSize ${O}).`);
    }
    const be = this.backend;
    for (const layer of ws.layers) layer.dOutput.fill(0);
    ws.dConv.fill(0);
    ws.dInput.fill(0);
    const top = ws.layers[L - 1];
    // The head only sees the last step's hidden state, so only dh_{T'-1} of the top layer is non-zero.
    linearBackward(be, top.dOutputAt[Tc - 1], this.grads.fc.w, this.grads.fc.b, dOut, top.hAt[Tc], this.weights.fc.w, B, H, O);
    for (let k = L - 1; k >= 0; k--) {
      const below = k > 0 ? ws.layers[k - 1] : null;
      const input = below ? below.output : ws.conv;
      const dInput = below ? below.dOutput : ws.dConv;
      lstmLayerBackward(be, dInput, this.grads.lstm[k], ws.layers[k], input, this.weights.lstm[k], B, Tc, below ? H : C, H);
    }
    conv1dReluBackward(be, ws.dInput, this.grads.conv.w, this.grads.conv.b, ws.dConv, ws.conv, ws.x, this.weights.conv.w, B, F, T, C, CONV_KERNEL_SIZE);
  }

  /** Gradient w.r.t. the input x [batch, inputSize, windowSize] from the last backward(). */
  inputGrad(): A {
    if (this.fused) {
      if (this.fusedBatch === 0) throw new Error("CnnLstmModel.inputGrad() needs forward() and backward() first.");
      const { inputSize: F, windowSize: T } = this.shape;
      return this.fusedInputGrad.slice(0, this.fusedBatch * F * T) as A;
    }
    if (!this.lastForward) throw new Error("CnnLstmModel.inputGrad() needs forward() and backward() first.");
    return this.lastForward.dInput.slice() as A;
  }

  /** Inference: same output as forward(), without disturbing the activations kept for backward(). */
  predict(x: FloatArray, batch: number): A {
    this.checkInput(x, batch, "predict");
    if (batch <= PREDICT_CHUNK) {
      if (!this.fused) return this.run(x, batch, this.inferWorkspaces).y.slice() as A;
      const y = new Float32Array(batch * this.shape.outputSize);
      this.fused.forward(this.params.data as Float32Array, asFloat32(x), batch, y, false);
      return y as A;
    }
    const { inputSize: F, windowSize: T, outputSize: O } = this.shape;
    const out = this.alloc(batch * O);
    for (let start = 0; start < batch; start += PREDICT_CHUNK) {
      const rows = Math.min(PREDICT_CHUNK, batch - start);
      out.set(this.predict(x.subarray(start * F * T, (start + rows) * F * T), rows), start * O);
    }
    return out;
  }

  private fusedBackward(dOut: FloatArray): void {
    const fused = this.fused as FusedNetwork;
    const B = this.fusedBatch;
    if (B === 0) throw new Error("CnnLstmModel.backward() needs a forward() call first (predict() keeps no activations).");
    const { inputSize: F, windowSize: T, outputSize: O } = this.shape;
    if (dOut.length !== B * O) {
      throw new Error(`CnnLstmModel.backward(): dOut has ${dOut.length} values but the last forward() produced ${B * O} (batch ${B} × outputSize ${O}).`);
    }
    if (this.fusedInputGrad.length < B * F * T) this.fusedInputGrad = new Float32Array(B * F * T);
    fused.backward(this.params.data as Float32Array, this.params.grad as Float32Array, asFloat32(dOut), this.fusedInputGrad);
  }

  private checkInput(x: FloatArray, batch: number, caller: string): void {
    const { inputSize: F, windowSize: T } = this.shape;
    if (!Number.isInteger(batch) || batch < 1) {
      throw new Error(`CnnLstmModel.${caller}(): batch must be a positive integer, got ${batch}.`);
    }
    const expected = batch * F * T;
    if (x.length !== expected) {
      throw new Error(
        `CnnLstmModel.${caller}(): x has ${x.length} values but batch ${batch} × inputSize ${F} × windowSize ${T} ` +
          `needs ${expected}. Lay x out as [batch, inputSize, windowSize].`,
      );
    }
  }

  /** The forward pass proper, on an input already checked by checkInput(). */
  private run(x: FloatArray, batch: number, cache: Map<number, Workspace<A>>): Workspace<A> {
    const { inputSize: F, windowSize: T, convChannels: C, lstmHidden: H, lstmLayers: L, outputSize: O } = this.shape;
    const ws = this.workspace(cache, batch);
    const be = this.backend;
    const B = batch;
    const Tc = T - CONV_KERNEL_SIZE + 1;
    ws.x.set(x);
    conv1dReluForward(be, ws.conv, ws.x, this.weights.conv.w, this.weights.conv.b, B, F, T, C, CONV_KERNEL_SIZE);
    for (let k = 0; k < L; k++) {
      const input = k > 0 ? ws.layers[k - 1].output : ws.conv;
      lstmLayerForward(be, ws.layers[k], input, this.weights.lstm[k], B, Tc, k > 0 ? H : C, H);
    }
    linearForward(be, ws.y, ws.layers[L - 1].hAt[Tc], this.weights.fc.w, this.weights.fc.b, B, H, O);
    return ws;
  }

  private workspace(cache: Map<number, Workspace<A>>, batch: number): Workspace<A> {
    const found = cache.get(batch);
    if (found) return found;
    if (cache.size >= MAX_CACHED_BATCH_SIZES) {
      const oldest = cache.keys().next().value as number;
      const evicted = cache.get(oldest);
      cache.delete(oldest);
      if (evicted === this.lastForward) this.lastForward = null;
    }
    const { inputSize: F, windowSize: T, convChannels: C, lstmHidden: H, lstmLayers: L, outputSize: O } = this.shape;
    const Tc = T - CONV_KERNEL_SIZE + 1;
    const a = this.alloc;
    const training = cache === this.trainWorkspaces;
    const ws: Workspace<A> = {
      batch,
      x: a(batch * F * T),
      conv: a(Tc * batch * C),
      layers: Array.from({ length: L }, () => createLstmLayerState(a, batch, Tc, H, training)),
      y: a(batch * O),
      dConv: a(training ? Tc * batch * C : 0),
      dInput: a(training ? batch * F * T : 0),
    };
    cache.set(batch, ws);
    return ws;
  }

  private tensors(get: (name: string) => FloatArray): LayerTensors {
    return {
      conv: { w: get("conv.weight"), b: get("conv.bias") },
      lstm: Array.from({ length: this.shape.lstmLayers }, (_, k) => ({
        wIh: get(`lstm.weight_ih_l${k}`),
        wHh: get(`lstm.weight_hh_l${k}`),
        bIh: get(`lstm.bias_ih_l${k}`),
        bHh: get(`lstm.bias_hh_l${k}`),
      })),
      fc: { w: get("fc.weight"), b: get("fc.bias") },
    };
  }
}

function asFloat32(a: FloatArray): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}
