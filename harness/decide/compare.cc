#include "harness/decide/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include "harness/case_figure.h"
#include "harness/decide/change_decision.h"
#include "harness/decide/judged_figure.h"
#include "harness/decide/two_sample.h"
#include "harness/stats.h"

namespace gq {
namespace {

// Replicate values of the metric from replicate medians in seconds per iteration: 1/t for rates
// (the work factor cancels in every ratio), t for times.
std::vector<double> Oriented(const std::vector<double>& seconds, bool higher_is_better) {
  std::vector<double> out;
  for (double t : seconds) {
    if (t > 0) out.push_back(higher_is_better ? 1.0 / t : t);
  }
  return out;
}

// The replicate sets a noisy side with one replicate may stand for: its one value moved to each
// end of its median's 95% CI (from its samples, oriented as the replicates); the replicates as
// they are otherwise. Empty when that CI is not known (fewer than two samples).
std::vector<std::vector<double>> Ends(const std::vector<double>& replicates, bool alone,
                                      const std::vector<double>& samples) {
  if (!alone) return {replicates};
  if (samples.size() < 2) return {};
  const Interval ci = MedianConfidenceInterval(samples);
  return {{ci.low}, {ci.high}};
}

// A noisy side (a round whose median's CI never reached the noise target). With several
// replicates their spread includes that noise and the decision stands. With one, its figure may
// be anywhere in that CI, which no spread between replicates shows: the call stands only when it
// is the same at both ends of the CI (the call moves monotonically with that side's figure, so
// then it holds wherever it lies; a throttled run far slower than the baseline is still
// regressed), else the case is inconclusive. (One replicate on each side is inconclusive
// already: change_decision.h.)
void JudgeNoisySide(CompareRow& row, const ChangeDecision& d, const std::vector<double>& c,
                    const std::vector<double>& b, const CaseResult& cand, const BaselineCase& base,
                    const CompareOptions& opt) {
  const bool cand_noisy = cand.status == CaseStatus::kNoisy, base_noisy = base.noisy;
  if ((!cand_noisy && !base_noisy) || row.verdict == Verdict::kInconclusive) return;
  const std::string cand_text = "the candidate case is noisy (" + cand.reason + ")";
  const std::string base_text = "the baseline case was noisy in a source run";
  const bool cand_alone = cand_noisy && d.n_candidate < 2, base_alone = base_noisy && d.n_baseline < 2;
  if (!cand_alone && !base_alone) {
    row.reason += "; " + (cand_noisy ? cand_text : base_text) + ": judged on the spread between replicates, which "
                  "holds that noise";
    return;
  }
  const std::string text = cand_alone ? cand_text + " with one replicate" : base_text + ", its only replicate";
  const auto cands = Ends(c, cand_alone, Oriented(cand.PerIterationSeconds(), row.higher_is_better));
  const auto bases = Ends(b, base_alone, Oriented(base.samples_s, row.higher_is_better));
  bool holds = !cands.empty() && !bases.empty();
  double nearest = d.change;  // the change at the corner nearest "unchanged": the one the reason quotes
  for (const auto& cc : cands) {
    for (const auto& bb : bases) {
      const ChangeDecision e = DecideChange(cc, bb, row.higher_is_better, row.tolerance, opt.alpha);
      holds = holds && e.call == d.call;
      if (std::fabs(e.change) < std::fabs(nearest)) nearest = e.change;
    }
  }
  if (!holds) {
    // Ends() knows no CI below two samples: one sample shows no spread at all (on the H200, e2e
    // offline batch 64 took one 2.9 s sample at --max-time 1).
    const bool no_ci = cands.empty() || bases.empty();
    row.verdict = Verdict::kInconclusive;
    row.reason = text + (no_ci ? " and one sample, so no spread shows where its figure lies: not judged ("
                               : ", so its figure may be anywhere in its CI, where the call changes: not judged (") +
                 (cand_alone ? "--repetitions 3 would judge it on the spread between rounds"
                             : "a baseline made of several runs or rounds would judge it") +
                 "); the figures say " + row.reason;
    return;
  }
  char change[32];
  std::snprintf(change, sizeof change, "%+.1f%%", 100 * nearest);
  row.reason += "; " + text + ", but the call holds across its median's 95% CI (" + change +
                " at the end nearest the other side)";
}

void Judge(CompareRow& row, const CaseResult& cand, const BaselineCase& base, const CompareOptions& opt) {
  // Times of a collective at another rank count are not a change (case_figure.h).
  if (const std::string why = RankSetupMismatch(cand.work, "the candidate", base.work, "the baseline"); !why.empty()) {
    row.metric = FigureMetric(cand);
    row.verdict = Verdict::kFailed;
    row.reason = why;
    return;
  }
  // A collective on a single rank has busbw 0 by definition (bus factor 0): judge it on algbw,
  // the same samples' rate (busbw = algbw x factor, so the ratios are the same otherwise).
  const std::string metric =
      base.primary_metric == "busbw" && cand.work.busbw_factor == 0 ? "algbw" : base.primary_metric;
  const MetricResult* bm = base.FindMetric(metric);
  const MetricResult* cm = cand.FindMetric(metric);
  row.metric = metric;
  if (bm == nullptr || cm == nullptr || !(bm->median > 0) || !(cm->median > 0)) {
    row.verdict = Verdict::kFailed;
    row.reason = "no usable '" + metric + "' figure on both sides";
    return;
  }
  // Replicates from the run medians (1/t or t: the work cancels in the ratio); when a side has no
  // samples, both sides stand on their metric's median, one replicate each.
  std::vector<double> c = Oriented(cand.ReplicateMediansS(), bm->higher_is_better);
  std::vector<double> b = Oriented(base.ReplicateMediansS(), bm->higher_is_better);
  const bool on_replicates = !c.empty() && !b.empty();
  if (!on_replicates) {
    c = {cm->median};
    b = {bm->median};
  }
  row.unit = bm->unit;
  row.higher_is_better = bm->higher_is_better;
  // The figures the change is the ratio of (judged_figure.h).
  row.baseline_figure = on_replicates ? JudgedFigure(metric, *bm, base.ReplicateMediansS(), base.work) : bm->median;
  row.candidate_figure = on_replicates ? JudgedFigure(metric, *cm, cand.ReplicateMediansS(), cand.work) : cm->median;
  const ChangeDecision d = DecideChange(c, b, row.higher_is_better, row.tolerance, opt.alpha);
  row.ratio = d.ratio;
  row.ratio_low = d.ratio_low;
  row.ratio_high = d.ratio_high;
  row.change = d.change;
  row.change_low = row.higher_is_better ? d.ratio_low - 1 : 1 / d.ratio_high - 1;
  row.change_high = row.higher_is_better ? d.ratio_high - 1 : 1 / d.ratio_low - 1;
  row.p_value = d.p_value;
  row.runs_candidate = d.n_candidate;
  row.runs_baseline = d.n_baseline;
  row.noise_candidate = d.noise_candidate;
  row.noise_baseline = d.noise_baseline;
  row.reason = d.reason;
  if (d.p_value < 0) {  // one run on each side: show how far one run's own samples spread
    const std::vector<double> cs = Oriented(cand.PerIterationSeconds(), row.higher_is_better);
    const std::vector<double> bs = Oriented(base.samples_s, row.higher_is_better);
    if (cs.size() >= 2 && bs.size() >= 2) {
      const RatioInterval within = BootstrapMedianRatio(cs, bs);
      char buf[200];
      std::snprintf(buf, sizeof buf,
                    "; within the runs, the ratio's 95%% CI is [%.3f, %.3f] (the samples of one run are not "
                    "replicates of it: shown, not decided on)", within.low, within.high);
      row.reason += buf;
    }
  }
  switch (d.call) {
    case ChangeCall::kRegressed: row.verdict = Verdict::kRegressed; break;
    case ChangeCall::kImproved: row.verdict = Verdict::kImproved; break;
    case ChangeCall::kUnchanged: row.verdict = Verdict::kUnchanged; break;
    case ChangeCall::kInconclusive: row.verdict = Verdict::kInconclusive; break;
  }
  JudgeNoisySide(row, d, c, b, cand, base, opt);
}

// Severity order of the rows: the ones a CI reader must see first.
int Severity(Verdict v) {
  switch (v) {
    case Verdict::kRegressed: return 0;
    case Verdict::kFailed: return 1;
    case Verdict::kMissing: return 2;
    case Verdict::kInconclusive: return 3;
    case Verdict::kImproved: return 4;
    case Verdict::kNew: return 5;
    case Verdict::kUnchanged: return 6;
  }
  return 7;
}

// CompareReport::machine_note (compare.h), from the instance types of the baseline's sources.
std::string MachineNote(const ResultsDoc& candidate, const Baseline& baseline) {
  const std::string type = InstanceTypeOf(candidate);
  std::set<std::string> made_on;
  for (const BaselineSource& s : baseline.sources) {
    if (!s.instance_type.empty()) made_on.insert(s.instance_type);
  }
  if (type.empty() || made_on.empty() || made_on.count(type) > 0) return "";
  std::string listed;
  for (const std::string& t : made_on) listed += (listed.empty() ? "" : ", ") + t;
  return "the baseline was made on " + listed + ", the candidate ran on " + type +
         ": the changes include the difference between the machines";
}

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kImproved: return "improved";
    case Verdict::kUnchanged: return "unchanged";
    case Verdict::kRegressed: return "regressed";
    case Verdict::kInconclusive: return "inconclusive";
    case Verdict::kFailed: return "failed";
    case Verdict::kMissing: return "missing";
    case Verdict::kNew: return "new";
  }
  return "failed";
}

int CompareReport::Count(Verdict v) const {
  const auto it = counts.find(v);
  return it == counts.end() ? 0 : it->second;
}

std::vector<std::string> CompareReport::Notes() const {
  std::vector<std::string> out;
  for (const std::string* note : {&sku_note, &machine_note}) {
    if (!note->empty()) out.push_back(*note);
  }
  return out;
}

int CompareReport::ExitCode() const {
  if (Count(Verdict::kRegressed) > 0 || Count(Verdict::kFailed) > 0) return 1;
  if (!allow_missing && Count(Verdict::kMissing) > 0) return 1;
  if (fail_on_inconclusive && Count(Verdict::kInconclusive) > 0) return 1;
  return 0;
}

CompareReport Compare(const ResultsDoc& candidate, const Baseline& baseline, const CompareOptions& opt) {
  CompareReport report;
  report.allow_missing = opt.allow_missing;
  report.fail_on_inconclusive = opt.fail_on_inconclusive;
  report.machine_note = MachineNote(candidate, baseline);
  std::set<std::string> present;  // baseline ids the candidate ran (not skipped)
  std::vector<double> factors;
  for (const CaseResult& c : candidate.cases) {
    const std::string sku = CaseSku(candidate, c);
    if (report.sku_note.empty() && !baseline.sku.empty() && sku != baseline.sku) {
      report.sku_note = "the baseline is of SKU " + baseline.sku + ", but case " + c.id + " ran on " + sku +
                        ": the changes compare two GPU models";
    }
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
  std::stable_sort(report.rows.begin(), report.rows.end(),
                   [](const CompareRow& a, const CompareRow& b) { return Severity(a.verdict) < Severity(b.verdict); });
  for (const CompareRow& r : report.rows) report.counts[r.verdict]++;
  if (!factors.empty()) report.geomean_change = GeometricMean(factors) - 1.0;
  return report;
}

}  // namespace gq
