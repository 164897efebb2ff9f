// Adam's update, the loop of src/engine/adam.ts step() operation for operation. Compiled with
// -ffp-contract=off: a fused multiply-add would round differently from JavaScript.
#include <cmath>

#include "reference_kernels.hpp"

namespace salescast {

// The loop is dominated by double square roots and divisions: the AVX2 clone does four at a
// time (the same IEEE operations, so the same results), the default clone runs anywhere.
#if defined(__x86_64__) && defined(__GLIBC__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void adamUpdate(float* p, const float* grad, float* m, float* v, size_t n, double beta1, double beta2, double eps,
                double weightDecay, double stepSize, double correction2Sqrt) {
  const double oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2;
  for (size_t i = 0; i < n; i++) {
    const double g = weightDecay == 0 ? (double)grad[i] : (double)grad[i] + weightDecay * (double)p[i];
    m[i] = (float)(beta1 * (double)m[i] + oneMinusBeta1 * g);
    v[i] = (float)(beta2 * (double)v[i] + oneMinusBeta2 * g * g);
    const double denom = std::sqrt((double)v[i]) / correction2Sqrt + eps;
    p[i] = (float)((double)p[i] - (stepSize * (double)m[i]) / denom);
  }
}

}  // namespace salescast
