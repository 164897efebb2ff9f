// PyTorch's default initialisation, drawn from our seeded generator so that the same seed
// gives the same weights bit for bit on every machine:
// - Conv1d and Linear: weight and bias uniform(±1/√fan_in) (kaiming_uniform with a = √5
//   reduces to this), fan_in = in_channels·kernel for the conv, in_features for the linear.
// - LSTM: every weight and bias uniform(±1/√hidden).

import type { FloatArray } from "./backend.js";
import type { ModelShape } from "./model-shape.js";
import type { ParameterSet } from "./parameters.js";
import { Random } from "./random.js";

export const CONV_KERNEL_SIZE = 3;

/** The half-width of the uniform distribution PyTorch draws this parameter from. */
export function pytorchInitBound(name: string, shape: ModelShape): number {
  if (name === "conv.weight" || name === "conv.bias") return 1 / Math.sqrt(shape.inputSize * CONV_KERNEL_SIZE);
  if (name.startsWith("lstm.")) return 1 / Math.sqrt(shape.lstmHidden);
  if (name === "fc.weight" || name === "fc.bias") return 1 / Math.sqrt(shape.lstmHidden);
  throw new Error(`No PyTorch initialisation rule for parameter "${name}".`);
}

/** Fills every parameter in layout order from one generator seeded with `seed`. */
export function initializeParameters(params: ParameterSet<FloatArray>, shape: ModelShape, seed: number): void {
  const rng = new Random(seed);
  for (const entry of params.entries) {
    const bound = pytorchInitBound(entry.name, shape);
    const end = entry.offset + entry.size;
    for (let i = entry.offset; i < end; i++) params.data[i] = rng.uniform(-bound, bound);
  }
}
