// A case's figures from its samples (harness/measure/case_metrics.h), without the runner.
#include "harness/measure/case_metrics.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace gq {
namespace {

CaseResult TwoSamples() {
  CaseResult r;
  r.samples_s = {4e-3, 6e-3};
  r.iterations_per_sample = 2;
  r.work.tokens = 100;
  r.work.prefill_tokens = 1000;
  r.phase_samples_s = {{"prefill", {0.5e-3, 1.5e-3}}, {"ttft", {1e-3, 3e-3}}};
  return r;
}

TEST(CaseMetricsTest, IterationMetricsDivideByIterationsPhaseMetricsDoNot) {
  CaseResult r = TwoSamples();
  const std::vector<MetricSpec> all = TokenThroughputMetrics();
  FillMetrics(r, {all[0], all[2], all[4], all[5]});  // output, prefill, ttft, tpot (absent)
  ASSERT_EQ(r.metrics.size(), 3u);
  EXPECT_EQ(r.metrics[0].first, "output_tok_s");
  EXPECT_DOUBLE_EQ(r.metrics[0].second.min, 100 / 3e-3);  // 6 ms / 2 iterations
  EXPECT_DOUBLE_EQ(r.metrics[0].second.max, 100 / 2e-3);  // 4 ms / 2 iterations
  EXPECT_EQ(r.metrics[1].first, "prefill_tok_s");
  EXPECT_DOUBLE_EQ(r.metrics[1].second.max, 1000 / 0.5e-3);
  EXPECT_EQ(r.metrics[2].first, "ttft_ms");
  EXPECT_DOUBLE_EQ(r.metrics[2].second.median, 2.0);  // median of 1 and 3 ms
  EXPECT_EQ(r.FindMetric("tpot_ms"), nullptr);
}

TEST(CaseMetricsTest, PrimaryMetricWithoutItsPhaseThrows) {
  CaseResult r = TwoSamples();
  EXPECT_THROW(FillMetrics(r, {TokenThroughputMetrics()[5]}), std::runtime_error);  // tpot_ms
}

TEST(CaseMetricsTest, PhaseSamplesKeepTheirNamesAndValues) {
  CaseResult r;
  r.samples_s = {1e-3};
  EXPECT_EQ(AppendPhaseSample(r, {{"ttft", 0.1}}), "");
  r.samples_s.push_back(1e-3);
  EXPECT_EQ(AppendPhaseSample(r, {{"ttft", 0.2}}), "");
  EXPECT_EQ(r.phase_samples_s.at("ttft"), (std::vector<double>{0.1, 0.2}));
  r.samples_s.push_back(1e-3);
  const std::string bad = AppendPhaseSample(r, {{"tpot", 0.2}});
  EXPECT_NE(bad.find("{tpot} in sample 3 but {ttft} in sample 1"), std::string::npos) << bad;
  EXPECT_EQ(r.phase_samples_s.size(), 1u);
  // A case without phases stays without.
  CaseResult none;
  none.samples_s = {1e-3};
  EXPECT_EQ(AppendPhaseSample(none, {}), "");
  none.samples_s.push_back(1e-3);
  EXPECT_EQ(AppendPhaseSample(none, {}), "");
  EXPECT_TRUE(none.phase_samples_s.empty());
}

TEST(CaseMetricsTest, PhaseSecondsMustBeFiniteAndPositive) {
  EXPECT_EQ(CheckPhaseSeconds({{"ttft", 0.1}, {"tpot", 1e-4}}), "");
  EXPECT_NE(CheckPhaseSeconds({{"ttft", 0.0}}).find("phase 'ttft'"), std::string::npos);
  EXPECT_NE(CheckPhaseSeconds({{"tpot", -1.0}}), "");
  EXPECT_NE(CheckPhaseSeconds({{"tpot", std::numeric_limits<double>::infinity()}}), "");
  EXPECT_NE(CheckPhaseSeconds({{"tpot", std::numeric_limits<double>::quiet_NaN()}}), "");
}

}  // namespace
}  // namespace gq
