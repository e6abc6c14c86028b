// The status of a measured case (harness/measure/case_status.h) from scripted evidence:
// verification (single and multi-rank), the roofline and its sanity guard, noise, and their
// order of precedence.
#include "harness/measure/case_status.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gq {
namespace {

const DeviceSpec kGpu{"test-gpu", "Test GPU", {{"bf16", 500.0}}, 1000.0, 0, "test"};

AgreedVerification Passed(double max_rel_err) {
  AgreedVerification a;
  a.passed = true;
  a.max_rel_err = max_rel_err;
  return a;
}

AgreedVerification Wrong(double max_rel_err, std::string reason) {
  AgreedVerification a;
  a.passed = false;
  a.max_rel_err = max_rel_err;
  a.failure_reason = std::move(reason);
  return a;
}

const VerifyResult kOwn{true, 1e-6, 1e-3, "256 sampled elements"};

// A gemm-like case measured at `tflops` (median of the primary metric).
CaseResult Measured(double tflops, std::size_t samples = 10) {
  CaseResult r;
  r.work.flops = 1e12;
  r.work.compute_dtype = "bf16";
  MetricResult m{"TFLOP/s", true};
  m.median = tflops;
  r.metrics.emplace_back("tflops", m);
  r.samples_s.assign(samples, 1e-3);
  return r;
}

TEST(CaseStatusTest, PassedVerificationKeepsTheDetailAndSaysAllRanksPassed) {
  VerificationJudgement one = JudgeVerification(Passed(2e-6), kOwn, 1);
  EXPECT_TRUE(one.judgement.ok());
  EXPECT_TRUE(one.record.passed);
  EXPECT_EQ(one.record.max_rel_err, 2e-6);
  EXPECT_EQ(one.record.tolerance, 1e-3);
  EXPECT_EQ(one.record.detail, "256 sampled elements");
  VerificationJudgement four = JudgeVerification(Passed(2e-6), kOwn, 4);
  EXPECT_EQ(four.record.detail, "256 sampled elements; all 4 ranks checked, all passed");
}

TEST(CaseStatusTest, FailedVerificationNamesTheFailingRank) {
  VerificationJudgement v = JudgeVerification(Wrong(0.5, "rank 1: exact check: 3 wrong"), kOwn, 2);
  EXPECT_EQ(v.judgement.status, CaseStatus::kFailed);
  EXPECT_EQ(v.judgement.reason,
            "verification failed: max relative error 5.00e-01 > tolerance 1.00e-03 (rank 1: "
            "exact check: 3 wrong)");
  EXPECT_FALSE(v.record.passed);
  EXPECT_EQ(v.record.max_rel_err, 0.5);
  EXPECT_EQ(v.record.detail, "rank 1: exact check: 3 wrong");
  // No reason known (another rank than 0): this rank's own detail.
  VerificationJudgement quiet = JudgeVerification(Wrong(0.5, ""), kOwn, 2);
  EXPECT_EQ(quiet.record.detail, "256 sampled elements");
  EXPECT_NE(quiet.judgement.reason.find("(256 sampled elements)"), std::string::npos);
}

TEST(CaseStatusTest, RooflinePlacesTheRateAndGuardsTheDatasheetPeak) {
  RooflineJudgement half = JudgeRoofline(Measured(250).work, TflopsMetric(), 250, &kGpu, {});
  EXPECT_TRUE(half.judgement.ok());
  ASSERT_TRUE(half.roofline.has_value());
  EXPECT_EQ(half.roofline->bound, "compute");
  EXPECT_NEAR(half.roofline->efficiency, 0.5, 1e-12);
  RooflineJudgement above = JudgeRoofline(Measured(600).work, TflopsMetric(), 600, &kGpu, {});
  EXPECT_EQ(above.judgement.status, CaseStatus::kInvalid);
  EXPECT_NE(above.judgement.reason.find("above the datasheet peak"), std::string::npos);
  RooflineJudgement unknown = JudgeRoofline(Measured(600).work, TflopsMetric(), 600, nullptr, {});
  EXPECT_TRUE(unknown.judgement.ok());
  EXPECT_FALSE(unknown.roofline.has_value());
}

TEST(CaseStatusTest, MeasuredBandwidthIsTheMemoryRoof) {
  Work gemv;
  gemv.flops = 1e9;
  gemv.bytes = 1e9;
  gemv.compute_dtype = "bf16";
  RooflineJudgement r = JudgeRoofline(gemv, TflopsMetric(), 0.3, &kGpu, {600, "bw/size=1"});
  ASSERT_TRUE(r.roofline.has_value());
  EXPECT_EQ(r.roofline->bound, "memory");
  EXPECT_NEAR(r.roofline->peak, 0.6, 1e-12);
  EXPECT_EQ(r.roofline->peak_source, "measured bandwidth (bw/size=1) x arithmetic intensity");
}

TEST(CaseStatusTest, NoiseAboveTheTargetIsNoisy) {
  EXPECT_TRUE(JudgeNoise({true, 0.004}, std::vector<double>(10, 1e-3), 0.01, 15).ok());
  const Judgement noisy = JudgeNoise({false, 0.025}, std::vector<double>(12, 1e-3), 0.01, 15);
  EXPECT_EQ(noisy.status, CaseStatus::kNoisy);
  EXPECT_EQ(noisy.reason, "95% CI of the median is +-2.50% after 12 samples (target +-1.00%)");
}

// On the H200, e2e offline batch 64 took one 2.9 s sample at --max-time 1: the reason said
// "95% CI of the median is +-100.00% after 1 samples", an interval no sample measured.
TEST(CaseStatusTest, OneSampleSaysNoSpreadWasMeasuredAndWhy) {
  const Judgement one = JudgeNoise({false, 1.0}, {2.87}, 0.01, 1);
  EXPECT_EQ(one.status, CaseStatus::kNoisy);
  EXPECT_EQ(one.reason,
            "one sample only (2.87 s, against a max time of 1 s): no spread to measure (target "
            "+-1.00%); a larger --max-time takes more samples");
}

TEST(CaseStatusTest, FewerThanSixSamplesGiveTheirReachNotAnInterval) {
  const Judgement few = JudgeNoise({false, 0.04}, {1.0, 1.02, 0.96, 1.01, 1.0}, 0.01, 5);
  EXPECT_EQ(few.status, CaseStatus::kNoisy);
  EXPECT_EQ(few.reason,
            "the 5 samples reach +-4.00% from their median (target +-1.00%); fewer than 6 give no "
            "95% interval");
  EXPECT_EQ(JudgeNoise({false, 0.04}, std::vector<double>(6, 1.0), 0.01, 5).reason,
            "95% CI of the median is +-4.00% after 6 samples (target +-1.00%)");
}

TEST(CaseStatusTest, VerificationThenRooflineThenNoiseDecide) {
  const MetricSpec primary = TflopsMetric();
  CaseEvidence e;
  e.own_verification = kOwn;
  e.primary = &primary;
  e.sku = &kGpu;
  e.stopping = {false, 0.05};
  e.max_noise = 0.01;

  // A wrong output wins over a rate above the peak and over noise; the figures stay.
  e.verification = Wrong(0.5, "");
  CaseResult r = Measured(600);
  EXPECT_EQ(JudgeCase(r, e).status, CaseStatus::kFailed);
  ASSERT_TRUE(r.verification.has_value());
  EXPECT_FALSE(r.verification->passed);
  EXPECT_FALSE(r.roofline.has_value());
  EXPECT_EQ(r.metrics.size(), 1u);

  // Verified: above the peak is invalid even when noisy.
  e.verification = Passed(1e-6);
  r = Measured(600);
  EXPECT_EQ(JudgeCase(r, e).status, CaseStatus::kInvalid);
  EXPECT_TRUE(r.roofline.has_value());

  // Below the peak: noise decides; the roofline is kept.
  r = Measured(250, 7);
  const Judgement noisy = JudgeCase(r, e);
  EXPECT_EQ(noisy.status, CaseStatus::kNoisy);
  EXPECT_NE(noisy.reason.find("after 7 samples"), std::string::npos) << noisy.reason;
  ASSERT_TRUE(r.roofline.has_value());
  EXPECT_NEAR(r.roofline->efficiency, 0.5, 1e-12);

  // Converged: ok.
  e.stopping = {true, 0.001};
  r = Measured(250);
  EXPECT_TRUE(JudgeCase(r, e).ok());
}

TEST(CaseStatusTest, WithoutVerificationOrMetricsOnlyNoiseDecides) {
  CaseEvidence e;
  e.sku = &kGpu;
  e.stopping = {true, 0};
  e.max_noise = 0.01;
  CaseResult r = Measured(600);  // above the peak, but no primary metric is named
  EXPECT_TRUE(JudgeCase(r, e).ok());
  EXPECT_FALSE(r.verification.has_value());
  EXPECT_FALSE(r.roofline.has_value());
}

}  // namespace
}  // namespace gq
