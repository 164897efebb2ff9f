// Node-API entry points of the native GBDT learner (src/engine/gbdt/native-learner.ts):
// sorting the binning sample, binning feature values, creating a learner over binned data, growing one tree per call.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include <string>

#include "gbdt_learner.hpp"
#include "instance.hpp"
#include "napi_args.hpp"

namespace salescast {
namespace {

// Two threads when the instance has a helper (and the call did not ask for one).
struct HelperRunner : PairRunner {
  Instance* inst;
  explicit HelperRunner(Instance* i) : inst(i) {}
  void run(void (*fn)(void*, int), void* ctx) override {
    runBoth(inst, [&] { fn(ctx, 0); }, [&] { fn(ctx, 1); });
  }
};

// Sorts v[0..n) (no NaN) ascending: floats mapped to unsigned keys that order the same way
// (sign bit flipped for positives, all bits for negatives), then three 11-bit LSD radix passes.
void radixSortFloats(float* v, size_t n, std::vector<uint32_t>& keys, std::vector<uint32_t>& scratch) {
  for (size_t i = 0; i < n; i++) {
    uint32_t u;
    std::memcpy(&u, &v[i], 4);
    keys[i] = u ^ ((uint32_t)((int32_t)u >> 31) | 0x80000000u);
  }
  uint32_t* from = keys.data();
  uint32_t* to = scratch.data();
  for (int shift = 0; shift < 32; shift += 11) {
    size_t count[2049] = {0};
    for (size_t i = 0; i < n; i++) count[((from[i] >> shift) & 2047) + 1]++;
    for (int b = 0; b < 2048; b++) count[b + 1] += count[b];
    for (size_t i = 0; i < n; i++) to[count[(from[i] >> shift) & 2047]++] = from[i];
    std::swap(from, to);
  }
  for (size_t i = 0; i < n; i++) {
    const uint32_t k = from[i];
    const uint32_t u = k ^ (((k >> 31) - 1) | 0x80000000u);
    std::memcpy(&v[i], &u, 4);
  }
}

int callThreads(Instance* inst, int requested) { return requested == 1 ? 1 : requested >= 2 ? 2 : inst->threads; }

// gbdtBinFeatures(features, rows, cols, columnMajor, upperBounds, boundStart, hasNanBin, trivial, out, threads):
// out[c*rows + r] = the bin of feature c of row r (binning.ts valueToBin); trivial features are skipped.
NAPI_FN(gbdtBinFeatures) {
  GUARD_BEGIN
  Args a(env, info, 10, "gbdtBinFeatures");
  const int rows = a.integer(1, "rows"), cols = a.integer(2, "cols");
  const bool columnMajor = a.flag(3);
  const float* x = a.floats(0, (size_t)rows * cols, "features");
  const int32_t* start = a.typed<int32_t>(5, napi_int32_array, cols + 1, "boundStart", "Int32Array");
  const double* bounds = a.typed<double>(4, napi_float64_array, start[cols], "upperBounds", "Float64Array");
  const uint8_t* nan = a.typed<uint8_t>(6, napi_uint8_array, cols, "hasNanBin", "Uint8Array");
  const uint8_t* trivial = a.typed<uint8_t>(7, napi_uint8_array, cols, "trivial", "Uint8Array");
  uint8_t* out = a.typed<uint8_t>(8, napi_uint8_array, (size_t)rows * cols, "out", "Uint8Array");
  Instance* inst = static_cast<Instance*>(a.data);
  const int threads = callThreads(inst, a.integer(9, "threads"));
  // Rows in blocks, every feature of a block before the next: a row-major matrix is then read
  // once from memory, not once per feature.
  constexpr int BLOCK = 2048;
  auto part = [&](int firstRow, int lastRow) {
    for (int block = firstRow; block < lastRow; block += BLOCK)
    for (int c = 0; c < cols; c++) {
      if (trivial[c]) continue;
      const double* ub = bounds + start[c];
      const int valueBins = start[c + 1] - start[c];
      const int nanBin = nan[c] ? valueBins : -1;
      uint8_t* dst = out + (size_t)c * rows;
      const int end = std::min(lastRow, block + BLOCK);
      for (int r = block; r < end; r++) {
        double v = columnMajor ? x[(size_t)c * rows + r] : x[(size_t)r * cols + c];
        if (std::isnan(v)) {
          if (nanBin >= 0) {
            dst[r] = (uint8_t)nanBin;
            continue;
          }
          v = 0.0;
        }
        // The first bin whose bound is >= v (the last bound is +inf), without branches to mispredict.
        int lo = 0, len = valueBins;
        while (len > 1) {
          const int half = len >> 1;
          lo = ub[lo + half - 1] < v ? lo + half : lo;
          len -= half;
        }
        dst[r] = (uint8_t)lo;
      }
    }
  };
  if (threads >= 2 && rows >= 2 * BLOCK) {
    const int split = (rows / 2) / BLOCK * BLOCK;
    runBoth(inst, [&] { part(0, split); }, [&] { part(split, rows); });
  } else {
    part(0, rows);
  }
  return nullptr;
  GUARD_END
}

// gbdtSortSample(features, rows, cols, columnMajor, sample, out, threads): binning.ts sortSample:
// out[c*n .. c*n+n) = feature c of the n sample rows, ascending, NaN last.
NAPI_FN(gbdtSortSample) {
  GUARD_BEGIN
  Args a(env, info, 7, "gbdtSortSample");
  const int rows = a.integer(1, "rows"), cols = a.integer(2, "cols");
  const bool columnMajor = a.flag(3);
  const float* x = a.floats(0, (size_t)rows * cols, "features");
  size_t n = 0;
  {
    napi_typedarray_type type;
    void* data;
    check(env, napi_get_typedarray_info(env, a.values[4], &type, &n, &data, nullptr, nullptr), "sample");
  }
  const int32_t* sample = a.typed<int32_t>(4, napi_int32_array, n, "sample", "Int32Array");
  for (size_t i = 0; i < n; i++) if (sample[i] < 0 || sample[i] >= rows) throwError(env, "gbdtSortSample: sample rows out of range");
  float* out = a.floats(5, (size_t)cols * n, "out");
  Instance* inst = static_cast<Instance*>(a.data);
  const int threads = callThreads(inst, a.integer(6, "threads"));
  auto part = [&](int first, int last) {
    // Gather by blocks of sample rows, every feature of a row at once: a row-major matrix is read
    // once, not once per feature.
    constexpr size_t BLOCK = 1024;
    for (size_t start = 0; start < n; start += BLOCK) {
      const size_t end = std::min(n, start + BLOCK);
      for (int c = first; c < last; c++) {
        float* column = out + (size_t)c * n;
        for (size_t i = start; i < end; i++) column[i] = columnMajor ? x[(size_t)c * rows + sample[i]] : x[(size_t)sample[i] * cols + c];
      }
    }
    std::vector<uint32_t> keys(n), scratch(n);
    for (int c = first; c < last; c++) {
      float* column = out + (size_t)c * n;
      float* numbers = std::partition(column, column + n, [](float v) { return !std::isnan(v); });
      radixSortFloats(column, (size_t)(numbers - column), keys, scratch);
    }
  };
  if (threads >= 2 && cols >= 2) {
    const int split = (cols + 1) / 2;
    runBoth(inst, [&] { part(0, split); }, [&] { part(split, cols); });
  } else {
    part(0, cols);
  }
  return nullptr;
  GUARD_END
}

// gbdtCreateLearner(bins, rows, cols, numBins, hasNanBin, trivial, params) -> handle;
// params = [num_leaves, max_depth, min_data_in_leaf, min_sum_hessian_in_leaf, lambda_l1, lambda_l2, min_gain_to_split].
NAPI_FN(gbdtCreateLearner) {
  GUARD_BEGIN
  Args a(env, info, 7, "gbdtCreateLearner");
  const int rows = a.integer(1, "rows"), cols = a.integer(2, "cols");
  const uint8_t* bins = a.typed<uint8_t>(0, napi_uint8_array, (size_t)rows * cols, "bins", "Uint8Array");
  const int32_t* numBins = a.typed<int32_t>(3, napi_int32_array, cols, "numBins", "Int32Array");
  const uint8_t* nan = a.typed<uint8_t>(4, napi_uint8_array, cols, "hasNanBin", "Uint8Array");
  const uint8_t* trivial = a.typed<uint8_t>(5, napi_uint8_array, cols, "trivial", "Uint8Array");
  const double* pv = a.typed<double>(6, napi_float64_array, 7, "params", "Float64Array");
  GbdtTreeParams p{(int)pv[0], (int)pv[1], (int)pv[2], pv[3], pv[4], pv[5], pv[6]};
  if (p.numLeaves < 2 || rows < 1 || cols < 1) throwError(env, "gbdtCreateLearner: invalid shape or num_leaves");
  // The learner indexes histograms by these bins: every one must be inside its feature's bins.
  for (int c = 0; c < cols; c++) {
    if (trivial[c]) continue;
    if (numBins[c] < 1 || numBins[c] > 256) throwError(env, "gbdtCreateLearner: numBins must be in [1, 256]");
    const uint8_t* column = bins + (size_t)c * rows;
    uint8_t top = 0;
    for (int r = 0; r < rows; r++) top = column[r] > top ? column[r] : top;
    if (top >= numBins[c]) throwError(env, "gbdtCreateLearner: a bin is not below its feature's numBins");
  }
  GbdtBinnedData d;
  d.rows = rows;
  d.cols = cols;
  d.bins.assign(bins, bins + (size_t)rows * cols);
  d.numBins.assign(numBins, numBins + cols);
  d.hasNanBin.assign(nan, nan + cols);
  d.offsets.resize(cols + 1);
  d.offsets[0] = 0;
  for (int c = 0; c < cols; c++) d.offsets[c + 1] = d.offsets[c] + (trivial[c] ? 0 : numBins[c]);
  d.totalBins = d.offsets[cols];
  auto* learner = new GbdtLearner(std::move(d), p);
  napi_value handle;
  if (napi_create_external(env, learner, [](napi_env, void* q, void*) { delete static_cast<GbdtLearner*>(q); }, nullptr, &handle) != napi_ok) {
    delete learner;
    throwError(env, "gbdtCreateLearner: cannot create the handle");
  }
  return handle;
  GUARD_END
}

// gbdtGrow(learner, grad, hess, bag|null, bagCount, features, featureCount, threads,
//          splitFeature, thresholdBin, defaultLeft, leftChild, rightChild, splitGain,
//          leafValue, leafCount, leafDepth, leafOfRow) -> numLeaves
NAPI_FN(gbdtGrow) {
  GUARD_BEGIN
  Args a(env, info, 18, "gbdtGrow");
  auto* learner = static_cast<GbdtLearner*>(a.external(0, "a GBDT learner handle"));
  size_t rows = 0;
  {
    napi_typedarray_type type;
    void* data;
    check(env, napi_get_typedarray_info(env, a.values[17], &type, &rows, &data, nullptr, nullptr), "leafOfRow");
  }
  const float* grad = a.floats(1, rows, "gradients");
  const float* hess = a.floats(2, rows, "hessians");
  const int bagCount = a.integer(4, "bagCount");
  const int32_t* bag = a.isNull(3) ? nullptr : a.typed<int32_t>(3, napi_int32_array, bagCount, "bag", "Int32Array");
  const int featureCount = a.integer(6, "featureCount");
  const int32_t* features = a.typed<int32_t>(5, napi_int32_array, featureCount, "features", "Int32Array");
  Instance* inst = static_cast<Instance*>(a.data);
  const int threads = callThreads(inst, a.integer(7, "threads"));
  GbdtTreeOut out{};
  size_t internal = 0;
  {
    napi_typedarray_type type;
    void* data;
    check(env, napi_get_typedarray_info(env, a.values[8], &type, &internal, &data, nullptr, nullptr), "splitFeature");
  }
  out.splitFeature = a.typed<int32_t>(8, napi_int32_array, internal, "splitFeature", "Int32Array");
  out.thresholdBin = a.typed<int32_t>(9, napi_int32_array, internal, "thresholdBin", "Int32Array");
  out.defaultLeft = a.typed<uint8_t>(10, napi_uint8_array, internal, "defaultLeft", "Uint8Array");
  out.leftChild = a.typed<int32_t>(11, napi_int32_array, internal, "leftChild", "Int32Array");
  out.rightChild = a.typed<int32_t>(12, napi_int32_array, internal, "rightChild", "Int32Array");
  out.splitGain = a.typed<double>(13, napi_float64_array, internal, "splitGain", "Float64Array");
  out.leafValue = a.typed<double>(14, napi_float64_array, internal + 1, "leafValue", "Float64Array");
  out.leafCount = a.typed<int32_t>(15, napi_int32_array, internal + 1, "leafCount", "Int32Array");
  out.leafDepth = a.typed<int32_t>(16, napi_int32_array, internal + 1, "leafDepth", "Int32Array");
  out.leafOfRow = a.typed<int32_t>(17, napi_int32_array, rows, "leafOfRow", "Int32Array");
  if ((int)rows != learner->rows()) throwError(env, "gbdtGrow: leafOfRow must have one element per training row");
  if ((int)internal + 1 < learner->maxLeaves()) throwError(env, "gbdtGrow: the tree arrays are smaller than num_leaves");
  const char* problem = learner->checkInputs(bag, bagCount, features, featureCount);
  if (*problem) throwError(env, std::string("gbdtGrow: ") + problem);
  HelperRunner runner(inst);
  const int leaves = learner->grow(grad, hess, bag, bag ? bagCount : 0, features, featureCount, out, threads >= 2 ? &runner : nullptr);
  napi_value result;
  napi_create_int32(env, leaves, &result);
  return result;
  GUARD_END
}

}  // namespace

void defineGbdtBindings(napi_env env, napi_value exports, void* instance) {
  const napi_property_descriptor props[] = {
      {"gbdtBinFeatures", nullptr, gbdtBinFeatures, nullptr, nullptr, nullptr, napi_default, instance},
      {"gbdtSortSample", nullptr, gbdtSortSample, nullptr, nullptr, nullptr, napi_default, instance},
      {"gbdtCreateLearner", nullptr, gbdtCreateLearner, nullptr, nullptr, nullptr, napi_default, instance},
      {"gbdtGrow", nullptr, gbdtGrow, nullptr, nullptr, nullptr, napi_default, instance},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace salescast
