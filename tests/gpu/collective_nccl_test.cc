// GPU tests of the collective workloads' NCCL backend (workloads/allreduce/collective_nccl.cu):
// every collective, dtypes, in-place and CUDA-graph modes run and verify exactly on cuda:0 (one
// rank), and on all visible GPUs at once when there are several (one process, grouped calls);
// the device-side check finds one corrupted element; oversized cases are skipped. Each test skips
// itself when no CUDA device is visible (or the build has no NCCL).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "harness/device.h"
#include "harness/errors.h"
#include "harness/measure/runner.h"
#include "workloads/allreduce/collective_workload.h"
#if GQ_WITH_NCCL
#include <cuda_runtime.h>

#include "workloads/allreduce/collective_kernels.cuh"
#endif

namespace gq {
namespace {

CaseSpec Case(CollectiveKind kind, const std::string& size, const std::string& dtype,
              const std::string& op, bool in_place, bool graph) {
  CaseSpec spec{CollectiveName(kind), {{"size", size}, {"dtype", dtype}}};
  if (kind != CollectiveKind::kAllGather) spec.params.emplace_back("op", op);
  spec.params.emplace_back("in_place", in_place ? "true" : "false");
  spec.params.emplace_back("graph", graph ? "true" : "false");
  return spec;
}

#define GQ_SKIP_WITHOUT_NCCL_GPU()                                        \
  do {                                                                    \
    if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible"; \
    if (!GQ_WITH_NCCL) GTEST_SKIP() << "this build has no NCCL";          \
  } while (0)

std::shared_ptr<CollectiveRuntime> OneProcess() {
  return std::make_shared<CollectiveRuntime>(MakeSingleProcessCommunicator("gpu-test"));
}

TEST(CollectiveNcclTest, EveryCollectiveVerifiesOnOneGpu) {
  GQ_SKIP_WITHOUT_NCCL_GPU();
  auto runtime = OneProcess();
  auto ctx = MakeCudaContext(0);
  for (CollectiveKind kind :
       {CollectiveKind::kAllReduce, CollectiveKind::kAllGather, CollectiveKind::kReduceScatter}) {
    CollectiveWorkload w(kind, runtime);
    for (const char* dtype : {"fp32", "bf16", "fp16", "fp64", "int32", "int64", "int8", "uint8"}) {
      for (bool in_place : {false, true}) {
        for (bool graph : {false, true}) {
          const CaseSpec spec = Case(kind, "1000003", dtype, "sum", in_place, graph);
          auto prepared = w.Prepare(spec, *ctx);
          for (int i = 0; i < 5; ++i) prepared->Run(ctx->stream());
          ctx->Synchronize();
          const VerifyResult v = prepared->Verify();
          EXPECT_TRUE(v.passed) << spec.Id() << ": " << v.detail;
          const auto d = prepared->Details();
          EXPECT_EQ(d.at("backend"), "nccl");
          EXPECT_EQ(d.at("single_rank"), "true");
          EXPECT_EQ(d.count("graph"), graph ? 1u : 0u);
        }
      }
    }
  }
}

TEST(CollectiveNcclTest, MaxAndMinVerify) {
  GQ_SKIP_WITHOUT_NCCL_GPU();
  auto runtime = OneProcess();
  auto ctx = MakeCudaContext(0);
  for (CollectiveKind kind : {CollectiveKind::kAllReduce, CollectiveKind::kReduceScatter}) {
    CollectiveWorkload w(kind, runtime);
    for (const char* op : {"max", "min"}) {
      auto prepared = w.Prepare(Case(kind, "65536", "bf16", op, false, false), *ctx);
      prepared->Run(ctx->stream());
      EXPECT_TRUE(prepared->Verify().passed) << CollectiveName(kind) << " " << op;
    }
  }
}

TEST(CollectiveNcclTest, AllVisibleGpusInOneProcess) {
  GQ_SKIP_WITHOUT_NCCL_GPU();
  const int gpus = CudaDeviceCount();
  if (gpus < 2) GTEST_SKIP() << "one GPU visible: the grouped path needs two or more";
  auto runtime = OneProcess();
  auto ctx = MakeCudaGroupContext(0, gpus);
  EXPECT_EQ(ctx->device().Name(), "cuda:0-" + std::to_string(gpus - 1));
  for (CollectiveKind kind :
       {CollectiveKind::kAllReduce, CollectiveKind::kAllGather, CollectiveKind::kReduceScatter}) {
    CollectiveWorkload w(kind, runtime);
    for (bool graph : {false, true}) {
      for (bool in_place : {false, true}) {
        auto prepared = w.Prepare(Case(kind, "16M", "bf16", "sum", in_place, graph), *ctx);
        for (int i = 0; i < 3; ++i) prepared->Run(ctx->stream());
        const VerifyResult v = prepared->Verify();
        EXPECT_TRUE(v.passed) << CollectiveName(kind) << " graph=" << graph << ": " << v.detail;
        EXPECT_EQ(prepared->Details().at("ranks"), std::to_string(gpus));
        EXPECT_GT(prepared->GetWork().busbw_factor, 0.0);
      }
    }
  }
  RunnerEnv env;
  env.measure.min_time_s = 0.05;
  env.measure.max_time_s = 1;
  env.measure.warmup_time_s = 0.05;
  CollectiveWorkload ar(CollectiveKind::kAllReduce, runtime);
  auto r =
      RunCase(ar, Case(CollectiveKind::kAllReduce, "256M", "fp32", "sum", false, false), *ctx, env);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->status == CaseStatus::kOk || r->status == CaseStatus::kNoisy) << r->reason;
  EXPECT_GT(r->FindMetric("busbw")->median, 0);
}

TEST(CollectiveNcclTest, TheRunnerMeasuresOneGpuAsASingleRank) {
  GQ_SKIP_WITHOUT_NCCL_GPU();
  auto runtime = OneProcess();
  auto ctx = MakeCudaContext(0);
  CollectiveWorkload w(CollectiveKind::kAllReduce, runtime);
  RunnerEnv env;
  env.measure.min_time_s = 0.05;
  env.measure.max_time_s = 1;
  env.measure.warmup_time_s = 0.05;
  auto r =
      RunCase(w, Case(CollectiveKind::kAllReduce, "64M", "fp32", "sum", false, true), *ctx, env);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->status == CaseStatus::kOk || r->status == CaseStatus::kNoisy) << r->reason;
  EXPECT_EQ(r->device, "cuda:0");
  EXPECT_EQ(r->FindMetric("busbw")->median, 0.0);
  EXPECT_GT(r->FindMetric("algbw")->median, 0.0);
  ASSERT_TRUE(r->verification.has_value());
  EXPECT_TRUE(r->verification->passed) << r->verification->detail;
  EXPECT_EQ(r->details.at("single_rank"), "true");
}

TEST(CollectiveNcclTest, BuffersBeyondDeviceMemoryAreSkipped) {
  GQ_SKIP_WITHOUT_NCCL_GPU();
  auto runtime = OneProcess();
  auto ctx = MakeCudaContext(0);
  CollectiveWorkload w(CollectiveKind::kAllReduce, runtime);
  try {
    w.Prepare(Case(CollectiveKind::kAllReduce, "1024G", "fp32", "sum", false, false), *ctx);
    FAIL() << "a 1 TiB buffer should not fit";
  } catch (const CaseSkipped& e) {
    EXPECT_NE(std::string(e.what()).find("free"), std::string::npos) << e.what();
  }
}

TEST(CollectiveNcclTest, TheDeviceCheckFindsOneCorruptedElement) {
  GQ_SKIP_WITHOUT_NCCL_GPU();
#if GQ_WITH_NCCL
  // all_gather on one rank: the output must equal the rank's own inputs.
  const int64_t n = 1 << 20;
  const ValuePattern p =
      ChooseValuePattern(CollectiveKind::kAllGather, Dtype::kFp32, CommOp::kSum, 1);
  const CheckSpec spec{CollectiveKind::kAllGather, CommOp::kSum, Dtype::kFp32, p, 0, n};
  ASSERT_EQ(cudaSetDevice(0), cudaSuccess);
  float* out = nullptr;
  DeviceWrongTally* tally = nullptr;
  ASSERT_EQ(cudaMalloc(&out, n * sizeof(float)), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&tally, sizeof(DeviceWrongTally)), cudaSuccess);
  FillCollectiveInputs(Dtype::kFp32, p, 0, out, n, nullptr);
  ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
  EXPECT_EQ(CheckOutputOnDevice(spec, out, n, tally, nullptr).wrong, 0);
  float bad = 0;
  ASSERT_EQ(cudaMemcpy(&bad, out + 777, sizeof(float), cudaMemcpyDeviceToHost), cudaSuccess);
  const float right = bad;
  bad += 3;
  ASSERT_EQ(cudaMemcpy(out + 777, &bad, sizeof(float), cudaMemcpyHostToDevice), cudaSuccess);
  const WrongElements w = CheckOutputOnDevice(spec, out, n, tally, nullptr);
  EXPECT_EQ(w.wrong, 1);
  EXPECT_EQ(w.first_wrong, 777);
  EXPECT_EQ(w.got, right + 3);
  EXPECT_EQ(w.expected, right);
  EXPECT_GT(w.max_rel_err, 0);
  cudaFree(out);
  cudaFree(tally);
#endif
}

}  // namespace
}  // namespace gq
