// GPU tests of the e2e workload's CUDA backend (workloads/e2e/e2e_cuda_*.cu): the tiny model on
// cuda:0 (and tensor parallel over two GPUs when present) checked by VerifyE2e (cached decode vs
// a full forward, and against the cpu fp32 reference of the same seeded weights), the phases of
// a timed iteration, the decode graph, and the memory skip. Each test skips itself when no CUDA
// device is visible.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "harness/device.h"
#include "harness/errors.h"
#include "harness/system/communicator.h"
#include "harness/work.h"
#include "workloads/e2e/e2e_case.h"
#include "workloads/e2e/cpu/e2e_cpu_backend.h"
#include "workloads/e2e/e2e_forward.h"
#include "workloads/e2e/e2e_verify.h"
#include "workloads/e2e/e2e_workload.h"
#include "workloads/registry.h"
#if GQ_WITH_CUDA
#include "workloads/e2e/cuda/e2e_cuda_backend.h"
#if GQ_WITH_NCCL
#include "workloads/allreduce/collective_nccl.h"
#endif
#endif

namespace gq {
namespace {

#define GQ_REQUIRE_GPUS(n)                                                        \
  if (CudaDeviceCount() < (n)) GTEST_SKIP() << "needs " << (n) << " CUDA device(s)"

E2eProblem Tiny(int batch, int in, int out, int tp = 1) {
  E2eProblem p;
  p.model = ModelPreset("tiny");
  p.batch = batch;
  p.input_len = in;
  p.output_len = out;
  p.tp = tp;
  return p;
}

int64_t Rows(const E2eProblem& p) {
  return std::max(MaxStepRows(p.batch, p.input_len, p.prefill_chunk_tokens),
                  MaxStepRows(p.batch, p.input_len + E2eVerifySteps(p.output_len), p.prefill_chunk_tokens));
}

#if GQ_WITH_CUDA
std::unique_ptr<PreparedCase> CudaCase(const E2eProblem& p, DeviceContext& ctx, Communicator& world,
                                       NcclCommPool* pool) {
  E2eProblem single = p;
  single.tp = 1;
  return MakeE2eCase(p, MakeE2eCudaBackend(p, Rows(p), ctx, world, pool),
                     MakeE2eCpuBackend(single, Rows(single), 0, nullptr), kE2eBf16Tolerance);
}
#endif

TEST(E2eCudaTest, TinyModelMatchesTheCpuReferenceAndItsOwnFullForward) {
  GQ_REQUIRE_GPUS(1);
#if GQ_WITH_CUDA
  auto world = MakeSingleProcessCommunicator("test");
  for (bool bias : {false, true}) {
    E2eProblem p = Tiny(3, 40, 6);
    p.model.qkv_bias = bias;
    auto ctx = MakeContext(DeviceRef{DeviceRef::Kind::kCuda, 0});
    auto c = CudaCase(p, *ctx, *world, nullptr);
    for (int i = 0; i < 3; ++i) c->Run(ctx->stream());
    ctx->Synchronize();
    const VerifyResult v = c->Verify();
    EXPECT_TRUE(v.passed) << v.detail;
    EXPECT_NE(v.detail.find("cpu fp32 reference"), std::string::npos) << v.detail;
    // Measured for the record (the tolerance is 0.1): bf16 rounding only.
    EXPECT_LT(v.max_rel_err, 0.05) << v.detail;
    const std::map<std::string, std::string> d = c->Details();
    EXPECT_EQ(d.at("decode_graph").rfind("captured", 0), 0u) << d.at("decode_graph");
  }
#endif
}

TEST(E2eCudaTest, PhasesOfAnOfflineIteration) {
  GQ_REQUIRE_GPUS(1);
#if GQ_WITH_CUDA
  auto world = MakeSingleProcessCommunicator("test");
  auto ctx = MakeContext(DeviceRef{DeviceRef::Kind::kCuda, 0});
  const E2eProblem p = Tiny(4, 64, 9);
  auto c = CudaCase(p, *ctx, *world, nullptr);
  auto timer = ctx->MakeTimer();
  timer->Start();
  c->Run(ctx->stream());
  const double t = timer->StopSeconds();
  const std::map<std::string, double> ph = c->PhaseSeconds();
  ASSERT_EQ(ph.size(), 5u);
  EXPECT_GT(ph.at(kPhasePrefill), 0);
  EXPECT_GT(ph.at(kPhaseTpot), 0);
  EXPECT_LE(ph.at(kPhaseItlP50), ph.at(kPhaseItlP99));
  EXPECT_LE(ph.at(kPhasePrefill) + 8 * ph.at(kPhaseTpot), t * 1.001);  // inside the iteration
#endif
}

TEST(E2eCudaTest, DecodeScenarioRepeatsTheSameStep) {
  GQ_REQUIRE_GPUS(1);
#if GQ_WITH_CUDA
  auto world = MakeSingleProcessCommunicator("test");
  auto ctx = MakeContext(DeviceRef{DeviceRef::Kind::kCuda, 0});
  E2eProblem p = Tiny(2, 100, 4);
  p.scenario = E2eScenario::kDecode;
  auto c = CudaCase(p, *ctx, *world, nullptr);
  for (int i = 0; i < 50; ++i) c->Run(ctx->stream());  // would overrun the cache without the rewind
  ctx->Synchronize();
  EXPECT_EQ(c->PhaseSeconds().count(kPhaseTpot), 1u);
  EXPECT_TRUE(c->Verify().passed);
#endif
}

TEST(E2eCudaTest, TensorParallelOverTwoGpusMatchesTheWholeModel) {
  GQ_REQUIRE_GPUS(2);
#if GQ_WITH_CUDA && GQ_WITH_NCCL
  auto world = MakeSingleProcessCommunicator("test");
  auto pool = MakeNcclCommPool(*world);
  auto ctx = MakeContext(DeviceRef{DeviceRef::Kind::kCuda, 0, 2});
  auto c = CudaCase(Tiny(2, 48, 5, 2), *ctx, *world, pool.get());
  c->Run(ctx->stream());
  ctx->Synchronize();
  const VerifyResult v = c->Verify();
  EXPECT_TRUE(v.passed) << v.detail;
  EXPECT_NE(c->Details().at("tensor_parallel").find("2"), std::string::npos);
#else
  GTEST_SKIP() << "this build has no NCCL (tensor parallelism over GPUs needs it)";
#endif
}

TEST(E2eCudaTest, AModelThatDoesNotFitIsSkippedWithItsBytes) {
  GQ_REQUIRE_GPUS(1);
  WorkloadRegistry registry = BuildRegistry(nullptr);
  Workload& e2e = registry.Get("e2e");
  const CaseSpec spec{"e2e", {{"model", "llama-3-70b"}, {"scenario", "offline"}, {"batch", "1"}, {"input_len", "1M"},
                              {"output_len", "8"}, {"dtype", "bf16"}, {"tp", "1"}, {"layers", "0"}, {"hidden", "0"},
                              {"heads", "0"}, {"kv_heads", "0"}, {"ffn", "0"}, {"vocab", "0"}}};
  auto ctx = MakeContext(DeviceRef{DeviceRef::Kind::kCuda, 0});
  try {
    e2e.Prepare(spec, *ctx);
    FAIL() << "70B in bf16 (141 GB) with a KV cache of a 1M-token prompt (343 GB) fitted on one GPU";
  } catch (const CaseSkipped& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("does not fit"), std::string::npos) << what;
    EXPECT_NE(what.find("weights"), std::string::npos) << what;
    EXPECT_NE(what.find("free"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace gq
