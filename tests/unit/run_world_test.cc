// What the ranks of an MPI run agree on before the first case (app/run_world.h), as rank 0 of a
// simulated world (tests/unit/fake_communicator.h).
#include "app/run_world.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "harness/errors.h"
#include "tests/unit/fake_communicator.h"
#include "tests/unit/fake_workload.h"

namespace gq::cli {
namespace {

using gq::testing::FakeCommunicator;
using gq::testing::FakeWorkload;

const std::vector<DeviceRef> kCpu = {{DeviceRef::Kind::kCpu, 0}};

TEST(AgreeOnSetupTest, OneProcessRethrowsItsOwnError) {
  FakeCommunicator one(1);
  EXPECT_EQ(AgreeOnSetup(one, nullptr, kCpu), 0);
  EXPECT_THROW(AgreeOnSetup(one, std::make_exception_ptr(UsageError("bad")), kCpu), UsageError);
}

TEST(AgreeOnSetupTest, AnotherRanksErrorStopsThisOneQuietly) {
  // Rank 1 failed its setup (flag 0 set, not rank 0's): rank 0 returns 2 and leaves the words to it.
  FakeCommunicator world(2, [](int, int, const std::vector<double>& own) {
    std::vector<double> v = own;
    v[0] = 1;
    return v;
  });
  EXPECT_EQ(AgreeOnSetup(world, nullptr, kCpu), 2);
  // Rank 0's own error is rethrown for main to report.
  FakeCommunicator same(2);
  EXPECT_THROW(AgreeOnSetup(same, std::make_exception_ptr(UsageError("bad")), kCpu), UsageError);
}

TEST(AgreeOnSetupTest, RanksOnTheCpuAndOnGpusAreRefused) {
  FakeCommunicator world(2, [](int, int, const std::vector<double>& own) {
    std::vector<double> v = own;
    v[2] = 1;  // a rank resolved --device to a GPU
    return v;
  });
  try {
    AgreeOnSetup(world, nullptr, kCpu);
    FAIL() << "mixed device kinds";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("resolved --device to both the cpu and GPUs"), std::string::npos);
  }
}

// Rank 0 keeps the distinct SKUs of the ranks' devices, sorted; a single process gathers none.
TEST(GatherRankSkusTest, DistinctSortedOnRankZero) {
  FakeCommunicator ranks(4, nullptr, [](int rank, const std::string& own) {
    return rank == 2 ? std::string("a100-sxm-80gb") : own;
  });
  EXPECT_EQ(GatherRankSkus(ranks, "h100-sxm-80gb"), (std::vector<std::string>{"a100-sxm-80gb", "h100-sxm-80gb"}));
  FakeCommunicator same(3);
  EXPECT_EQ(GatherRankSkus(same, "cpu"), std::vector<std::string>{"cpu"});
  FakeCommunicator one(1);
  EXPECT_TRUE(GatherRankSkus(one, "cpu").empty());
}

TEST(AgreeOnPlanTest, TheSamePlanGoesOnAndADifferentOneStops) {
  FakeWorkload w;
  const std::vector<PlannedCase> plan = {{&w, {"fake", {{"dtype", "bf16"}, {"size", "64"}, {"causal", "false"}}}}};
  FakeCommunicator same(3);
  EXPECT_EQ(AgreeOnPlan(same, plan, MeasureOptions{}), 0);
  FakeCommunicator one(1);
  EXPECT_EQ(AgreeOnPlan(one, plan, MeasureOptions{}), 0);
  // Rank 2 planned something else: its fingerprint differs in the low half.
  FakeCommunicator other(3, [](int, int rank, const std::vector<double>& own) {
    std::vector<double> v = own;
    if (rank == 2) {
      v[2] = own[2] == 0 ? 1 : own[2] - 1;
      v[3] = -v[2];
    }
    return v;
  });
  try {
    AgreeOnPlan(other, plan, MeasureOptions{});
    FAIL() << "the ranks planned different runs";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("the ranks planned different runs (1 case(s) here)"), std::string::npos)
        << e.what();
  }
}

// The fingerprint covers the measure options as well as the cases.
TEST(AgreeOnPlanTest, OtherMeasureOptionsAreAnotherPlan) {
  FakeWorkload w;
  const std::vector<PlannedCase> plan = {{&w, {"fake", {{"dtype", "bf16"}, {"size", "64"}, {"causal", "false"}}}}};
  MeasureOptions three;
  three.repetitions = 3;
  std::vector<double> seen_default, seen_three;
  FakeCommunicator a(2, [&](int, int, const std::vector<double>& own) {
    seen_default = own;
    return own;
  });
  FakeCommunicator b(2, [&](int, int, const std::vector<double>& own) {
    seen_three = own;
    return own;
  });
  AgreeOnPlan(a, plan, MeasureOptions{});
  AgreeOnPlan(b, plan, three);
  ASSERT_EQ(seen_default.size(), 4u);
  EXPECT_NE(seen_default, seen_three);
}

}  // namespace
}  // namespace gq::cli
