// The per-kernel entry points of the Backend interface (matmul, conv, LSTM cell, ...) and
// Adam's update, for callers that drive the layers one kernel at a time.
#include "napi_args.hpp"
#include "reference_kernels.hpp"

namespace salescast {
namespace {

NAPI_FN(matmulAny) {
  GUARD_BEGIN
  Args a(env, info, 8, "matmul");
  const int M = a.integer(3, "M"), K = a.integer(4, "K"), N = a.integer(5, "N");
  const bool acc = a.flag(6);
  const int which = a.integer(7, "variant");
  float* out = a.floats(0, (size_t)M * N, "out");
  const float* A = a.floats(1, (size_t)M * K, "a");
  const float* B = a.floats(2, (size_t)K * N, "b");
  if (which == 0) refMatmul(out, A, B, M, K, N, acc);
  else if (which == 1) refMatmulBt(out, A, B, M, K, N, acc);
  else refMatmulAt(out, A, B, M, K, N, acc);
  return nullptr;
  GUARD_END
}

NAPI_FN(addRowVector) {
  GUARD_BEGIN
  Args a(env, info, 4, "addRowVector");
  const int M = a.integer(2, "M"), N = a.integer(3, "N");
  refAddRowVector(a.floats(0, (size_t)M * N, "out"), a.floats(1, N, "v"), M, N);
  return nullptr;
  GUARD_END
}

NAPI_FN(sumRows) {
  GUARD_BEGIN
  Args a(env, info, 4, "sumRows");
  const int M = a.integer(2, "M"), N = a.integer(3, "N");
  refSumRows(a.floats(0, N, "out"), a.floats(1, (size_t)M * N, "a"), M, N);
  return nullptr;
  GUARD_END
}

NAPI_FN(reluForward) {
  GUARD_BEGIN
  Args a(env, info, 2, "reluForward");
  const int n = a.integer(1, "n");
  refReluForward(a.floats(0, n, "x"), n);
  return nullptr;
  GUARD_END
}

NAPI_FN(reluBackward) {
  GUARD_BEGIN
  Args a(env, info, 3, "reluBackward");
  const int n = a.integer(2, "n");
  refReluBackward(a.floats(0, n, "d"), a.floats(1, n, "out"), n);
  return nullptr;
  GUARD_END
}

NAPI_FN(conv1dForward) {
  GUARD_BEGIN
  Args a(env, info, 9, "conv1dForward");
  const int B = a.integer(4, "B"), F = a.integer(5, "F"), T = a.integer(6, "T"), C = a.integer(7, "C"), K = a.integer(8, "K");
  if (T < K) throwError(env, "conv1dForward: T must be at least K");
  refConv1dForward(a.floats(0, (size_t)(T - K + 1) * B * C, "out"), a.floats(1, (size_t)B * F * T, "x"),
                   a.floats(2, (size_t)C * F * K, "w"), a.floats(3, C, "bias"), B, F, T, C, K);
  return nullptr;
  GUARD_END
}

NAPI_FN(conv1dBackward) {
  GUARD_BEGIN
  Args a(env, info, 11, "conv1dBackward");
  const int B = a.integer(6, "B"), F = a.integer(7, "F"), T = a.integer(8, "T"), C = a.integer(9, "C"), K = a.integer(10, "K");
  if (T < K) throwError(env, "conv1dBackward: T must be at least K");
  refConv1dBackward(a.floats(0, (size_t)B * F * T, "dx"), a.floats(1, (size_t)C * F * K, "dw"), a.floats(2, C, "dbias"),
                    a.floats(3, (size_t)(T - K + 1) * B * C, "dOut"), a.floats(4, (size_t)B * F * T, "x"),
                    a.floats(5, (size_t)C * F * K, "w"), B, F, T, C, K);
  return nullptr;
  GUARD_END
}

NAPI_FN(lstmCellForward) {
  GUARD_BEGIN
  Args a(env, info, 7, "lstmCellForward");
  const int B = a.integer(5, "B"), H = a.integer(6, "H");
  const size_t n = (size_t)B * H;
  refLstmCellForward(a.floats(0, 4 * n, "gates"), a.floats(1, n, "cPrev"), a.floats(2, n, "c"), a.floats(3, n, "h"),
                     a.floats(4, n, "tanhC"), B, H);
  return nullptr;
  GUARD_END
}

NAPI_FN(lstmCellBackward) {
  GUARD_BEGIN
  Args a(env, info, 8, "lstmCellBackward");
  const int B = a.integer(6, "B"), H = a.integer(7, "H");
  const size_t n = (size_t)B * H;
  refLstmCellBackward(a.floats(0, 4 * n, "dGates"), a.floats(1, 4 * n, "acts"), a.floats(2, n, "cPrev"),
                      a.floats(3, n, "tanhC"), a.floats(4, n, "dH"), a.floats(5, n, "dC"), B, H);
  return nullptr;
  GUARD_END
}

// adamUpdate(p, grad, m, v, beta1, beta2, eps, weightDecay, stepSize, correction2Sqrt)
NAPI_FN(adam) {
  GUARD_BEGIN
  Args a(env, info, 10, "adamUpdate");
  bool isTyped = false;
  napi_is_typedarray(env, a.values[0], &isTyped);
  if (!isTyped) throwError(env, "adamUpdate: p must be a Float32Array");
  napi_typedarray_type type;
  size_t n;
  void* data;
  check(env, napi_get_typedarray_info(env, a.values[0], &type, &n, &data, nullptr, nullptr), "typed array");
  // One thread: waking the helper costs more than half of this loop on a busy machine.
  adamUpdate(a.floats(0, n, "p"), a.floats(1, n, "grad"), a.floats(2, n, "m"), a.floats(3, n, "v"), n,
             a.number(4, "beta1"), a.number(5, "beta2"), a.number(6, "eps"), a.number(7, "weightDecay"),
             a.number(8, "stepSize"), a.number(9, "correction2Sqrt"));
  return nullptr;
  GUARD_END
}

}  // namespace

void defineKernelBindings(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"matmul", nullptr, matmulAny, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addRowVector", nullptr, addRowVector, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumRows", nullptr, sumRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluForward", nullptr, reluForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluBackward", nullptr, reluBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv1dForward", nullptr, conv1dForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv1dBackward", nullptr, conv1dBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmCellForward", nullptr, lstmCellForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmCellBackward", nullptr, lstmCellBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, adam, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace salescast
