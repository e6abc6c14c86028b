#pragma once
// Descriptive statistics as pure functions over samples (DESIGN.md §5). Inputs need not be
// sorted; functions taking an empty vector (or one holding a NaN or an infinity) throw
// std::invalid_argument.
#include <cstddef>
#include <vector>

namespace gq {

double Median(std::vector<double> xs);
double Mean(const std::vector<double>& xs);
// Sample standard deviation (n - 1 denominator); 0 for a single sample.
double StdDev(const std::vector<double>& xs);
// Percentile p in [0, 100] with linear interpolation between closest ranks
// (the "linear" / type-7 definition used by numpy.percentile and R's default). A p outside
// [0, 100] (or NaN) throws std::invalid_argument.
double Percentile(std::vector<double> xs, double p);

struct Interval {
  double low = 0;
  double high = 0;
};

// Distribution-free confidence interval of the median from order statistics: with the samples
// sorted x(1) <= ... <= x(n), the interval [x(l), x(n+1-l)] covers the median with probability
// 1 - 2 * P(Binomial(n, 1/2) <= l - 1); l is the largest rank keeping that probability >= level.
// When n is too small for the level (n < 6 at 95%), the interval is [min, max].
// `level` must lie in (0, 1), else std::invalid_argument.
Interval MedianConfidenceInterval(std::vector<double> xs, double level = 0.95);

// The rank l above (1-based) for n samples, or 0 when no rank reaches `level` (the interval is
// then [min, max]). Exact binomial tail for every n; see stats.cc for how it is computed.
std::size_t MedianCiLowerRank(std::size_t n, double level = 0.95);

// Half-width of the median CI relative to the median: max(median - low, high - median) / median.
// This is the "noise" the stopping rule compares with max_noise. Uses |median|; when the median
// is 0 the result is 0 if the interval is [0, 0] and +infinity otherwise.
double RelativeMedianNoise(const std::vector<double>& xs, double level = 0.95);

// cv: the coefficient of variation stddev / mean (0 when the mean is 0); p10, p90: Percentile.
struct Summary {
  double median = 0, mean = 0, stddev = 0, cv = 0, p10 = 0, p90 = 0, min = 0, max = 0;
  double ci95_low = 0, ci95_high = 0;
  std::size_t n = 0;
};
Summary Summarise(const std::vector<double>& xs);

}  // namespace gq
