// Leaf-wise tree growth; every step mirrors src/engine/gbdt/grow-tree.ts and split.ts (read
// those for the why). Compiled with -ffp-contract=off: the gains must round as the
// TypeScript's do, or a near-tie could pick another split.
#include "gbdt_learner.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace salescast {
namespace {

constexpr double NO_GAIN = -std::numeric_limits<double>::infinity();
// Below this many (rows x features) a histogram is built on one thread: a hand-off costs more.
constexpr long PARALLEL_MIN_WORK = 1L << 16;

GbdtSplit noSplit() { return GbdtSplit{NO_GAIN, -1, 0, true, 0, 0, 0, 0, 0, 0}; }

inline double thresholdL1(double s, double l1) {
  const double shrunk = std::fabs(s) - l1;
  const double reduced = shrunk > 0 ? shrunk : 0.0;
  return s > 0 ? reduced : s < 0 ? -reduced : 0.0;
}
inline double leafOutput(double g, double h, const GbdtTreeParams& p) { return -thresholdL1(g, p.lambdaL1) / (h + p.lambdaL2); }
// USE_L1 false (lambda_l1 = 0): T(g) is g itself, bit for bit, so the shrink's branches are skipped.
template <bool USE_L1 = true>
inline double leafGain(double g, double h, const GbdtTreeParams& p) {
  const double t = USE_L1 ? thresholdL1(g, p.lambdaL1) : g;
  return (t * t) / (h + p.lambdaL2);
}

// split.ts findBestThreshold: gh holds (grad, hess) pairs of this feature's bins, cnt its counts.
// Returns whether the feature is splittable in this leaf.
template <bool USE_L1>
bool findBestThreshold(GbdtSplit& best, const double* gh, const int32_t* cnt, int numBins, bool hasNanBin, int feature,
                       double sumGrad, double sumHess, int count, const GbdtTreeParams& p) {
  const double minGainShift = leafGain<USE_L1>(sumGrad, sumHess, p) + p.minGainToSplit;
  double bestGain = NO_GAIN;
  int bestThreshold = 0;
  double bestLeftGrad = 0, bestLeftHess = 0;
  int bestLeftCount = 0;
  bool bestDefaultLeft = true;
  bool splittable = false;
  const bool nanApart = hasNanBin && numBins > 2;
  {
    // Right to left, in two passes: first the running sums of every candidate that passes the
    // row and hessian minimums (the same additions in the same order as the reference), then
    // their gains in a loop without branches, which the compiler turns into vector divisions,
    // then the first strictly best. Same numbers, same choice, less waiting on each division.
    double candRightGrad[256], candRightHess[256], candLeftGrad[256], candLeftHess[256], gains[256];
    int candLeftCount[256], candThreshold[256];
    int k = 0;
    double rightGrad = 0, rightHess = 0;
    int rightCount = 0;
    for (int t = numBins - 1 - (nanApart ? 1 : 0); t >= 1; t--) {
      // An empty bin (no rows, sums exactly 0) leaves both sides as they were: its candidate is
      // the previous one again, which cannot be strictly better. Skipping it changes nothing and
      // saves most of a small leaf's scan. (A bin with rounding residue from a subtraction is
      // not exactly 0 and is scanned, as the reference does.)
      if (cnt[t] == 0 && gh[2 * t] == 0 && gh[2 * t + 1] == 0) continue;
      rightGrad += gh[2 * t];
      rightHess += gh[2 * t + 1];
      rightCount += cnt[t];
      if (rightCount < p.minDataInLeaf || rightHess < p.minSumHessian) continue;
      const int leftCount = count - rightCount;
      if (leftCount < p.minDataInLeaf) break;
      const double leftHess = sumHess - rightHess;
      if (leftHess < p.minSumHessian) break;
      candRightGrad[k] = rightGrad;
      candRightHess[k] = rightHess;
      candLeftGrad[k] = sumGrad - rightGrad;
      candLeftHess[k] = leftHess;
      candLeftCount[k] = leftCount;
      candThreshold[k] = t - 1;
      k++;
    }
    for (int i = 0; i < k; i++) {
      gains[i] = leafGain<USE_L1>(candLeftGrad[i], candLeftHess[i], p) + leafGain<USE_L1>(candRightGrad[i], candRightHess[i], p);
    }
    for (int i = 0; i < k; i++) {
      const double gain = gains[i];
      if (!(gain > minGainShift)) continue;
      splittable = true;
      if (!(gain > bestGain)) continue;
      bestGain = gain;
      bestThreshold = candThreshold[i];
      bestLeftGrad = candLeftGrad[i];
      bestLeftHess = candLeftHess[i];
      bestLeftCount = candLeftCount[i];
      bestDefaultLeft = nanApart || !hasNanBin;
    }
  }
  if (nanApart) {
    const double reverseGain = bestGain;
    double leftGrad = 0, leftHess = 0;
    int leftCount = 0;
    for (int t = 0; t <= numBins - 2; t++) {
      if (cnt[t] == 0 && gh[2 * t] == 0 && gh[2 * t + 1] == 0) continue;  // as above
      leftGrad += gh[2 * t];
      leftHess += gh[2 * t + 1];
      leftCount += cnt[t];
      if (leftCount < p.minDataInLeaf || leftHess < p.minSumHessian) continue;
      const int rightCount = count - leftCount;
      if (rightCount < p.minDataInLeaf) break;
      const double rightHess = sumHess - leftHess;
      if (rightHess < p.minSumHessian) break;
      const double gain = leafGain<USE_L1>(leftGrad, leftHess, p) + leafGain<USE_L1>(sumGrad - leftGrad, rightHess, p);
      if (!(gain > minGainShift)) continue;
      splittable = true;
      if (!(gain > reverseGain) || !(gain > bestGain)) continue;
      bestGain = gain;
      bestThreshold = t;
      bestLeftGrad = leftGrad;
      bestLeftHess = leftHess;
      bestLeftCount = leftCount;
      bestDefaultLeft = false;
    }
  }
  const double gain = bestGain - minGainShift;
  if (bestGain == NO_GAIN || !(gain > best.gain)) return splittable;
  best = GbdtSplit{gain, feature, bestThreshold, bestDefaultLeft, bestLeftGrad, bestLeftHess, bestLeftCount,
                   sumGrad - bestLeftGrad, sumHess - bestLeftHess, count - bestLeftCount};
  return splittable;
}

}  // namespace

GbdtLearner::GbdtLearner(GbdtBinnedData data, GbdtTreeParams params) : d_(std::move(data)), p_(params) {
  const int L = p_.numLeaves;
  order_.resize(d_.rows);
  scratch_.resize(d_.rows);
  orderedGrad_.resize(d_.rows);
  orderedHess_.resize(d_.rows);
  leafBegin_.resize(L);
  leafHist_.resize(L);
  leafSumGrad_.resize(L);
  leafSumHess_.resize(L);
  best_.resize(L);
  leafFeatures_.resize(L);
  gh_.resize((size_t)L * d_.totalBins * 2);
  counts_.resize((size_t)L * d_.totalBins);
}

const char* GbdtLearner::checkInputs(const int32_t* bag, int bagCount, const int32_t* features, int featureCount) const {
  for (int k = 0; k < featureCount; k++) {
    const int f = features[k];
    if (f < 0 || f >= d_.cols || d_.offsets[f + 1] == d_.offsets[f]) return "features must be non-trivial feature indices";
    if (k > 0 && f <= features[k - 1]) return "features must be ascending";
  }
  if (bag) {
    if (bagCount < 1) return "the bag is empty";
    for (int i = 0; i < bagCount; i++) {
      if (bag[i] < 0 || bag[i] >= d_.rows || (i > 0 && bag[i] <= bag[i - 1])) return "bag must hold ascending row indices";
    }
  }
  return "";
}

struct GbdtLearner::BuildJob {
  GbdtLearner* self;
  int hist, begin, end;
  bool identity;  // order[begin..end) = begin..end: read gradients and bins directly
  const int32_t* features;
  int featureCount;
  int split;      // features[0..split) in part 0, the rest in part 1
};

// Adds rows [0, n) to the histograms of K features at once: each row's gradient is loaded once
// and its K bins are read together (K independent memory reads in flight, K independent sums,
// where one feature at a time would wait on each). Per (feature, bin) the rows are still added
// in order, so the sums are the reference's. IDENTITY: row i is `first + i` (the root without
// bagging: sequential reads); UNIT: every hessian is 1, the hessian slot counts the rows (adding
// 1.0 is exact) and the counts are read from it afterwards.
template <int K, bool IDENTITY, bool UNIT>
void addRows(const uint8_t* const* columns, double* const* gh, int32_t* const* cnt, const int32_t* rows, int first, int n,
             const float* g, const float* h) {
  // (Software prefetching of the bins AHEAD rows on was measured: no gain at 200k or 1M rows.)
  for (int i = 0; i < n; i++) {
    const int row = IDENTITY ? first + i : rows[i];
    const double gi = g[i];
    int b[K];
    for (int k = 0; k < K; k++) b[k] = columns[k][row];
    for (int k = 0; k < K; k++) {
      gh[k][2 * b[k]] += gi;
      if (UNIT) {
        gh[k][2 * b[k] + 1] += 1.0;
      } else {
        gh[k][2 * b[k] + 1] += h[i];
        cnt[k][b[k]]++;
      }
    }
  }
}

template <bool IDENTITY, bool UNIT>
void addRowsK(int K, const uint8_t* const* columns, double* const* gh, int32_t* const* cnt, const int32_t* rows, int first, int n,
              const float* g, const float* h) {
  switch (K) {
    case 4: return addRows<4, IDENTITY, UNIT>(columns, gh, cnt, rows, first, n, g, h);
    case 3: return addRows<3, IDENTITY, UNIT>(columns, gh, cnt, rows, first, n, g, h);
    case 2: return addRows<2, IDENTITY, UNIT>(columns, gh, cnt, rows, first, n, g, h);
    default: return addRows<1, IDENTITY, UNIT>(columns, gh, cnt, rows, first, n, g, h);
  }
}

// One part's features of a histogram, four at a time: zero their bins, add the slice's rows.
void GbdtLearner::buildPart(void* p, int part) {
  const BuildJob& job = *static_cast<BuildJob*>(p);
  GbdtLearner& s = *job.self;
  const int first = part == 0 ? 0 : job.split;
  const int last = part == 0 ? job.split : job.featureCount;
  const int n = job.end - job.begin;
  const float* g = job.identity ? s.grad_ + job.begin : s.orderedGrad_.data();
  const float* h = job.identity ? s.hess_ + job.begin : s.orderedHess_.data();
  const int32_t* rows = s.order_.data() + job.begin;
  constexpr int GROUP = 4;
  for (int k0 = first; k0 < last; k0 += GROUP) {
    const int K = std::min(GROUP, last - k0);
    const uint8_t* columns[GROUP];
    double* gh[GROUP];
    int32_t* cnt[GROUP];
    for (int k = 0; k < K; k++) {
      const int f = job.features[k0 + k];
      const int base = s.d_.offsets[f];
      columns[k] = s.d_.bins.data() + (size_t)f * s.d_.rows;
      gh[k] = s.gh_.data() + ((size_t)job.hist * s.d_.totalBins + base) * 2;
      cnt[k] = s.counts_.data() + (size_t)job.hist * s.d_.totalBins + base;
      std::memset(gh[k], 0, sizeof(double) * 2 * s.d_.numBins[f]);
      if (!s.unitHessian_) std::memset(cnt[k], 0, sizeof(int32_t) * s.d_.numBins[f]);  // else read from gh below
    }
    if (job.identity) {
      if (s.unitHessian_) addRowsK<true, true>(K, columns, gh, cnt, rows, job.begin, n, g, h);
      else addRowsK<true, false>(K, columns, gh, cnt, rows, job.begin, n, g, h);
    } else {
      if (s.unitHessian_) addRowsK<false, true>(K, columns, gh, cnt, rows, job.begin, n, g, h);
      else addRowsK<false, false>(K, columns, gh, cnt, rows, job.begin, n, g, h);
    }
    if (s.unitHessian_) {
      for (int k = 0; k < K; k++) {
        const int bins = s.d_.numBins[job.features[k0 + k]];
        for (int b = 0; b < bins; b++) cnt[k][b] = (int32_t)gh[k][2 * b + 1];
      }
    }
  }
}

void GbdtLearner::buildHistogram(int hist, int begin, int end, bool identity, const std::vector<int32_t>& features, PairRunner* runner) {
  if (!identity) {
    const int32_t* rows = order_.data() + begin;
    const int n = end - begin;
    for (int i = 0; i < n; i++) orderedGrad_[i] = grad_[rows[i]];
    if (!unitHessian_) for (int i = 0; i < n; i++) orderedHess_[i] = hess_[rows[i]];
  }
  const int nf = (int)features.size();
  BuildJob job{this, hist, begin, end, identity, features.data(), nf, nf};
  if (runner && nf >= 2 && (long)(end - begin) * nf >= PARALLEL_MIN_WORK) {
    job.split = (nf + 1) / 2;
    runner->run(&GbdtLearner::buildPart, &job);
  } else {
    buildPart(&job, 0);
  }
}

void GbdtLearner::findBestSplit(int leaf, const std::vector<int32_t>& features) {
  GbdtSplit candidate = noSplit();
  std::vector<int32_t> splittable;
  const int count = out_.leafCount[leaf];
  const bool depthAllows = p_.maxDepth <= 0 || out_.leafDepth[leaf] < p_.maxDepth;
  if (depthAllows && count >= 2 * p_.minDataInLeaf && leafSumHess_[leaf] >= 2 * p_.minSumHessian) {
    const size_t hist = (size_t)leafHist_[leaf] * d_.totalBins;
    for (const int f : features) {
      const int base = d_.offsets[f];
      const auto find = p_.lambdaL1 > 0 ? findBestThreshold<true> : findBestThreshold<false>;
      if (find(candidate, gh_.data() + (hist + base) * 2, counts_.data() + hist + base, d_.numBins[f], d_.hasNanBin[f] != 0, f,
               leafSumGrad_[leaf], leafSumHess_[leaf], count, p_)) {
        splittable.push_back(f);
      }
    }
  }
  best_[leaf] = candidate;
  leafFeatures_[leaf].swap(splittable);
}

int GbdtLearner::partition(int leaf, const GbdtSplit& split) {
  const int begin = leafBegin_[leaf];
  const int end = begin + out_.leafCount[leaf];
  const uint8_t* column = d_.bins.data() + (size_t)split.feature * d_.rows;
  const int nanBin = d_.hasNanBin[split.feature] ? d_.numBins[split.feature] - 1 : -1;
  const int threshold = split.thresholdBin;
  const bool defaultLeft = split.defaultLeft;
  int32_t* order = order_.data();
  int left = begin, right = 0;
  int32_t* scratch = scratch_.data();
  // Both destinations written, one kept: no branch to mispredict on a coin-flip split.
  for (int i = begin; i < end; i++) {
    const int32_t row = order[i];
    const int bin = column[row];
    const bool goesLeft = bin == nanBin ? defaultLeft : bin <= threshold;
    order[left] = row;
    scratch[right] = row;
    left += goesLeft;
    right += !goesLeft;
  }
  std::memcpy(order + left, scratch_.data(), sizeof(int32_t) * right);
  return left - begin;
}

int GbdtLearner::grow(const float* grad, const float* hess, const int32_t* bag, int bagCount, const int32_t* features, int featureCount,
                      const GbdtTreeOut& out, PairRunner* runner) {
  grad_ = grad;
  hess_ = hess;
  out_ = out;
  features_.assign(features, features + featureCount);
  const int rows = bag ? bagCount : d_.rows;
  if (bag) std::memcpy(order_.data(), bag, sizeof(int32_t) * rows);
  else for (int i = 0; i < rows; i++) order_[i] = i;
  unitHessian_ = true;
  for (int i = 0; i < d_.rows && unitHessian_; i++) unitHessian_ = hess[i] == 1.0f;
  for (int l = 0; l < p_.numLeaves; l++) leafHist_[l] = l;

  numLeaves_ = 1;
  leafBegin_[0] = 0;
  out.leafCount[0] = rows;
  out.leafDepth[0] = 0;
  double sumGrad = 0, sumHess = 0;
  for (int i = 0; i < rows; i++) {
    sumGrad += grad[order_[i]];
    sumHess += hess[order_[i]];
  }
  leafSumGrad_[0] = sumGrad;
  leafSumHess_[0] = sumHess;
  out.leafValue[0] = leafOutput(sumGrad, sumHess, p_);
  buildHistogram(leafHist_[0], 0, rows, bag == nullptr, features_, runner);
  findBestSplit(0, features_);

  std::vector<uint8_t> used(p_.numLeaves);
  while (numLeaves_ < p_.numLeaves) {
    int leaf = -1;
    for (int l = 0; l < numLeaves_; l++)
      if (leaf < 0 || best_[l].gain > best_[leaf].gain) leaf = l;
    const GbdtSplit split = best_[leaf];
    if (!(split.gain > 0)) break;
    const int newLeaf = numLeaves_;
    const int node = newLeaf - 1;
    for (int n = 0; n < node; n++) {
      if (out.leftChild[n] == ~leaf) out.leftChild[n] = node;
      else if (out.rightChild[n] == ~leaf) out.rightChild[n] = node;
    }
    out.splitFeature[node] = split.feature;
    out.thresholdBin[node] = split.thresholdBin;
    out.defaultLeft[node] = split.defaultLeft ? 1 : 0;
    out.leftChild[node] = ~leaf;
    out.rightChild[node] = ~newLeaf;
    out.splitGain[node] = split.gain;

    const std::vector<int32_t> parentFeatures = leafFeatures_[leaf];
    const int leftCount = partition(leaf, split);
    leafBegin_[newLeaf] = leafBegin_[leaf] + leftCount;
    out.leafCount[leaf] = leftCount;
    out.leafCount[newLeaf] = split.rightCount;
    out.leafDepth[leaf] += 1;
    out.leafDepth[newLeaf] = out.leafDepth[leaf];
    leafSumGrad_[leaf] = split.leftGrad;
    leafSumHess_[leaf] = split.leftHess;
    leafSumGrad_[newLeaf] = split.rightGrad;
    leafSumHess_[newLeaf] = split.rightHess;
    out.leafValue[leaf] = leafOutput(split.leftGrad, split.leftHess, p_);
    out.leafValue[newLeaf] = leafOutput(split.rightGrad, split.rightHess, p_);
    numLeaves_ += 1;

    const int smaller = leftCount < split.rightCount ? leaf : newLeaf;
    const int larger = smaller == leaf ? newLeaf : leaf;
    const int parentHist = leafHist_[leaf];
    leafHist_[larger] = parentHist;
    std::fill(used.begin(), used.end(), 0);
    for (int l = 0; l < newLeaf; l++) if (l != smaller) used[leafHist_[l]] = 1;
    used[parentHist] = 1;
    int fresh = 0;
    while (used[fresh]) fresh++;
    leafHist_[smaller] = fresh;
    buildHistogram(fresh, leafBegin_[smaller], leafBegin_[smaller] + out.leafCount[smaller], false, parentFeatures, runner);
    // larger = parent - smaller, over the tree's features.
    double* parentGh = gh_.data() + (size_t)parentHist * d_.totalBins * 2;
    const double* smallGh = gh_.data() + (size_t)fresh * d_.totalBins * 2;
    int32_t* parentCnt = counts_.data() + (size_t)parentHist * d_.totalBins;
    const int32_t* smallCnt = counts_.data() + (size_t)fresh * d_.totalBins;
    for (const int f : parentFeatures) {
      const int base = d_.offsets[f];
      for (int b = base; b < base + d_.numBins[f]; b++) {
        parentGh[2 * b] -= smallGh[2 * b];
        parentGh[2 * b + 1] -= smallGh[2 * b + 1];
        parentCnt[b] -= smallCnt[b];
      }
    }
    // The two children's searches are independent (each writes only its own leaf's entries):
    // one per thread when there are two.
    if (runner && parentFeatures.size() >= 2) {
      struct Children {
        GbdtLearner* self;
        int leaves[2];
        const std::vector<int32_t>* features;
      } children{this, {leaf, newLeaf}, &parentFeatures};
      runner->run([](void* c, int part) {
        auto* job = static_cast<Children*>(c);
        job->self->findBestSplit(job->leaves[part], *job->features);
      }, &children);
    } else {
      findBestSplit(leaf, parentFeatures);
      findBestSplit(newLeaf, parentFeatures);
    }
  }

  for (int l = 0; l < numLeaves_; l++) {
    const int begin = leafBegin_[l];
    for (int i = begin; i < begin + out.leafCount[l]; i++) out.leafOfRow[order_[i]] = l;
  }
  if (bag) {
    // Rows outside the bag: walk the tree on their bins.
    int next = 0;
    for (int row = 0; row < d_.rows; row++) {
      if (next < bagCount && bag[next] == row) {
        next++;
        continue;
      }
      int n = numLeaves_ == 1 ? ~0 : 0;
      while (n >= 0) {
        const int f = out.splitFeature[n];
        const int bin = d_.bins[(size_t)f * d_.rows + row];
        const bool left = d_.hasNanBin[f] && bin == d_.numBins[f] - 1 ? out.defaultLeft[n] == 1 : bin <= out.thresholdBin[n];
        n = left ? out.leftChild[n] : out.rightChild[n];
      }
      out.leafOfRow[row] = ~n;
    }
  }
  return numLeaves_;
}

}  // namespace salescast
