// The per-kernel entry points of the Backend interface (src/engine/backend.ts), with its
// contract: sums in double, one float32 store per output. They serve callers that drive the
// layers kernel by kernel; the model itself runs the fused path (network_kernels.cpp).
#include "reference_kernels.hpp"

#include <cmath>

namespace salescast {

static inline void put(float* out, size_t i, double v, bool acc) { out[i] = acc ? (float)((double)out[i] + v) : (float)v; }

void refMatmul(float* out, const float* a, const float* b, int M, int K, int N, bool acc) {
  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++) {
      double s = 0;
      for (int k = 0; k < K; k++) s += (double)a[(size_t)m * K + k] * b[(size_t)k * N + n];
      put(out, (size_t)m * N + n, s, acc);
    }
}

void refMatmulBt(float* out, const float* a, const float* b, int M, int K, int N, bool acc) {
  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++) {
      double s = 0;
      for (int k = 0; k < K; k++) s += (double)a[(size_t)m * K + k] * b[(size_t)n * K + k];
      put(out, (size_t)m * N + n, s, acc);
    }
}

void refMatmulAt(float* out, const float* a, const float* b, int M, int K, int N, bool acc) {
  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++) {
      double s = 0;
      for (int k = 0; k < K; k++) s += (double)a[(size_t)k * M + m] * b[(size_t)k * N + n];
      put(out, (size_t)m * N + n, s, acc);
    }
}

void refAddRowVector(float* out, const float* v, int M, int N) {
  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++) out[(size_t)m * N + n] += v[n];
}

void refSumRows(float* out, const float* a, int M, int N) {
  for (int n = 0; n < N; n++) {
    double s = 0;
    for (int m = 0; m < M; m++) s += a[(size_t)m * N + n];
    out[n] = (float)((double)out[n] + s);
  }
}

void refReluForward(float* x, size_t n) {
  for (size_t i = 0; i < n; i++) if (x[i] < 0.0f) x[i] = 0.0f;
}

void refReluBackward(float* d, const float* out, size_t n) {
  for (size_t i = 0; i < n; i++) if (!(out[i] > 0.0f)) d[i] = 0.0f;
}

void refConv1dForward(float* out, const float* x, const float* w, const float* bias, int B, int F, int T, int C, int K) {
  const int Tout = T - K + 1;
  for (int t = 0; t < Tout; t++)
    for (int b = 0; b < B; b++)
      for (int c = 0; c < C; c++) {
        double s = bias[c];
        for (int f = 0; f < F; f++)
          for (int k = 0; k < K; k++) s += (double)w[((size_t)c * F + f) * K + k] * x[((size_t)b * F + f) * T + t + k];
        out[((size_t)t * B + b) * C + c] = (float)s;
      }
}

void refConv1dBackward(float* dx, float* dw, float* dbias, const float* dOut, const float* x, const float* w,
                       int B, int F, int T, int C, int K) {
  const int Tout = T - K + 1;
  for (int c = 0; c < C; c++) {
    double s = 0;
    for (int t = 0; t < Tout; t++)
      for (int b = 0; b < B; b++) s += dOut[((size_t)t * B + b) * C + c];
    dbias[c] = (float)((double)dbias[c] + s);
    for (int f = 0; f < F; f++)
      for (int k = 0; k < K; k++) {
        double sw = 0;
        for (int t = 0; t < Tout; t++)
          for (int b = 0; b < B; b++) sw += (double)dOut[((size_t)t * B + b) * C + c] * x[((size_t)b * F + f) * T + t + k];
        size_t wi = ((size_t)c * F + f) * K + k;
        dw[wi] = (float)((double)dw[wi] + sw);
      }
  }
  for (int b = 0; b < B; b++)
    for (int f = 0; f < F; f++)
      for (int tt = 0; tt < T; tt++) {
        double s = 0;
        for (int k = 0; k < K; k++) {
          const int t = tt - k;
          if (t < 0 || t >= Tout) continue;
          for (int c = 0; c < C; c++) s += (double)dOut[((size_t)t * B + b) * C + c] * w[((size_t)c * F + f) * K + k];
        }
        size_t xi = ((size_t)b * F + f) * T + tt;
        dx[xi] = (float)((double)dx[xi] + s);
      }
}

static inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

void refLstmCellForward(float* gates, const float* cPrev, float* c, float* h, float* tanhC, int B, int H) {
  for (int b = 0; b < B; b++) {
    float* g = gates + (size_t)b * 4 * H;
    const size_t r = (size_t)b * H;
    for (int j = 0; j < H; j++) {
      g[j] = (float)sigmoid(g[j]);
      g[H + j] = (float)sigmoid(g[H + j]);
      g[2 * H + j] = (float)std::tanh((double)g[2 * H + j]);
      g[3 * H + j] = (float)sigmoid(g[3 * H + j]);
      c[r + j] = (float)((double)g[H + j] * cPrev[r + j] + (double)g[j] * g[2 * H + j]);
      tanhC[r + j] = (float)std::tanh((double)c[r + j]);
      h[r + j] = (float)((double)g[3 * H + j] * tanhC[r + j]);
    }
  }
}

void refLstmCellBackward(float* dGates, const float* acts, const float* cPrev, const float* tanhC, const float* dH,
                         float* dC, int B, int H) {
  for (int b = 0; b < B; b++) {
    const float* a = acts + (size_t)b * 4 * H;
    float* d = dGates + (size_t)b * 4 * H;
    const size_t r = (size_t)b * H;
    for (int j = 0; j < H; j++) {
      const double i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j];
      const double tc = tanhC[r + j], dh = dH[r + j];
      const double dCell = dC[r + j] + dh * o * (1 - tc * tc);
      d[j] = (float)(dCell * g * i * (1 - i));
      d[H + j] = (float)(dCell * cPrev[r + j] * f * (1 - f));
      d[2 * H + j] = (float)(dCell * i * (1 - g * g));
      d[3 * H + j] = (float)(dh * tc * o * (1 - o));
      dC[r + j] = (float)(dCell * f);
    }
  }
}

}  // namespace salescast
