// Fully connected layer (PyTorch nn.Linear): y = x · Wᵀ + b.
//
// Shapes: B batch, In input features, Out output features.
//   x [B, In]   w [Out, In] (fc.weight)   b [Out] (fc.bias)   y [B, Out]

import type { Backend, FloatArray } from "./backend.js";

export function linearForward(be: Backend, y: FloatArray, x: FloatArray, w: FloatArray, b: FloatArray, B: number, In: number, Out: number): void {
  be.matmulBt(y, x, w, B, In, Out, false); // (1) y = x · Wᵀ
  be.addRowVector(y, b, B, Out); // (2) y += b
}

/** Adds into dx [B, In], dw [Out, In], db [Out] given dy [B, Out]. */
export function linearBackward(
  be: Backend,
  dx: FloatArray,
  dw: FloatArray,
  db: FloatArray,
  dy: FloatArray,
  x: FloatArray,
  w: FloatArray,
  B: number,
  In: number,
  Out: number,
): void {
  be.sumRows(db, dy, B, Out); // from (2): db = Σ_b dy
  be.matmulAt(dw, dy, x, Out, B, In, true); // from (1): dW = dyᵀ · x
  be.matmul(dx, dy, w, B, Out, In, true); // from (1): dx = dy · W
}
