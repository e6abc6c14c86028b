#pragma once
// Two-sample figures for comparing a candidate with a baseline (DESIGN.md §7). Pure functions.
// The decision itself rests on run-level replicates (change_decision.h); the bootstrap here
// describes how the samples of single runs spread.
#include <cstdint>
#include <vector>

namespace gq {

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
