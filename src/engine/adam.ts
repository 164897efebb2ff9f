// Adam exactly as torch.optim.Adam (PyTorch 1.13, amsgrad off): bias-corrected moments,
// eps added after the square root, weight decay added to the gradient (L2, not AdamW).
// Optional clipping by global gradient norm runs first, as clip_grad_norm_ before step().
// The moments are one flat array each, parallel to params.data.
// On float32 parameters the active backend's adamUpdate() (native) runs the same loop when it
// has one; it computes the same operations in the same order, so the result is identical.

import type { AdamUpdateArgs, Backend, FloatArray } from "./backend.js";
import { activeBackend } from "./backends/index.js";
import { clipGradNorm } from "./clip.js";
import type { ParameterSet } from "./parameters.js";

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Clip the global gradient norm to this value before each step; undefined or 0 = off. */
  clipNorm?: number;
  /** Whose adamUpdate() to use on float32 parameters (default: the active backend; none: the TypeScript loop). */
  backend?: Backend;
}

export interface AdamState {
  stepCount: number;
  firstMoment: Float32Array | Float64Array;
  secondMoment: Float32Array | Float64Array;
}

export class Adam<A extends FloatArray = Float32Array> {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly clipNorm: number;
  readonly firstMoment: A;
  readonly secondMoment: A;
  /** Steps taken so far (PyTorch's state["step"]). */
  stepCount = 0;
  /** Global gradient norm seen by the last step when clipping is on, else null. */
  lastGradNorm: number | null = null;
  private readonly nativeUpdate: Backend["adamUpdate"];

  constructor(
    private readonly params: ParameterSet<A>,
    options: AdamOptions,
  ) {
    this.lr = checkOption("lr", options.lr, (v) => v > 0, "a positive number such as 0.001");
    this.beta1 = checkOption("beta1", options.beta1 ?? 0.9, (v) => v >= 0 && v < 1, "in [0, 1)");
    this.beta2 = checkOption("beta2", options.beta2 ?? 0.999, (v) => v >= 0 && v < 1, "in [0, 1)");
    this.eps = checkOption("eps", options.eps ?? 1e-8, (v) => v >= 0, "a non-negative number");
    this.weightDecay = checkOption("weightDecay", options.weightDecay ?? 0, (v) => v >= 0, "a non-negative number (0 = off)");
    this.clipNorm = checkOption("clipNorm", options.clipNorm ?? 0, (v) => v >= 0, "a non-negative number (0 = off)");
    const make = (): A => (params.data instanceof Float64Array ? new Float64Array(params.size) : new Float32Array(params.size)) as A;
    this.firstMoment = make();
    this.secondMoment = make();
    this.nativeUpdate = params.data instanceof Float32Array ? (options.backend ? options.backend.adamUpdate : optionalNativeUpdate()) : undefined;
  }

  /** One update of params.data from params.grad (which clipping may scale in place). */
  step(): void {
    const { data: p, grad } = this.params;
    if (this.clipNorm > 0) this.lastGradNorm = clipGradNorm(grad, this.clipNorm);
    this.stepCount += 1;
    const { beta1, beta2, eps, weightDecay } = this;
    const m = this.firstMoment;
    const v = this.secondMoment;
    const stepSize = this.lr / (1 - beta1 ** this.stepCount);
    const correction2Sqrt = Math.sqrt(1 - beta2 ** this.stepCount);
    if (this.nativeUpdate) {
      const args: AdamUpdateArgs = { beta1, beta2, eps, weightDecay, stepSize, correction2Sqrt };
      this.nativeUpdate(p as Float32Array, grad as Float32Array, m as Float32Array, v as Float32Array, args);
      return;
    }
    for (let i = 0; i < p.length; i++) {
      const g = weightDecay === 0 ? grad[i] : grad[i] + weightDecay * p[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const denom = Math.sqrt(v[i]) / correction2Sqrt + eps;
      p[i] -= (stepSize * m[i]) / denom;
    }
  }

  /** A copy of the optimiser state (for checkpoints). */
  state(): AdamState {
    return { stepCount: this.stepCount, firstMoment: this.firstMoment.slice(), secondMoment: this.secondMoment.slice() };
  }

  /** Restores a state produced by state() for the same parameter layout. */
  loadState(state: AdamState): void {
    const n = this.firstMoment.length;
    if (state.firstMoment.length !== n || state.secondMoment.length !== n) {
      throw new Error(
        `Adam.loadState: the saved moments have ${state.firstMoment.length}/${state.secondMoment.length} values but the model has ${n} parameters; ` +
          "the optimiser state belongs to a model of another shape.",
      );
    }
    if (!Number.isInteger(state.stepCount) || state.stepCount < 0) {
      throw new Error(`Adam.loadState: stepCount must be a non-negative integer, got ${state.stepCount}.`);
    }
    this.firstMoment.set(state.firstMoment);
    this.secondMoment.set(state.secondMoment);
    this.stepCount = state.stepCount;
  }
}

/** The active backend's adamUpdate, if any (an unusable engine.backend is reported by the model, not here). */
function optionalNativeUpdate(): Backend["adamUpdate"] {
  try {
    return activeBackend().adamUpdate;
  } catch {
    return undefined;
  }
}

function checkOption(name: string, value: number, ok: (v: number) => boolean, expected: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
    throw new Error(`Adam: ${name} must be ${expected}, got ${String(value)}.`);
  }
  return value;
}
