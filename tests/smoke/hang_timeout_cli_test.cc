// `gpuqual run --hang-timeout S` (app/case_watchdog.h): a case whose one iteration outlasts the
// limit (an 8192^3 fp64 gemm, about ten seconds per OpenBLAS call on two cores, standing in for a
// hung kernel) ends the run at the limit with that case failed, saying the phase, the finished
// cases kept, exit 1; a case that keeps taking samples past the limit is not hung; a bad limit is a
// usage error.
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

TEST(HangTimeoutCliTest, AHungCaseEndsTheRunAtTheLimitAsAFailedCase) {
  const std::filesystem::path dir = TestTempDir("gq_hang_timeout_");
  const std::string out = (dir / "run.json").string();
  // First a small case that finishes, then the long one.
  const auto start = std::chrono::steady_clock::now();
  const Outcome o = Gpuqual("run membw gemm --device cpu -a op=copy -a size=1M -a dtype=fp64 -a m=8192 -a n=8192 "
                            "-a k=8192 --max-time 0.3 --min-time 0.1 --warmup 0.05 --hang-timeout 3 -q -o " + out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(o.code, 1) << o.output;
  EXPECT_LT(seconds, 30) << "the run did not stop at the limit";
  EXPECT_NE(o.output.find("gpuqual: a case showed no progress for --hang-timeout 3 s"), std::string::npos) << o.output;

  const ResultsDoc doc = ReadResultsFile(out);
  EXPECT_TRUE(doc.run.interrupted);
  EXPECT_TRUE(doc.run.complete);
  ASSERT_EQ(doc.cases.size(), 2u);
  EXPECT_EQ(doc.cases[0].workload, "membw");
  EXPECT_TRUE(doc.cases[0].status == CaseStatus::kOk || doc.cases[0].status == CaseStatus::kNoisy)
      << doc.cases[0].reason;
  const CaseResult& hung = doc.cases[1];
  EXPECT_EQ(hung.id, "gemm/dtype=fp64/m=8192/n=8192/k=8192/layout=TN/algo=autotune");
  EXPECT_EQ(hung.workload, "gemm");
  EXPECT_EQ(hung.status, CaseStatus::kFailed);
  EXPECT_EQ(hung.reason.rfind("hung: no progress for 3 s (--hang-timeout) while ", 0), 0u) << hung.reason;
  EXPECT_GE(hung.wall_time_s, 3);
  std::filesystem::remove_all(dir);
}

TEST(HangTimeoutCliTest, ACaseThatKeepsSamplingPastTheLimitIsNotHung) {
  const std::filesystem::path dir = TestTempDir("gq_hang_sampling_");
  // 3 s of samples of a 64^3 gemm (microseconds each) against a 1 s limit.
  const Outcome o = Gpuqual("run gemm --device cpu -a dtype=fp32 -a m=64 -a n=64 -a k=64 --min-time 3 --max-time 3 "
                            "--warmup 0.05 --hang-timeout 1 -q -o " + (dir / "run.json").string());
  ASSERT_EQ(o.code, 0) << o.output;
  const ResultsDoc doc = ReadResultsFile((dir / "run.json").string());
  ASSERT_EQ(doc.cases.size(), 1u);
  EXPECT_FALSE(doc.run.interrupted);
  EXPECT_NE(doc.cases[0].status, CaseStatus::kFailed) << doc.cases[0].reason;
  EXPECT_GE(doc.cases[0].wall_time_s, 3);
  std::filesystem::remove_all(dir);
}

TEST(HangTimeoutCliTest, BadLimitsAreUsageErrors) {
  for (const char* bad : {"-1", "nan", "1e9", "x"}) {
    const Outcome o = Gpuqual(std::string("run gemm --device cpu --hang-timeout ") + bad);
    EXPECT_EQ(o.code, 2) << bad << "\n" << o.output;
    EXPECT_NE(o.output.find("--hang-timeout"), std::string::npos) << o.output;
  }
}

}  // namespace
}  // namespace gq
