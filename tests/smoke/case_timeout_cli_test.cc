// `gpuqual run --case-timeout S` (app/case_watchdog.h): a case whose one iteration outlasts the
// limit (an 8192^3 fp64 gemm, about ten seconds per OpenBLAS call on two cores, standing in for a
// hung kernel) ends the run at the limit with that case failed, saying the phase, the finished cases
// kept, exit 1; a bad limit is a usage error.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "harness/record/results_json.h"
#include "tests/smoke/run_gpuqual.h"

namespace gq {
namespace {

using testing::Gpuqual;
using testing::Outcome;
using testing::TestTempDir;

TEST(CaseTimeoutCliTest, AHungCaseEndsTheRunAtTheLimitAsAFailedCase) {
  const std::filesystem::path dir = TestTempDir("gq_case_timeout_");
  const std::string out = (dir / "run.json").string();
  // First a small case that finishes, then the long one.
  const auto start = std::chrono::steady_clock::now();
  const Outcome o = Gpuqual("run membw gemm --device cpu -a op=copy -a size=1M -a dtype=fp64 -a m=8192 -a n=8192 "
                            "-a k=8192 --max-time 0.3 --min-time 0.1 --warmup 0.05 --case-timeout 3 -q -o " + out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(o.code, 1) << o.output;
  EXPECT_LT(seconds, 30) << "the run did not stop at the limit";
  EXPECT_NE(o.output.find("gpuqual: a case did not finish within --case-timeout 3 s"), std::string::npos) << o.output;

  const ResultsDoc doc = ReadResultsFile(out);
  EXPECT_TRUE(doc.run.interrupted);
  EXPECT_TRUE(doc.run.complete);
  ASSERT_EQ(doc.cases.size(), 2u);
  EXPECT_TRUE(doc.cases[0].status == CaseStatus::kOk || doc.cases[0].status == CaseStatus::kNoisy)
      << doc.cases[0].reason;
  const CaseResult& hung = doc.cases[1];
  EXPECT_EQ(doc.cases[0].workload, "membw");
  EXPECT_EQ(hung.id, "gemm/dtype=fp64/m=8192/n=8192/k=8192/layout=TN/algo=autotune");
  EXPECT_EQ(hung.workload, "gemm");
  EXPECT_EQ(hung.status, CaseStatus::kFailed);
  EXPECT_EQ(hung.reason.rfind("did not finish within the case timeout of 3 s (still ", 0), 0u) << hung.reason;
  EXPECT_GE(hung.wall_time_s, 3);
  std::filesystem::remove_all(dir);
}

TEST(CaseTimeoutCliTest, BadLimitsAreUsageErrors) {
  for (const char* bad : {"-1", "nan", "1e9", "x"}) {
    const Outcome o = Gpuqual(std::string("run gemm --device cpu --case-timeout ") + bad);
    EXPECT_EQ(o.code, 2) << bad << "\n" << o.output;
    EXPECT_NE(o.output.find("--case-timeout"), std::string::npos) << o.output;
  }
}

}  // namespace
}  // namespace gq
