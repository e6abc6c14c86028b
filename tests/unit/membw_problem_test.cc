// Tests of workloads/membw/membw_problem.* and membw_workload.*: axes, case ids, byte accounting
// per op, bandwidth domains, bad values, and what a device cannot run is skipped with a reason.
#include "workloads/membw/membw_problem.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/errors.h"
#include "tests/unit/fake_workload.h"
#include "workloads/membw/membw_workload.h"

namespace gq {
namespace {

CaseSpec MembwCase(const std::string& op, const std::string& size = "1048576",
                   const std::string& threads = "0") {
  return {"membw", {{"op", op}, {"size", size}, {"threads", threads}}};
}

TEST(MembwProblemTest, BytesCountReadPlusWriteOnDeviceAndLinkBytesOnTransfers) {
  const double n = 1 << 20;
  const std::vector<std::tuple<std::string, double, std::string>> expected = {
      {"copy", 2 * n, "device"},  {"read", n, "device"},        {"write", n, "device"},
      {"triad", 3 * n, "device"}, {"copy_ce", 2 * n, "device"}, {"h2d_ce", n, "pcie"},
      {"d2h_ce", n, "pcie"},      {"bidir_ce", 2 * n, "pcie"},  {"d2d_ce", n, "peer"},
      {"h2d_sm", n, "pcie"},      {"d2h_sm", n, "pcie"},        {"bidir_sm", 2 * n, "pcie"},
      {"d2d_sm", n, "peer"},
  };
  ASSERT_EQ(expected.size(), AllMembwOps().size());
  for (const auto& [op, bytes, domain] : expected) {
    const Work work = MembwWork(MembwProblemFromCase(MembwCase(op)));
    EXPECT_DOUBLE_EQ(work.bytes, bytes) << op;
    EXPECT_EQ(work.bandwidth_domain, domain) << op;
    EXPECT_EQ(work.flops, 0) << op;
    EXPECT_TRUE(work.compute_dtype.empty()) << op;
    EXPECT_EQ(MembwOpName(ParseMembwOp(op)), op);
  }
}

TEST(MembwProblemTest, BadSizesAndThreadsAreUsageErrors) {
  EXPECT_THROW(MembwProblemFromCase(MembwCase("copy", "0")), UsageError);
  EXPECT_THROW(MembwProblemFromCase(MembwCase("copy", "24")), UsageError);
  EXPECT_THROW(MembwProblemFromCase(MembwCase("copy", "-16")), UsageError);
  EXPECT_THROW(MembwProblemFromCase(MembwCase("copy", "16", "-1")), UsageError);
  EXPECT_THROW(MembwProblemFromCase(MembwCase("copy", "16", "100000")), UsageError);
  EXPECT_THROW(ParseMembwOp("scale"), UsageError);
  const MembwProblem p = MembwProblemFromCase(MembwCase("triad", "16", "3"));
  EXPECT_EQ(p.size, 16);
  EXPECT_EQ(p.threads, 3);
  // The seed follows the case id, so different cases get different data.
  EXPECT_NE(p.seed, MembwProblemFromCase(MembwCase("triad", "32", "3")).seed);
}

TEST(MembwWorkloadTest, DefaultCasesAreMeaningfulAndIdsFollowTheAxes) {
  MembwWorkload w;
  const std::vector<CaseSpec> cases = ExpandCases(w.Name(), w.Axes(), {});
  ASSERT_EQ(cases.size(), 8u);
  EXPECT_EQ(cases.front().Id(), "membw/op=copy/size=1073741824/threads=0");
  std::vector<std::string> ops;
  for (const CaseSpec& c : cases) ops.push_back(c.Get("op"));
  EXPECT_EQ(ops, (std::vector<std::string>{"copy", "read", "write", "triad", "h2d_ce", "d2h_ce",
                                           "bidir_ce", "d2d_ce"}));
  // Suffixes work on the size axis; unknown ops are rejected up front.
  auto sized = ExpandCases(w.Name(), w.Axes(), {{"size", {"512M"}}, {"op", {"h2d_sm"}}});
  ASSERT_EQ(sized.size(), 1u);
  EXPECT_EQ(sized[0].Id(), "membw/op=h2d_sm/size=536870912/threads=0");
  EXPECT_THROW(ExpandCases(w.Name(), w.Axes(), {{"op", {"scale"}}}), UsageError);
  ASSERT_EQ(w.Metrics().size(), 2u);
  EXPECT_EQ(w.Metrics()[0].name, "bandwidth");
  EXPECT_EQ(w.Metrics()[0].unit, "GB/s");
  EXPECT_EQ(w.Metrics()[1].name, "time_ms");
}

TEST(MembwWorkloadTest, GpuOnlyOpsOnTheCpuAndThreadsOnAGpuAreSkippedWithAReason) {
  MembwWorkload w;
  testing::FakeContext cpu({1e-3});
  for (const char* op : {"copy_ce", "h2d_ce", "d2h_sm", "bidir_ce", "d2d_ce", "d2d_sm"}) {
    try {
      w.Prepare(MembwCase(op, "16"), cpu);
      ADD_FAILURE() << op << " was not skipped";
    } catch (const CaseSkipped& e) {
      EXPECT_NE(std::string(e.what()).find("needs a GPU"), std::string::npos) << e.what();
    }
  }
  testing::FakeContext gpu({1e-3}, {DeviceRef::Kind::kCuda, 0});
  try {
    w.Prepare(MembwCase("copy", "16", "2"), gpu);
    ADD_FAILURE() << "threads=2 on a GPU was not skipped";
  } catch (const CaseSkipped& e) {
    EXPECT_NE(std::string(e.what()).find("threads"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gq
