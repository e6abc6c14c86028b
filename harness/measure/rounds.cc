#include "harness/measure/rounds.h"

#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "harness/case_figure.h"
#include "harness/number_text.h"
#include "harness/stats.h"

namespace gq {
namespace {

// A round that took samples (ok, noisy or invalid): its medians exist, whatever its status.
bool TookSamples(const CaseResult& r) {
  return r.status == CaseStatus::kOk || r.status == CaseStatus::kNoisy || r.status == CaseStatus::kInvalid;
}

// The summary of one metric over the rounds' medians, in the first round's unit and direction.
MetricResult OverRounds(const MetricResult& first, const std::vector<double>& medians) {
  const Summary s = Summarise(medians);
  MetricResult m;
  m.unit = first.unit;
  m.higher_is_better = first.higher_is_better;
  m.median = s.median;
  m.mean = s.mean;
  m.stddev = s.stddev;
  m.cv = s.cv;
  m.p10 = s.p10;
  m.p90 = s.p90;
  m.min = s.min;
  m.max = s.max;
  m.ci95_low = s.ci95_low;
  m.ci95_high = s.ci95_high;
  m.n = static_cast<int64_t>(s.n);
  return m;
}

// The worst status among measured rounds, with that round's reason naming the round (its noise
// is within the round; the table's spread is between rounds).
void WorstStatus(const std::vector<const CaseResult*>& measured, const std::vector<CaseResult>& rounds,
                 CaseResult& out) {
  out.status = CaseStatus::kOk;
  out.reason.clear();
  for (CaseStatus s : {CaseStatus::kNoisy, CaseStatus::kInvalid}) {
    for (const CaseResult* r : measured) {
      if (r->status == s) {
        out.status = s;
        out.reason = "round " + std::to_string(r - rounds.data() + 1) + ": " + r->reason;
        break;
      }
    }
  }
}

// A case whose rounds' medians spread more than max_noise about their median is noisy: the figure
// moved between rounds by more than the target. Said first, before a noisy round's own reason
// (its noise is within the round, and usually the smaller figure); an invalid case keeps its own.
void JudgeRoundSpread(double max_noise, CaseResult& out) {
  if (out.status == CaseStatus::kInvalid || out.round_medians_s.size() < 2) return;
  const double spread = RelativeSpread(out);  // over the rounds' medians, as the console shows it
  if (spread <= max_noise) return;
  const std::size_t n = SpreadValues(out);
  out.status = CaseStatus::kNoisy;
  out.reason = "the rounds disagree: their " + std::to_string(n) + " medians lie within +-" +
               NumberText("%.2f%%", 100 * spread) + " of their median (" +
               (n < kFewestForAnInterval ? "[min, max]" : "95% CI") +
               "; target +-" + NumberText("%.2f%%", 100 * max_noise) + ")" +
               (out.reason.empty() ? "" : "; " + out.reason);
}

}  // namespace

CaseResult MergeRounds(const std::vector<CaseResult>& rounds, double max_noise) {
  if (rounds.empty()) throw std::invalid_argument("MergeRounds: no rounds");
  if (rounds.size() == 1) return rounds.front();
  const int done = static_cast<int>(rounds.size());
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    if (rounds[i].status == CaseStatus::kFailed) {
      CaseResult failed = rounds[i];
      failed.reason = "round " + std::to_string(i + 1) + ": " + failed.reason;
      failed.rounds_done = done;
      failed.round_medians_s.clear();
      for (const CaseResult& r : rounds) {
        if (TookSamples(r)) failed.round_medians_s.insert(failed.round_medians_s.end(), r.round_medians_s.begin(), r.round_medians_s.end());
      }
      return failed;
    }
  }
  std::vector<const CaseResult*> measured;
  std::string skipped;
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    if (TookSamples(rounds[i])) {
      measured.push_back(&rounds[i]);
    } else if (skipped.empty()) {
      skipped = "round " + std::to_string(i + 1) + " skipped: " + rounds[i].reason;
    }
  }
  if (measured.empty()) return rounds.back();
  CaseResult out = *measured.back();  // details, telemetry, ranks, straggler, work
  out.rounds_done = done;
  WorstStatus(measured, rounds, out);
  if (!skipped.empty()) out.reason += (out.reason.empty() ? "" : "; ") + skipped;
  out.samples_s.clear();
  out.phase_samples_s.clear();
  out.round_medians_s.clear();
  out.iterations_per_sample = 1;
  out.wall_time_s = 0;
  std::map<std::string, std::vector<double>> medians;  // metric -> one median per round
  for (const CaseResult* r : measured) {
    for (double t : r->PerIterationSeconds()) out.samples_s.push_back(t);
    for (const auto& [phase, values] : r->phase_samples_s) {
      auto& all = out.phase_samples_s[phase];
      all.insert(all.end(), values.begin(), values.end());
    }
    out.round_medians_s.insert(out.round_medians_s.end(), r->round_medians_s.begin(), r->round_medians_s.end());
    for (const auto& [name, m] : r->metrics) medians[name].push_back(m.median);
    if (r->verification && (!out.verification || r->verification->max_rel_err > out.verification->max_rel_err)) {
      out.verification = r->verification;  // every measured round passed: keep the largest error
    }
  }
  for (const CaseResult& r : rounds) out.wall_time_s += r.wall_time_s;
  // A straggler in any round is named: the round whose slowest rank lagged most, with its ranks.
  for (const CaseResult* r : measured) {
    if (r->straggler && (!out.straggler || r->straggler->spread > out.straggler->spread)) {
      out.straggler = r->straggler;
      out.ranks = r->ranks;
    }
  }
  // Metrics in the last round's order; a metric some round lacks is summarised over the others.
  for (auto& [name, m] : out.metrics) m = OverRounds(m, medians[name]);
  if (out.roofline && out.roofline->peak > 0 && !out.metrics.empty()) {
    out.roofline->efficiency = out.metrics.front().second.median / out.roofline->peak;
  }
  JudgeRoundSpread(max_noise, out);
  return out;
}

}  // namespace gq
