// Tests for harness/stats.*. Expected values are independent of the code under test:
//  - "numpy": numpy 1.24.2 (/usr/bin/python3): np.median, np.mean, np.std(x, ddof=1),
//    np.percentile(x, p) (default method "linear" = type 7), printed with repr().
//  - "exact": ranks of the median CI from exact integer arithmetic in Python,
//    l = largest rank with 2 * sum_{k<l} C(n, k) / 2^n <= 1 - level (math.comb, big integers).
//  - "hand": worked out in the comment beside the assertion.
#include "harness/stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

namespace gq {
namespace {

const std::vector<double> kA = {2.5, 0.5, 9.0, 4.25, 7.0, 1.0, 3.5};
const std::vector<double> kB = {10.0, 12.0, 9.5, 11.0, 10.5, 13.0, 9.0, 10.25, 11.5, 12.5};

// 1, 2, ..., n in shuffled order: the k-th order statistic is k.
std::vector<double> ShuffledRanks(std::size_t n) {
  std::vector<double> xs(n);
  std::iota(xs.begin(), xs.end(), 1.0);
  std::mt19937 rng(12345);
  std::shuffle(xs.begin(), xs.end(), rng);
  return xs;
}

TEST(StatsTest, EmptyInputThrows) {
  const std::vector<double> empty;
  EXPECT_THROW(Median(empty), std::invalid_argument);
  EXPECT_THROW(Mean(empty), std::invalid_argument);
  EXPECT_THROW(StdDev(empty), std::invalid_argument);
  EXPECT_THROW(Percentile(empty, 50), std::invalid_argument);
  EXPECT_THROW(MedianConfidenceInterval(empty), std::invalid_argument);
  EXPECT_THROW(RelativeMedianNoise(empty), std::invalid_argument);
  EXPECT_THROW(Summarise(empty), std::invalid_argument);
}

TEST(StatsTest, BadArgumentsThrow) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(Median({1.0, nan}), std::invalid_argument);
  EXPECT_THROW(Percentile(kA, -1), std::invalid_argument);
  EXPECT_THROW(Percentile(kA, 100.5), std::invalid_argument);
  EXPECT_THROW(Percentile(kA, nan), std::invalid_argument);
  EXPECT_THROW(MedianConfidenceInterval(kA, 0.0), std::invalid_argument);
  EXPECT_THROW(MedianConfidenceInterval(kA, 1.0), std::invalid_argument);
}

TEST(StatsTest, MedianMeanStdDevCv) {
  // numpy
  EXPECT_DOUBLE_EQ(Median(kA), 3.5);
  EXPECT_DOUBLE_EQ(Mean(kA), 3.9642857142857144);
  EXPECT_DOUBLE_EQ(StdDev(kA), 3.103857047518228);
  EXPECT_DOUBLE_EQ(Summarise(kA).cv, 0.782954930905499);
  EXPECT_DOUBLE_EQ(Median(kB), 10.75);
  EXPECT_DOUBLE_EQ(Mean(kB), 10.925);
  EXPECT_DOUBLE_EQ(StdDev(kB), 1.3125992026001945);
  EXPECT_DOUBLE_EQ(Summarise(kB).cv, 0.12014638010070429);
}

TEST(StatsTest, SingleSampleAndZeroMean) {
  // hand: one sample is its own median/mean; n - 1 = 0 -> stddev defined as 0.
  EXPECT_DOUBLE_EQ(Median({4.0}), 4.0);
  EXPECT_DOUBLE_EQ(StdDev({4.0}), 0.0);
  EXPECT_DOUBLE_EQ(Summarise({4.0}).cv, 0.0);
  // hand: mean of {-1, 1} is 0 -> CV reported as 0.
  EXPECT_DOUBLE_EQ(Summarise({-1.0, 1.0}).cv, 0.0);
  // hand: a large offset must not cancel: {1e9 + 1, 1e9 + 2, 1e9 + 3} has stddev 1.
  EXPECT_DOUBLE_EQ(StdDev({1e9 + 1, 1e9 + 2, 1e9 + 3}), 1.0);
}

TEST(StatsTest, PercentileLinearInterpolation) {
  // numpy
  EXPECT_DOUBLE_EQ(Percentile(kA, 0), 0.5);
  EXPECT_DOUBLE_EQ(Percentile(kA, 10), 0.8);
  EXPECT_DOUBLE_EQ(Percentile(kA, 25), 1.75);
  EXPECT_DOUBLE_EQ(Percentile(kA, 33.3), 2.497);
  EXPECT_DOUBLE_EQ(Percentile(kA, 50), 3.5);
  EXPECT_DOUBLE_EQ(Percentile(kA, 90), 7.800000000000001);
  EXPECT_DOUBLE_EQ(Percentile(kA, 99), 8.879999999999999);
  EXPECT_DOUBLE_EQ(Percentile(kA, 100), 9.0);
  EXPECT_DOUBLE_EQ(Percentile(kB, 10), 9.45);
  EXPECT_DOUBLE_EQ(Percentile(kB, 25), 10.0625);
  EXPECT_DOUBLE_EQ(Percentile(kB, 33.3), 10.24925);
  EXPECT_DOUBLE_EQ(Percentile(kB, 90), 12.55);
  EXPECT_DOUBLE_EQ(Percentile(kB, 99), 12.955);
  // hand: {1, 2} at p = 25 -> h = 0.25 -> 1 + 0.25 * (2 - 1).
  EXPECT_DOUBLE_EQ(Percentile({2.0, 1.0}, 25), 1.25);
  EXPECT_DOUBLE_EQ(Percentile({7.0}, 37), 7.0);
}

TEST(StatsTest, MedianCiRanksMatchBinomialTable) {
  struct Row {
    std::size_t n, l95, l99, l90;
  };
  // exact
  const Row rows[] = {{1, 0, 0, 0},     {2, 0, 0, 0},      {3, 0, 0, 0},         {4, 0, 0, 0},
                      {5, 0, 0, 1},     {6, 1, 0, 1},      {7, 1, 0, 1},         {8, 1, 1, 2},
                      {9, 2, 1, 2},     {10, 2, 1, 2},     {11, 2, 1, 3},        {12, 3, 2, 3},
                      {15, 4, 3, 4},    {20, 6, 4, 6},     {25, 8, 6, 8},        {30, 10, 8, 11},
                      {50, 18, 16, 19}, {100, 40, 37, 42}, {1000, 469, 459, 474}};
  for (const Row& r : rows) {
    EXPECT_EQ(MedianCiLowerRank(r.n, 0.95), r.l95) << "n=" << r.n;
    EXPECT_EQ(MedianCiLowerRank(r.n, 0.99), r.l99) << "n=" << r.n;
    EXPECT_EQ(MedianCiLowerRank(r.n, 0.90), r.l90) << "n=" << r.n;
  }
}

TEST(StatsTest, MedianCiRanksLargeN) {
  // exact (Python big integers; ~2 s for n = 100000)
  EXPECT_EQ(MedianCiLowerRank(10000, 0.95), 4902u);
  EXPECT_EQ(MedianCiLowerRank(10000, 0.99), 4871u);
  EXPECT_EQ(MedianCiLowerRank(12345, 0.95), 6064u);
  EXPECT_EQ(MedianCiLowerRank(12345, 0.99), 6029u);
  EXPECT_EQ(MedianCiLowerRank(100000, 0.95), 49690u);
  EXPECT_EQ(MedianCiLowerRank(100000, 0.99), 49593u);
}

TEST(StatsTest, MedianCiExactCoverageBoundary) {
  // hand: at n = 6, l = 1 covers with 1 - 2 / 2^6 = 0.96875 exactly; asking for exactly that
  // level keeps l = 1, asking for a hair more gives no rank.
  EXPECT_EQ(MedianCiLowerRank(6, 0.96875), 1u);
  EXPECT_EQ(MedianCiLowerRank(6, 0.96876), 0u);
}

TEST(StatsTest, MedianCiIntervals) {
  // n = 10 at 95%: ranks 2 and 9 (exact table above).
  Interval ci = MedianConfidenceInterval(ShuffledRanks(10));
  EXPECT_DOUBLE_EQ(ci.low, 2.0);
  EXPECT_DOUBLE_EQ(ci.high, 9.0);
  // n = 6: [x(1), x(6)].
  ci = MedianConfidenceInterval(ShuffledRanks(6));
  EXPECT_DOUBLE_EQ(ci.low, 1.0);
  EXPECT_DOUBLE_EQ(ci.high, 6.0);
  // n < 6 at 95%: [min, max].
  ci = MedianConfidenceInterval({3.0, 1.0, 2.0});
  EXPECT_DOUBLE_EQ(ci.low, 1.0);
  EXPECT_DOUBLE_EQ(ci.high, 3.0);
  ci = MedianConfidenceInterval({5.0});
  EXPECT_DOUBLE_EQ(ci.low, 5.0);
  EXPECT_DOUBLE_EQ(ci.high, 5.0);
  // n = 100: ranks 40 and 61.
  ci = MedianConfidenceInterval(ShuffledRanks(100));
  EXPECT_DOUBLE_EQ(ci.low, 40.0);
  EXPECT_DOUBLE_EQ(ci.high, 61.0);
  // n = 100000: ranks 49690 and 100001 - 49690 = 50311.
  ci = MedianConfidenceInterval(ShuffledRanks(100000));
  EXPECT_DOUBLE_EQ(ci.low, 49690.0);
  EXPECT_DOUBLE_EQ(ci.high, 50311.0);
}

TEST(StatsTest, RelativeMedianNoise) {
  // hand: 1..10 -> median 5.5, CI [2, 9] -> max(3.5, 3.5) / 5.5.
  EXPECT_DOUBLE_EQ(RelativeMedianNoise(ShuffledRanks(10)), 3.5 / 5.5);
  // hand: kB sorted = 9, 9.5, 10, 10.25, 10.5, 11, 11.5, 12, 12.5, 13; CI [9.5, 12.5],
  // median 10.75 -> max(1.25, 1.75) / 10.75.
  EXPECT_DOUBLE_EQ(RelativeMedianNoise(kB), 1.75 / 10.75);
  EXPECT_DOUBLE_EQ(RelativeMedianNoise(std::vector<double>(20, 2.0)), 0.0);
  EXPECT_DOUBLE_EQ(RelativeMedianNoise(std::vector<double>(20, 0.0)), 0.0);
  EXPECT_TRUE(std::isinf(RelativeMedianNoise({-1.0, 0.0, 1.0})));
}

TEST(StatsTest, Summarise) {
  const Summary s = Summarise(kB);
  EXPECT_EQ(s.n, 10u);
  // numpy
  EXPECT_DOUBLE_EQ(s.median, 10.75);
  EXPECT_DOUBLE_EQ(s.mean, 10.925);
  EXPECT_DOUBLE_EQ(s.stddev, 1.3125992026001945);
  EXPECT_DOUBLE_EQ(s.cv, 0.12014638010070429);
  EXPECT_DOUBLE_EQ(s.p10, 9.45);
  EXPECT_DOUBLE_EQ(s.p90, 12.55);
  // hand
  EXPECT_DOUBLE_EQ(s.min, 9.0);
  EXPECT_DOUBLE_EQ(s.max, 13.0);
  EXPECT_DOUBLE_EQ(s.ci95_low, 9.5);
  EXPECT_DOUBLE_EQ(s.ci95_high, 12.5);
}

}  // namespace
}  // namespace gq
