// GPU tests of the gemm workload's cuBLASLt backend (workloads/gemm/gemm_cublaslt.cu) on cuda:0:
// every dtype and layout on odd, small and large shapes runs and verifies, or is skipped exactly
// where cuBLASLt cannot run it; autotuning records its choice; rotation keeps Verify on the copy
// the last Run wrote. Each test skips itself when no CUDA device is visible.
#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "harness/device.h"
#include "harness/errors.h"
#include "harness/system/cuda_devices.h"
#include "workloads/gemm/gemm_workload.h"

namespace gq {
namespace {

CaseSpec GemmCase(const std::string& dtype, int64_t m, int64_t n, int64_t k,
                  const std::string& layout, const std::string& algo = "autotune") {
  return {"gemm",
          {{"dtype", dtype},
           {"m", std::to_string(m)},
           {"n", std::to_string(n)},
           {"k", std::to_string(k)},
           {"layout", layout},
           {"algo", algo}}};
}

// 10 * major + minor of cuda:0.
int ComputeCapability() {
  const std::string cc = DiscoverCudaDevices().at(0).compute_capability;  // "9.0"
  return 10 * std::stoi(cc.substr(0, cc.find('.'))) + std::stoi(cc.substr(cc.find('.') + 1));
}

// Whether the backend should skip this case on a GPU of capability `cc` (mirrors the documented
// cuBLASLt limits in gemm_cublaslt_support.cu).
bool ExpectSkip(const std::string& dtype, int64_t m, int64_t k, const std::string& layout, int cc) {
  if ((dtype == "bf16" || dtype == "tf32") && cc < 80) return true;
  if (dtype != "fp8_e4m3") return false;
  if (cc < 89) return true;
  if (layout != "TN" && cc / 10 != 10) return true;
  return k % 16 != 0 || m % (layout == "TN" ? 8 : 16) != 0;
}

using GpuParam = std::tuple<std::string, std::string, std::tuple<int64_t, int64_t, int64_t>>;

class GemmCublasLtVerifyTest : public testing::TestWithParam<GpuParam> {};

TEST_P(GemmCublasLtVerifyTest, RunsAndVerifies) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  const auto& [dtype, layout, shape] = GetParam();
  const auto [m, n, k] = shape;
  GemmWorkload workload;
  auto ctx = MakeCudaContext(0);
  const CaseSpec spec = GemmCase(dtype, m, n, k, layout);
  if (ExpectSkip(dtype, m, k, layout, ComputeCapability())) {
    EXPECT_THROW(workload.Prepare(spec, *ctx), CaseSkipped);
    return;
  }
  auto prepared = workload.Prepare(spec, *ctx);
  for (int i = 0; i < 3; ++i) prepared->Run(ctx->stream());
  ctx->Synchronize();
  const VerifyResult result = prepared->Verify();
  EXPECT_TRUE(result.passed) << spec.Id() << ": " << result.detail;
  EXPECT_LE(result.max_rel_err, result.tolerance);
  EXPECT_GT(result.tolerance, 0);
}

std::string GpuParamName(const testing::TestParamInfo<GpuParam>& info) {
  const auto& [dtype, layout, shape] = info.param;
  const auto& [m, n, k] = shape;
  return dtype + "_" + layout + "_" + std::to_string(m) + "x" + std::to_string(n) + "x" +
         std::to_string(k);
}

using Shape = std::tuple<int64_t, int64_t, int64_t>;

INSTANTIATE_TEST_SUITE_P(
    AllDtypes, GemmCublasLtVerifyTest,
    testing::Combine(testing::Values("bf16", "fp16", "tf32", "fp32", "fp64", "fp8_e4m3"),
                     testing::Values("TN", "NN"),
                     testing::Values(Shape{37, 53, 61}, Shape{1, 257, 33}, Shape{256, 128, 512},
                                     Shape{1000, 1500, 704}, Shape{4096, 4096, 4096})),
    GpuParamName);

TEST(GemmCublasLtTest, AutotuneRecordsDetails) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  GemmWorkload workload;
  auto ctx = MakeCudaContext(0);
  auto prepared = workload.Prepare(GemmCase("bf16", 2048, 2048, 2048, "TN"), *ctx);
  const auto details = prepared->Details();
  for (const char* key : {"algo", "algo_rank", "algo_id", "tile", "stages", "splitk", "reduction",
                          "buffers", "candidate_us"}) {
    EXPECT_TRUE(details.count(key)) << "missing detail " << key;
  }
  EXPECT_EQ(details.at("algo").rfind("autotune best of ", 0), 0u) << details.at("algo");
  EXPECT_GE(std::stoi(details.at("algo_rank")), 0);
  EXPECT_LT(std::stoi(details.at("algo_rank")), 8);
  EXPECT_FALSE(details.at("candidate_us").empty());
  // 2048^3 bf16 operands are 24 MiB, under 3x any recent L2: the case rotates copies.
  EXPECT_GE(std::stoi(details.at("buffers")), 2);
}

TEST(GemmCublasLtTest, HeuristicTakesFirstCandidate) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  GemmWorkload workload;
  auto ctx = MakeCudaContext(0);
  auto prepared = workload.Prepare(GemmCase("fp16", 1024, 1024, 1024, "NN", "heuristic"), *ctx);
  const auto details = prepared->Details();
  EXPECT_EQ(details.at("algo"), "heuristic");
  EXPECT_EQ(details.at("algo_rank"), "0");
  EXPECT_EQ(details.count("candidate_us"), 0u);
  prepared->Run(ctx->stream());
  EXPECT_TRUE(prepared->Verify().passed);
}

// More runs than copies: Verify must check the copy the last Run wrote (copies hold different
// data, so checking another copy's inputs against this output would fail).
TEST(GemmCublasLtTest, RotationVerifiesLastCopy) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  GemmWorkload workload;
  auto ctx = MakeCudaContext(0);
  auto prepared = workload.Prepare(GemmCase("fp32", 128, 96, 64, "TN"), *ctx);
  const int buffers = std::stoi(prepared->Details().at("buffers"));
  EXPECT_GT(buffers, 1);
  for (int runs = 1; runs <= buffers + 2; ++runs) {
    prepared->Run(ctx->stream());
    ctx->Synchronize();
    const VerifyResult result = prepared->Verify();
    EXPECT_TRUE(result.passed) << "after " << runs << " runs: " << result.detail;
  }
}

TEST(GemmCublasLtTest, VerifyWithoutRunRunsOnce) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  GemmWorkload workload;
  auto ctx = MakeCudaContext(0);
  auto prepared = workload.Prepare(GemmCase("fp64", 65, 33, 17, "NN"), *ctx);
  EXPECT_TRUE(prepared->Verify().passed);
}

TEST(GemmCublasLtTest, TooLargeIsSkipped) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  GemmWorkload workload;
  auto ctx = MakeCudaContext(0);
  const int64_t huge = int64_t{1} << 20;  // 2 TiB per bf16 operand
  try {
    workload.Prepare(GemmCase("bf16", huge, huge, huge, "TN"), *ctx);
    ADD_FAILURE() << "a case needing 6 TiB was not skipped";
  } catch (const CaseSkipped& e) {
    EXPECT_NE(std::string(e.what()).find("GiB free"), std::string::npos) << e.what();
  }
}

TEST(GemmCublasLtTest, DiscoveryAndContext) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  const auto devices = DiscoverCudaDevices();
  ASSERT_EQ(static_cast<int>(devices.size()), CudaDeviceCount());
  const GpuInfo& gpu = devices[0];
  EXPECT_FALSE(gpu.name.empty());
  EXPECT_EQ(gpu.uuid.rfind("GPU-", 0), 0u);
  EXPECT_EQ(gpu.uuid.size(), 4u + 36u);
  // domain:bus:device.function; the domain has 4 hex digits on most hosts, up to 8 in VMs.
  EXPECT_TRUE(std::regex_match(gpu.pci_bus_id, std::regex("[0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]")))
      << gpu.pci_bus_id;
  EXPECT_GT(gpu.sm_count, 0);
  EXPECT_GT(gpu.memory_bytes, 0u);
  EXPECT_GT(gpu.clocks_max.at("sm_mhz"), 0);
  EXPECT_NE(gpu.driver.find('.'), std::string::npos);

  auto ctx = MakeCudaContext(0);
  EXPECT_EQ(ctx->device().Name(), "cuda:0");
  auto timer = ctx->MakeTimer();
  timer->Start();
  const double seconds = timer->StopSeconds();
  EXPECT_GE(seconds, 0);
  EXPECT_LT(seconds, 1);
  EXPECT_THROW(MakeCudaContext(CudaDeviceCount()), std::runtime_error);
}

}  // namespace
}  // namespace gq
