// Per-kernel entry points with the Backend interface's contract (double sums, one store).
#pragma once
#include <cstddef>

namespace salescast {
void refMatmul(float* out, const float* a, const float* b, int M, int K, int N, bool acc);
void refMatmulBt(float* out, const float* a, const float* b, int M, int K, int N, bool acc);
void refMatmulAt(float* out, const float* a, const float* b, int M, int K, int N, bool acc);
void refAddRowVector(float* out, const float* v, int M, int N);
void refSumRows(float* out, const float* a, int M, int N);
void refReluForward(float* x, size_t n);
void refReluBackward(float* d, const float* out, size_t n);
void refConv1dForward(float* out, const float* x, const float* w, const float* bias, int B, int F, int T, int C, int K);
void refConv1dBackward(float* dx, float* dw, float* dbias, const float* dOut, const float* x, const float* w,
                       int B, int F, int T, int C, int K);
void refLstmCellForward(float* gates, const float* cPrev, float* c, float* h, float* tanhC, int B, int H);
void refLstmCellBackward(float* dGates, const float* acts, const float* cPrev, const float* tanhC, const float* dH,
                         float* dC, int B, int H);
// Adam's update exactly as src/engine/adam.ts computes it (double arithmetic, float32 storage):
// built with -ffp-contract=off so the results are bit for bit those of the TypeScript loop.
void adamUpdate(float* p, const float* grad, float* m, float* v, size_t n, double beta1, double beta2, double eps,
                double weightDecay, double stepSize, double correction2Sqrt);
}  // namespace salescast
