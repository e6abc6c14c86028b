#pragma once
// Two-sample statistics for comparing a candidate with a baseline (DESIGN.md §7). Pure functions.
#include <cstdint>
#include <vector>

namespace gq {

struct MannWhitneyResult {
  double u = 0;        // U statistic of the first sample: R1 - n1(n1+1)/2, ties at mid-ranks
  double p_value = 1;  // two-sided
  bool exact = false;  // exact null distribution (small samples, no ties) or normal approximation
};

// Mann-Whitney U test (Mann & Whitney 1947). Exact two-sided p-value when n1 + n2 <= 40 and there
// are no ties (counting the U distribution by the recurrence of Mann & Whitney); otherwise the
// normal approximation with tie correction and continuity correction, as scipy.stats.mannwhitneyu
// (method="asymptotic", use_continuity=True). Throws std::invalid_argument on an empty sample.
MannWhitneyResult MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y);

struct RatioInterval {
  double ratio = 0;  // median(candidate) / median(baseline)
  double low = 0, high = 0;
};

// Percentile bootstrap CI of median(candidate) / median(baseline) (Efron & Tibshirani 1993,
// ch. 13): each of `resamples` rounds draws both samples with replacement; the interval is the
// (1-level)/2 and (1+level)/2 percentiles of the resampled ratios. Each resample's median is drawn
// from its exact distribution (bootstrap_median.h) instead of by making the resample, so a round
// costs O(log n), not O(n log n). 2000 rounds: the Monte Carlo error of the 2.5% and 97.5%
// percentiles is then a small fraction of the interval's width (Efron & Tibshirani 1993, §19.3,
// ask for 1000 or more for percentile intervals). Deterministic for a seed.
RatioInterval BootstrapMedianRatio(const std::vector<double>& candidate, const std::vector<double>& baseline,
                                   double level = 0.95, int resamples = 2000, uint64_t seed = 0x9e3779b97f4a7c15ull);

// Geometric mean of positive values (0 for an empty list).
double GeometricMean(const std::vector<double>& xs);

}  // namespace gq
