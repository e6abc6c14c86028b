#include "harness/decide/two_sample.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gq {
namespace {

// Expected values from scipy 1.10.1, scipy.stats.mannwhitneyu(x, y, alternative="two-sided",
// method=...) computed on this machine (/usr/bin/python3).
TEST(MannWhitneyTest, ExactSmallSampleMatchesScipy) {
  std::vector<double> x = {1.1, 2.3, 3.5, 4.2, 5.9, 6.1}, y = {3.0, 4.4, 5.5, 7.2, 8.1, 9.3, 10.2};
  auto r = MannWhitneyU(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 8.0);
  EXPECT_NEAR(r.p_value, 0.07342657342657342, 1e-12);  // method="exact"
}

TEST(MannWhitneyTest, TiesUseNormalApproximationWithTieCorrection) {
  std::vector<double> x, y;
  for (int rep = 0; rep < 3; ++rep) {
    for (double v : {1, 2, 2, 3, 3, 3, 4, 5}) x.push_back(v);
    for (double v : {2, 3, 4, 4, 5, 5, 6, 7}) y.push_back(v);
  }
  auto r = MannWhitneyU(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 121.5);
  EXPECT_NEAR(r.p_value, 0.0004909018551137398, 1e-10);  // method="asymptotic", continuity
}

TEST(MannWhitneyTest, LargeSamplesMatchScipyAsymptotic) {
  std::vector<double> a = {10.346, 10.822, 10.33, 8.697, 10.905, 10.446, 9.463, 10.581, 10.365, 10.294,
                           10.028, 10.547, 9.264, 9.837, 9.518, 10.599, 10.04, 9.708, 9.218, 9.743,
                           10.008, 9.724, 11.294, 11.007, 7.289, 8.111, 9.825, 9.578, 10.214, 10.217};
  std::vector<double> b = {12.918, 9.688, 10.422, 12.843, 11.447, 11.463, 10.286, 9.152, 10.967,
                           10.909, 9.573, 10.117, 10.728, 9.855, 10.702, 10.895, 10.836, 10.294,
                           11.394, 11.691, 11.121, 9.982, 11.532, 10.299, 11.679};
  auto r = MannWhitneyU(a, b);
  EXPECT_DOUBLE_EQ(r.u, 181.5);
  EXPECT_NEAR(r.p_value, 0.001104909667243219, 1e-10);
}

TEST(MannWhitneyTest, IdenticalSamplesAreNotSignificant) {
  std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_NEAR(MannWhitneyU(x, x).p_value, 1.0, 1e-12);
  std::vector<double> same(12, 3.0);
  EXPECT_DOUBLE_EQ(MannWhitneyU(same, same).p_value, 1.0);
  EXPECT_THROW(MannWhitneyU({}, x), std::invalid_argument);
}

TEST(BootstrapTest, RatioOfMediansAndItsInterval) {
  std::vector<double> base, cand;
  for (int i = 0; i < 40; ++i) {
    base.push_back(100 + (i % 7) * 0.5);
    cand.push_back(110 + (i % 7) * 0.55);  // exactly 10% higher everywhere
  }
  auto r = BootstrapMedianRatio(cand, base);
  EXPECT_NEAR(r.ratio, 1.1, 1e-12);
  EXPECT_LE(r.low, r.ratio);
  EXPECT_GE(r.high, r.ratio);
  EXPECT_GT(r.low, 1.05);  // interval excludes "no change"
  auto same = BootstrapMedianRatio(base, base);
  EXPECT_DOUBLE_EQ(same.ratio, 1.0);
  EXPECT_LE(same.low, 1.0);
  EXPECT_GE(same.high, 1.0);
  // Deterministic for a seed.
  auto again = BootstrapMedianRatio(cand, base);
  EXPECT_DOUBLE_EQ(again.low, r.low);
  EXPECT_DOUBLE_EQ(again.high, r.high);
}

TEST(GeometricMeanTest, Values) {
  EXPECT_NEAR(GeometricMean({1.0, 4.0}), 2.0, 1e-12);
  EXPECT_NEAR(GeometricMean({0.9, 1.1, 1.0}), std::cbrt(0.99), 1e-12);
  EXPECT_EQ(GeometricMean({}), 0.0);
}

}  // namespace
}  // namespace gq
