// Metric formulas from Work and the e2e metric list.
#include "harness/work.h"

#include <gtest/gtest.h>

namespace gq {
namespace {

Work TokenWork() {
  Work w;
  w.tokens = 256;           // batch 2 x output_len 128
  w.prefill_tokens = 4096;  // batch 2 x input_len 2048
  w.gpus = 4;
  return w;
}

TEST(WorkTest, TokenQuantities) {
  const Work w = TokenWork();
  auto rate = [&](Quantity q) { return MetricSpec{"x", "tok/s", true, q, 1.0}.FromTime(0.5, w); };
  EXPECT_DOUBLE_EQ(rate(Quantity::kTokens), 256 / 0.5);
  EXPECT_DOUBLE_EQ(rate(Quantity::kPrefillTokens), 4096 / 0.5);
  EXPECT_DOUBLE_EQ(rate(Quantity::kTotalTokens), (256 + 4096) / 0.5);
  EXPECT_DOUBLE_EQ(rate(Quantity::kTokensPerGpu), 256 / 4.0 / 0.5);
}

TEST(WorkTest, TokensPerGpuTakesZeroGpusAsOne) {
  Work w = TokenWork();
  w.gpus = 0;
  const MetricSpec per_gpu{"x", "tok/s", true, Quantity::kTokensPerGpu, 1.0};
  EXPECT_DOUBLE_EQ(per_gpu.FromTime(2.0, w), 128.0);
  w.gpus = 1;
  EXPECT_DOUBLE_EQ(per_gpu.FromTime(2.0, w), 128.0);
}

TEST(WorkTest, TokenThroughputMetricsInOrderWithUnitsDirectionsAndPhases) {
  struct Expected {
    const char* name;
    const char* unit;
    bool higher_is_better;
    Quantity quantity;
    double scale;
    const char* phase;
  };
  const std::vector<Expected> expected = {
      {"output_tok_s", "tok/s", true, Quantity::kTokens, 1.0, ""},
      {"total_tok_s", "tok/s", true, Quantity::kTotalTokens, 1.0, ""},
      {"prefill_tok_s", "tok/s", true, Quantity::kPrefillTokens, 1.0, "prefill"},
      {"tok_s_per_gpu", "tok/s", true, Quantity::kTokensPerGpu, 1.0, ""},
      {"ttft_ms", "ms", false, Quantity::kTime, 1e3, "ttft"},
      {"tpot_ms", "ms", false, Quantity::kTime, 1e3, "tpot"},
      {"itl_p50_ms", "ms", false, Quantity::kTime, 1e3, "itl_p50"},
      {"itl_p99_ms", "ms", false, Quantity::kTime, 1e3, "itl_p99"},
  };
  const std::vector<MetricSpec> metrics = TokenThroughputMetrics();
  ASSERT_EQ(metrics.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].name);
    EXPECT_EQ(metrics[i].name, expected[i].name);
    EXPECT_EQ(metrics[i].unit, expected[i].unit);
    EXPECT_EQ(metrics[i].higher_is_better, expected[i].higher_is_better);
    EXPECT_EQ(metrics[i].quantity, expected[i].quantity);
    EXPECT_DOUBLE_EQ(metrics[i].scale, expected[i].scale);
    EXPECT_EQ(metrics[i].phase, expected[i].phase);
  }
  // The phase names are the constants workloads report them under.
  EXPECT_EQ(metrics[2].phase, kPhasePrefill);
  EXPECT_EQ(metrics[4].phase, kPhaseTtft);
  EXPECT_EQ(metrics[5].phase, kPhaseTpot);
  EXPECT_EQ(metrics[6].phase, kPhaseItlP50);
  EXPECT_EQ(metrics[7].phase, kPhaseItlP99);
}

TEST(WorkTest, PhaseMetricsConvertAPhaseTime) {
  const Work w = TokenWork();
  const std::vector<MetricSpec> metrics = TokenThroughputMetrics();
  EXPECT_DOUBLE_EQ(metrics[2].FromTime(0.25, w), 4096 / 0.25);  // prefill_tok_s
  EXPECT_DOUBLE_EQ(metrics[4].FromTime(0.03, w), 30.0);         // ttft_ms
}

TEST(WorkTest, ExistingMetricsAreIterationTimeMetrics) {
  for (const MetricSpec& m : {TflopsMetric(), TimeMsMetric(), TimeUsMetric(),
                              BandwidthMetric("bandwidth"), BusBandwidthMetric()}) {
    EXPECT_TRUE(m.phase.empty()) << m.name;
  }
}

}  // namespace
}  // namespace gq
