#pragma once
// Whether a case changed between a baseline and a candidate, judged on the spread between runs
// (DESIGN.md §7). Samples inside one process are not independent replicates of a run, so the
// inputs are replicate medians: one per round of `gpuqual run --repetitions N`, per source run
// of a baseline. Pure functions.
//
// The values are the metric per replicate (any positive figure proportional to it), compared on
// the log scale: d = mean(log c) - mean(log b), ratio = exp(d) (candidate / baseline), and
// change = ratio - 1 in the better direction (1/ratio - 1 for lower-is-better metrics).
//   Both sides with >= 2 replicates, the smaller with at most 3: pooled (Student's) t:
//     s^2 = ((n_c - 1) s_c^2 + (n_b - 1) s_b^2) / (n_c + n_b - 2), se^2 = s^2 (1/n_c + 1/n_b),
//     df = n_c + n_b - 2 (a variance on 1 or 2 df makes the Welch df too liberal);
//   both with >= 4: Welch's t (Welch 1947): se^2 = s_c^2/n_c + s_b^2/n_b with the
//     Welch-Satterthwaite degrees of freedom; two-sided p-value and (1 - alpha) CI of the ratio.
//   One side with 1 replicate: the other side's spread stands for both (a prediction interval
//     for a new run): se^2 = s^2 (1/n_c + 1/n_b), df = n - 1 of the side with replicates.
//   Both sides with 1 replicate: no spread is known, so no call can hold alpha: inconclusive,
//     with the change and what would decide (its false-regression rate would grow with the
//     between-run spread: 24% of A/A pairs at 5% spread and a 5% tolerance).
// With the tolerance t as the smallest change that counts:
//   regressed     change < -t and significant (p < alpha);
//   improved      change > +t and significant;
//   unchanged     the CI of the change lies within [-t, +t];
//   inconclusive  otherwise: the change is beyond t but within the spread, or the CI reaches
//                 beyond t; the reason gives the number of replicates per side (at this spread)
//                 or the tolerance (rounded up) that would decide; or one run on each side.
// Calibrated in tests/unit/change_decision_test.cc: simulated A/A pairs regress at most alpha of
// the time; a 10% slowdown with 3 replicates per side at 2% between-run spread is caught >= 95%.
#include <string>
#include <vector>

#include "harness/numbers.h"

namespace gq {

enum class ChangeCall { kImproved, kUnchanged, kRegressed, kInconclusive };

struct ChangeDecision {
  ChangeCall call = ChangeCall::kUnchanged;
  std::string reason;          // in words, with the figures it rests on
  double ratio = 0;            // candidate / baseline of the metric (geometric means of replicates)
  double ratio_low = 0, ratio_high = 0;  // (1 - alpha) CI; = ratio when no spread is known
  double change = 0;           // in the better direction; +0.05 = 5% better
  double p_value = -1;         // two-sided; -1 when no spread is known
  double noise_candidate = -1, noise_baseline = -1;  // CV of each side's replicates; -1 with one
  int n_candidate = 0, n_baseline = 0;
};

// The smallest side's replicates up to which the pooled t replaces Welch's.
inline constexpr int kPooledBelow = 3;

// The --alpha flags' range: below 1e-6 the t quantiles leave double precision.
inline constexpr NumberRange kAlphaRange{1e-6, 0.5};

// `candidate`, `baseline`: replicate values of the metric (> 0; at least one each, else
// std::invalid_argument). `tolerance` in [0, 1), `alpha` in (0, 1).
ChangeDecision DecideChange(const std::vector<double>& candidate, const std::vector<double>& baseline,
                            bool higher_is_better, double tolerance, double alpha);

// Quantile of Student's t distribution with `df` > 0 degrees of freedom, p in (0, 1).
double StudentTQuantile(double p, double df);
// Two-sided p-value of a t statistic.
double StudentTTwoSidedP(double t, double df);

}  // namespace gq
