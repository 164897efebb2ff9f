// Gradient clipping by global norm with torch.nn.utils.clip_grad_norm_ semantics: the norm is
// taken over all gradients as one vector, and gradients are scaled by
// maxNorm / (norm + 1e-6) only when that factor is below 1.

import type { FloatArray } from "./backend.js";

const CLIP_EPS = 1e-6;

/** Scales `grad` in place when its L2 norm exceeds maxNorm; returns the norm before clipping. */
export function clipGradNorm(grad: FloatArray, maxNorm: number): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) {
    throw new Error(`clipGradNorm: maxNorm must be a positive number, got ${maxNorm}. Use 0/undefined in the options to turn clipping off.`);
  }
  const norm = gradNorm(grad);
  const coef = maxNorm / (norm + CLIP_EPS);
  if (coef < 1) {
    for (let i = 0; i < grad.length; i++) grad[i] *= coef;
  }
  return norm;
}

/** L2 norm of the whole gradient, summed in float64. */
export function gradNorm(grad: FloatArray): number {
  let sumSquares = 0;
  for (let i = 0; i < grad.length; i++) sumSquares += grad[i] * grad[i];
  return Math.sqrt(sumSquares);
}
