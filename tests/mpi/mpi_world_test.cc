// Tests that run inside an MPI job (ctest label "mpi": mpirun -np 2 gq_mpi_tests). Every rank
// runs every test in the same order, as the collectives require. They cover the MPI
// communicator (including the fp16/bf16 user-defined reductions), the cpu backend of every
// collective on two ranks with exact verification, and the runner in lockstep across ranks.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "harness/measure/runner.h"
#include "harness/system/communicator.h"
#include "workloads/allreduce/collective_workload.h"

namespace gq {
namespace {

// The job's world, made by main before the tests and finalised after them.
std::shared_ptr<Communicator>& World() {
  static std::shared_ptr<Communicator> world;
  return world;
}

CaseSpec Case(CollectiveKind kind, const std::string& size, const std::string& dtype,
              const std::string& op, bool in_place) {
  CaseSpec spec{CollectiveName(kind), {{"size", size}, {"dtype", dtype}}};
  if (kind != CollectiveKind::kAllGather) spec.params.emplace_back("op", op);
  spec.params.emplace_back("in_place", in_place ? "true" : "false");
  spec.params.emplace_back("graph", "false");
  return spec;
}

TEST(MpiWorldTest, RanksHostsAndNodes) {
  Communicator& w = *World();
  ASSERT_EQ(w.size(), 2) << "run under mpirun -np 2";
  EXPECT_EQ(w.backend(), "mpi");
  EXPECT_EQ(w.nodes(), 1);
  EXPECT_EQ(w.local_size(), 2);
  EXPECT_EQ(w.local_rank(), w.rank());
  ASSERT_EQ(w.hostnames().size(), 2u);
  EXPECT_EQ(w.hostnames()[0], w.hostnames()[1]);
}

TEST(MpiWorldTest, BroadcastMaxAndGathers) {
  Communicator& w = *World();
  int value = w.rank() == 0 ? 42 : -1;
  w.Broadcast(&value, sizeof(value), 0);
  EXPECT_EQ(value, 42);
  std::vector<double> v{static_cast<double>(w.rank()), 10.0 - w.rank()};
  w.AllReduceMax(v);
  EXPECT_EQ(v, (std::vector<double>{1.0, 10.0}));
  const auto doubles = w.GatherDoubles({w.rank() + 0.5}, 0);
  const auto strings = w.GatherStrings(std::string(static_cast<size_t>(w.rank()) * 3, 'x'), 0);
  if (w.rank() == 0) {
    EXPECT_EQ(doubles, (std::vector<double>{0.5, 1.5}));
    EXPECT_EQ(strings, (std::vector<std::string>{"", "xxx"}));
  } else {
    EXPECT_TRUE(doubles.empty());
    EXPECT_TRUE(strings.empty());
  }
  w.Barrier();
}

TEST(MpiWorldTest, AgreeToContinueStopsEveryRank) {
  Communicator& w = *World();
  std::exception_ptr mine =
      w.rank() == 1 ? std::make_exception_ptr(CaseSkipped("no memory")) : nullptr;
  try {
    AgreeToContinue(w, mine);
    FAIL() << "every rank must stop";
  } catch (const PeerCouldNotContinue&) {
    EXPECT_EQ(w.rank(), 0);
  } catch (const CaseSkipped& e) {
    EXPECT_EQ(w.rank(), 1);
    EXPECT_STREQ(e.what(), "no memory");
  }
  EXPECT_NO_THROW(AgreeToContinue(w, nullptr));
}

TEST(MpiCollectivesTest, EveryCollectiveDtypeOpAndModeVerifiesOnTwoRanks) {
  auto runtime = std::make_shared<CollectiveRuntime>(World());
  auto ctx = MakeCpuContext();
  for (CollectiveKind kind :
       {CollectiveKind::kAllReduce, CollectiveKind::kAllGather, CollectiveKind::kReduceScatter}) {
    CollectiveWorkload w(kind, runtime);
    for (const char* dtype : {"fp32", "bf16", "fp16", "fp64", "int32", "int64", "int8", "uint8"}) {
      for (const char* op : {"sum", "max", "min"}) {
        if (kind == CollectiveKind::kAllGather && std::string(op) != "sum") continue;
        for (bool in_place : {false, true}) {
          auto prepared = w.Prepare(Case(kind, "10000", dtype, op, in_place), *ctx);
          for (int i = 0; i < 3; ++i) prepared->Run(nullptr);  // in place: outputs feed inputs
          const VerifyResult v = prepared->Verify();
          EXPECT_TRUE(v.passed) << "rank " << World()->rank() << " " << CollectiveName(kind) << " "
                                << dtype << " " << op << " in_place=" << in_place << ": "
                                << v.detail;
          EXPECT_EQ(prepared->Details().at("ranks"), "2");
          EXPECT_EQ(prepared->Details().count("single_rank"), 0u);
        }
      }
    }
  }
}

TEST(MpiRunnerTest, RanksRunInLockstepAndRankZeroGetsEveryRanksFigure) {
  auto runtime = std::make_shared<CollectiveRuntime>(World());
  CollectiveWorkload w(CollectiveKind::kAllReduce, runtime);
  auto ctx = MakeCpuContext();
  RunnerEnv env;
  env.measure.min_samples = 10;
  env.measure.min_time_s = 0.02;
  env.measure.max_time_s = 0.3;
  env.measure.warmup_time_s = 0.02;
  env.comm = World().get();
  auto r = RunCase(w, Case(CollectiveKind::kAllReduce, "65536", "fp32", "sum", false), *ctx, env);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->status == CaseStatus::kOk || r->status == CaseStatus::kNoisy) << r->reason;
  EXPECT_EQ(r->device, "2xcpu");
  EXPECT_DOUBLE_EQ(r->work.busbw_factor, 1.0);  // 2(n-1)/n with n = 2
  EXPECT_GT(r->FindMetric("busbw")->median, 0);
  EXPECT_DOUBLE_EQ(r->FindMetric("busbw")->median, r->FindMetric("algbw")->median);
  ASSERT_TRUE(r->verification.has_value());
  EXPECT_TRUE(r->verification->passed) << r->verification->detail;
  // Both ranks took the same number of samples (they agreed on every stopping decision).
  std::vector<double> n{static_cast<double>(r->samples_s.size()),
                        -static_cast<double>(r->samples_s.size())};
  World()->AllReduceMax(n);
  EXPECT_EQ(n[0], -n[1]);
  if (World()->rank() == 0) {
    ASSERT_EQ(r->ranks.size(), 2u);
    EXPECT_EQ(r->ranks[1].rank, 1);
    EXPECT_EQ(r->ranks[1].device, "cpu");
    EXPECT_EQ(r->ranks[1].host, World()->hostnames()[1]);
    EXPECT_GT(r->ranks[1].median_s, 0);
  }
  // A case too small for two ranks is skipped on both, alike.
  CollectiveWorkload rs(CollectiveKind::kReduceScatter, runtime);
  auto s = RunCase(rs, Case(CollectiveKind::kReduceScatter, "4", "fp32", "sum", false), *ctx, env);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->status, CaseStatus::kSkipped);
  if (World()->rank() == 0) {
    EXPECT_EQ(s->reason, "rank 0: size 4 B is below one fp32 element per rank (4 B x 2 ranks)");
  }
}

}  // namespace
}  // namespace gq

int main(int argc, char** argv) {
  gq::World() = gq::MakeMpiCommunicator(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  std::vector<double> any{static_cast<double>(failed)};
  gq::World()->AllReduceMax(any);  // every rank exits non-zero when a test failed on any
  gq::World().reset();             // MPI_Finalize
  return any[0] > 0 ? 1 : 0;
}
