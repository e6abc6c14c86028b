// `gpuqual run --list` (app/plan_listing.h): the planned cases, one "DEVICE  CASE-ID" line each,
// and the bound on their sampling time; nothing is run and no file is written. Without a visible
// GPU, --device cuda lists as for one GPU and says so.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "harness/device.h"
#include "tests/smoke/run_gpuqual.h"

namespace gq {
namespace {

using testing::Gpuqual;
using testing::Outcome;
using testing::TestTempDir;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(RunListCliTest, ListsTheCasesAndTheSamplingBoundWithoutRunning) {
  const std::string args = "run gemm --device cpu -a m=64,128 -a n=64 -a k=64 --max-time 2 --warmup 0.5 "
                           "--repetitions 3 --list";
  const Outcome listed = Gpuqual(args + " 2>/dev/null; exit $?");  // stdout alone: the cases
  ASSERT_EQ(listed.code, 0) << listed.output;
  const std::vector<std::string> lines = Lines(listed.output);
  ASSERT_EQ(lines.size(), 4u) << listed.output;  // the cpu's default dtypes fp32, fp64 x m = 64, 128
  for (const std::string& line : lines) EXPECT_EQ(line.rfind("cpu  gemm/dtype=fp", 0), 0u) << line;
  EXPECT_NE(listed.output.find("cpu  gemm/dtype=fp32/m=128/n=64/k=64/layout=TN/algo=autotune"), std::string::npos);

  const Outcome both = Gpuqual(args);  // stdout and stderr: the cases, then the bound
  ASSERT_EQ(both.code, 0) << both.output;
  // 4 cases x 3 rounds x (0.5 s + 2 s) = 30 s
  EXPECT_NE(both.output.find("4 case(s) on cpu x 3 round(s): sampling takes about 0:30 at most (4 x 3 x (warm-up "
                             "0.5 s + max-time 2 s), each limit overrun by at most one batch); preparation and "
                             "verification come on top"),
            std::string::npos)
      << both.output;
  EXPECT_EQ(both.output.find("TFLOP/s"), std::string::npos) << "a case was run:\n" << both.output;
}

TEST(RunListCliTest, WritesNoFileAndRefusesAnOutputOrHistory) {
  const std::filesystem::path dir = TestTempDir("gq_list_files_");
  const Outcome in_dir = Gpuqual("--version > /dev/null; cd " + dir.string() + " && " + GQ_BINARY +
                                 " run --suite ci --device cpu --list > /dev/null 2>&1; ls -A");
  EXPECT_EQ(in_dir.output, "") << "files left behind: " << in_dir.output;
  for (const char* extra : {"-o out.json", "--db h.db"}) {
    const Outcome refused = Gpuqual(std::string("run gemm --device cpu --list ") + extra);
    EXPECT_EQ(refused.code, 2) << extra << "\n" << refused.output;
    EXPECT_NE(refused.output.find("--list"), std::string::npos) << refused.output;
  }
  std::filesystem::remove_all(dir);
}

TEST(RunListCliTest, ListsGpuCasesWhereNoGpuIsVisible) {
  if (CudaDeviceCount() > 0) GTEST_SKIP() << "a GPU is visible: the listing is for it";
  const Outcome o = Gpuqual("run gemm attention --device cuda:1 --list");
  ASSERT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find("gpuqual: no GPU is visible here; listed as for 2 GPU(s)"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("cuda:1  gemm/dtype=bf16/m=8192/n=8192/k=8192/layout=TN/algo=autotune"), std::string::npos)
      << o.output;
  EXPECT_NE(o.output.find("cuda:1  attention/backend=native/"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find(" case(s) on cuda:1 x 1 round(s)"), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("cpu  "), std::string::npos) << o.output;
  const Outcome run = Gpuqual("run gemm --device cuda");  // without --list a GPU is still required
  EXPECT_EQ(run.code, 2) << run.output;
  EXPECT_NE(run.output.find("no CUDA device is visible"), std::string::npos) << run.output;
}

// --max-cases bounds the cases of the device kind that will run: a gemm of one shape and dtype is
// one case per kind, not the two of both kinds together.
TEST(RunListCliTest, MaxCasesCountsTheDeviceKindThatRuns) {
  const std::string one = "run gemm -a m=64 -a n=64 -a k=64 -a dtype=fp32 --list --max-cases 1";
  EXPECT_EQ(Gpuqual(one).code, 0) << Gpuqual(one).output;
  EXPECT_EQ(Gpuqual(one + " --device cpu").code, 0);
  const Outcome two = Gpuqual("run gemm --device cpu --list --max-cases 1");  // fp32 and fp64
  EXPECT_EQ(two.code, 2) << two.output;
  EXPECT_NE(two.output.find("the plan has more than 1 cases"), std::string::npos) << two.output;
}

}  // namespace
}  // namespace gq
