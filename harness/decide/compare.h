#pragma once
// Candidate results against a baseline (DESIGN.md §7). Pure: the CLI reads files and formats.
//
// Cases join on id; each candidate (id, device) is judged against the baseline's merged case.
// For the primary metric (algbw instead of busbw for a single-rank collective, whose busbw is 0):
// ratio = candidate median / baseline median, and change = ratio - 1 in
// the better direction (for lower-is-better metrics, 1/ratio - 1), so change < 0 is worse.
// With samples on both sides: a bootstrap 95% CI of the ratio of medians and a two-sided
// Mann-Whitney U test on per-iteration figures. A case
//   regressed  when p < alpha and change < -tolerance,
//   improved   when p < alpha and change > +tolerance,
//   unchanged  otherwise;
// without samples on one side there is no test, and the tolerance alone decides.
//   failed  the candidate case failed or is invalid;
//   missing in the baseline, absent from (or skipped in) the candidate;
//   new     in the candidate only.
// Exit code: 1 on any regressed or failed case, or missing unless allowed; else 0.
#include <map>
#include <string>
#include <vector>

#include "harness/decide/baseline.h"
#include "harness/results.h"

namespace gq {

enum class Verdict { kImproved, kUnchanged, kRegressed, kFailed, kMissing, kNew };
const char* VerdictName(Verdict v);

struct CompareOptions {
  double tolerance = 0.05;
  std::map<std::string, double> tolerance_for;  // workload -> tolerance
  double alpha = 0.01;
  bool allow_missing = false;
};

struct CompareRow {
  std::string id, workload, device, metric, unit;
  bool higher_is_better = true;
  Verdict verdict = Verdict::kUnchanged;
  std::string reason;
  double baseline_median = 0, candidate_median = 0;
  double ratio = 0, ratio_low = 0, ratio_high = 0;  // candidate / baseline; 0 when not compared
  double change = 0;                                // in the better direction; +0.05 = 5% better
  double p_value = -1;                              // -1 when no test was possible
  double tolerance = 0;
  bool compared() const { return ratio > 0; }
};

struct CompareReport {
  std::string candidate, baseline;  // names for the reports (file paths)
  std::vector<CompareRow> rows;
  double geomean_change = 0;  // geometric mean of (1 + change) over compared rows, minus 1
  std::map<Verdict, int> counts;
  bool allow_missing = false;
  int ExitCode() const;
};

CompareReport Compare(const ResultsDoc& candidate, const Baseline& baseline, const CompareOptions& options);

}  // namespace gq
