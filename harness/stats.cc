// Descriptive statistics (contract in stats.h).
//
// Median confidence interval: the number of samples below the population median is
// Binomial(n, 1/2), so [x(l), x(n+1-l)] misses the median with probability 2 * P(B <= l - 1)
// (Hollander & Wolfe, "Nonparametric Statistical Methods", sign-test interval for the median).
// The tail P(B <= k) is computed exactly for every n, with no normal approximation and
// therefore no switch-over point:
//   log pmf(k) = log C(n, k) - n log 2, with log C(n, k+1) = log C(n, k) + log(n - k) - log(k + 1)
// summed by compensated (Neumaier) addition, so the log stays accurate to ~1e-10 even at
// n = 1e5 where it reaches ~7e4. The pmf terms are then exponentiated and added in linear
// space: terms that underflow (pmf < 1e-308, e.g. k = 0 once n > 1074) are far below any
// reachable target (1 - level) / 2 >= 2^-54 and contribute nothing. std::lgamma is avoided
// because glibc's version writes the global `signgam` (not thread-safe). Cost is O(l) <= O(n/2)
// per call: about a millisecond at n = 1e5.
#include "harness/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace gq {
namespace {

void CheckSamples(const std::vector<double>& xs, const char* fn) {
  if (xs.empty()) throw std::invalid_argument(std::string(fn) + ": no samples");
  for (double x : xs) {
    if (std::isnan(x)) throw std::invalid_argument(std::string(fn) + ": NaN sample");
    if (!std::isfinite(x)) throw std::invalid_argument(std::string(fn) + ": infinite sample");
  }
}

void CheckLevel(double level, const char* fn) {
  if (!(level > 0.0 && level < 1.0)) {
    throw std::invalid_argument(std::string(fn) + ": level must be in (0, 1), got " +
                                std::to_string(level));
  }
}

// Type-7 percentile of sorted, non-empty samples: h = (n - 1) p / 100,
// x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]) (Hyndman & Fan 1996, type 7).
double SortedPercentile(const std::vector<double>& s, double p) {
  const double h = (static_cast<double>(s.size()) - 1.0) * p / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= s.size()) return s.back();
  const double frac = h - static_cast<double>(lo);
  if (frac == 0) return s[lo];
  return (1 - frac) * s[lo] + frac * s[lo + 1];  // no difference that could overflow
}

double SortedMedian(const std::vector<double>& s) {
  const std::size_t n = s.size();
  return n % 2 == 1 ? s[n / 2] : 0.5 * s[n / 2 - 1] + 0.5 * s[n / 2];  // no sum that could overflow
}

Interval SortedMedianCi(const std::vector<double>& s, double level) {
  const std::size_t l = MedianCiLowerRank(s.size(), level);
  if (l == 0) return {s.front(), s.back()};
  return {s[l - 1], s[s.size() - l]};  // x(l) and x(n + 1 - l), 1-based
}

// Neumaier's compensated sum: `sum + comp` carries the running total.
struct CompensatedSum {
  double sum = 0, comp = 0;
  void Add(double x) {
    const double t = sum + x;
    comp += std::fabs(sum) >= std::fabs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  double Value() const { return sum + comp; }
};

std::vector<double> Sorted(std::vector<double> xs, const char* fn) {
  CheckSamples(xs, fn);
  std::sort(xs.begin(), xs.end());
  return xs;
}

// The order statistics at ranks lo and lo + 1 (0-based) by selection, O(n): nth_element puts
// x(lo) in place with everything after it >= it, so x(lo + 1) is the least of the rest.
std::pair<double, double> AdjacentOrderStats(std::vector<double>& xs, std::size_t lo) {
  std::nth_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(lo), xs.end());
  const double a = xs[lo];
  if (lo + 1 >= xs.size()) return {a, a};
  return {a, *std::min_element(xs.begin() + static_cast<std::ptrdiff_t>(lo) + 1, xs.end())};
}

}  // namespace

double Median(std::vector<double> xs) {
  CheckSamples(xs, "Median");
  const std::size_t n = xs.size();
  const auto [a, b] = AdjacentOrderStats(xs, (n - 1) / 2);
  return n % 2 == 1 ? a : 0.5 * (a + b);
}

double Mean(const std::vector<double>& xs) {
  CheckSamples(xs, "Mean");
  CompensatedSum sum;
  for (double x : xs) sum.Add(x);
  return sum.Value() / static_cast<double>(xs.size());
}

// Two-pass formula sqrt(sum (x - mean)^2 / (n - 1)): no cancellation from sum(x^2) - n mean^2.
double StdDev(const std::vector<double>& xs) {
  const double mean = Mean(xs);
  if (xs.size() < 2) return 0.0;
  CompensatedSum ss;
  for (double x : xs) ss.Add((x - mean) * (x - mean));
  return std::sqrt(ss.Value() / static_cast<double>(xs.size() - 1));
}

double Percentile(std::vector<double> xs, double p) {
  if (!(p >= 0.0 && p <= 100.0)) {
    throw std::invalid_argument("Percentile: p must be in [0, 100], got " + std::to_string(p));
  }
  CheckSamples(xs, "Percentile");
  const double h = (static_cast<double>(xs.size()) - 1.0) * p / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto [a, b] = AdjacentOrderStats(xs, std::min(lo, xs.size() - 1));
  return a + (h - static_cast<double>(lo)) * (b - a);  // as SortedPercentile, without sorting
}

std::size_t MedianCiLowerRank(std::size_t n, double level) {
  CheckLevel(level, "MedianCiLowerRank");
  // Largest k = l - 1 with P(B <= k) <= (1 - level) / 2. The relative slack of 1e-9 keeps a
  // level that equals a coverage exactly (e.g. 1 - 2/64 at n = 6) from failing on rounding;
  // it is far above the ~1e-10 error of the sum and far below the gap between adjacent ranks.
  const double target = 0.5 * (1.0 - level) * (1.0 + 1e-9);
  const double log_half_n = static_cast<double>(n) * std::log(0.5);
  CompensatedSum log_choose;  // log C(n, k), starting at log C(n, 0) = 0
  double cdf = 0.0;
  std::size_t l = 0;
  // l <= (n + 1) / 2 keeps x(l) <= x(n + 1 - l).
  for (std::size_t k = 0; k < (n + 1) / 2; ++k) {
    if (k > 0) {
      log_choose.Add(std::log(static_cast<double>(n - k + 1)));
      log_choose.Add(-std::log(static_cast<double>(k)));
    }
    cdf += std::exp(log_choose.Value() + log_half_n);
    if (cdf > target) break;
    l = k + 1;
  }
  return l;
}

Interval MedianConfidenceInterval(std::vector<double> xs, double level) {
  CheckLevel(level, "MedianConfidenceInterval");
  return SortedMedianCi(Sorted(std::move(xs), "MedianConfidenceInterval"), level);
}

double RelativeMedianNoise(const std::vector<double>& xs, double level) {
  CheckLevel(level, "RelativeMedianNoise");
  const std::vector<double> s = Sorted(xs, "RelativeMedianNoise");
  const double median = SortedMedian(s);
  const Interval ci = SortedMedianCi(s, level);
  const double half_width = std::max(median - ci.low, ci.high - median);
  if (median == 0.0) return half_width == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return half_width / std::fabs(median);
}

Summary Summarise(const std::vector<double>& xs) {
  const std::vector<double> s = Sorted(xs, "Summarise");
  Summary out;
  out.n = s.size();
  out.median = SortedMedian(s);
  out.mean = Mean(xs);
  out.stddev = StdDev(xs);
  out.cv = out.mean == 0.0 ? 0.0 : out.stddev / out.mean;
  out.p10 = SortedPercentile(s, 10.0);
  out.p90 = SortedPercentile(s, 90.0);
  out.min = s.front();
  out.max = s.back();
  const Interval ci = SortedMedianCi(s, 0.95);
  out.ci95_low = ci.low;
  out.ci95_high = ci.high;
  return out;
}

}  // namespace gq
