// Where cases run: one target per device, collectives once over all GPUs of a process, and the
// one device each MPI rank drives.
#include "harness/measure/run_targets.h"

#include <gtest/gtest.h>

#include "tests/unit/fake_workload.h"

namespace gq {
namespace {

class SpanningWorkload : public testing::FakeWorkload {
 public:
  SpanningWorkload() : FakeWorkload("coll") {}
  bool SpansDevices(const CaseSpec& /*spec*/) const override { return true; }
};

// Spans devices only for cases with tp=2, as e2e does for tensor-parallel cases.
class TensorParallelWorkload : public testing::FakeWorkload {
 public:
  TensorParallelWorkload() : FakeWorkload("tp") {}
  bool SpansDevices(const CaseSpec& spec) const override {
    for (const auto& [name, value] : spec.params) {
      if (name == "tp") return value == "2";
    }
    return false;
  }
};

DeviceRef Gpu(int i) { return {DeviceRef::Kind::kCuda, i}; }

TEST(RunTargetsTest, CollectivesSpanAllGpusOfTheProcessOnce) {
  testing::FakeWorkload gemm("gemm");
  SpanningWorkload coll;
  CaseSpec a{"gemm", {}}, b{"coll", {}}, c{"coll", {{"size", "1"}}};
  std::vector<PlannedCase> plan = {{&gemm, a, DeviceFilter::kAny},
                                   {&coll, b, DeviceFilter::kCuda},
                                   {&coll, c, DeviceFilter::kCpu}};
  auto targets = PlanTargets(plan, {Gpu(0), Gpu(1), Gpu(2), Gpu(3)});
  ASSERT_EQ(targets.size(), 5u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(targets[i].device, Gpu(i));
    ASSERT_EQ(targets[i].cases.size(), 1u);
    EXPECT_EQ(targets[i].cases[0], &plan[0]);
  }
  EXPECT_EQ(targets[4].device.Name(), "cuda:0-3");
  EXPECT_EQ(targets[4].device.count, 4);
  ASSERT_EQ(targets[4].cases.size(), 1u);
  EXPECT_EQ(targets[4].cases[0], &plan[1]);  // the cpu-only collective stays off the GPUs

  // One GPU: the collective runs on it (a single rank), in plan order.
  targets = PlanTargets(plan, {Gpu(2)});
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].device.Name(), "cuda:2");
  EXPECT_EQ(targets[0].cases.size(), 2u);
  // The cpu: every case it accepts.
  targets = PlanTargets(plan, {{DeviceRef::Kind::kCpu, 0}});
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].cases.size(), 2u);
  EXPECT_EQ(targets[0].cases[1], &plan[2]);
  EXPECT_TRUE(PlanTargets({}, {Gpu(0)}).empty());
}

TEST(RunTargetsTest, SpanningIsDecidedPerCase) {
  TensorParallelWorkload w;
  CaseSpec tp1{"tp", {{"tp", "1"}}}, tp2{"tp", {{"tp", "2"}}};
  std::vector<PlannedCase> plan = {{&w, tp1, DeviceFilter::kAny}, {&w, tp2, DeviceFilter::kAny}};
  auto targets = PlanTargets(plan, {Gpu(0), Gpu(1)});
  ASSERT_EQ(targets.size(), 3u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(targets[i].device, Gpu(i));
    ASSERT_EQ(targets[i].cases.size(), 1u);
    EXPECT_EQ(targets[i].cases[0], &plan[0]);  // tp=1: once per GPU
  }
  EXPECT_EQ(targets[2].device.Name(), "cuda:0-1");
  ASSERT_EQ(targets[2].cases.size(), 1u);
  EXPECT_EQ(targets[2].cases[0], &plan[1]);  // tp=2: once over the group

  // One GPU or the cpu: no group, both cases run on the one device.
  targets = PlanTargets(plan, {Gpu(1)});
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].cases.size(), 2u);
  targets = PlanTargets(plan, {{DeviceRef::Kind::kCpu, 0}});
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].cases.size(), 2u);
}

TEST(RunTargetsTest, EachRankDrivesOneDevice) {
  const std::vector<DeviceRef> all = {Gpu(0), Gpu(1), Gpu(2), Gpu(3)};
  EXPECT_EQ(DeviceForRank(all, 0), Gpu(0));
  EXPECT_EQ(DeviceForRank(all, 3), Gpu(3));
  EXPECT_EQ(DeviceForRank(all, 5), Gpu(1));       // more ranks than GPUs: wrap around
  EXPECT_EQ(DeviceForRank({Gpu(0)}, 6), Gpu(0));  // the launcher left one GPU visible
  EXPECT_EQ(DeviceForRank({Gpu(3)}, 1), Gpu(3));  // --device cuda:3 as given
  const DeviceRef cpu{DeviceRef::Kind::kCpu, 0};
  EXPECT_EQ(DeviceForRank({cpu}, 7), cpu);
  EXPECT_THROW(DeviceForRank({}, 0), std::invalid_argument);
}

TEST(RunTargetsTest, GroupNames) {
  EXPECT_EQ((DeviceRef{DeviceRef::Kind::kCuda, 0, 8}).Name(), "cuda:0-7");
  EXPECT_EQ((DeviceRef{DeviceRef::Kind::kCuda, 2, 1}).Name(), "cuda:2");
  EXPECT_EQ((DeviceRef{DeviceRef::Kind::kCpu, 0, 1}).Name(), "cpu");
}

}  // namespace
}  // namespace gq
