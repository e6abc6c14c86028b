// The tok/s roofline of cases made of phases (harness/measure/roofline.h): t_min summed over phases,
// memory/compute bound by the share of t_min, measured bandwidth, several GPUs, and the
// datasheet guard.
#include <gtest/gtest.h>

#include "harness/measure/roofline.h"

namespace gq {
namespace {

const DeviceSpec kGpu{"test-gpu", "Test GPU", {{"bf16", 1000.0}}, 2000.0, 0, "test"};

MetricSpec OutputTokS() { return TokenThroughputMetrics().front(); }

// Batch 8, 100 output tokens per sequence: a prefill and 99 decode steps.
//   prefill:     1e14 flop / 1e15 flop/s = 0.1 s  vs 2e10 B / 2e12 B/s = 0.01 s  -> 0.1 s compute
//   decode_step: 2e11 flop / 1e15 flop/s = 2e-4 s vs 2e10 B / 2e12 B/s = 0.01 s  -> 0.01 s memory
//   t_min = 0.1 + 99 x 0.01 = 1.09 s; attainable = 800 tokens / 1.09 s = 733.9 tok/s.
Work DecodeHeavy() {
  Work w;
  w.tokens = 800;
  w.prefill_tokens = 8 * 512;
  w.compute_dtype = "bf16";
  w.phases = {{"prefill", 1e14, 2e10, 1}, {"decode_step", 2e11, 2e10, 99}};
  return w;
}

TEST(TokenRooflineTest, DecodeDominatedCaseIsMemoryBound) {
  const double attainable = 800 / 1.09;
  auto c = CheckRoofline(DecodeHeavy(), OutputTokS(), 0.75 * attainable, kGpu);
  ASSERT_TRUE(c.roofline);
  EXPECT_EQ(c.roofline->bound, "memory");  // 0.99 s of the 1.09 s are memory-bound phases
  EXPECT_NEAR(c.roofline->peak, attainable, 1e-9);
  EXPECT_NEAR(c.roofline->efficiency, 0.75, 1e-12);
  EXPECT_EQ(c.roofline->peak_source,
            "sum over phases of max(flops / datasheet test-gpu bf16 dense, bytes / datasheet "
            "bandwidth test-gpu)");
  EXPECT_TRUE(c.invalid_reason.empty());
}

TEST(TokenRooflineTest, PrefillDominatedCaseIsComputeBound) {
  Work w = DecodeHeavy();
  w.tokens = 8;
  w.phases[1].repeats = 0;  // output_len 1: t_min = 0.1 s of compute
  auto c = CheckRoofline(w, OutputTokS(), 40, kGpu);
  ASSERT_TRUE(c.roofline);
  EXPECT_EQ(c.roofline->bound, "compute");
  EXPECT_NEAR(c.roofline->peak, 80, 1e-9);
  EXPECT_NEAR(c.roofline->efficiency, 0.5, 1e-12);
}

TEST(TokenRooflineTest, MeasuredBandwidthLowersTheRoofButNotTheGuard) {
  // 1000 GB/s measured: decode 0.02 s per step, prefill still 0.1 s: t_min = 0.1 + 1.98 = 2.08 s.
  auto c = CheckRoofline(DecodeHeavy(), OutputTokS(), 500, kGpu, 1000, "membw/op=copy");
  ASSERT_TRUE(c.roofline);
  EXPECT_NEAR(c.roofline->peak, 800 / 2.08, 1e-9);
  EXPECT_NEAR(c.roofline->efficiency, 500 / (800 / 2.08), 1e-12);
  EXPECT_NE(c.roofline->peak_source.find("datasheet test-gpu bf16 dense"), std::string::npos);
  EXPECT_NE(c.roofline->peak_source.find("measured bandwidth (membw/op=copy)"), std::string::npos);
  EXPECT_TRUE(c.invalid_reason.empty());  // above the measured roof, below the datasheet one
}

TEST(TokenRooflineTest, AboveTheDatasheetRooflineIsInvalid) {
  auto c = CheckRoofline(DecodeHeavy(), OutputTokS(), 800, kGpu, 1000, "membw/op=copy");
  EXPECT_NE(
      c.invalid_reason.find("output_tok_s 800.0 tok/s is above the datasheet roofline 733.9 tok/s"),
      std::string::npos)
      << c.invalid_reason;
}

TEST(TokenRooflineTest, SeveralGpusMultiplyBothPeaks) {
  Work w = DecodeHeavy();
  w.gpus = 2;
  auto c = CheckRoofline(w, OutputTokS(), 1000, kGpu);
  ASSERT_TRUE(c.roofline);
  EXPECT_NEAR(c.roofline->peak, 800 / 0.545, 1e-9);
  EXPECT_TRUE(c.invalid_reason.empty());  // 1000 tok/s would be above one GPU's 733.9
  EXPECT_NE(c.roofline->peak_source.find("flops / 2 x datasheet"), std::string::npos)
      << c.roofline->peak_source;
}

TEST(TokenRooflineTest, NoRooflineWithoutPhasesOrPeaks) {
  Work w = DecodeHeavy();
  w.phases.clear();
  auto none = CheckRoofline(w, OutputTokS(), 1e9, kGpu);
  EXPECT_FALSE(none.roofline);
  EXPECT_TRUE(none.invalid_reason.empty());
  w = DecodeHeavy();
  w.compute_dtype = "fp8";  // no fp8 peak on this SKU
  EXPECT_FALSE(CheckRoofline(w, OutputTokS(), 500, kGpu).roofline);
  EXPECT_FALSE(CheckRoofline(DecodeHeavy(), OutputTokS(), 500, DeviceSpec{}).roofline);
  // Other token metrics (total, per GPU, the times) get none.
  EXPECT_FALSE(CheckRoofline(DecodeHeavy(), TokenThroughputMetrics()[1], 500, kGpu).roofline);
  EXPECT_FALSE(CheckRoofline(DecodeHeavy(), TokenThroughputMetrics()[3], 500, kGpu).roofline);
}

// prefill_tok_s (the figure of an e2e prefill case) is placed over the prefill phase alone, in
// prompt tokens: t_min = 0.1 s (compute), attainable = 4096 / 0.1 = 40960 tok/s.
TEST(TokenRooflineTest, PromptTokenRateIsPlacedOverThePrefillPhase) {
  const MetricSpec prefill = TokenThroughputMetrics()[2];
  ASSERT_EQ(prefill.name, "prefill_tok_s");
  auto c = CheckRoofline(DecodeHeavy(), prefill, 20480, kGpu);
  ASSERT_TRUE(c.roofline.has_value());
  EXPECT_DOUBLE_EQ(c.roofline->peak, 40960);
  EXPECT_DOUBLE_EQ(c.roofline->efficiency, 0.5);
  EXPECT_EQ(c.roofline->bound, "compute");
  EXPECT_TRUE(c.invalid_reason.empty());
  // Above the datasheet roofline of the prefill: invalid.
  EXPECT_NE(CheckRoofline(DecodeHeavy(), prefill, 50000, kGpu).invalid_reason.find("prefill_tok_s 50000"),
            std::string::npos);
}

}  // namespace
}  // namespace gq
