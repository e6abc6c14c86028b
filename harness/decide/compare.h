#pragma once
// Candidate results against a baseline (DESIGN.md §7). Pure: the CLI reads files and formats.
//
// Cases join on id; each candidate (id, device) is judged against the baseline's merged case,
// on the primary metric (algbw instead of busbw for a single-rank collective, whose busbw is 0).
// The decision rests on the spread between runs, not between the samples of one process
// (harness/decide/change_decision.h): the candidate's replicates are its rounds (`run
// --repetitions N`), the baseline's the rounds or runs of its sources. Verdicts:
//   regressed     beyond the tolerance in the worse direction, and significant at alpha;
//   improved      the same in the better direction;
//   unchanged     the CI of the change lies within the tolerance;
//   inconclusive  the spread is too wide to decide at the tolerance (the reason says what would
//                 decide), or a side that is noisy has one replicate and the call changes
//                 between the ends of that replicate's median CI (the same call at both ends
//                 stands; with several replicates, their spread holds the noise and decides);
//   failed        the candidate case failed or is invalid;
//   missing       in the baseline, absent from (or skipped in) the candidate;
//   new           in the candidate only.
// change = candidate / baseline - 1 in the better direction (1/ratio - 1 for lower-is-better
// metrics): + is better, - is worse, in every format. The figures shown beside it are the ones
// it is the ratio of: each side's metric at the geometric mean of its replicates
// (judged_figure.h).
// Rows are sorted by severity: regressed, failed, missing, inconclusive, improved, new, unchanged.
// Exit code: 1 on any regressed or failed case, a missing one unless allowed, or an inconclusive
// one with fail_on_inconclusive; else 0.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/decide/baseline.h"
#include "harness/results.h"

namespace gq {

enum class Verdict { kImproved, kUnchanged, kRegressed, kInconclusive, kFailed, kMissing, kNew };
const char* VerdictName(Verdict v);

// The smallest change compare counts unless told otherwise (--tolerance 5).
inline constexpr double kDefaultTolerance = 0.05;

struct CompareOptions {
  double tolerance = kDefaultTolerance;
  std::map<std::string, double> tolerance_for;  // workload -> tolerance
  double alpha = 0.05;
  bool allow_missing = false;
  bool fail_on_inconclusive = false;
};

struct CompareRow {
  std::string id, workload, device, metric, unit;
  bool higher_is_better = true;
  Verdict verdict = Verdict::kUnchanged;
  std::string reason;
  double baseline_figure = 0, candidate_figure = 0;  // judged_figure.h: change = their ratio - 1
  double ratio = 0, ratio_low = 0, ratio_high = 0;  // candidate / baseline; 0 when not compared
  double change = 0;                                // in the better direction; +0.05 = 5% better
  double change_low = 0, change_high = 0;           // the (1 - alpha) CI of the change
  double p_value = -1;                              // -1 when no test was possible
  double tolerance = 0;
  int runs_candidate = 0, runs_baseline = 0;        // replicates on each side
  double noise_candidate = -1, noise_baseline = -1;  // CV of each side's replicates; -1 unknown
  bool compared() const { return ratio > 0; }
};

struct CompareReport {
  std::string candidate, baseline;  // names for the reports (file paths)
  std::vector<CompareRow> rows;
  std::optional<double> geomean_change;  // geometric mean of (1 + change) over compared rows, minus 1
  std::map<Verdict, int> counts;
  bool allow_missing = false, fail_on_inconclusive = false;
  // Set when the baseline is of another GPU model than a candidate case ran on (a CI runner
  // moved to other hardware): every change then compares two models. Shown, not decided on.
  std::string sku_note;
  // Set when the candidate's instance type is none of the instance types the baseline's runs were
  // made on (both known): the changes then include the difference between two machines.
  std::string machine_note;
  int Count(Verdict v) const;  // rows with this verdict
  std::vector<std::string> Notes() const;  // the notes that are set, sku first
  int ExitCode() const;
};

CompareReport Compare(const ResultsDoc& candidate, const Baseline& baseline, const CompareOptions& options);

}  // namespace gq
