#pragma once
// The median of a bootstrap resample, drawn without making the resample (for the percentile
// bootstrap of compare's ratio of medians, two_sample.h). A resample is n draws with replacement
// from the n values; only the order statistics at its middle matter.
//
// With the values sorted, x(0) <= ... <= x(n-1), let C_j be the number of draws whose index is
// <= j: C_j ~ Binomial(n, (j+1)/n). The k-th smallest draw (1-based) has index
//   I_k = min{ j : C_j >= k },   P(I_k <= j) = P(C_j >= k) = I_{(j+1)/n}(k, n - k + 1)
// (I_x(a, b): the regularized incomplete beta function; Abramowitz & Stegun 26.5.24), so I_k is
// drawn by inverting that CDF, a binary search over a table made once. The median is x(I_k) for
// odd n, k = (n + 1) / 2. For even n, k = n / 2, it is (x(I_k) + x(I_{k+1})) / 2, and given I_k = i:
//   - the next draw is at i too (C_i >= k + 1) with probability 1 - q_i, where
//       q_i = P(C_i = k, C_{i-1} <= k - 1) / P(I_k = i)
//           = [P(C_i = k) - P(C_{i-1} = k) (1 - 1/(n - i))^(n - k)] / P(I_k = i)
//     (given C_{i-1} = k, the n - k other draws miss index i with probability 1 - 1/(n - i) each);
//   - otherwise C_i = k and the n - k other draws are uniform over the L = n - 1 - i indices above
//     i, so I_{k+1} = i + 1 + t with t the least of n - k uniform picks from 0 .. L - 1:
//       P(t >= s) = ((L - s) / L)^(n - k).
// Each draw is O(log n) after an O(n) table (against O(n) draws and a selection for a resample)
// and has exactly the distribution of a resample's median.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gq {

// Regularized incomplete beta I_x(a, b) for a, b > 0 and x in [0, 1] (continued fraction,
// A&S 26.5.8, evaluated with the modified Lentz method; the symmetry I_x(a, b) = 1 - I_{1-x}(b, a)
// keeps x on the quickly converging side).
double RegularizedIncompleteBeta(double a, double b, double x);

// A fast, seedable generator of uniform doubles in [0, 1) (SplitMix64, Steele et al. 2014).
class UniformSource {
 public:
  explicit UniformSource(uint64_t seed) : state_(seed) {}
  double Next();

 private:
  uint64_t state_;
};

class BootstrapMedianSampler {
 public:
  // `values` must not be empty (std::invalid_argument).
  explicit BootstrapMedianSampler(std::vector<double> values);
  double Draw(UniformSource& uniform) const;
  std::size_t size() const { return sorted_.size(); }

 private:
  std::size_t DrawIndex(double u) const;  // I_k for a uniform u

  std::vector<double> sorted_;
  std::vector<double> cdf_;    // cdf_[j] = P(I_k <= j)
  std::vector<double> apart_;  // even n: q_j, the probability that I_{k+1} > I_k = j
  std::size_t k_ = 1;          // the (lower) middle rank, 1-based
};

}  // namespace gq
