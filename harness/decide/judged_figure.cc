#include "harness/decide/judged_figure.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "harness/decide/baseline.h"
#include "harness/decide/two_sample.h"

namespace gq {

double JudgedFigure(const std::string& metric, const MetricResult& m, const std::vector<double>& replicate_medians_s,
                    const Work& work) {
  std::vector<double> seconds;
  std::copy_if(replicate_medians_s.begin(), replicate_medians_s.end(), std::back_inserter(seconds),
               [](double t) { return t > 0; });
  if (seconds.empty()) return m.median;
  const std::optional<double> at_mean = MetricFromIterationTime(metric, m.unit, GeometricMean(seconds), work);
  // Relative slack for rounding in the results file (figures are written with ~9 digits).
  constexpr double kSlack = 1e-6;
  if (!at_mean || !(*at_mean >= m.min * (1 - kSlack)) || !(*at_mean <= m.max * (1 + kSlack))) return m.median;
  return *at_mean;
}

}  // namespace gq
