#include "harness/case_figure.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "harness/stats.h"

namespace gq {

std::string FigureMetric(const std::string& primary_metric, const Work& work, bool has_algbw) {
  return primary_metric == "busbw" && work.busbw_factor == 0 && has_algbw ? "algbw" : primary_metric;
}

std::string FigureMetric(const CaseResult& r) {
  // An e2e prefill case written before its figure became prefill_tok_s (e2e_workload.h).
  if (r.workload == "e2e" && r.primary_metric == "output_tok_s" && r.FindMetric("prefill_tok_s") != nullptr) {
    for (const auto& [axis, value] : r.params) {
      if (axis == "scenario" && value == "prefill") return "prefill_tok_s";
    }
  }
  return FigureMetric(r.primary_metric, r.work, r.FindMetric("algbw") != nullptr);
}

std::string RankSetupMismatch(const Work& a, const std::string& a_name, const Work& b, const std::string& b_name) {
  const bool same_factor =
      std::fabs(a.busbw_factor - b.busbw_factor) <= 1e-9 * std::max(a.busbw_factor, b.busbw_factor);
  const bool nodes_known = a.nodes > 0 && b.nodes > 0 && a.busbw_factor > 0 && b.busbw_factor > 0;
  if (same_factor && (!nodes_known || a.nodes == b.nodes)) return "";
  auto setup = [&](const Work& w) {
    char factor[32];
    std::snprintf(factor, sizeof factor, "%.4g", w.busbw_factor);
    if (w.busbw_factor == 0) return std::string("on one rank (a copy; figure algbw)");
    std::string text = "on several ranks (bus factor " + std::string(factor) + ")";
    if (nodes_known) text += " over " + std::to_string(w.nodes) + (w.nodes == 1 ? " node" : " nodes");
    return text;
  };
  return "not comparable: " + a_name + " ran this collective " + setup(a) + ", " + b_name + " " + setup(b) +
         (same_factor ? ": the same number of nodes on both sides is needed (links within a node and the "
                        "network between nodes are different paths)"
                      : ": the same number of ranks (GPUs) on both sides is needed");
}

std::size_t SpreadValues(const CaseResult& r) {
  return r.rounds_done > 1 && r.round_medians_s.size() > 1 ? r.round_medians_s.size() : r.samples_s.size();
}

double RelativeSpread(const CaseResult& r) {
  try {
    if (r.rounds_done > 1 && r.round_medians_s.size() > 1) return RelativeMedianNoise(r.round_medians_s);
    if (r.samples_s.size() > 1) return RelativeMedianNoise(r.samples_s);
  } catch (const std::exception&) {  // a NaN sample (refused when files are read)
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace gq
