// SIMD building blocks of the fused network: vector types (GCC vector extensions: AVX2+FMA in
// the avx2 build, SSE2 in the baseline one), exp/sigmoid/tanh, and the matrix products.
//
// Included by network_kernels.cpp INSIDE its per-variant anonymous namespace, so each variant
// gets its own copy compiled with its own instruction set; include it nowhere else.
#pragma once

typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4), may_alias));
typedef int v8i __attribute__((vector_size(32)));

inline v8 ld(const float* p) { return *reinterpret_cast<const v8u*>(p); }
inline void st(float* p, v8 v) { *reinterpret_cast<v8u*>(p) = v; }
inline v8 splat(float x) { return v8{x, x, x, x, x, x, x, x}; }

typedef float v4 __attribute__((vector_size(16)));
typedef float v4u __attribute__((vector_size(16), aligned(4), may_alias));
inline v4 ld4(const float* p) { return *reinterpret_cast<const v4u*>(p); }
inline void st4(float* p, v4 v) { *reinterpret_cast<v4u*>(p) = v; }

// ---------------------------------------------------------------- transcendental functions

// exp(x) for float32 lanes, Cephes' expf: range reduction by ln 2, degree-5 polynomial,
// scaling by 2^n through the exponent bits. Relative error ~1 ulp over the clamped range.
#if defined(__AVX__)
inline v8 vmin(v8 a, v8 b) { return __builtin_ia32_minps256(a, b); }
inline v8 vmax(v8 a, v8 b) { return __builtin_ia32_maxps256(a, b); }
inline v8 vfloor(v8 a) { return __builtin_ia32_roundps256(a, 0x09); }  // toward -inf, no exceptions
#else
inline v8 vmin(v8 a, v8 b) { return a < b ? a : b; }
inline v8 vmax(v8 a, v8 b) { return a > b ? a : b; }
inline v8 vfloor(v8 a) {
  v8 t = __builtin_convertvector(__builtin_convertvector(a, v8i), v8);
  return t > a ? t - splat(1.0f) : t;
}
#endif

inline v8 vexp(v8 x) {
  x = vmax(vmin(x, splat(88.3762626647949f)), splat(-87.3365447504f));
  v8 fx = x * splat(1.44269504088896341f) + splat(0.5f);
  v8 tf = vfloor(fx);
  x = x - tf * splat(0.693359375f) - tf * splat(-2.12194440e-4f);
  v8 z = x * x;
  v8 y = splat(1.9875691500e-4f);
  y = y * x + splat(1.3981999507e-3f);
  y = y * x + splat(8.3334519073e-3f);
  y = y * x + splat(4.1665795894e-2f);
  y = y * x + splat(1.6666665459e-1f);
  y = y * x + splat(5.0000001201e-1f);
  y = y * z + x + splat(1.0f);
  v8i n = __builtin_convertvector(tf, v8i);
  v8i bits = (n + 127) << 23;
  return y * reinterpret_cast<v8&>(bits);
}

inline v8 vsigmoid(v8 x) { return splat(1.0f) / (splat(1.0f) + vexp(-x)); }

// tanh(x) = sign(x)·(1 - e)/(1 + e), e = exp(-2|x|): no overflow for large |x|; the absolute
// error near 0 stays at float32 rounding of 1.
inline v8 vtanh(v8 x) {
  v8 ax = x < splat(0.0f) ? -x : x;
  v8 e = vexp(splat(-2.0f) * ax);
  v8 t = (splat(1.0f) - e) / (splat(1.0f) + e);
  return x < splat(0.0f) ? -t : t;
}

inline float ssigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// ---------------------------------------------------------------- matrix products

// C[i*ldc + j] (= or +=) Σ_k A[i*ars + k*acs] · B[k*ldb + j] for an MR × 8·NV tile: the
// accumulators stay in registers, each B row is loaded once per k and used MR times.
template <int MR, int NV>
inline void tile(float* C, int ldc, const float* A, int ars, int acs, const float* B, int ldb, int K, bool acc) {
  v8 c[MR][NV];
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) c[r][v] = acc ? ld(C + (size_t)r * ldc + 8 * v) : splat(0.0f);
  for (int k = 0; k < K; k++) {
    const float* b = B + (size_t)k * ldb;
    v8 bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = ld(b + 8 * v);
    const float* a = A + (size_t)k * acs;
    for (int r = 0; r < MR; r++) {
      v8 av = splat(a[(size_t)r * ars]);
      for (int v = 0; v < NV; v++) c[r][v] += av * bv[v];
    }
  }
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) st(C + (size_t)r * ldc + 8 * v, c[r][v]);
}

template <int NV>
inline void tileRows(float* C, int ldc, const float* A, int ars, int acs, const float* B, int ldb, int M, int K, bool acc) {
  int i = 0;
  for (; i + 6 <= M; i += 6) tile<6, NV>(C + (size_t)i * ldc, ldc, A + (size_t)i * ars, ars, acs, B, ldb, K, acc);
  float* Ci = C + (size_t)i * ldc;
  const float* Ai = A + (size_t)i * ars;
  switch (M - i) {
    case 5: tile<5, NV>(Ci, ldc, Ai, ars, acs, B, ldb, K, acc); break;
    case 4: tile<4, NV>(Ci, ldc, Ai, ars, acs, B, ldb, K, acc); break;
    case 3: tile<3, NV>(Ci, ldc, Ai, ars, acs, B, ldb, K, acc); break;
    case 2: tile<2, NV>(Ci, ldc, Ai, ars, acs, B, ldb, K, acc); break;
    case 1: tile<1, NV>(Ci, ldc, Ai, ars, acs, B, ldb, K, acc); break;
    default: break;
  }
}

// C[M,N] (= or +=) A·B with A(i,k) = A[i*ars + k*acs] (row-major A: ars=K, acs=1; Aᵀ of a
// [K,M] matrix: ars=1, acs=M) and B row-major [K, ldb].
void gemm(float* C, int ldc, const float* A, int ars, int acs, const float* B, int ldb, int M, int K, int N, bool acc) {
  int j = 0;
  // One to three rows (one window's recurrent step): wider tiles, so that 8 or more independent
  // accumulators hide the FMA latency.
  if (M == 1) {
    for (; j + 64 <= N; j += 64) tile<1, 8>(C + j, ldc, A, ars, acs, B + j, ldb, K, acc);
  } else if (M <= 3) {
    for (; j + 32 <= N; j += 32) {
      if (M == 2) tile<2, 4>(C + j, ldc, A, ars, acs, B + j, ldb, K, acc);
      else tile<3, 4>(C + j, ldc, A, ars, acs, B + j, ldb, K, acc);
    }
  }
  for (; j + 16 <= N; j += 16) tileRows<2>(C + j, ldc, A, ars, acs, B + j, ldb, M, K, acc);
  for (; j + 8 <= N; j += 8) tileRows<1>(C + j, ldc, A, ars, acs, B + j, ldb, M, K, acc);
  for (; j < N; j++) {
    for (int i = 0; i < M; i++) {
      float s = acc ? C[(size_t)i * ldc + j] : 0.0f;
      for (int k = 0; k < K; k++) s += A[(size_t)i * ars + (size_t)k * acs] * B[(size_t)k * ldb + j];
      C[(size_t)i * ldc + j] = s;
    }
  }
}

// Lane j of the result is the sum of the lanes of s[j] (8 horizontal sums at once).
#if defined(__clang__)
#define SHUFFLE8(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#else
#define SHUFFLE8(a, b, ...) __builtin_shuffle(a, b, v8i{__VA_ARGS__})
#endif
// pairwise sums within 128-bit lanes, like _mm256_hadd_ps
#define HADD8(a, b) (SHUFFLE8(a, b, 0, 2, 8, 10, 4, 6, 12, 14) + SHUFFLE8(a, b, 1, 3, 9, 11, 5, 7, 13, 15))

inline v8 hsum8(const v8* s) {
  v8 t0 = HADD8(s[0], s[1]), t1 = HADD8(s[2], s[3]), t2 = HADD8(s[4], s[5]), t3 = HADD8(s[6], s[7]);
  v8 u0 = HADD8(t0, t1), u1 = HADD8(t2, t3);
  return SHUFFLE8(u0, u1, 0, 1, 2, 3, 8, 9, 10, 11) + SHUFFLE8(u0, u1, 4, 5, 6, 7, 12, 13, 14, 15);
}

// C[M,N] += A[M,K] · W[N,K]ᵀ as dot products along k, on W as stored: for a few rows (one
// window) this beats transposing W first, which the register-tiled gemm() needs. Rows go in
// pairs so each W load serves two rows.
void gemmBt(float* C, int ldc, const float* A, int lda, const float* W, int M, int K, int N) {
  const int K8 = K & ~7;
  int i = 0;
  for (; i + 2 <= M; i += 2) {
    const float* a0 = A + (size_t)i * lda;
    const float* a1 = a0 + lda;
    float* c0 = C + (size_t)i * ldc;
    float* c1 = c0 + ldc;
    const int groups = N / 4;
    for (int g = 0; g < groups; g++) {
      const int j = 4 * g;
      v8 s[8];
      for (int q = 0; q < 8; q++) s[q] = splat(0.0f);
      for (int k = 0; k < K8; k += 8) {
        v8 x0 = ld(a0 + k), x1 = ld(a1 + k);
        for (int q = 0; q < 4; q++) {
          v8 w = ld(W + (size_t)(j + q) * K + k);
          s[q] += x0 * w;
          s[4 + q] += x1 * w;
        }
      }
      v8 r = hsum8(s);  // lanes 0-3: row i, outputs j..j+3; lanes 4-7: row i+1
      for (int k = K8; k < K; k++) {
        v8 w{}, x{};
        for (int q = 0; q < 4; q++) {
          w[q] = w[4 + q] = W[(size_t)(j + q) * K + k];
          x[q] = a0[k];
          x[4 + q] = a1[k];
        }
        r += x * w;
      }
      v4 lo, hi;
      std::memcpy(&lo, &r, sizeof lo);
      std::memcpy(&hi, reinterpret_cast<const float*>(&r) + 4, sizeof hi);
      st4(c0 + j, ld4(c0 + j) + lo);
      st4(c1 + j, ld4(c1 + j) + hi);
    }
    for (int j = 4 * groups; j < N; j++) {
      float s0 = 0.0f, s1 = 0.0f;
      for (int k = 0; k < K; k++) {
        s0 += a0[k] * W[(size_t)j * K + k];
        s1 += a1[k] * W[(size_t)j * K + k];
      }
      c0[j] += s0;
      c1[j] += s1;
    }
  }
  for (; i < M; i++) {
    const float* a = A + (size_t)i * lda;
    float* c = C + (size_t)i * ldc;
    const int groups = N / 8;
    for (int g = 0; g < groups; g++) {
      const int j = 8 * g;
      v8 s[8];
      for (int q = 0; q < 8; q++) s[q] = splat(0.0f);
      for (int k = 0; k < K8; k += 8) {
        v8 av = ld(a + k);
        for (int q = 0; q < 8; q++) s[q] += av * ld(W + (size_t)(j + q) * K + k);
      }
      v8 r = hsum8(s) + ld(c + j);
      for (int k = K8; k < K; k++)
        for (int q = 0; q < 8; q++) r[q] += a[k] * W[(size_t)(j + q) * K + k];
      st(c + j, r);
    }
    for (int j = 8 * groups; j < N; j++) {
      float sum = 0.0f;
      for (int k = 0; k < K; k++) sum += a[k] * W[(size_t)j * K + k];
      c[j] += sum;
    }
  }
}
