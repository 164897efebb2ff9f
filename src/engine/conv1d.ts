// Conv1d (PyTorch nn.Conv1d, stride 1, no padding) followed by ReLU: the model's first layer.
//
// Shapes: B batch, F input channels, T window length, C output channels, K kernel size,
// T' = T - K + 1.
//   x [B, F, T]          the input as the caller lays it out
//   w [C, F, K]          conv.weight
//   bias [C]             conv.bias
//   out [T', B, C]       relu(conv(x)), time-major: the model's transpose(1, 2) comes for free
//                        and each LSTM step reads one contiguous [B, C] block

import type { Backend, FloatArray } from "./backend.js";

export function conv1dReluForward(
  be: Backend,
  out: FloatArray,
  x: FloatArray,
  w: FloatArray,
  bias: FloatArray,
  B: number,
  F: number,
  T: number,
  C: number,
  K: number,
): void {
  be.conv1dForward(out, x, w, bias, B, F, T, C, K); // (1) out = conv(x, w) + bias
  be.reluForward(out, (T - K + 1) * B * C); // (2) out = relu(out)
}

/**
 * Adds into dx [B, F, T], dw [C, F, K], dbias [C] given dOut [T', B, C] and the forward's
 * `out`. dOut is overwritten (masked by the ReLU) on the way.
 */
export function conv1dReluBackward(
  be: Backend,
  dx: FloatArray,
  dw: FloatArray,
  dbias: FloatArray,
  dOut: FloatArray,
  out: FloatArray,
  x: FloatArray,
  w: FloatArray,
  B: number,
  F: number,
  T: number,
  C: number,
  K: number,
): void {
  be.reluBackward(dOut, out, (T - K + 1) * B * C); // from (2): no gradient where relu output is 0
  be.conv1dBackward(dx, dw, dbias, dOut, x, w, B, F, T, C, K); // from (1)
}
