// The whole CNN+LSTM network for one chunk of a batch, as the fused path of the "fast" backend
// runs it: shapes, where each tensor sits in the flat parameter array (PyTorch's
// named_parameters() order, the same as src/engine/model.ts parameterLayout()), the buffers a
// chunk keeps between forward and backward, and the kernel set compiled once per CPU variant.
#pragma once
#include <cstddef>
#include <vector>

namespace salescast {

struct NetShape {
  int F, T, C, H, L, O, K;  // inputs, window, conv channels, hidden, layers, outputs, conv kernel
  int Tc() const { return T - K + 1; }
};

struct LayerOffsets {
  size_t wIh, wHh, bIh, bHh;
  int In;
};

struct ParamOffsets {
  size_t convW = 0, convB = 0, fcW = 0, fcB = 0, total = 0;
  std::vector<LayerOffsets> lstm;
};

ParamOffsets computeOffsets(const NetShape& s);

// The weights rearranged for the kernels. The optimiser (or anyone) may change the parameters
// between calls, so each forward checks: the transposes for batches of 8+ rows are kept with a
// snapshot of the parameters they came from and rebuilt on any difference (a memcmp, ~3 µs,
// small next to such a batch); small batches skip them and multiply by W as stored.
struct PreparedWeights {
  bool transposed = false;                   // this forward uses wIhT/wHhT
  std::vector<float> snapshot;               // the parameters wIhT/wHhT were built from
  std::vector<float> convWT;                 // [F*K, C]
  std::vector<std::vector<float>> wIhT;      // per layer [In, 4H]
  std::vector<std::vector<float>> wHhT;      // per layer [H, 4H]
  std::vector<std::vector<float>> biasSum;   // per layer [4H] = b_ih + b_hh
};

struct LayerBuffers {
  std::vector<float> gates;    // [Tc, b, 4H] activated gates
  std::vector<float> h, c;     // [Tc+1, b, H], index 0 is the zero initial state
  std::vector<float> tanhC;    // [Tc, b, H]
  std::vector<float> dOutput;  // [Tc, b, H] gradient w.r.t. h_t (training only)
  std::vector<float> dGates;   // [Tc, b, 4H] (training only)
  std::vector<float> dC;       // [b, H] (training only)
};

// Everything one chunk (a contiguous run of batch rows) needs; grows, never shrinks, so a
// steady batch size allocates nothing after the first call.
struct ChunkWorkspace {
  int capacity = 0;
  bool withGradients = false;
  int rows = 0;                // rows of the last forward
  std::vector<float> x;        // [b, F, T] copy of the input (the conv backward reads it)
  std::vector<float> conv;     // [Tc, b, C] relu(conv(x))
  std::vector<float> dConv;    // [Tc, b, C]
  std::vector<LayerBuffers> layers;
  std::vector<float> grad;     // [P] this chunk's parameter gradients
  std::vector<float> dwT;      // [F*K, C] scratch
  std::vector<float> colSum;   // [4H] scratch
};

void ensureCapacity(ChunkWorkspace& ws, const NetShape& s, size_t paramCount, int rows, bool withGradients);

struct ChunkJob {
  const NetShape* shape;
  const ParamOffsets* offsets;
  const PreparedWeights* prepared;
  const float* params;
  ChunkWorkspace* ws;
  int rows;
  const float* x;       // forward: [rows, F, T]
  float* y;             // forward: [rows, O]
  const float* dOut;    // backward: [rows, O]
  float* dInput;        // backward: [rows, F, T], overwritten
};

struct KernelSet {
  const char* name;
  void (*forwardChunk)(const ChunkJob& job);
  void (*backwardChunk)(const ChunkJob& job);
};

namespace avx2 { extern const KernelSet kernels; }
namespace generic { extern const KernelSet kernels; }

}  // namespace salescast
