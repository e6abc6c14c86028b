#include "harness/decide/two_sample.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gq {
namespace {

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
