// The engine's public surface: the CNN+LSTM model, its parameters, loss, optimiser, the
// seeded generator, the kernel backends and the choice between them (engine.backend).

export type { AdamUpdateArgs, Backend, FloatArray, FusedNetwork, NetworkShape } from "./backend.js";
export {
  activeBackend,
  availableBackends,
  backendDescription,
  backendSelection,
  DEFAULT_BACKEND,
  getBackend,
  describeNativeBackend,
  nativeAddonPath,
  nativeBackendProblem,
  resolveBackendName,
  useBackend,
} from "./backends/index.js";
export type { BackendChoice, BackendName, BackendSelection } from "./backends/index.js";
export { ParameterSet } from "./parameters.js";
export type { ParameterEntry, ParameterSpec } from "./parameters.js";
export { CnnLstmModel, parameterLayout, validateModelShape } from "./model.js";
export type { ModelShape, ModelOptions, Precision } from "./model.js";
export { CONV_KERNEL_SIZE, initializeParameters, pytorchInitBound } from "./init.js";
export { mseLoss } from "./loss.js";
export { Adam } from "./adam.js";
export type { AdamOptions, AdamState } from "./adam.js";
export { clipGradNorm, gradNorm } from "./clip.js";
export { Random } from "./random.js";
