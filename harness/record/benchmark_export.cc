#include "harness/record/benchmark_export.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "harness/case_figure.h"

namespace gq {
namespace {

using json = nlohmann::ordered_json;

// The figure metric of a measured case (case_figure.h: algbw on one rank), or null.
const MetricResult* Primary(const CaseResult& c) {
  if (!c.Measured()) return nullptr;
  return c.FindMetric(FigureMetric(c));
}

std::string Name(const CaseResult& c) { return c.id + " [" + c.device + "]"; }

}  // namespace

json GithubBenchmarkJson(const ResultsDoc& doc) {
  json out = json::array();
  for (const CaseResult& c : doc.cases) {
    const MetricResult* m = Primary(c);
    if (m == nullptr || !m->higher_is_better) continue;
    char range[48];
    std::snprintf(range, sizeof range, "\u00b1 %.4g", std::max(m->median - m->ci95_low, m->ci95_high - m->median));
    out.push_back({{"name", Name(c)},
                   {"unit", m->unit},
                   {"value", m->median},
                   {"range", range},
                   {"extra", std::string(CaseStatusName(c.status)) + "; " + std::to_string(c.rounds_done) + " round(s); " +
                                 FigureMetric(c) + " median of " + std::to_string(m->n)}});
  }
  return out;
}

json BencherJson(const ResultsDoc& doc) {
  json out = json::object();
  for (const CaseResult& c : doc.cases) {
    const MetricResult* m = Primary(c);
    if (m == nullptr) continue;
    out[Name(c)][FigureMetric(c)] = {{"value", m->median}, {"lower_value", m->ci95_low}, {"upper_value", m->ci95_high}};
  }
  return out;
}

}  // namespace gq
