#pragma once
// Change points in a series of run figures (a case's median per run, oldest first): where the
// level of the series moved by more than a minimum effect, beyond the spread between runs. Pure
// functions; `gpuqual history trend/show` and `gpuqual report --history` draw what they find.
//
// The rule (windows of k runs before and after each point, tested as asv and Bencher do):
//   1. Every split i with k values on each side (k <= i <= n - k) is tested with the between-run
//      decision of compare (harness/decide/change_decision.h): Welch's t (pooled for k <= 3) on the log values of
//      after = values[i, i+k) against before = values[i-k, i), with `min_effect` as the smallest
//      change that counts. The split is a candidate when that decision is regressed or improved:
//      |change| > min_effect and p < alpha.
//   2. Candidates are accepted in order of increasing p (ties: the larger |log ratio|, then the
//      earlier split), skipping any within k of one already accepted, so each window lies inside
//      one level and one step is reported once, at its best-supported split.
//   3. The accepted points cut the series into segments; each segment's level is the median of
//      its values.
// Consequences: a change is seen only once k runs have followed it; a single outlier run is not
// a change (it cannot move a window of k >= 2 past the spread); series shorter than 2k have no
// change points. Calibration (tests/unit/change_points_test.cc): flat series of 40 runs at 2%
// between-run spread give a false change point in under 1% of series with the defaults; a 10%
// step in such a series is found at its run in over 95%. Each split is tested at alpha with no
// correction for the many (a Bonferroni bound over disjoint windows cut that 95% to 67%), so
// false points grow as the spread nears min_effect: ~8% of flat 40-run series at 3% spread,
// 17% at 5% (docs/history.md says to raise min_effect or the window there).
#include <cstddef>
#include <vector>

#include "harness/decide/change_decision.h"

namespace gq {

struct ChangePointOptions {
  int window = 4;            // k: runs on each side of a split (>= 2)
  double min_effect = 0.05;  // smallest change that counts, as a fraction (0.05 = 5%)
  double alpha = 0.01;       // significance level of each split's test
};

struct ChangePoint {
  std::size_t index = 0;     // the first value of the new level
  double before = 0, after = 0;  // geometric means of the k values on each side
  ChangeDecision decision;   // after vs before: call (regressed/improved), change, CI, p, reason
};

struct TrendSegment {
  std::size_t begin = 0, end = 0;  // values [begin, end)
  double level = 0;                // median of those values
};

struct ChangePoints {
  std::vector<ChangePoint> points;     // in series order
  std::vector<TrendSegment> segments;  // cover the series; one more than points (none if empty)
};

// `values` > 0 (the metric per run); throws std::invalid_argument for a value that is not, for
// window < 2, min_effect outside [0, 1) or alpha outside (0, 1).
ChangePoints FindChangePoints(const std::vector<double>& values, bool higher_is_better,
                              const ChangePointOptions& options);

}  // namespace gq
