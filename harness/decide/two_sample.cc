#include "harness/decide/two_sample.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "harness/decide/bootstrap_median.h"
#include "harness/stats.h"

namespace gq {
namespace {

// Number of arrangements of n1 x-values and n2 y-values giving each U (count of (x, y) pairs with
// x > y): c(n1, n2, u) = c(n1 - 1, n2, u - n2) + c(n1, n2 - 1, u), the recurrence of Mann &
// Whitney (1947) conditioning on whether the largest value is an x. Returned for n1, n2 fixed.
std::vector<double> UDistribution(int n1, int n2) {
  const int max_u = n1 * n2;
  // table[i][j] = counts for sizes (i, j), built row by row.
  std::vector<std::vector<std::vector<double>>> table(n1 + 1, std::vector<std::vector<double>>(n2 + 1));
  for (int i = 0; i <= n1; ++i) {
    for (int j = 0; j <= n2; ++j) {
      std::vector<double>& c = table[i][j];
      c.assign(i * j + 1, 0.0);
      if (i == 0 || j == 0) {
        c[0] = 1;
        continue;
      }
      const auto& a = table[i - 1][j];  // largest is an x: it beats all j y-values
      const auto& b = table[i][j - 1];  // largest is a y: beats nothing
      for (int u = 0; u <= i * j; ++u) {
        if (u - j >= 0 && u - j < static_cast<int>(a.size())) c[u] += a[u - j];
        if (u < static_cast<int>(b.size())) c[u] += b[u];
      }
    }
  }
  std::vector<double> out = table[n1][n2];
  out.resize(max_u + 1, 0.0);
  return out;
}

}  // namespace

MannWhitneyResult MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty() || y.empty()) throw std::invalid_argument("MannWhitneyU: empty sample");
  const std::size_t n1 = x.size(), n2 = y.size(), n = n1 + n2;
  std::vector<std::pair<double, int>> all;
  all.reserve(n);
  for (double v : x) all.emplace_back(v, 0);
  for (double v : y) all.emplace_back(v, 1);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double r1 = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && all[j].first == all[i].first) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // mid-rank
    const double t = static_cast<double>(j - i);
    if (t > 1) ties = true;
    tie_term += t * t * t - t;
    for (std::size_t k = i; k < j; ++k) {
      if (all[k].second == 0) r1 += rank;
    }
    i = j;
  }
  MannWhitneyResult r;
  r.u = r1 - static_cast<double>(n1) * (n1 + 1) / 2.0;
  const double mu = static_cast<double>(n1) * n2 / 2.0;
  if (!ties && n <= 40) {
    // Two-sided exact p = 2 * P(U >= max(u, n1 n2 - u)), capped at 1.
    const std::vector<double> counts = UDistribution(static_cast<int>(n1), static_cast<int>(n2));
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    const int u_hi = static_cast<int>(std::lround(std::max(r.u, 2 * mu - r.u)));
    double tail = 0;
    for (int u = u_hi; u < static_cast<int>(counts.size()); ++u) tail += counts[u];
    r.p_value = std::min(1.0, 2.0 * tail / total);
    r.exact = true;
    return r;
  }
  const double dn = static_cast<double>(n);
  const double var = static_cast<double>(n1) * n2 / 12.0 * ((dn + 1) - tie_term / (dn * (dn - 1)));
  if (var <= 0) {
    r.p_value = 1.0;  // every value equal
    return r;
  }
  const double z = std::max(0.0, std::fabs(r.u - mu) - 0.5) / std::sqrt(var);
  r.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return r;
}

RatioInterval BootstrapMedianRatio(const std::vector<double>& candidate, const std::vector<double>& baseline,
                                   double level, int resamples, uint64_t seed) {
  if (candidate.empty() || baseline.empty()) throw std::invalid_argument("BootstrapMedianRatio: empty sample");
  RatioInterval out;
  out.ratio = Median(candidate) / Median(baseline);
  const BootstrapMedianSampler c(candidate), b(baseline);
  UniformSource uniform(seed);
  std::vector<double> ratios(static_cast<std::size_t>(resamples));
  for (double& r : ratios) r = c.Draw(uniform) / b.Draw(uniform);
  out.low = Percentile(ratios, 100.0 * (1.0 - level) / 2.0);
  out.high = Percentile(ratios, 100.0 * (1.0 + level) / 2.0);
  return out;
}

double GeometricMean(const std::vector<double>& xs) {
  if (xs.empty()) return 0;
  double log_sum = 0;
  for (double x : xs) log_sum += std::log(x);
  return std::exp(log_sum / static_cast<double>(xs.size()));
}

}  // namespace gq
