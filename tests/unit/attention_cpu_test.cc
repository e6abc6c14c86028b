// Tests of the attention workload's axes and case parsing (attention_workload.cc,
// attention_problem.cc) and of its cpu backend end to end through Prepare / Run / Verify
// (attention_cpu.cc).
#include "workloads/attention/attention_cpu.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/errors.h"
#include "workloads/attention/attention_problem.h"
#include "workloads/attention/attention_reference.h"
#include "workloads/attention/attention_workload.h"

namespace gq {
namespace {

struct Shape {
  std::string backend = "cpu";
  int batch = 1, heads = 4, kv_heads = 0, seq_q = 32, seq_kv = 0, head_dim = 64;
  bool causal = false;
  std::string dtype = "bf16";
};

CaseSpec AttentionCase(const Shape& s) {
  return {"attention",
          {{"backend", s.backend},
           {"batch", std::to_string(s.batch)},
           {"heads", std::to_string(s.heads)},
           {"kv_heads", std::to_string(s.kv_heads)},
           {"seq_q", std::to_string(s.seq_q)},
           {"seq_kv", std::to_string(s.seq_kv)},
           {"head_dim", std::to_string(s.head_dim)},
           {"causal", s.causal ? "true" : "false"},
           {"dtype", s.dtype}}};
}

TEST(AttentionWorkloadTest, AxesAndMetrics) {
  AttentionWorkload workload;
  std::vector<std::string> names;
  for (const AxisSpec& axis : workload.Axes()) names.push_back(axis.name);
  EXPECT_EQ(names, (std::vector<std::string>{"backend", "batch", "heads", "kv_heads", "seq_q",
                                             "seq_kv", "head_dim", "causal", "dtype"}));
  // Defaults: 16k tokens of hidden size 2048 (ANCHORS.md), native backend, bf16, not causal.
  const std::vector<CaseSpec> cases = ExpandCases("attention", workload.Axes(), {});
  ASSERT_EQ(cases.size(), 1u);
  const AttentionProblem p = AttentionProblemFromCase(cases[0]);
  EXPECT_EQ(p.backend, AttentionBackend::kNative);
  EXPECT_EQ(p.batch * p.seq_q, 16384);
  EXPECT_EQ(p.heads * p.head_dim, 2048);
  EXPECT_EQ(p.kv_heads, p.heads);
  EXPECT_EQ(p.seq_kv, p.seq_q);
  EXPECT_FALSE(p.causal);
  EXPECT_EQ(p.dtype, Dtype::kBf16);
  ASSERT_GE(workload.Metrics().size(), 2u);
  EXPECT_EQ(workload.Metrics()[0].name, "tflops");
  EXPECT_EQ(workload.Metrics()[1].name, "time_ms");
}

TEST(AttentionWorkloadTest, BadShapesAreUsageErrors) {
  AttentionWorkload workload;
  auto ctx = MakeCpuContext();
  Shape s;
  s.heads = 6;
  s.kv_heads = 4;  // does not divide
  EXPECT_THROW(workload.Prepare(AttentionCase(s), *ctx), UsageError);
  s = Shape();
  s.batch = 0;
  EXPECT_THROW(workload.Prepare(AttentionCase(s), *ctx), UsageError);
  s = Shape();
  s.seq_q = -3;
  EXPECT_THROW(workload.Prepare(AttentionCase(s), *ctx), UsageError);
}

TEST(AttentionWorkloadTest, GpuBackendsAndBigCasesAreSkippedOnTheCpu) {
  AttentionWorkload workload;
  auto ctx = MakeCpuContext();
  for (const char* backend : {"native", "cudnn"}) {
    Shape s;
    s.backend = backend;
    try {
      workload.Prepare(AttentionCase(s), *ctx);
      ADD_FAILURE() << backend << " was not skipped";
    } catch (const CaseSkipped& e) {
      EXPECT_NE(std::string(e.what()).find("needs a CUDA device"), std::string::npos) << e.what();
    }
  }
  // The default (GPU-sized) shape on the cpu backend is skipped, not run for minutes.
  CaseSpec big = ExpandCases("attention", workload.Axes(), {{"backend", {"cpu"}}}).at(0);
  try {
    workload.Prepare(big, *ctx);
    ADD_FAILURE() << "the default shape was not skipped on the cpu";
  } catch (const CaseSkipped& e) {
    EXPECT_NE(std::string(e.what()).find("GFLOP"), std::string::npos) << e.what();
  }
}

class AttentionCpuVerifyTest : public testing::TestWithParam<Shape> {};

TEST_P(AttentionCpuVerifyTest, RunsAndVerifies) {
  AttentionWorkload workload;
  auto ctx = MakeCpuContext();
  const CaseSpec spec = AttentionCase(GetParam());
  auto prepared = workload.Prepare(spec, *ctx);
  prepared->Run(ctx->stream());
  ctx->Synchronize();
  const VerifyResult result = prepared->Verify();
  EXPECT_TRUE(result.passed) << spec.Id() << ": " << result.detail;
  // float32 arithmetic on exact inputs: far below the bf16/fp16 tolerance, and held to float32's.
  EXPECT_LT(result.max_rel_err, 1e-5) << result.detail;
  EXPECT_EQ(result.tolerance, kAttentionFloat32Tolerance);
  EXPECT_FALSE(prepared->Details().empty());
  const Work work = prepared->GetWork();
  EXPECT_GT(work.flops, 0);
  EXPECT_EQ(work.compute_dtype, "fp32");  // the inputs are exact in GetParam().dtype; the arithmetic is float32
  // The bytes are of the float32 elements the cpu holds, not of the dtype axis's.
  AttentionProblem held = AttentionProblemFromCase(spec);
  held.dtype = Dtype::kFp32;
  EXPECT_DOUBLE_EQ(work.bytes, AttentionWork(held).bytes);
}

Shape Make(int batch, int heads, int kv_heads, int seq_q, int seq_kv, int dim, bool causal,
           const char* dtype = "bf16") {
  Shape s;
  s.batch = batch;
  s.heads = heads;
  s.kv_heads = kv_heads;
  s.seq_q = seq_q;
  s.seq_kv = seq_kv;
  s.head_dim = dim;
  s.causal = causal;
  s.dtype = dtype;
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, AttentionCpuVerifyTest,
    testing::Values(Make(1, 1, 0, 1, 0, 64, false), Make(2, 8, 2, 17, 0, 64, true),
                    Make(1, 8, 1, 5, 40, 32, true, "fp16"), Make(1, 4, 4, 40, 5, 32, true),
                    Make(3, 4, 2, 70, 129, 128, false, "fp16"), Make(1, 2, 1, 200, 0, 96, true)),
    [](const auto& info) { return "shape" + std::to_string(info.index); });

TEST(AttentionCpuTest, SameCaseGivesSameResult) {
  AttentionWorkload workload;
  auto ctx = MakeCpuContext();
  const CaseSpec spec = AttentionCase(Make(1, 2, 1, 33, 0, 32, true));
  const VerifyResult a = workload.Prepare(spec, *ctx)->Verify();
  const VerifyResult b = workload.Prepare(spec, *ctx)->Verify();
  EXPECT_TRUE(a.passed);
  EXPECT_EQ(a.max_rel_err, b.max_rel_err);
  EXPECT_EQ(a.detail, b.detail);
}

}  // namespace
}  // namespace gq
