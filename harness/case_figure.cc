#include "harness/case_figure.h"

#include <limits>

#include "harness/stats.h"

namespace gq {

std::string FigureMetric(const CaseResult& r) {
  if (r.primary_metric == "busbw" && r.work.busbw_factor == 0 && r.FindMetric("algbw") != nullptr) {
    return "algbw";
  }
  return r.primary_metric;
}

double RelativeSpread(const CaseResult& r) {
  try {
    if (r.rounds_done > 1 && r.round_medians_s.size() > 1) return RelativeMedianNoise(r.round_medians_s);
    if (!r.samples_s.empty()) return RelativeMedianNoise(r.samples_s);
  } catch (const std::exception&) {  // a NaN sample (refused when files are read)
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace gq
