// The collective workloads on the cpu in one process (one rank): every collective, dtype and
// in-place mode prepares, runs and verifies; the runner records busbw 0 with the single-rank
// note; graph=true is skipped. (The multi-rank path is tested under mpirun in tests/mpi/.)
#include <gtest/gtest.h>

#include "harness/errors.h"
#include "harness/measure/runner.h"
#include "workloads/allreduce/collective_workload.h"

namespace gq {
namespace {

CaseSpec Case(CollectiveKind kind, const std::string& size, const std::string& dtype, bool in_place,
              bool graph = false, const std::string& op = "sum") {
  CaseSpec spec{CollectiveName(kind), {{"size", size}, {"dtype", dtype}}};
  if (kind != CollectiveKind::kAllGather) spec.params.emplace_back("op", op);
  spec.params.emplace_back("in_place", in_place ? "true" : "false");
  spec.params.emplace_back("graph", graph ? "true" : "false");
  return spec;
}

std::shared_ptr<CollectiveRuntime> OneProcess() {
  return std::make_shared<CollectiveRuntime>(MakeSingleProcessCommunicator("test-host"));
}

TEST(CollectiveCpuTest, EveryCollectiveVerifiesInOneProcess) {
  auto runtime = OneProcess();
  auto ctx = MakeCpuContext();
  for (CollectiveKind kind :
       {CollectiveKind::kAllReduce, CollectiveKind::kAllGather, CollectiveKind::kReduceScatter}) {
    CollectiveWorkload w(kind, runtime);
    for (const char* dtype : {"fp32", "bf16", "fp16", "fp64", "int32", "int64", "int8", "uint8"}) {
      for (bool in_place : {false, true}) {
        for (const char* op : {"sum", "max", "min"}) {
          auto prepared = w.Prepare(Case(kind, "1001", dtype, in_place, false, op), *ctx);
          for (int i = 0; i < 3; ++i) prepared->Run(nullptr);
          const VerifyResult v = prepared->Verify();
          EXPECT_TRUE(v.passed) << CollectiveName(kind) << " " << dtype << " in_place=" << in_place
                                << ": " << v.detail;
          EXPECT_EQ(v.tolerance, 0.0);
          const auto d = prepared->Details();
          EXPECT_EQ(d.at("single_rank"), "true");
          EXPECT_EQ(d.at("backend"), "single process");
          const size_t bytes = DtypeBytes(ParseDtype("t", dtype, kCommDtypes));
          EXPECT_EQ(d.count("size_note"), bytes > 1 ? 1u : 0u) << dtype;
        }
      }
    }
  }
}

TEST(CollectiveCpuTest, GraphsAndTinySizesAreSkippedWithReasons) {
  auto runtime = OneProcess();
  auto ctx = MakeCpuContext();
  CollectiveWorkload w(CollectiveKind::kAllReduce, runtime);
  try {
    w.Prepare(Case(CollectiveKind::kAllReduce, "4096", "fp32", false, true), *ctx);
    FAIL();
  } catch (const CaseSkipped& e) {
    EXPECT_NE(std::string(e.what()).find("graph=true needs a GPU"), std::string::npos);
  }
  EXPECT_THROW(w.Prepare(Case(CollectiveKind::kAllReduce, "2", "fp32", false), *ctx), CaseSkipped);
  EXPECT_THROW(w.Prepare(Case(CollectiveKind::kAllReduce, "0", "fp32", false), *ctx), UsageError);
}

TEST(CollectiveCpuTest, TheRunnerRecordsAlgbwAndAZeroBusbwForOneRank) {
  auto runtime = OneProcess();
  CollectiveWorkload w(CollectiveKind::kAllReduce, runtime);
  auto ctx = MakeCpuContext();
  RunnerEnv env;
  env.measure.min_samples = 5;
  env.measure.min_time_s = 0.01;
  env.measure.max_time_s = 0.2;
  env.measure.warmup_time_s = 0.01;
  auto r = RunCase(w, Case(CollectiveKind::kAllReduce, "65536", "fp32", false), *ctx, env);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->status == CaseStatus::kOk || r->status == CaseStatus::kNoisy) << r->reason;
  EXPECT_EQ(r->primary_metric, "algbw");  // busbw is undefined on one rank
  EXPECT_EQ(r->metrics.front().first, "busbw");
  EXPECT_EQ(r->FindMetric("busbw")->median, 0.0);
  EXPECT_EQ(r->FindMetric("busbw")->cv, 0.0);
  EXPECT_GT(r->FindMetric("algbw")->median, 0.0);
  EXPECT_GT(r->FindMetric("time_us")->median, 0.0);
  EXPECT_DOUBLE_EQ(r->work.bytes, 65536);
  EXPECT_EQ(r->details.at("note"), "single rank: bus bandwidth undefined");
  ASSERT_TRUE(r->verification.has_value());
  EXPECT_TRUE(r->verification->passed) << r->verification->detail;
  EXPECT_TRUE(r->ranks.empty());  // a single process keeps no per-rank figures
}

}  // namespace
}  // namespace gq
