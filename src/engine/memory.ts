// How much memory training a network of a given shape takes, estimated from the shape alone,
// so a shape that cannot fit is refused before any buffer is allocated (model.lstm_hidden=20000
// grew to 3 GB in 18 s on its way to about 25 GB; 100000 died with "Invalid typed array length").
//
// Counted in float32 values, from the buffers the engine allocates (model.ts, parameters.ts,
// adam.ts, lstm.ts and the native network's two chunk workspaces, native/src/network.cpp):
//   parameters P: values and gradients (ParameterSet), Adam's two moments, the gradient of each
//     of the two native chunks, and one more copy while a checkpoint is written: 7 P;
//   training activations per batch row: the input, the convolution output and its gradient, and
//     per LSTM layer gates, states and their gradients;
//   inference activations for the largest prediction chunk (256 rows, no gradients), which
//     evaluation and interval calibration use.
// It is an estimate: JavaScript's own objects and the data are not in it.
import { CONV_KERNEL_SIZE } from "./init.js";
import type { ModelShape } from "./model-shape.js";

const FLOAT_BYTES = 4;
/** Rows of one prediction chunk (PREDICT_CHUNK in model.ts). */
const PREDICT_ROWS = 256;

export interface TrainingMemory {
  /** Scalar parameters of the network. */
  parameters: number;
  /** Estimated bytes for training with the given batch size. */
  bytes: number;
}

export function parameterCount(shape: ModelShape): number {
  const { inputSize: F, convChannels: C, lstmHidden: H, lstmLayers: L, outputSize: O } = shape;
  let count = C * F * CONV_KERNEL_SIZE + C;
  for (let layer = 0; layer < L; layer++) count += 4 * H * (layer === 0 ? C : H) + 4 * H * H + 8 * H;
  return count + O * H + O;
}

export function estimateTrainingMemory(shape: ModelShape, batchSize: number): TrainingMemory {
  const { inputSize: F, windowSize: T, convChannels: C, lstmHidden: H, lstmLayers: L } = shape;
  const steps = Math.max(T - CONV_KERNEL_SIZE + 1, 1);
  const parameters = parameterCount(shape);
  // Per LSTM layer and row: gates 4H and their gradient 4H per step, h and c for steps + 1,
  // tanh(c) and the output gradient per step, and the cell gradient.
  const trainRow = F * T + 2 * steps * C + L * (H * (10 * steps + 2) + H);
  // Inference keeps gates, h, c and tanh(c) only.
  const inferRow = F * T + steps * C + L * H * (6 * steps + 2);
  const floats = 7 * parameters + Math.max(batchSize, 1) * trainRow + PREDICT_ROWS * inferRow;
  return { parameters, bytes: floats * FLOAT_BYTES };
}
