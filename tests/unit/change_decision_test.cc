// harness/decide/change_decision: the t distribution it rests on, each verdict with its reason,
// and the calibration the CI gate promises (issue "A CI gate that tells a regression from noise"):
//  (a) simulated A/A pairs with realistic between-run noise regress at most alpha of the time;
//  (b) a 10% slowdown with 3 runs on each side is caught at least 95% of the time.
// Run medians are drawn log-normal around 1 with a between-run CV of 2% (GEMM and bandwidth on
// one GPU spread ~1-2% run to run), from a seeded generator: the rates are exact reruns.
#include "harness/decide/change_decision.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <tuple>
#include <vector>

#include "tests/unit/lognormal_runs.h"

namespace gq {
namespace {

using testing::LogNormalRuns;

TEST(StudentTTest, QuantilesMatchTables) {
  // Two-sided 95% critical values (textbook tables): df 1: 12.706, 2: 4.303, 4: 2.776, 10: 2.228, 30: 2.042.
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.7062, 1e-3);
  EXPECT_NEAR(StudentTQuantile(0.975, 2), 4.3027, 1e-3);
  EXPECT_NEAR(StudentTQuantile(0.975, 4), 2.7764, 1e-3);
  EXPECT_NEAR(StudentTQuantile(0.975, 10), 2.2281, 1e-3);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.0423, 1e-3);
  EXPECT_NEAR(StudentTQuantile(0.995, 4), 4.6041, 1e-3);
  EXPECT_NEAR(StudentTQuantile(0.025, 4), -2.7764, 1e-3);
  EXPECT_NEAR(StudentTTwoSidedP(2.7764, 4), 0.05, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 1e6), 1.95996, 1e-4);  // the normal limit
}

TEST(ChangeDecisionTest, CalibrationAaPairsRegressAtMostAlpha) {
  std::mt19937_64 rng(20261129);
  const double alpha = 0.05, tol = 0.05;
  for (int runs : {2, 3, 5}) {
    int regressed = 0, improved = 0, inconclusive = 0;
    const int pairs = 10000;
    for (int i = 0; i < pairs; ++i) {
      const ChangeDecision d = DecideChange(LogNormalRuns(rng, runs, 1.0, 0.02), LogNormalRuns(rng, runs, 1.0, 0.02), true, tol, alpha);
      regressed += d.call == ChangeCall::kRegressed;
      improved += d.call == ChangeCall::kImproved;
      inconclusive += d.call == ChangeCall::kInconclusive;
    }
    const double rate = double(regressed) / pairs;
    std::printf("[calibration] A/A, %d vs %d runs, CV 2%%: regressed %.4f, improved %.4f, inconclusive %.4f (alpha %.2f)\n",
                runs, runs, rate, double(improved) / pairs, double(inconclusive) / pairs, alpha);
    EXPECT_LE(rate, alpha) << runs << " runs";
  }
  // A noisier machine (5% between runs, a loaded cpu) must not raise more false alarms either.
  int regressed = 0;
  for (int i = 0; i < 10000; ++i) {
    regressed += DecideChange(LogNormalRuns(rng, 3, 1.0, 0.05), LogNormalRuns(rng, 3, 1.0, 0.05), true, tol, alpha).call == ChangeCall::kRegressed;
  }
  std::printf("[calibration] A/A, 3 vs 3 runs, CV 5%%: regressed %.4f\n", regressed / 10000.0);
  EXPECT_LE(regressed / 10000.0, alpha);
}

// Unequal sides (a CI run of 2 rounds against a baseline of 10, and one run against several) at a
// strict alpha and a spread as wide as the tolerance: the pooled t keeps the false-regression
// rate under alpha where the Welch df, estimated from one degree of freedom, did not (0.018 at
// 2 vs 10, alpha 0.01); one run on each side never regresses (it would 24% of the time here).
TEST(ChangeDecisionTest, CalibrationHoldsForUnequalSidesAndStrictAlpha) {
  std::mt19937_64 rng(20261130);
  const int pairs = 40000;
  for (const auto& [nc, nb, alpha] : {std::tuple{2, 10, 0.01}, std::tuple{2, 8, 0.01}, std::tuple{3, 10, 0.01},
                                      std::tuple{2, 10, 0.05}, std::tuple{1, 6, 0.05}, std::tuple{1, 1, 0.05}}) {
    int regressed = 0;
    for (int i = 0; i < pairs; ++i) {
      regressed += DecideChange(LogNormalRuns(rng, nc, 1.0, 0.05), LogNormalRuns(rng, nb, 1.0, 0.05), true, 0.05, alpha)
                       .call == ChangeCall::kRegressed;
    }
    const double rate = double(regressed) / pairs;
    std::printf("[calibration] A/A, %d vs %d runs, CV 5%%, alpha %.2f: regressed %.4f\n", nc, nb, alpha, rate);
    EXPECT_LE(rate, alpha) << nc << " vs " << nb;
  }
}

TEST(ChangeDecisionTest, CalibrationATenPercentSlowdownIsCaught) {
  std::mt19937_64 rng(7);
  int caught = 0;
  const int pairs = 10000;
  for (int i = 0; i < pairs; ++i) {
    // A rate 10% lower (e.g. TFLOP/s): the candidate is 1/1.1 of the baseline.
    caught += DecideChange(LogNormalRuns(rng, 3, 1.0 / 1.1, 0.02), LogNormalRuns(rng, 3, 1.0, 0.02), true, 0.05, 0.05).call ==
              ChangeCall::kRegressed;
  }
  std::printf("[calibration] 10%% slowdown, 3 vs 3 runs, CV 2%%: caught %.4f\n", double(caught) / pairs);
  EXPECT_GE(double(caught) / pairs, 0.95);
}

TEST(ChangeDecisionTest, VerdictsAndReasons) {
  // Clear regression of a rate: 10% lower, tight runs.
  ChangeDecision d = DecideChange({90, 90.5, 89.5}, {100, 100.5, 99.5}, true, 0.05, 0.05);
  EXPECT_EQ(d.call, ChangeCall::kRegressed);
  EXPECT_NEAR(d.change, -0.1, 0.002);
  EXPECT_LT(d.p_value, 0.05);
  EXPECT_NE(d.reason.find("10.0% worse (95% CI"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("pooled t on 3 vs 3 run medians"), std::string::npos) << d.reason;
  // Four or more on each side: Welch's t.
  d = DecideChange({90, 90.5, 89.5, 90.2}, {100, 100.5, 99.5, 100.1}, true, 0.05, 0.05);
  EXPECT_EQ(d.call, ChangeCall::kRegressed);
  EXPECT_NE(d.reason.find("Welch t on 4 vs 4 run medians"), std::string::npos) << d.reason;
  // A time (lower is better) 10% higher is the same regression.
  EXPECT_EQ(DecideChange({1.1, 1.105, 1.095}, {1.0, 1.005, 0.995}, false, 0.05, 0.05).call, ChangeCall::kRegressed);
  // Equal within the tolerance and tight: unchanged.
  d = DecideChange({100.2, 99.8, 100.1}, {100, 100.3, 99.9}, true, 0.05, 0.05);
  EXPECT_EQ(d.call, ChangeCall::kUnchanged);
  EXPECT_NE(d.reason.find("within the 5.0% tolerance"), std::string::npos) << d.reason;
  // 7% worse but the runs spread over 15%: inconclusive, saying what would decide.
  d = DecideChange({80, 93, 106}, {87, 100, 113}, true, 0.05, 0.05);
  EXPECT_EQ(d.call, ChangeCall::kInconclusive);
  EXPECT_NE(d.reason.find("within the between-run spread"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("runs per side would decide"), std::string::npos) << d.reason;
  // No change, but the spread cannot rule out more than the tolerance.
  d = DecideChange({90, 100, 110}, {91, 100, 109}, true, 0.05, 0.05);
  EXPECT_EQ(d.call, ChangeCall::kInconclusive);
  EXPECT_NE(d.reason.find("reaches beyond the 5.0% tolerance"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("or a tolerance of"), std::string::npos) << d.reason;
  // One run on each side: no spread, so no call can hold alpha; the change and what would decide.
  d = DecideChange({90}, {100}, true, 0.05, 0.05);
  EXPECT_EQ(d.call, ChangeCall::kInconclusive);
  EXPECT_EQ(d.p_value, -1);
  EXPECT_EQ(d.reason, "10.0% worse (beyond the 5.0% tolerance); one run on each side: no between-run spread to "
                      "decide on (--repetitions 3, or a baseline of several runs, would decide)");
  EXPECT_EQ(DecideChange({100}, {100}, true, 0.05, 0.05).call, ChangeCall::kInconclusive);
  // One candidate run against a baseline's spread: a prediction interval.
  d = DecideChange({90}, {100, 100.5, 99.5, 100.2}, true, 0.05, 0.05);
  EXPECT_EQ(d.call, ChangeCall::kRegressed);
  EXPECT_NE(d.reason.find("one candidate run against the other side's spread of 4 runs"), std::string::npos) << d.reason;
  EXPECT_THROW(DecideChange({}, {1}, true, 0.05, 0.05), std::invalid_argument);
  EXPECT_THROW(DecideChange({0}, {1}, true, 0.05, 0.05), std::invalid_argument);
}

}  // namespace
}  // namespace gq
