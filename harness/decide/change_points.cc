#include "harness/decide/change_points.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "harness/stats.h"

namespace gq {
namespace {

double GeometricMean(std::vector<double>::const_iterator first, std::vector<double>::const_iterator last) {
  double sum = 0;
  for (auto it = first; it != last; ++it) sum += std::log(*it);
  return std::exp(sum / static_cast<double>(last - first));
}

}  // namespace

ChangePoints FindChangePoints(const std::vector<double>& values, bool higher_is_better,
                              const ChangePointOptions& options) {
  const int k = options.window;
  if (k < 2) throw std::invalid_argument("FindChangePoints: window must be >= 2");
  if (!(options.min_effect >= 0 && options.min_effect < 1) || !(options.alpha > 0 && options.alpha < 1)) {
    throw std::invalid_argument("FindChangePoints: need min_effect in [0, 1) and alpha in (0, 1)");
  }
  for (double v : values) {
    if (!(v > 0) || !std::isfinite(v)) throw std::invalid_argument("FindChangePoints: value not > 0");
  }
  ChangePoints out;
  if (values.empty()) return out;
  const std::size_t n = values.size(), w = static_cast<std::size_t>(k);

  // 1. Candidates: splits whose windows differ beyond the minimum effect and the spread.
  std::vector<ChangePoint> candidates;
  for (std::size_t i = w; n >= 2 * w && i <= n - w; ++i) {
    const std::vector<double> before(values.begin() + (i - w), values.begin() + i);
    const std::vector<double> after(values.begin() + i, values.begin() + (i + w));
    ChangeDecision d = DecideChange(after, before, higher_is_better, options.min_effect, options.alpha);
    if (d.call != ChangeCall::kRegressed && d.call != ChangeCall::kImproved) continue;
    ChangePoint p;
    p.index = i;
    p.before = GeometricMean(before.begin(), before.end());
    p.after = GeometricMean(after.begin(), after.end());
    p.decision = std::move(d);
    candidates.push_back(std::move(p));
  }

  // 2. The best-supported candidates, at least k apart.
  std::stable_sort(candidates.begin(), candidates.end(), [](const ChangePoint& a, const ChangePoint& b) {
    if (a.decision.p_value != b.decision.p_value) return a.decision.p_value < b.decision.p_value;
    return std::fabs(std::log(a.decision.ratio)) > std::fabs(std::log(b.decision.ratio));
  });
  for (ChangePoint& c : candidates) {
    const bool near = std::any_of(out.points.begin(), out.points.end(), [&](const ChangePoint& a) {
      return (a.index > c.index ? a.index - c.index : c.index - a.index) < w;
    });
    if (!near) out.points.push_back(std::move(c));
  }
  std::sort(out.points.begin(), out.points.end(),
            [](const ChangePoint& a, const ChangePoint& b) { return a.index < b.index; });

  // 3. Segments between the accepted points, each at the median of its values.
  std::size_t begin = 0;
  for (std::size_t cut = 0; cut <= out.points.size(); ++cut) {
    const std::size_t end = cut < out.points.size() ? out.points[cut].index : n;
    out.segments.push_back({begin, end, Median(std::vector<double>(values.begin() + begin, values.begin() + end))});
    begin = end;
  }
  return out;
}

}  // namespace gq
