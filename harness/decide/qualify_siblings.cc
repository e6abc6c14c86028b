#include "harness/decide/qualify_siblings.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "harness/case_figure.h"
#include "harness/stats.h"

namespace gq {
namespace {

using enum QualifyStatus;

// A copy over a link (membw h2d/d2h/bidir: the host link, d2d: a peer) whose rate differs between
// healthy GPUs by where each sits (NUMA node, PCIe switch): not a figure of the GPU itself.
bool OverALink(const CaseResult& c) {
  if (c.workload != "membw") return false;
  for (const auto& [axis, value] : c.params) {
    if (axis == "op") return value.rfind("h2d", 0) == 0 || value.rfind("d2h", 0) == 0 || value.rfind("bidir", 0) == 0 ||
                             value.rfind("d2d", 0) == 0;
  }
  return false;
}

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * fraction);
  return buf;
}

// One GPU's standing over the cases it is behind in.
struct Behind {
  QualifyStatus status = kPass;
  int cases = 0;
  double worst = 1;  // fraction of the median in its worst case
  std::string worst_case;
  int siblings = 0;
};

}  // namespace

void SiblingChecks(const ResultsDoc& doc, const QualifyThreshold& t, std::vector<QualifyCheck>& out) {
  std::map<std::string, std::vector<const CaseResult*>> by_id;
  for (const CaseResult& c : doc.cases) {
    if (c.Measured() && ParseCaseDevice(c.device).SingleGpu() && !OverALink(c)) by_id[c.id].push_back(&c);
  }
  std::map<std::string, Behind> behind;  // by device
  int judged_cases = 0;
  std::size_t most_gpus = 0;
  for (const auto& [id, cases] : by_id) {
    if (cases.size() < 3) continue;
    std::vector<double> figures;
    std::vector<const MetricResult*> metrics;
    for (const CaseResult* c : cases) {
      const MetricResult* m = c->FindMetric(FigureMetric(*c));
      if (m == nullptr || !(m->median > 0)) break;
      metrics.push_back(m);
      figures.push_back(m->median);
    }
    if (metrics.size() != cases.size()) continue;
    ++judged_cases;
    most_gpus = std::max(most_gpus, cases.size());
    const double median = Median(figures);
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const MetricResult& m = *metrics[i];
      // The end of the CI nearest the others, as a fraction of their median in the better direction.
      const double nearest = m.higher_is_better ? std::max(m.median, m.ci95_high) : std::min(m.median, m.ci95_low);
      const double fraction = m.higher_is_better ? m.median / median : median / m.median;
      const double best_case = m.higher_is_better ? nearest / median : (nearest > 0 ? median / nearest : fraction);
      QualifyStatus status = kPass;
      if (best_case < t.fail_below) {
        status = kFail;
      } else if (best_case < t.warn_below) {
        status = kWarn;
      }
      if (status == kPass) continue;
      Behind& b = behind[cases[i]->device];
      b.status = std::max(b.status, status);
      ++b.cases;
      b.siblings = static_cast<int>(cases.size()) - 1;
      if (fraction < b.worst) {
        b.worst = fraction;
        b.worst_case = id;
      }
    }
  }
  if (judged_cases == 0) return;
  for (const auto& [device, b] : behind) {
    out.push_back({device + " vs its siblings", "performance", b.status,
                   "behind the median of the run's GPUs in " + std::to_string(b.cases) + " case(s) (below " +
                       Percent(b.status == kFail ? t.fail_below : t.warn_below) + " with its 95% CI); worst " +
                       Percent(b.worst) + " in " + b.worst_case + " (against " + std::to_string(b.siblings) +
                       " other GPUs)",
                   b.worst, b.status == kFail ? t.fail_below : t.warn_below, "fraction"});
  }
  if (behind.empty()) {
    out.push_back({"siblings", "performance", kPass,
                   std::to_string(most_gpus) + " GPUs within " + Percent(1 - t.warn_below) +
                       " of their median in each of " + std::to_string(judged_cases) + " case(s)",
                   0, 0, ""});
  }
}

void StragglerChecks(const ResultsDoc& doc, const QualifyThreshold& t, std::vector<QualifyCheck>& out) {
  struct Lag {
    std::string where;
    int cases = 0;
    double worst = 0;  // spread: slowest / fastest - 1
    std::string worst_case;
  };
  std::map<int, Lag> by_rank;
  for (const CaseResult& c : doc.cases) {
    // An ok case's median is within --max-noise: its ranks' gap is not its noise (a noisy one's may be).
    if (c.status != CaseStatus::kOk || !c.straggler) continue;
    Lag& l = by_rank[c.straggler->rank];
    l.where = c.straggler->host + " " + c.straggler->device;
    ++l.cases;
    if (c.straggler->spread > l.worst) {
      l.worst = c.straggler->spread;
      l.worst_case = c.id;
    }
  }
  for (const auto& [rank, l] : by_rank) {
    const double fraction = 1 / (1 + l.worst);
    const QualifyStatus status = fraction < t.fail_below ? kFail : kWarn;
    out.push_back({"rank " + std::to_string(rank) + " straggler", "performance", status,
                   "rank " + std::to_string(rank) + " (" + l.where + ") was the slowest rank in " +
                       std::to_string(l.cases) + " case(s); worst " + Percent(l.worst) + " behind the fastest in " +
                       l.worst_case + " (" + Percent(fraction) + " of its rate; FAIL below " + Percent(t.fail_below) +
                       ")",
                   fraction, t.fail_below, "fraction"});
  }
}

}  // namespace gq
