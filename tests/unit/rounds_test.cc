// MergeRounds (harness/measure/rounds.h): rounds of one case as the runner hands them over.
#include "harness/measure/rounds.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace gq {
namespace {

constexpr double kMaxNoise = 0.01;

// One measured round: tflops = 1 / seconds (so a round's figure is its median's reciprocal), the
// round's samples all at `seconds`, status and reason as given.
CaseResult Round(double seconds, CaseStatus status = CaseStatus::kOk, std::string reason = "") {
  CaseResult r;
  r.id = "gemm/m=64";
  r.workload = "gemm";
  r.device = "cpu";
  r.status = status;
  r.reason = std::move(reason);
  r.primary_metric = "tflops";
  r.samples_s = {2 * seconds, 2 * seconds, 2 * seconds};
  r.iterations_per_sample = 2;
  r.round_medians_s = {seconds};
  MetricResult m;
  m.unit = "TFLOP/s";
  m.median = 1.0 / seconds;
  m.n = 3;
  r.metrics.emplace_back("tflops", m);
  r.rounds_planned = 3;
  r.wall_time_s = 1;
  return r;
}

TEST(MergeRoundsTest, RefusesNoRounds) {
  EXPECT_THROW(MergeRounds({}, kMaxNoise), std::invalid_argument);
}

TEST(MergeRoundsTest, OneRoundIsReturnedAsItIs) {
  const CaseResult merged = MergeRounds({Round(0.5, CaseStatus::kNoisy, "95% CI ...")}, kMaxNoise);
  EXPECT_EQ(merged.status, CaseStatus::kNoisy);
  EXPECT_EQ(merged.reason, "95% CI ...");
  EXPECT_EQ(merged.iterations_per_sample, 2);
}

TEST(MergeRoundsTest, AgreeingRoundsAreOkAndSummarisedOverTheirMedians) {
  const CaseResult merged = MergeRounds({Round(1.000), Round(1.004), Round(0.998)}, kMaxNoise);
  EXPECT_EQ(merged.status, CaseStatus::kOk) << merged.reason;
  EXPECT_EQ(merged.rounds_done, 3);
  EXPECT_EQ(merged.round_medians_s, (std::vector<double>{1.000, 1.004, 0.998}));
  EXPECT_EQ(merged.iterations_per_sample, 1);
  ASSERT_EQ(merged.samples_s.size(), 9u);  // every round's samples, per iteration
  EXPECT_DOUBLE_EQ(merged.samples_s[3], 1.004);
  const MetricResult* m = merged.FindMetric("tflops");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->n, 3);
  EXPECT_DOUBLE_EQ(m->median, 1.0);  // the median of the rounds' figures
  EXPECT_DOUBLE_EQ(m->max, 1.0 / 0.998);
  EXPECT_DOUBLE_EQ(merged.wall_time_s, 3);
}

// Each round met the noise target within itself, but the figure moved 4% between rounds: the
// case's spread is the rounds', so it is noisy, and the reason gives both figures.
TEST(MergeRoundsTest, RoundsThatDisagreeBeyondTheNoiseTargetAreNoisy) {
  const CaseResult merged = MergeRounds({Round(1.00), Round(1.04), Round(0.99)}, kMaxNoise);
  EXPECT_EQ(merged.status, CaseStatus::kNoisy);
  EXPECT_NE(merged.reason.find("the rounds disagree: their 3 medians lie within +-4.00% of their median"),
            std::string::npos)
      << merged.reason;
  EXPECT_NE(merged.reason.find("[min, max]; target +-1.00%"), std::string::npos) << merged.reason;
  // A looser target accepts the same rounds.
  EXPECT_EQ(MergeRounds({Round(1.00), Round(1.04), Round(0.99)}, 0.05).status, CaseStatus::kOk);
}

TEST(MergeRoundsTest, TwoRoundsAreEnoughToDisagree) {
  const CaseResult merged = MergeRounds({Round(1.0), Round(1.1)}, kMaxNoise);
  EXPECT_EQ(merged.status, CaseStatus::kNoisy);
  EXPECT_NE(merged.reason.find("their 2 medians"), std::string::npos) << merged.reason;
}

TEST(MergeRoundsTest, ANoisyOrInvalidRoundNamesItselfAndInvalidComesFirst) {
  const CaseResult noisy = MergeRounds({Round(1.0), Round(1.0, CaseStatus::kNoisy, "95% CI +-3%")}, kMaxNoise);
  EXPECT_EQ(noisy.status, CaseStatus::kNoisy);
  EXPECT_EQ(noisy.reason, "round 2: 95% CI +-3%");
  const CaseResult invalid = MergeRounds(
      {Round(1.0, CaseStatus::kNoisy, "95% CI +-3%"), Round(1.0, CaseStatus::kInvalid, "above peak")}, kMaxNoise);
  EXPECT_EQ(invalid.status, CaseStatus::kInvalid);
  EXPECT_EQ(invalid.reason, "round 2: above peak");
}

// A noisy round does not hide a larger disagreement between the rounds: the reason says that
// first, then the round's own noise; an invalid case keeps its reason alone.
TEST(MergeRoundsTest, RoundsThatDisagreeAreSaidSoEvenWhenARoundWasNoisy) {
  const CaseResult merged =
      MergeRounds({Round(1.0), Round(0.9), Round(2.0, CaseStatus::kNoisy, "95% CI +-1.99%")}, kMaxNoise);
  EXPECT_EQ(merged.status, CaseStatus::kNoisy);
  EXPECT_EQ(merged.reason.rfind("the rounds disagree: their 3 medians lie within +-100.00% of their median", 0), 0u)
      << merged.reason;
  EXPECT_NE(merged.reason.find("; round 3: 95% CI +-1.99%"), std::string::npos) << merged.reason;
  const CaseResult invalid =
      MergeRounds({Round(1.0), Round(0.9), Round(2.0, CaseStatus::kInvalid, "above peak")}, kMaxNoise);
  EXPECT_EQ(invalid.reason, "round 3: above peak");
}

TEST(MergeRoundsTest, AFailedRoundFailsTheCaseAndKeepsTheMeasuredRoundsMedians) {
  CaseResult failed = Round(0, CaseStatus::kFailed, "hung in warm-up");
  failed.round_medians_s.clear();
  failed.metrics.clear();
  const CaseResult merged = MergeRounds({Round(1.0), Round(1.2), failed}, kMaxNoise);
  EXPECT_EQ(merged.status, CaseStatus::kFailed);
  EXPECT_EQ(merged.reason, "round 3: hung in warm-up");
  EXPECT_EQ(merged.rounds_done, 3);
  EXPECT_EQ(merged.round_medians_s, (std::vector<double>{1.0, 1.2}));
  EXPECT_TRUE(merged.metrics.empty());
}

TEST(MergeRoundsTest, SkippedRoundsAreLeftOutAndNamedWhileAnotherMeasured) {
  CaseResult skipped = Round(0, CaseStatus::kSkipped, "out of memory");
  skipped.round_medians_s.clear();
  skipped.metrics.clear();
  const CaseResult merged = MergeRounds({Round(1.0), skipped, Round(1.002)}, kMaxNoise);
  EXPECT_EQ(merged.status, CaseStatus::kOk);
  EXPECT_EQ(merged.reason, "round 2 skipped: out of memory");
  EXPECT_EQ(merged.round_medians_s, (std::vector<double>{1.0, 1.002}));
  // All skipped: the case is skipped, with the last round's reason.
  const CaseResult all = MergeRounds({skipped, skipped}, kMaxNoise);
  EXPECT_EQ(all.status, CaseStatus::kSkipped);
  EXPECT_EQ(all.reason, "out of memory");
}

TEST(MergeRoundsTest, ASkippedRoundBesideDisagreeingRoundsIsNamedToo) {
  CaseResult skipped = Round(0, CaseStatus::kSkipped, "out of memory");
  skipped.round_medians_s.clear();
  const CaseResult merged = MergeRounds({Round(1.0), skipped, Round(1.2)}, kMaxNoise);
  EXPECT_EQ(merged.status, CaseStatus::kNoisy);
  EXPECT_EQ(merged.reason.rfind("the rounds disagree", 0), 0u) << merged.reason;
  EXPECT_NE(merged.reason.find("; round 2 skipped: out of memory"), std::string::npos) << merged.reason;
}

TEST(MergeRoundsTest, VerificationKeepsTheLargestErrorOfTheRounds) {
  std::vector<CaseResult> rounds{Round(1.0), Round(1.0), Round(1.0)};
  const double errors[] = {1e-6, 3e-5, 2e-6};
  for (int i = 0; i < 3; ++i) rounds[i].verification = VerificationResult{true, errors[i], 1e-4, "round"};
  const CaseResult merged = MergeRounds(rounds, kMaxNoise);
  ASSERT_TRUE(merged.verification.has_value());
  EXPECT_DOUBLE_EQ(merged.verification->max_rel_err, 3e-5);
}

// A straggler in an early round is not lost to a later round without one: the worst is named,
// with that round's per-rank figures.
TEST(MergeRoundsTest, TheWorstRoundsStragglerIsNamed) {
  std::vector<CaseResult> rounds{Round(1.0), Round(1.002), Round(1.001)};
  rounds[0].ranks = {{0, "node-1", "cuda:0", 1.0}, {1, "node-2", "cuda:0", 1.7}};
  rounds[0].straggler = Straggler{1, "node-2", "cuda:0", 1.7, 0.7};
  rounds[1].straggler = Straggler{1, "node-2", "cuda:0", 1.2, 0.2};
  rounds[2].ranks = {{0, "node-1", "cuda:0", 1.0}, {1, "node-2", "cuda:0", 1.01}};
  const CaseResult merged = MergeRounds(rounds, 0.5);
  ASSERT_TRUE(merged.straggler.has_value());
  EXPECT_DOUBLE_EQ(merged.straggler->spread, 0.7);
  ASSERT_EQ(merged.ranks.size(), 2u);
  EXPECT_DOUBLE_EQ(merged.ranks[1].median_s, 1.7);
  rounds[0].straggler.reset();
  rounds[1].straggler.reset();
  EXPECT_FALSE(MergeRounds(rounds, 0.5).straggler.has_value());
  EXPECT_DOUBLE_EQ(MergeRounds(rounds, 0.5).ranks[1].median_s, 1.01);  // the last round's
}

}  // namespace
}  // namespace gq
