// harness/decide/change_points: a step is found at its run and in the right direction, a flat or
// short series and a single outlier give none, and the calibration the header promises: flat
// series of 40 runs at 2% between-run spread give a false change point in under 1% of series; a
// 10% step in such a series is found at its run in over 95%.
#include "harness/decide/change_points.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "tests/unit/lognormal_runs.h"

namespace gq {
namespace {

using testing::LogNormalRuns;

TEST(ChangePointsTest, FindsAStepAtItsRun) {
  std::mt19937_64 rng(1);
  std::vector<double> v = LogNormalRuns(rng, 8, 100, 0.01);
  for (double x : LogNormalRuns(rng, 8, 80, 0.01)) v.push_back(x);  // throughput drops 20% at run 8
  const ChangePoints c = FindChangePoints(v, true, {});
  ASSERT_EQ(c.points.size(), 1u);
  EXPECT_EQ(c.points[0].index, 8u);
  EXPECT_EQ(c.points[0].decision.call, ChangeCall::kRegressed);
  EXPECT_NEAR(c.points[0].decision.change, -0.2, 0.02);
  EXPECT_NEAR(c.points[0].before, 100, 2);
  EXPECT_NEAR(c.points[0].after, 80, 2);
  ASSERT_EQ(c.segments.size(), 2u);
  EXPECT_EQ(c.segments[0].begin, 0u);
  EXPECT_EQ(c.segments[0].end, 8u);
  EXPECT_EQ(c.segments[1].end, 16u);
  EXPECT_NEAR(c.segments[1].level, 80, 2);
  // The same values as times (lower is better): the step is an improvement.
  EXPECT_EQ(FindChangePoints(v, false, {}).points[0].decision.call, ChangeCall::kImproved);
}

TEST(ChangePointsTest, TwoStepsAreTwoPoints) {
  std::vector<double> v;
  for (int i = 0; i < 24; ++i) v.push_back((i < 8 ? 100 : i < 16 ? 120 : 90) * (1 + 0.005 * (i % 3)));
  const ChangePoints c = FindChangePoints(v, true, {});
  ASSERT_EQ(c.points.size(), 2u);
  EXPECT_EQ(c.points[0].index, 8u);
  EXPECT_EQ(c.points[0].decision.call, ChangeCall::kImproved);
  EXPECT_EQ(c.points[1].index, 16u);
  EXPECT_EQ(c.points[1].decision.call, ChangeCall::kRegressed);
  EXPECT_EQ(c.segments.size(), 3u);
}

TEST(ChangePointsTest, FlatShortOrOneOutlierGiveNone) {
  std::mt19937_64 rng(2);
  EXPECT_TRUE(FindChangePoints(LogNormalRuns(rng, 30, 50, 0.01), true, {}).points.empty());
  std::vector<double> outlier = LogNormalRuns(rng, 20, 50, 0.01);
  outlier[10] = 25;  // one bad run
  EXPECT_TRUE(FindChangePoints(outlier, true, {}).points.empty());
  const std::vector<double> short_step = {100, 100, 100, 50, 50, 50, 50};  // < 2 windows of 4
  const ChangePoints s = FindChangePoints(short_step, true, {});
  EXPECT_TRUE(s.points.empty());
  ASSERT_EQ(s.segments.size(), 1u);
  EXPECT_EQ(s.segments[0].end, short_step.size());
  // A step smaller than the minimum effect is no change point, however clear.
  std::vector<double> small;
  for (int i = 0; i < 16; ++i) small.push_back(i < 8 ? 100 : 97);
  EXPECT_TRUE(FindChangePoints(small, true, {}).points.empty());
  EXPECT_TRUE(FindChangePoints({}, true, {}).segments.empty());
}

TEST(ChangePointsTest, RejectsBadInput) {
  EXPECT_THROW(FindChangePoints({1, 2}, true, {1, 0.05, 0.01}), std::invalid_argument);
  EXPECT_THROW(FindChangePoints({1, 2}, true, {4, 1.5, 0.01}), std::invalid_argument);
  EXPECT_THROW(FindChangePoints({1, 2}, true, {4, 0.05, 0}), std::invalid_argument);
  EXPECT_THROW(FindChangePoints({1, 0}, true, {}), std::invalid_argument);
  EXPECT_THROW(FindChangePoints({1, NAN}, true, {}), std::invalid_argument);
}

TEST(ChangePointsTest, CalibrationFlatSeriesRarelyGiveAChangePoint) {
  std::mt19937_64 rng(20261129);
  const int series = 2000;
  int false_points = 0;
  for (int i = 0; i < series; ++i) false_points += !FindChangePoints(LogNormalRuns(rng, 40, 1.0, 0.02), true, {}).points.empty();
  EXPECT_LT(false_points, series / 100) << false_points << " of " << series;
}

TEST(ChangePointsTest, CalibrationATenPercentStepIsFoundAtItsRun) {
  std::mt19937_64 rng(20261130);
  const int series = 1000;
  int found = 0;
  for (int i = 0; i < series; ++i) {
    std::vector<double> v = LogNormalRuns(rng, 20, 1.0, 0.02);
    for (double x : LogNormalRuns(rng, 20, 0.9, 0.02)) v.push_back(x);
    const ChangePoints c = FindChangePoints(v, true, {});
    found += c.points.size() == 1 && c.points[0].index == 20 && c.points[0].decision.call == ChangeCall::kRegressed;
  }
  EXPECT_GT(found, series * 95 / 100) << found << " of " << series;
}

}  // namespace
}  // namespace gq
