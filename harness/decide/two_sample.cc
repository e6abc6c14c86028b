#include "harness/decide/two_sample.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "harness/decide/bootstrap_median.h"
#include "harness/stats.h"

namespace gq {
RatioInterval BootstrapMedianRatio(const std::vector<double>& candidate, const std::vector<double>& baseline,
                                   double level, int resamples, uint64_t seed) {
  if (candidate.empty() || baseline.empty()) throw std::invalid_argument("BootstrapMedianRatio: empty sample");
  if (!(level > 0 && level < 1) || resamples < 1) {
    throw std::invalid_argument("BootstrapMedianRatio: need level in (0, 1) and resamples >= 1");
  }
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
