// Floating-point work of the CNN+LSTM, computed from its shape, so that every path's speed can
// be stated as GFLOP/s and compared with the machine's peak (a large sgemm).
//
// Counting convention (the usual one for "achieved FLOP/s"): a multiply-add is 2 FLOPs; only
// the matrix products and the convolution are counted; pointwise work (ReLU, sigmoid, tanh,
// the cell update, the loss, Adam) is left out, so the figures are slight underestimates.
//
// With T' = T - K + 1 (K = 3, the convolution kernel), F inputs per period, C conv channels,
// L LSTM layers of H units (layer input I_0 = C, I_l = H above), O outputs:
//
//   forward per window  = 2·T'·C·F·K                      convolution
//                       + Σ_l 2·T'·4H·(I_l + H)           x_t·W_ihᵀ and h_{t-1}·W_hhᵀ per step
//                       + 2·H·O                           the linear head
//   training per sample = 3 × forward                      backward does, for every product,
//                                                          one product of the same size for the
//                                                          input gradient and one for the weights
//
// Reference shape (T 14, F 1, C 32, H 64, L 1, O 1): 2,304 + 589,824 + 128 = 592,256 FLOPs per
// forecast, 1,776,768 per training sample.
import { CONV_KERNEL_SIZE, type ModelShape } from "../src/engine/index.js";

export function forwardFlops(shape: ModelShape): number {
  const { windowSize: T, inputSize: F, convChannels: C, lstmHidden: H, lstmLayers: L, outputSize: O } = shape;
  const steps = T - CONV_KERNEL_SIZE + 1;
  let flops = 2 * steps * C * F * CONV_KERNEL_SIZE;
  for (let layer = 0; layer < L; layer++) {
    const inputs = layer === 0 ? C : H;
    flops += 2 * steps * 4 * H * (inputs + H);
  }
  return flops + 2 * H * O;
}

export function trainingFlopsPerSample(shape: ModelShape): number {
  return 3 * forwardFlops(shape);
}

/** GFLOP/s of `perSecond` items of `flopsEach` FLOPs. */
export function gflops(perSecond: number, flopsEach: number): number {
  return (perSecond * flopsEach) / 1e9;
}
