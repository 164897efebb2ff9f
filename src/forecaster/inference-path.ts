// Which code computes a served forecast, decided in this one place for every model a server
// loads. Three paths compute the same function (tests/forecaster/inference-path.test.ts checks
// them against each other to float32 rounding):
//
//   native  the engine's CnnLstmModel.predict on the native backend ("fast", a C++ Node-API
//           addon behind src/engine/backend.ts), any model shape
//   wasm    FastCnnLstm (fast-model.ts), WebAssembly SIMD, one input and one output per period
//   engine  CnnLstmModel.predict on the model's own backend (SALESCAST_BACKEND): always works
//
// "fast" (the default) takes the first of PREFERENCE that this model and process allow;
// "reference" always takes the engine. The order comes from `npm run bench:engine` (README,
// Benchmarks; 2026-11-26, reference shape): one window p50 29-34 µs native, 64-69 µs WebAssembly,
// 460-820 µs reference engine; a batch of 256 at 51,000-92,000 windows/s native, 14,700
// WebAssembly, 1,300-1,700 reference engine.
//
// ONNX Runtime (the model's ONNX export, onnxruntime-node) is measured by the same bench but is
// not a path here. For one window, what /api/predict answers, it is about twice as slow as the
// native path (p50 63-74 µs; each call goes through a Promise). For batches of 4 and more it is
// ahead (2 threads, batch 256: 115,000 windows/s), but taking it would make a 45 MB native
// library (288 MB with every platform) a production dependency and the forecaster's batch path
// asynchronous; the native backend's batched kernel is the place to close that gap.
import { availableBackends, getBackend, type Backend } from "../engine/backend.js";
import { CnnLstmModel } from "../engine/model.js";
import { FastCnnLstm, fastPathProblem } from "./fast-model.js";

export type PredictorKind = "native" | "wasm" | "engine";

/** "fast": the fastest path available; "reference": always the engine (config app.inference). */
export type InferencePreference = "fast" | "reference";

export const NATIVE_BACKEND = "fast";
export const PREFERENCE: readonly PredictorKind[] = ["native", "wasm", "engine"];

export interface Predictor {
  readonly kind: PredictorKind;
  /** x [batch, inputSize, windowSize] normalised -> [batch, outputSize] normalised. */
  predict(x: Float32Array, batch: number): Float32Array;
  /** Why each faster path was not taken (empty when the first choice was). */
  readonly passedOver: ReadonlyArray<{ kind: PredictorKind; reason: string }>;
}

export interface PredictorOptions {
  /** Default "fast". */
  inference?: InferencePreference;
  /**
   * The native backend or why there is none; defaults to the engine's registry
   * (nativeBackend()). Tests pass their own to exercise every fallback.
   */
  native?: () => Backend | string;
}

/** The registered native backend, or why it cannot be used in this process. */
export function nativeBackend(): Backend | string {
  if (!availableBackends().includes(NATIVE_BACKEND)) {
    return `no "${NATIVE_BACKEND}" engine backend is registered (available: ${availableBackends().join(", ")})`;
  }
  try {
    return getBackend(NATIVE_BACKEND);
  } catch (error) {
    return `the "${NATIVE_BACKEND}" backend failed to load: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The predictor a forecaster answers with. It holds its own copy of the weights where a path
 * needs one (native, wasm), so later changes to `model` are not seen: load, then choose.
 */
export function choosePredictor(model: CnnLstmModel, options: PredictorOptions = {}): Predictor {
  const passedOver: Array<{ kind: PredictorKind; reason: string }> = [];
  if ((options.inference ?? "fast") === "fast") {
    for (const kind of PREFERENCE) {
      if (kind === "engine") break;
      const made = kind === "native" ? nativePredict(model, options.native ?? nativeBackend) : wasmPredict(model);
      if (typeof made !== "string") return { kind, predict: made, passedOver };
      passedOver.push({ kind, reason: made });
    }
  } else {
    passedOver.push({ kind: "native", reason: "inference is set to reference" }, { kind: "wasm", reason: "inference is set to reference" });
  }
  return { kind: "engine", predict: (x, batch) => model.predict(x, batch), passedOver };
}

type Predict = (x: Float32Array, batch: number) => Float32Array;

function nativePredict(model: CnnLstmModel, native: () => Backend | string): Predict | string {
  const backend = native();
  if (typeof backend === "string") return backend;
  if (model.precision !== "float32") return `the model is ${model.precision}; the native path serves float32 models`;
  // A model loaded on another backend gets a copy of its weights on the native one.
  const served = model.backend === backend ? model : copyOnto(model, backend);
  return (x, batch) => served.predict(x, batch);
}

function wasmPredict(model: CnnLstmModel): Predict | string {
  const problem = fastPathProblem(model.shape);
  if (problem !== undefined) return `the WebAssembly path cannot serve this model: ${problem}`;
  const fast = FastCnnLstm.from(model);
  if (!fast) return "the WebAssembly path cannot serve this model";
  return (x, batch) => fast.predict(x, batch);
}

function copyOnto(model: CnnLstmModel, backend: Backend): CnnLstmModel {
  const copy = new CnnLstmModel(model.shape, 0, { backend });
  copy.params.data.set(model.params.data);
  return copy;
}
