// The fused forward and backward pass of one chunk. This file is compiled twice: once with
// -mavx2 -mfma (namespace avx2) and once for the baseline x86-64 / any CPU (namespace generic);
// addon.cpp picks one at load time from what the CPU reports. The SIMD is written with GCC
// vector extensions, so the same source becomes AVX2+FMA in one build and SSE2 in the other.
//
// Sums are float32 with fused multiply-add, like PyTorch's CPU kernels; the parity fixtures
// (tests/engine/parity.test.ts) hold this path to the same tolerances as the reference backend.
#include <cmath>
#include <cstring>

#include "network.hpp"

#ifndef SALESCAST_VARIANT
#error "compile with -DSALESCAST_VARIANT=avx2 or -DSALESCAST_VARIANT=generic"
#endif

namespace salescast {
namespace SALESCAST_VARIANT {
namespace {

#include "simd.hpp"

// ---------------------------------------------------------------- LSTM cell

void cellForward(float* gates, const float* cPrev, float* c, float* h, float* tanhC, int B, int H) {
  const int H8 = H & ~7;
  for (int b = 0; b < B; b++) {
    float* g = gates + (size_t)b * 4 * H;
    const size_t r = (size_t)b * H;
    int j = 0;
    for (; j < H8; j += 8) {
      v8 i = vsigmoid(ld(g + j)), f = vsigmoid(ld(g + H + j)), gg = vtanh(ld(g + 2 * H + j)), o = vsigmoid(ld(g + 3 * H + j));
      st(g + j, i); st(g + H + j, f); st(g + 2 * H + j, gg); st(g + 3 * H + j, o);
      v8 cn = f * ld(cPrev + r + j) + i * gg;
      st(c + r + j, cn);
      v8 tc = vtanh(cn);
      st(tanhC + r + j, tc);
      st(h + r + j, o * tc);
    }
    for (; j < H; j++) {
      float i = ssigmoid(g[j]), f = ssigmoid(g[H + j]), gg = std::tanh(g[2 * H + j]), o = ssigmoid(g[3 * H + j]);
      g[j] = i; g[H + j] = f; g[2 * H + j] = gg; g[3 * H + j] = o;
      float cn = f * cPrev[r + j] + i * gg;
      c[r + j] = cn;
      float tc = std::tanh(cn);
      tanhC[r + j] = tc;
      h[r + j] = o * tc;
    }
  }
}

// Writes dGates from the activated gates and dH, and replaces dC by the gradient w.r.t. c_{t-1}.
void cellBackward(float* dGates, const float* acts, const float* cPrev, const float* tanhC,
                  const float* dH, float* dC, int B, int H) {
  const int H8 = H & ~7;
  const v8 one = splat(1.0f);
  for (int b = 0; b < B; b++) {
    const float* a = acts + (size_t)b * 4 * H;
    float* d = dGates + (size_t)b * 4 * H;
    const size_t r = (size_t)b * H;
    int j = 0;
    for (; j < H8; j += 8) {
      v8 i = ld(a + j), f = ld(a + H + j), g = ld(a + 2 * H + j), o = ld(a + 3 * H + j);
      v8 tc = ld(tanhC + r + j), dh = ld(dH + r + j);
      v8 dCell = ld(dC + r + j) + dh * o * (one - tc * tc);
      st(d + j, dCell * g * i * (one - i));
      st(d + H + j, dCell * ld(cPrev + r + j) * f * (one - f));
      st(d + 2 * H + j, dCell * i * (one - g * g));
      st(d + 3 * H + j, dh * tc * o * (one - o));
      st(dC + r + j, dCell * f);
    }
    for (; j < H; j++) {
      float i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j];
      float tc = tanhC[r + j], dh = dH[r + j];
      float dCell = dC[r + j] + dh * o * (1.0f - tc * tc);
      d[j] = dCell * g * i * (1.0f - i);
      d[H + j] = dCell * cPrev[r + j] * f * (1.0f - f);
      d[2 * H + j] = dCell * i * (1.0f - g * g);
      d[3 * H + j] = dh * tc * o * (1.0f - o);
      dC[r + j] = dCell * f;
    }
  }
}

// ---------------------------------------------------------------- small helpers

// out[m, :] = v for every row (the bias a product then accumulates onto).
void fillRows(float* out, const float* v, int M, int N) {
  for (int m = 0; m < M; m++) std::memcpy(out + (size_t)m * N, v, sizeof(float) * N);
}

// out[n] += Σ_m a[m, n]
void addColumnSums(float* out, const float* a, int M, int N) {
  const int N8 = N & ~7;
  int n = 0;
  for (; n < N8; n += 8) {
    v8 s = splat(0.0f);
    for (int m = 0; m < M; m++) s += ld(a + (size_t)m * N + n);
    st(out + n, ld(out + n) + s);
  }
  for (; n < N; n++) {
    float s = 0.0f;
    for (int m = 0; m < M; m++) s += a[(size_t)m * N + n];
    out[n] += s;
  }
}

// ---------------------------------------------------------------- the network


void forwardChunk(const ChunkJob& job) {
  const NetShape& s = *job.shape;
  const ParamOffsets& off = *job.offsets;
  const PreparedWeights& pw = *job.prepared;
  ChunkWorkspace& ws = *job.ws;
  const float* P = job.params;
  const int B = job.rows, F = s.F, T = s.T, C = s.C, H = s.H, G = 4 * s.H, K = s.K, Tc = s.Tc();
  ws.rows = B;
  std::memcpy(ws.x.data(), job.x, sizeof(float) * (size_t)B * F * T);

  // conv + relu: out[t, b, :] = bias + Σ_{f,k} x[b, f, t+k] · wT[f*K+k, :]
  float* conv = ws.conv.data();
  const float* bias = P + off.convB;
  const float* wT = pw.convWT.data();
  for (int t = 0; t < Tc; t++) {
    for (int b = 0; b < B; b++) {
      float* o = conv + ((size_t)t * B + b) * C;
      std::memcpy(o, bias, sizeof(float) * C);
      for (int f = 0; f < F; f++) {
        const float* xr = ws.x.data() + ((size_t)b * F + f) * T + t;
        for (int k = 0; k < K; k++) {
          const float xv = xr[k];
          const float* w = wT + (size_t)(f * K + k) * C;
          int c = 0;
          for (; c + 8 <= C; c += 8) st(o + c, ld(o + c) + splat(xv) * ld(w + c));
          for (; c < C; c++) o[c] += xv * w[c];
        }
      }
      for (int c = 0; c < C; c++) if (o[c] < 0.0f) o[c] = 0.0f;  // NaN stays visible
    }
  }

  const float* input = conv;
  for (int l = 0; l < s.L; l++) {
    const LayerOffsets& lo = off.lstm[l];
    LayerBuffers& lb = ws.layers[l];
    const int In = lo.In;
    float* gates = lb.gates.data();
    float* h = lb.h.data();
    float* c = lb.c.data();
    std::memset(h, 0, sizeof(float) * (size_t)B * H);  // h_{-1} = c_{-1} = 0
    std::memset(c, 0, sizeof(float) * (size_t)B * H);
    fillRows(gates, pw.biasSum[l].data(), Tc * B, G);
    if (pw.transposed) gemm(gates, G, input, In, 1, pw.wIhT[l].data(), G, Tc * B, In, G, true);
    else gemmBt(gates, G, input, In, P + lo.wIh, Tc * B, In, G);
    for (int t = 0; t < Tc; t++) {
      float* gt = gates + (size_t)t * B * G;
      const float* hPrev = h + (size_t)t * B * H;
      if (t > 0) {
        if (pw.transposed) gemm(gt, G, hPrev, H, 1, pw.wHhT[l].data(), G, B, H, G, true);
        else gemmBt(gt, G, hPrev, H, P + lo.wHh, B, H, G);
      }
      cellForward(gt, c + (size_t)t * B * H, c + (size_t)(t + 1) * B * H, h + (size_t)(t + 1) * B * H,
                  lb.tanhC.data() + (size_t)t * B * H, B, H);
    }
    input = h + (size_t)B * H;
  }

  // head on the last step's hidden state of the top layer
  const float* hLast = ws.layers[s.L - 1].h.data() + (size_t)Tc * B * H;
  const float* fcW = P + off.fcW;
  const float* fcB = P + off.fcB;
  for (int b = 0; b < B; b++) {
    for (int o = 0; o < s.O; o++) {
      const float* hb = hLast + (size_t)b * H;
      const float* w = fcW + (size_t)o * H;
      v8 acc = splat(0.0f);
      int j = 0;
      for (; j + 8 <= H; j += 8) acc += ld(hb + j) * ld(w + j);
      float sum = 0.0f;
      for (int q = 0; q < 8; q++) sum += acc[q];
      for (; j < H; j++) sum += hb[j] * w[j];
      job.y[(size_t)b * s.O + o] = sum + fcB[o];
    }
  }
}

void backwardChunk(const ChunkJob& job) {
  const NetShape& s = *job.shape;
  const ParamOffsets& off = *job.offsets;
  ChunkWorkspace& ws = *job.ws;
  const float* P = job.params;
  const int B = ws.rows, F = s.F, T = s.T, C = s.C, H = s.H, G = 4 * s.H, K = s.K, Tc = s.Tc(), O = s.O;
  float* grad = ws.grad.data();
  std::memset(grad, 0, sizeof(float) * off.total);

  // head: dW_fc += dyᵀ · h_last, db_fc += Σ dy, dh_last = dy · W_fc
  LayerBuffers& top = ws.layers[s.L - 1];
  const float* hLast = top.h.data() + (size_t)Tc * B * H;
  std::memset(top.dOutput.data(), 0, sizeof(float) * (size_t)Tc * B * H);
  float* dhLast = top.dOutput.data() + (size_t)(Tc - 1) * B * H;
  for (int b = 0; b < B; b++) {
    for (int o = 0; o < O; o++) {
      const float dy = job.dOut[(size_t)b * O + o];
      grad[off.fcB + o] += dy;
      float* gw = grad + off.fcW + (size_t)o * H;
      const float* w = P + off.fcW + (size_t)o * H;
      const float* hb = hLast + (size_t)b * H;
      float* dh = dhLast + (size_t)b * H;
      for (int j = 0; j < H; j++) {
        gw[j] += dy * hb[j];
        dh[j] += dy * w[j];
      }
    }
  }

  for (int l = s.L - 1; l >= 0; l--) {
    const LayerOffsets& lo = off.lstm[l];
    LayerBuffers& lb = ws.layers[l];
    const int In = lo.In;
    const float* input = l > 0 ? ws.layers[l - 1].h.data() + (size_t)B * H : ws.conv.data();
    float* dInput = l > 0 ? ws.layers[l - 1].dOutput.data() : ws.dConv.data();
    float* dGates = lb.dGates.data();
    float* dC = lb.dC.data();
    std::memset(dC, 0, sizeof(float) * (size_t)B * H);
    for (int t = Tc - 1; t >= 0; t--) {
      float* dg = dGates + (size_t)t * B * G;
      cellBackward(dg, lb.gates.data() + (size_t)t * B * G, lb.c.data() + (size_t)t * B * H,
                   lb.tanhC.data() + (size_t)t * B * H, lb.dOutput.data() + (size_t)t * B * H, dC, B, H);
      // dh_{t-1} += dz_t · W_hh
      if (t > 0) gemm(lb.dOutput.data() + (size_t)(t - 1) * B * H, H, dg, G, 1, P + lo.wHh, H, B, G, H, true);
    }
    // dW_hh += Σ_{t≥1} dz_tᵀ · h_{t-1} (h_{-1} = 0 adds nothing)
    if (Tc > 1) gemm(grad + lo.wHh, H, dGates + (size_t)B * G, 1, G, lb.h.data() + (size_t)B * H, H, G, (Tc - 1) * B, H, true);
    float* colSum = ws.colSum.data();
    std::memset(colSum, 0, sizeof(float) * G);
    addColumnSums(colSum, dGates, Tc * B, G);
    for (int g = 0; g < G; g++) {
      grad[lo.bIh + g] += colSum[g];
      grad[lo.bHh + g] += colSum[g];
    }
    gemm(grad + lo.wIh, In, dGates, 1, G, input, In, G, Tc * B, In, true);  // dW_ih += dzᵀ · x
    gemm(dInput, In, dGates, G, 1, P + lo.wIh, In, Tc * B, G, In, false);  // dx = dz · W_ih
  }

  // conv: relu mask, then dw (as [F*K, C]), dbias, dx
  float* dConv = ws.dConv.data();
  const float* conv = ws.conv.data();
  const size_t convSize = (size_t)Tc * B * C;
  for (size_t i = 0; i < convSize; i++) if (!(conv[i] > 0.0f)) dConv[i] = 0.0f;
  float* dwT = ws.dwT.data();
  std::memset(dwT, 0, sizeof(float) * (size_t)F * K * C);
  addColumnSums(grad + off.convB, dConv, Tc * B, C);
  const float* x = ws.x.data();
  const float* w = P + off.convW;  // [C, F, K]
  float* dx = job.dInput;
  std::memset(dx, 0, sizeof(float) * (size_t)B * F * T);
  for (int t = 0; t < Tc; t++) {
    for (int b = 0; b < B; b++) {
      const float* d = dConv + ((size_t)t * B + b) * C;
      for (int f = 0; f < F; f++) {
        const float* xr = x + ((size_t)b * F + f) * T + t;
        float* dxr = dx + ((size_t)b * F + f) * T + t;
        for (int k = 0; k < K; k++) {
          float* dw = dwT + (size_t)(f * K + k) * C;
          const float xv = xr[k];
          float sum = 0.0f;
          for (int c = 0; c < C; c++) {
            dw[c] += d[c] * xv;
            sum += d[c] * w[((size_t)c * F + f) * K + k];
          }
          dxr[k] += sum;
        }
      }
    }
  }
  for (int c = 0; c < C; c++)
    for (int fk = 0; fk < F * K; fk++) grad[off.convW + (size_t)c * F * K + fk] += dwT[(size_t)fk * C + c];
}

}  // namespace

const KernelSet kernels = {
#define SALESCAST_STR2(x) #x
#define SALESCAST_STR(x) SALESCAST_STR2(x)
    SALESCAST_STR(SALESCAST_VARIANT),
    forwardChunk,
    backwardChunk,
};

}  // namespace SALESCAST_VARIANT
}  // namespace salescast
