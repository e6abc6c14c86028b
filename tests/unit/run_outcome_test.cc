// The exit code of a finished run (app/run_outcome.h): the CI gate's first decision.
#include "app/run_outcome.h"

#include <gtest/gtest.h>

#include <vector>

namespace gq {
namespace {

std::vector<CaseResult> Cases(std::initializer_list<CaseStatus> statuses) {
  std::vector<CaseResult> out;
  for (CaseStatus s : statuses) {
    CaseResult c;
    c.id = "gemm/m=" + std::to_string(out.size());
    c.status = s;
    out.push_back(c);
  }
  return out;
}

TEST(RunOutcomeTest, OkNoisyAndSkippedBesideMeasuredCasesPass) {
  for (const auto& cases : {Cases({CaseStatus::kOk}), Cases({CaseStatus::kOk, CaseStatus::kNoisy}),
                            Cases({CaseStatus::kSkipped, CaseStatus::kNoisy, CaseStatus::kSkipped})}) {
    const RunOutcome o = JudgeRunOutcome(cases);
    EXPECT_EQ(o.exit_code, 0);
    EXPECT_TRUE(o.why.empty()) << o.why;
  }
}

TEST(RunOutcomeTest, AFailedOrInvalidCaseIsOne) {
  EXPECT_EQ(JudgeRunOutcome(Cases({CaseStatus::kOk, CaseStatus::kFailed})).exit_code, 1);
  EXPECT_EQ(JudgeRunOutcome(Cases({CaseStatus::kInvalid, CaseStatus::kNoisy})).exit_code, 1);
  EXPECT_EQ(JudgeRunOutcome(Cases({CaseStatus::kSkipped, CaseStatus::kFailed})).why, "");  // its row says why
}

TEST(RunOutcomeTest, NothingMeasuredIsOneAndSaysSo) {
  const RunOutcome o = JudgeRunOutcome(Cases({CaseStatus::kSkipped, CaseStatus::kSkipped}));
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.why, "nothing was measured: all 2 case(s) were skipped (each row gives the reason)");
}

}  // namespace
}  // namespace gq
