// The readable reference implementation of every kernel: plain loops, float64 accumulation,
// one store per output element. Faster backends must pass the same tests as this one.

import type { Backend, FloatArray } from "../backend.js";

export function createReferenceBackend(): Backend {
  // One float64 scratch buffer, grown on demand, for the sums of the bias and conv gradients.
  let scratch = new Float64Array(1024);
  const scratchOf = (length: number): Float64Array => {
    if (scratch.length < length) scratch = new Float64Array(length);
    scratch.fill(0, 0, length);
    return scratch;
  };

  return {
    name: "reference",
    supportsFloat64: true,

    alloc(length) {
      return new Float32Array(length);
    },

    // The three products share one pattern: four output columns at a time, each summed in a
    // local (float64) variable, so every value loaded from a row is used four times.

    matmul(out, a, b, M, K, N, accumulate) {
      // out[m,n] = Σ_k a[m,k] · b[k,n]
      const N4 = N - (N % 4);
      for (let m = 0; m < M; m++) {
        const aOff = m * K;
        const oOff = m * N;
        for (let n = 0; n < N4; n += 4) {
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let k = 0, bOff = n; k < K; k++, bOff += N) {
            const av = a[aOff + k];
            s0 += av * b[bOff];
            s1 += av * b[bOff + 1];
            s2 += av * b[bOff + 2];
            s3 += av * b[bOff + 3];
          }
          store4(out, oOff + n, s0, s1, s2, s3, accumulate);
        }
        for (let n = N4; n < N; n++) {
          let sum = 0;
          for (let k = 0; k < K; k++) sum += a[aOff + k] * b[k * N + n];
          store(out, oOff + n, sum, accumulate);
        }
      }
    },

    matmulBt(out, a, b, M, K, N, accumulate) {
      // out[m,n] = Σ_k a[m,k] · b[n,k]: both read along k, four rows of b at a time.
      const N4 = N - (N % 4);
      for (let m = 0; m < M; m++) {
        const aOff = m * K;
        const oOff = m * N;
        for (let n = 0; n < N4; n += 4) {
          const b0 = n * K,
            b1 = b0 + K,
            b2 = b1 + K,
            b3 = b2 + K;
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let k = 0; k < K; k++) {
            const av = a[aOff + k];
            s0 += av * b[b0 + k];
            s1 += av * b[b1 + k];
            s2 += av * b[b2 + k];
            s3 += av * b[b3 + k];
          }
          store4(out, oOff + n, s0, s1, s2, s3, accumulate);
        }
        for (let n = N4; n < N; n++) {
          const bOff = n * K;
          let sum = 0;
          for (let k = 0; k < K; k++) sum += a[aOff + k] * b[bOff + k];
          store(out, oOff + n, sum, accumulate);
        }
      }
    },

    matmulAt(out, a, b, M, K, N, accumulate) {
      // out[m,n] = Σ_k a[k,m] · b[k,n]
      const N4 = N - (N % 4);
      for (let m = 0; m < M; m++) {
        const oOff = m * N;
        for (let n = 0; n < N4; n += 4) {
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let k = 0, aIdx = m, bOff = n; k < K; k++, aIdx += M, bOff += N) {
            const av = a[aIdx];
            s0 += av * b[bOff];
            s1 += av * b[bOff + 1];
            s2 += av * b[bOff + 2];
            s3 += av * b[bOff + 3];
          }
          store4(out, oOff + n, s0, s1, s2, s3, accumulate);
        }
        for (let n = N4; n < N; n++) {
          let sum = 0;
          for (let k = 0; k < K; k++) sum += a[k * M + m] * b[k * N + n];
          store(out, oOff + n, sum, accumulate);
        }
      }
    },

    addRowVector(out, v, M, N) {
      for (let m = 0; m < M; m++) {
        const off = m * N;
        for (let n = 0; n < N; n++) out[off + n] += v[n];
      }
    },

    sumRows(out, a, M, N) {
      const sums = scratchOf(N);
      for (let m = 0; m < M; m++) {
        const off = m * N;
        for (let n = 0; n < N; n++) sums[n] += a[off + n];
      }
      for (let n = 0; n < N; n++) out[n] += sums[n];
    },

    reluForward(x, n) {
      // `< 0` rather than `!(> 0)` so a NaN stays visible instead of becoming 0.
      for (let i = 0; i < n; i++) if (x[i] < 0) x[i] = 0;
    },

    reluBackward(d, out, n) {
      // PyTorch's ReLU passes no gradient where the output is exactly 0.
      for (let i = 0; i < n; i++) if (!(out[i] > 0)) d[i] = 0;
    },

    conv1dForward(out, x, w, bias, B, F, T, C, K) {
      const Tout = T - K + 1;
      for (let t = 0; t < Tout; t++) {
        for (let b = 0; b < B; b++) {
          const oOff = (t * B + b) * C;
          for (let c = 0; c < C; c++) {
            let sum = bias[c];
            for (let f = 0; f < F; f++) {
              const xOff = (b * F + f) * T + t;
              const wOff = (c * F + f) * K;
              for (let k = 0; k < K; k++) sum += w[wOff + k] * x[xOff + k];
            }
            out[oOff + c] = sum;
          }
        }
      }
    },

    conv1dBackward(dx, dw, dbias, dOut, x, w, B, F, T, C, K) {
      const Tout = T - K + 1;
      const wSize = C * F * K;
      const xSize = B * F * T;
      // float64 sums for dw, dbias and dx side by side in one scratch block.
      const sums = scratchOf(wSize + C + xSize);
      const dbOff = wSize;
      const dxOff = wSize + C;
      for (let t = 0; t < Tout; t++) {
        for (let b = 0; b < B; b++) {
          const oOff = (t * B + b) * C;
          for (let c = 0; c < C; c++) {
            const d = dOut[oOff + c];
            if (d === 0) continue;
            sums[dbOff + c] += d;
            for (let f = 0; f < F; f++) {
              const xOff = (b * F + f) * T + t;
              const wOff = (c * F + f) * K;
              for (let k = 0; k < K; k++) {
                sums[wOff + k] += d * x[xOff + k];
                sums[dxOff + xOff + k] += d * w[wOff + k];
              }
            }
          }
        }
      }
      for (let i = 0; i < wSize; i++) dw[i] += sums[i];
      for (let c = 0; c < C; c++) dbias[c] += sums[dbOff + c];
      for (let i = 0; i < xSize; i++) dx[i] += sums[dxOff + i];
    },

    lstmCellForward(gates, cPrev, c, h, tanhC, B, H) {
      for (let b = 0; b < B; b++) {
        const g0 = b * 4 * H;
        const r = b * H;
        for (let j = 0; j < H; j++) {
          const iIdx = g0 + j,
            fIdx = iIdx + H,
            gIdx = fIdx + H,
            oIdx = gIdx + H;
          gates[iIdx] = sigmoid(gates[iIdx]);
          gates[fIdx] = sigmoid(gates[fIdx]);
          gates[gIdx] = Math.tanh(gates[gIdx]);
          gates[oIdx] = sigmoid(gates[oIdx]);
          c[r + j] = gates[fIdx] * cPrev[r + j] + gates[iIdx] * gates[gIdx];
          // tanh of the stored (rounded) cell state, as PyTorch computes it.
          tanhC[r + j] = Math.tanh(c[r + j]);
          h[r + j] = gates[oIdx] * tanhC[r + j];
        }
      }
    },

    lstmCellBackward(dGates, acts, cPrev, tanhC, dH, dC, B, H) {
      for (let b = 0; b < B; b++) {
        const g0 = b * 4 * H;
        const r = b * H;
        for (let j = 0; j < H; j++) {
          const iIdx = g0 + j,
            fIdx = iIdx + H,
            gIdx = fIdx + H,
            oIdx = gIdx + H;
          const i = acts[iIdx],
            f = acts[fIdx],
            g = acts[gIdx],
            o = acts[oIdx];
          const tc = tanhC[r + j];
          const dh = dH[r + j];
          // h = o * tanh(c)
          const dOutGate = dh * tc;
          // c feeds h through tanh and the next step through dC
          const dCell = dC[r + j] + dh * o * (1 - tc * tc);
          // c = f * cPrev + i * g, then each gate through its own non-linearity
          dGates[iIdx] = dCell * g * i * (1 - i);
          dGates[fIdx] = dCell * cPrev[r + j] * f * (1 - f);
          dGates[gIdx] = dCell * i * (1 - g * g);
          dGates[oIdx] = dOutGate * o * (1 - o);
          dC[r + j] = dCell * f;
        }
      }
    },
  };
}

function store(out: FloatArray, index: number, value: number, accumulate: boolean): void {
  out[index] = accumulate ? out[index] + value : value;
}

function store4(out: FloatArray, index: number, s0: number, s1: number, s2: number, s3: number, accumulate: boolean): void {
  if (accumulate) {
    out[index] += s0;
    out[index + 1] += s1;
    out[index + 2] += s2;
    out[index + 3] += s3;
  } else {
    out[index] = s0;
    out[index + 1] = s1;
    out[index + 2] = s2;
    out[index + 3] = s3;
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
