// The stopping rule (harness/measure/stopping_rule.h) on scripted sample times: the minimums
// first, then the noise target; max_time_s and max_samples stop anyway and judge the noise.
#include "harness/measure/stopping_rule.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

#include "harness/stats.h"

namespace gq {
namespace {

MeasureOptions Options() {
  MeasureOptions m;
  m.min_samples = 10;
  m.min_time_s = 0.005;
  m.max_time_s = 0.05;
  m.max_noise = 0.01;
  m.max_samples = 100000;
  return m;
}

// Adds samples until the rule stops (or `limit` samples); returns the verdict, `n` the count.
std::optional<StopVerdict> Feed(StoppingRule& rule, const std::vector<double>& script, int limit,
                                int* n) {
  for (*n = 0; *n < limit;) {
    rule.Add(script[static_cast<std::size_t>(*n) % script.size()]);
    ++*n;
    if (std::optional<StopVerdict> v = rule.Check()) return v;
  }
  return std::nullopt;
}

TEST(StoppingRuleTest, NoVerdictBeforeAnySample) {
  StoppingRule rule(Options());
  EXPECT_FALSE(rule.Check().has_value());
  EXPECT_EQ(rule.sampled_s(), 0.0);
}

TEST(StoppingRuleTest, SteadySamplesStopAtTheMinimumSampleCount) {
  StoppingRule rule(Options());
  int n = 0;
  std::optional<StopVerdict> v = Feed(rule, {1e-3}, 1000, &n);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(n, 10);  // 10 x 1 ms: both minimums met at once
  EXPECT_TRUE(v->converged);
  EXPECT_EQ(v->noise, 0.0);
  EXPECT_EQ(rule.samples().size(), 10u);
}

TEST(StoppingRuleTest, MinimumTimeHoldsSamplingPastTheMinimumCount) {
  MeasureOptions m = Options();
  m.min_samples = 3;
  m.min_time_s = 0.0095;  // reached by the tenth 1 ms sample
  StoppingRule rule(m);
  int n = 0;
  std::optional<StopVerdict> v = Feed(rule, {1e-3}, 1000, &n);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(n, 10);
  EXPECT_TRUE(v->converged);
}

TEST(StoppingRuleTest, NoisySamplesStopRightAfterMaxTimeNotConverged) {
  StoppingRule rule(Options());
  int n = 0;
  std::optional<StopVerdict> v = Feed(rule, {2e-3, 1e-3}, 1000, &n);
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->converged);
  EXPECT_GE(rule.sampled_s(), 0.05);
  EXPECT_LT(rule.sampled_s() - rule.samples().back(), 0.05);  // the sample before was short of it
  EXPECT_EQ(v->noise, RelativeMedianNoise(rule.samples()));
  EXPECT_GT(v->noise, 0.01);
}

TEST(StoppingRuleTest, NoiseTargetMetAfterTheMinimumsStopsConverged) {
  // Ten noisy samples, then steady ones: the CI of the median narrows until within 1%.
  std::vector<double> script;
  for (int i = 0; i < 10; ++i) script.push_back(i % 2 ? 1e-3 : 2e-3);
  for (int i = 0; i < 200; ++i) script.push_back(1e-3);
  MeasureOptions m = Options();
  m.max_time_s = 10;
  StoppingRule rule(m);
  int n = 0;
  std::optional<StopVerdict> v;
  for (n = 0; n < static_cast<int>(script.size()) && !v; ++n) {
    rule.Add(script[static_cast<std::size_t>(n)]);
    v = rule.Check();
    if (!v && n + 1 >= 10) EXPECT_GT(RelativeMedianNoise(rule.samples()), 0.01) << n;
  }
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->converged);
  EXPECT_GT(n, 10);
  EXPECT_LE(v->noise, 0.01);
  EXPECT_EQ(v->noise, RelativeMedianNoise(rule.samples()));
}

TEST(StoppingRuleTest, MaxSamplesStopsAnywayAndJudgesTheNoise) {
  MeasureOptions m = Options();
  m.max_samples = 4;  // below min_samples: the cap decides
  StoppingRule steady(m);
  int n = 0;
  std::optional<StopVerdict> v = Feed(steady, {1e-3}, 1000, &n);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(n, 4);
  EXPECT_TRUE(v->converged);  // four equal samples: no noise
  StoppingRule noisy(m);
  v = Feed(noisy, {2e-3, 1e-3}, 1000, &n);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(n, 4);
  EXPECT_FALSE(v->converged);
}

TEST(StoppingRuleTest, OneSampleAtTheLimitCountsAsFullNoise) {
  MeasureOptions m = Options();
  m.max_time_s = 1e-3;  // the first sample reaches it
  StoppingRule rule(m);
  rule.Add(2e-3);
  std::optional<StopVerdict> v = rule.Check();
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->converged);
  EXPECT_EQ(v->noise, 1.0);
}

TEST(StoppingRuleTest, SampledTimeSumsInArrivalOrder) {
  StoppingRule rule(Options());
  double sum = 0;
  for (double s : {0.1e-3, 0.7e-3, 0.3e-3}) {
    rule.Add(s);
    sum += s;
  }
  EXPECT_EQ(rule.sampled_s(), sum);
  EXPECT_EQ(rule.samples(), (std::vector<double>{0.1e-3, 0.7e-3, 0.3e-3}));
}

// A sample that is not a finite time >= 0 is refused at once: it would make the sampled time NaN,
// and then no time rule would ever stop the sampling.
TEST(StoppingRuleTest, ANonFiniteOrNegativeSampleIsRefused) {
  StoppingRule rule(Options());
  rule.Add(1e-3);
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(), -1e-3}) {
    EXPECT_THROW(rule.Add(bad), std::runtime_error) << bad;
  }
  EXPECT_EQ(rule.samples().size(), 1u);
  EXPECT_DOUBLE_EQ(rule.sampled_s(), 1e-3);
  rule.Add(0.0);  // a zero time is a time (a timer's resolution)
  EXPECT_EQ(rule.samples().size(), 2u);
}

}  // namespace
}  // namespace gq
