// Node-API entry points of the "fast" engine backend (src/engine/backends/fast.ts loads this).
//
// Context-aware (NAPI_MODULE_INIT): vitest and `train --all` load it from worker threads, and
// each JavaScript thread gets its own helper thread and state through napi instance data.
//
// The fused network splits a batch of 8 or more rows into two chunks, always the same way for
// the same batch size, and sums the chunks' gradients in a fixed order: the results do not
// depend on how many cores ran the chunks, only on the inputs.
#include "napi_args.hpp"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "instance.hpp"
#include "network.hpp"

// Bumped whenever an entry point changes; fast.ts refuses an addon built from other sources.
#define SALESCAST_ADDON_ABI 3

namespace salescast {
namespace {

// ------------------------------------------------------------------ CPU dispatch

// SALESCAST_NATIVE_KERNELS=generic forces the baseline kernels (to test them on an AVX2 machine).
const KernelSet& pickKernels() {
  const char* forced = std::getenv("SALESCAST_NATIVE_KERNELS");
  if (forced && std::strcmp(forced, "generic") == 0) return generic::kernels;
#if defined(__x86_64__) && defined(SALESCAST_HAVE_AVX2)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return avx2::kernels;
#endif
  return generic::kernels;
}

int configuredThreads() {
  const char* env = std::getenv("SALESCAST_THREADS");
  int hw = (int)std::thread::hardware_concurrency();
  int n = env && *env ? std::atoi(env) : (hw > 0 ? hw : 1);
  return n >= 2 ? 2 : 1;
}

// ------------------------------------------------------------------ the fused network

constexpr int SPLIT_MIN_ROWS = 8;   // below this one chunk: a thread hand-off costs more than it saves
constexpr int TRANSPOSE_MIN_ROWS = 8;  // below this the products use W as stored (see PreparedWeights)

struct Network {
  NetShape shape;
  ParamOffsets offsets;
  PreparedWeights prepared;
  ChunkWorkspace train[2], infer[2];
  int trainChunks = 0;     // chunks of the last training forward (0: none yet)
  int trainSplit = 0;      // rows in chunk 0
};

void transposeInto(std::vector<float>& out, const float* in, int rows, int cols) {
  out.resize((size_t)rows * cols);
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) out[(size_t)c * rows + r] = in[(size_t)r * cols + c];
}

// forTraining: the optimiser has just changed the weights, so comparing and keeping a snapshot
// would only cost a copy per batch; the transposes are rebuilt and the snapshot dropped.
void prepareWeights(Network& net, const float* P, bool transposed, bool forTraining) {
  const NetShape& s = net.shape;
  PreparedWeights& pw = net.prepared;
  const int G = 4 * s.H;
  pw.convWT.resize((size_t)s.F * s.K * s.C);
  for (int c = 0; c < s.C; c++)
    for (int fk = 0; fk < s.F * s.K; fk++) pw.convWT[(size_t)fk * s.C + c] = P[net.offsets.convW + (size_t)c * s.F * s.K + fk];
  pw.biasSum.resize(s.L);
  for (int l = 0; l < s.L; l++) {
    const LayerOffsets& lo = net.offsets.lstm[l];
    pw.biasSum[l].resize(G);
    for (int g = 0; g < G; g++) pw.biasSum[l][g] = P[lo.bIh + g] + P[lo.bHh + g];
  }
  pw.transposed = transposed;
  if (!transposed) return;
  const size_t count = net.offsets.total;
  if (forTraining) {
    pw.snapshot.clear();
  } else {
    if (pw.snapshot.size() == count && std::memcmp(pw.snapshot.data(), P, sizeof(float) * count) == 0) return;
    pw.snapshot.assign(P, P + count);
  }
  pw.wIhT.resize(s.L);
  pw.wHhT.resize(s.L);
  for (int l = 0; l < s.L; l++) {
    const LayerOffsets& lo = net.offsets.lstm[l];
    transposeInto(pw.wIhT[l], P + lo.wIh, G, lo.In);
    transposeInto(pw.wHhT[l], P + lo.wHh, G, s.H);
  }
}

// Runs fn(jobs[0]) here and fn(jobs[1]) on the helper thread when there is one.
template <typename Job>
void runPair(Instance* inst, void (*fn)(const Job&), Job* jobs) {
  Helper* helper = inst->getHelper();
  if (!helper) {
    fn(jobs[0]);
    fn(jobs[1]);
    return;
  }
  struct Call {
    void (*fn)(const Job&);
    Job* job;
  } call{fn, &jobs[1]};
  helper->start([](void* p) { auto* c = static_cast<Call*>(p); c->fn(*c->job); }, &call);
  fn(jobs[0]);
  helper->wait();
}

void runChunks(Instance* inst, void (*fn)(const ChunkJob&), ChunkJob* jobs, int chunks) {
  if (chunks == 1) return fn(jobs[0]);
  runPair(inst, fn, jobs);
}

// ------------------------------------------------------------------ entry points

// createNetwork(F, T, C, H, L, O, K) -> handle; the parameter count comes from networkParameterCount.
NAPI_FN(createNetwork) {
  GUARD_BEGIN
  Args a(env, info, 7, "createNetwork");
  NetShape s{a.integer(0, "F"), a.integer(1, "T"), a.integer(2, "C"), a.integer(3, "H"), a.integer(4, "L"), a.integer(5, "O"), a.integer(6, "K")};
  if (s.F < 1 || s.C < 1 || s.H < 1 || s.L < 1 || s.O < 1 || s.K < 1 || s.T < s.K) throwError(env, "createNetwork: invalid shape");
  Network* net = new Network();
  net->shape = s;
  net->offsets = computeOffsets(s);
  napi_value handle;
  napi_status st = napi_create_external(env, net, [](napi_env, void* p, void*) { delete static_cast<Network*>(p); }, nullptr, &handle);
  if (st != napi_ok) {
    delete net;
    throwError(env, "createNetwork: cannot create the handle");
  }
  return handle;
  GUARD_END
}

NAPI_FN(networkParameterCount) {
  GUARD_BEGIN
  Args a(env, info, 1, "networkParameterCount");
  napi_value out;
  napi_create_double(env, (double)static_cast<Network*>(a.external(0, "a network handle"))->offsets.total, &out);
  return out;
  GUARD_END
}

// networkForward(net, params, x, batch, y, keepForBackward)
NAPI_FN(networkForward) {
  GUARD_BEGIN
  Args a(env, info, 6, "networkForward");
  Network* net = static_cast<Network*>(a.external(0, "a network handle"));
  const NetShape& s = net->shape;
  const float* P = a.floats(1, net->offsets.total, "params");
  const int batch = a.integer(3, "batch");
  if (batch < 1) throwError(env, "networkForward: batch must be at least 1");
  const float* x = a.floats(2, (size_t)batch * s.F * s.T, "x");
  float* y = a.floats(4, (size_t)batch * s.O, "y");
  const bool keep = a.flag(5);
  ChunkWorkspace* wss = keep ? net->train : net->infer;
  const int chunks = batch >= SPLIT_MIN_ROWS ? 2 : 1;
  const int split = chunks == 2 ? (batch + 1) / 2 : batch;
  prepareWeights(*net, P, batch >= TRANSPOSE_MIN_ROWS, keep);
  ChunkJob jobs[2];
  for (int c = 0; c < chunks; c++) {
    const int start = c == 0 ? 0 : split;
    const int rows = c == 0 ? split : batch - split;
    ensureCapacity(wss[c], s, net->offsets.total, rows, keep);
    jobs[c] = ChunkJob{&s, &net->offsets, &net->prepared, P, &wss[c], rows,
                       x + (size_t)start * s.F * s.T, y + (size_t)start * s.O, nullptr, nullptr};
  }
  if (keep) net->trainChunks = 0;  // invalid until this forward completes
  runChunks(static_cast<Instance*>(a.data), static_cast<Instance*>(a.data)->kernels->forwardChunk, jobs, chunks);
  if (keep) {
    net->trainChunks = chunks;
    net->trainSplit = split;
  }
  return nullptr;
  GUARD_END
}

// networkBackward(net, params, grad, dOut, dInput): grad += dLoss/dparams, dInput = dLoss/dx.
NAPI_FN(networkBackward) {
  GUARD_BEGIN
  Args a(env, info, 5, "networkBackward");
  Network* net = static_cast<Network*>(a.external(0, "a network handle"));
  const NetShape& s = net->shape;
  const int chunks = net->trainChunks;
  if (chunks == 0) throwError(env, "networkBackward: no training forward to go back through");
  const int batch = net->train[0].rows + (chunks == 2 ? net->train[1].rows : 0);
  const size_t P = net->offsets.total;
  const float* params = a.floats(1, P, "params");
  float* grad = a.floats(2, P, "grad");
  const float* dOut = a.floats(3, (size_t)batch * s.O, "dOut");
  float* dInput = a.floats(4, (size_t)batch * s.F * s.T, "dInput");
  ChunkJob jobs[2];
  for (int c = 0; c < chunks; c++) {
    const int start = c == 0 ? 0 : net->trainSplit;
    jobs[c] = ChunkJob{&s, &net->offsets, &net->prepared, params, &net->train[c], net->train[c].rows,
                       nullptr, nullptr, dOut + (size_t)start * s.O, dInput + (size_t)start * s.F * s.T};
  }
  runChunks(static_cast<Instance*>(a.data), static_cast<Instance*>(a.data)->kernels->backwardChunk, jobs, chunks);
  const float* g0 = net->train[0].grad.data();
  if (chunks == 2) {
    const float* g1 = net->train[1].grad.data();
    for (size_t i = 0; i < P; i++) grad[i] += g0[i] + g1[i];
  } else {
    for (size_t i = 0; i < P; i++) grad[i] += g0[i];
  }
  return nullptr;
  GUARD_END
}
// setThreads(n): 1 or 2 threads for this JS thread's fused calls (fast.ts uses 1 in worker
// threads, whose pool already spreads work over the cores).
NAPI_FN(setThreads) {
  GUARD_BEGIN
  Args a(env, info, 1, "setThreads");
  const int n = a.integer(0, "threads");
  static_cast<Instance*>(a.data)->threads = n >= 2 ? 2 : 1;
  return nullptr;
  GUARD_END
}

NAPI_FN(describe) {
  GUARD_BEGIN
  Args a(env, info, 0, "describe");
  napi_value out, variant, threads, abi;
  napi_create_object(env, &out);
  napi_create_int32(env, SALESCAST_ADDON_ABI, &abi);
  napi_set_named_property(env, out, "abi", abi);
  napi_create_string_utf8(env, static_cast<Instance*>(a.data)->kernels->name, NAPI_AUTO_LENGTH, &variant);
  napi_create_int32(env, static_cast<Instance*>(a.data)->threads, &threads);
  napi_set_named_property(env, out, "variant", variant);
  napi_set_named_property(env, out, "threads", threads);
  return out;
  GUARD_END
}

}  // namespace
}  // namespace salescast

NAPI_MODULE_INIT() {
  using namespace salescast;
  auto* inst = new Instance{&pickKernels(), configuredThreads(), nullptr};
  napi_set_instance_data(env, inst, [](napi_env, void* p, void*) { delete static_cast<Instance*>(p); }, nullptr);
  const napi_property_descriptor props[] = {
      {"createNetwork", nullptr, createNetwork, nullptr, nullptr, nullptr, napi_default, inst},
      {"networkParameterCount", nullptr, networkParameterCount, nullptr, nullptr, nullptr, napi_default, inst},
      {"networkForward", nullptr, networkForward, nullptr, nullptr, nullptr, napi_default, inst},
      {"networkBackward", nullptr, networkBackward, nullptr, nullptr, nullptr, napi_default, inst},
      {"setThreads", nullptr, setThreads, nullptr, nullptr, nullptr, napi_default, inst},
      {"describe", nullptr, describe, nullptr, nullptr, nullptr, napi_default, inst},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  defineKernelBindings(env, exports);
  defineGbdtBindings(env, exports, inst);
  return exports;
}
