// The native GBDT tree learner: src/engine/gbdt/grow-tree.ts (the specification) in C++, growing
// the same trees bit for bit. What makes it faster than the reference, without changing a sum:
// - bins are bytes, column-major: a feature's histogram pass reads one contiguous column;
// - a leaf's gradients are gathered once into leaf order ("ordered gradients"), so each feature
//   pass reads them sequentially;
// - histogram bins hold (gradient, hessian) side by side; when every hessian is 1 (unweighted
//   L2 and L1) the hessian sums are the counts, which are exact, so only counts are added;
// - the features of a histogram are split between two threads; each feature's sums are still
//   taken by one thread in row order, so results never depend on the thread count.
#pragma once

#include <cstdint>
#include <vector>

namespace salescast {

struct GbdtTreeParams {
  int numLeaves;
  int maxDepth;  // <= 0: no limit
  int minDataInLeaf;
  double minSumHessian, lambdaL1, lambdaL2, minGainToSplit;
};

struct GbdtBinnedData {
  int rows = 0, cols = 0;
  std::vector<uint8_t> bins;     // column-major: feature c of row r at c*rows + r
  std::vector<int> numBins;      // per feature (value bins + the NaN bin)
  std::vector<uint8_t> hasNanBin;
  std::vector<int> offsets;      // histogram start of each feature (trivial ones take none)
  int totalBins = 0;
};

// Where grow() writes the tree (the caller's typed arrays; see tree.ts GrownTree).
struct GbdtTreeOut {
  int32_t* splitFeature;
  int32_t* thresholdBin;
  uint8_t* defaultLeft;
  int32_t* leftChild;
  int32_t* rightChild;
  double* splitGain;
  double* leafValue;
  int32_t* leafCount;
  int32_t* leafDepth;
  int32_t* leafOfRow;
};

struct GbdtSplit {
  double gain;  // -inf: none
  int feature, thresholdBin;
  bool defaultLeft;
  double leftGrad, leftHess;
  int leftCount;
  double rightGrad, rightHess;
  int rightCount;
};

// Runs two pieces of work, on two threads when the caller has them; both have finished on return.
struct PairRunner {
  virtual void run(void (*fn)(void*, int), void* ctx) = 0;  // fn(ctx, 0) and fn(ctx, 1)
  virtual ~PairRunner() = default;
};

class GbdtLearner {
 public:
  GbdtLearner(GbdtBinnedData data, GbdtTreeParams params);
  // Grows one tree on rows bag[0..bagCount) (nullptr: every row) splitting on features[0..n);
  // returns the number of leaves.
  int grow(const float* grad, const float* hess, const int32_t* bag, int bagCount, const int32_t* features, int featureCount,
           const GbdtTreeOut& out, PairRunner* runner);
  int rows() const { return d_.rows; }
  int maxLeaves() const { return p_.numLeaves; }
  // An error message when a feature list or bag cannot be used with this data, else empty.
  const char* checkInputs(const int32_t* bag, int bagCount, const int32_t* features, int featureCount) const;

 private:
  struct BuildJob;
  void buildHistogram(int hist, int begin, int end, bool identity, const std::vector<int32_t>& features, PairRunner* runner);
  static void buildPart(void* job, int part);
  // best_[leaf] over `features` (the parent's splittable ones); leafFeatures_[leaf] = those splittable here.
  void findBestSplit(int leaf, const std::vector<int32_t>& features);
  int partition(int leaf, const GbdtSplit& split);

  GbdtBinnedData d_;
  GbdtTreeParams p_;
  // Per tree
  const float* grad_ = nullptr;
  const float* hess_ = nullptr;
  bool unitHessian_ = false;
  std::vector<int32_t> features_;
  GbdtTreeOut out_{};
  int numLeaves_ = 0;
  // Per leaf
  std::vector<int32_t> order_, scratch_;
  std::vector<float> orderedGrad_, orderedHess_;
  std::vector<int> leafBegin_, leafHist_;
  std::vector<double> leafSumGrad_, leafSumHess_;
  std::vector<GbdtSplit> best_;
  std::vector<std::vector<int32_t>> leafFeatures_;
  // Histogram pool: numLeaves histograms of totalBins (grad, hess) pairs and counts.
  std::vector<double> gh_;
  std::vector<int32_t> counts_;
};

}  // namespace salescast
