#include "harness/decide/compare.h"

#include <cmath>
#include <set>

#include "harness/decide/two_sample.h"

namespace gq {
namespace {

// Per-iteration figures whose ratio of medians equals the metric's: 1/t for rates (the work
// factor cancels in the ratio), t for times.
std::vector<double> Oriented(const std::vector<double>& seconds, bool higher_is_better) {
  std::vector<double> out;
  for (double t : seconds) {
    if (t > 0) out.push_back(higher_is_better ? 1.0 / t : t);
  }
  return out;
}

void Judge(CompareRow& row, const CaseResult& cand, const BaselineCase& base, const CompareOptions& opt) {
  // A collective on a single rank has busbw 0 by definition (bus factor 0): judge it on algbw,
  // the same samples' rate (busbw = algbw x factor, so the ratios are the same otherwise).
  const std::string metric =
      base.primary_metric == "busbw" && cand.work.busbw_factor == 0 ? "algbw" : base.primary_metric;
  const MetricResult* bm = base.FindMetric(metric);
  const MetricResult* cm = cand.FindMetric(metric);
  row.metric = metric;
  if (bm == nullptr || cm == nullptr || bm->median <= 0 || cm->median <= 0) {
    row.verdict = Verdict::kFailed;
    row.reason = "no usable '" + metric + "' figure on both sides";
    return;
  }
  row.unit = bm->unit;
  row.higher_is_better = bm->higher_is_better;
  row.baseline_median = bm->median;
  row.candidate_median = cm->median;
  row.ratio = cm->median / bm->median;
  row.change = (row.higher_is_better ? row.ratio : 1.0 / row.ratio) - 1.0;
  row.ratio_low = row.ratio_high = row.ratio;
  const std::vector<double> c = Oriented(cand.PerIterationSeconds(), row.higher_is_better);
  const std::vector<double> b = Oriented(base.samples_s, row.higher_is_better);
  bool significant = true;
  if (c.size() >= 2 && b.size() >= 2) {
    RatioInterval ci = BootstrapMedianRatio(c, b);
    // Rates: median(1/t_c)/median(1/t_b) is the metric's ratio (the work cancels); times: t itself.
    row.ratio_low = ci.low;
    row.ratio_high = ci.high;
    row.p_value = MannWhitneyU(c, b).p_value;
    significant = row.p_value < opt.alpha;
  }
  const bool worse = row.change < -row.tolerance, better = row.change > row.tolerance;
  char buf[160];
  if (significant && worse) {
    row.verdict = Verdict::kRegressed;
    std::snprintf(buf, sizeof buf, "%.1f%% worse (tolerance %.1f%%)", -100 * row.change, 100 * row.tolerance);
  } else if (significant && better) {
    row.verdict = Verdict::kImproved;
    std::snprintf(buf, sizeof buf, "%.1f%% better", 100 * row.change);
  } else {
    row.verdict = Verdict::kUnchanged;
    if (!significant && (worse || better)) {
      std::snprintf(buf, sizeof buf, "%+.1f%% but not significant (p=%.3g >= %.3g)", 100 * row.change, row.p_value, opt.alpha);
    } else {
      std::snprintf(buf, sizeof buf, "%+.1f%% within tolerance %.1f%%", 100 * row.change, 100 * row.tolerance);
    }
  }
  row.reason = buf;
  if (row.p_value < 0) row.reason += " (no samples to test: tolerance only)";
}

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kImproved: return "improved";
    case Verdict::kUnchanged: return "unchanged";
    case Verdict::kRegressed: return "regressed";
    case Verdict::kFailed: return "failed";
    case Verdict::kMissing: return "missing";
    case Verdict::kNew: return "new";
  }
  return "failed";
}

int CompareReport::ExitCode() const {
  auto count = [&](Verdict v) {
    auto it = counts.find(v);
    return it == counts.end() ? 0 : it->second;
  };
  if (count(Verdict::kRegressed) > 0 || count(Verdict::kFailed) > 0) return 1;
  if (!allow_missing && count(Verdict::kMissing) > 0) return 1;
  return 0;
}

CompareReport Compare(const ResultsDoc& candidate, const Baseline& baseline, const CompareOptions& opt) {
  CompareReport report;
  report.allow_missing = opt.allow_missing;
  std::set<std::string> present;  // baseline ids the candidate ran (not skipped)
  std::vector<double> factors;
  for (const CaseResult& c : candidate.cases) {
    CompareRow row;
    row.id = c.id;
    row.workload = c.workload;
    row.device = c.device;
    row.metric = c.primary_metric;
    auto tol = opt.tolerance_for.find(c.workload);
    row.tolerance = tol != opt.tolerance_for.end() ? tol->second : opt.tolerance;
    const BaselineCase* base = baseline.Find(c.id);
    if (c.status == CaseStatus::kSkipped) continue;  // a baselined one is reported missing below
    if (base != nullptr) present.insert(c.id);
    if (c.status == CaseStatus::kFailed || c.status == CaseStatus::kInvalid) {
      row.verdict = Verdict::kFailed;
      row.reason = std::string(CaseStatusName(c.status)) + ": " + c.reason;
    } else if (base == nullptr) {
      row.verdict = Verdict::kNew;
      row.reason = "not in the baseline";
    } else {
      Judge(row, c, *base, opt);
      if (row.compared()) factors.push_back(1.0 + row.change);
    }
    report.rows.push_back(row);
  }
  for (const BaselineCase& b : baseline.cases) {
    if (present.count(b.id)) continue;
    CompareRow row;
    row.id = b.id;
    row.workload = b.workload;
    row.metric = b.primary_metric;
    row.verdict = Verdict::kMissing;
    row.reason = "in the baseline but not run (or skipped) in the candidate";
    for (const CaseResult& c : candidate.cases) {
      if (c.id == b.id && c.status == CaseStatus::kSkipped) row.reason = "skipped in the candidate: " + c.reason;
    }
    report.rows.push_back(row);
  }
  for (const CompareRow& r : report.rows) report.counts[r.verdict]++;
  report.geomean_change = factors.empty() ? 0 : GeometricMean(factors) - 1.0;
  return report;
}

}  // namespace gq
