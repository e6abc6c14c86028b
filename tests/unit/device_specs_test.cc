// Tests for harness/system/device_specs.*: the names and memory sizes real devices report through
// cudaGetDeviceProperties (name, totalGlobalMem). Memory sizes are written as MiB the way
// nvidia-smi shows them, or in bytes where the exact figure is known.
#include "harness/system/device_specs.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

namespace gq {
namespace {

constexpr uint64_t kMiB = 1024ull * 1024ull;
constexpr uint64_t kGiB = 1024ull * kMiB;

std::string SkuOf(const std::string& name, uint64_t bytes) {
  const DeviceSpec* spec = MatchSku(name, bytes);
  return spec ? spec->sku : "<none>";
}

TEST(DeviceSpecsTest, MatchesRealDeviceNames) {
  EXPECT_EQ(SkuOf("NVIDIA H100 80GB HBM3", 85031714816ull), "h100-sxm-80gb");  // 79.19 GiB
  EXPECT_EQ(SkuOf("NVIDIA H100 PCIe", 81559 * kMiB), "h100-pcie-80gb");
  EXPECT_EQ(SkuOf("NVIDIA H100 NVL", 95830 * kMiB), "h100-nvl-94gb");
  EXPECT_EQ(SkuOf("NVIDIA H200", 150000000000ull), "h200-sxm-141gb");  // 139.7 GiB
  EXPECT_EQ(SkuOf("NVIDIA H200 NVL", 150000000000ull), "h200-nvl-141gb");
  EXPECT_EQ(SkuOf("NVIDIA GH200 480GB", 97871 * kMiB), "gh200-96gb");
  EXPECT_EQ(SkuOf("NVIDIA GH200 144G HBM3e", 143771 * kMiB), "gh200-144gb");
  EXPECT_EQ(SkuOf("NVIDIA A100-SXM4-80GB", 85198045184ull), "a100-sxm-80gb");
  EXPECT_EQ(SkuOf("NVIDIA A100-SXM4-40GB", 42505273344ull), "a100-sxm-40gb");
  EXPECT_EQ(SkuOf("NVIDIA A100-PCIE-40GB", 40536 * kMiB), "a100-pcie-40gb");
  EXPECT_EQ(SkuOf("NVIDIA A100 80GB PCIe", 81920 * kMiB), "a100-pcie-80gb");
  EXPECT_EQ(SkuOf("NVIDIA L40S", 46068 * kMiB), "l40s");  // ECC on
  EXPECT_EQ(SkuOf("NVIDIA L4", 23034 * kMiB), "l4");      // ECC on
  EXPECT_EQ(SkuOf("NVIDIA A10", 23028 * kMiB), "a10");
  EXPECT_EQ(SkuOf("NVIDIA B200", 183359 * kMiB), "b200-180gb");
}

TEST(DeviceSpecsTest, UnknownNamesGiveNull) {
  EXPECT_EQ(MatchSku("NVIDIA GeForce RTX 4090", 24 * kGiB), nullptr);
  EXPECT_EQ(MatchSku("Tesla V100-SXM2-16GB", 16 * kGiB), nullptr);
  EXPECT_EQ(MatchSku("NVIDIA H800", 80 * kGiB), nullptr);
  EXPECT_EQ(MatchSku("NVIDIA L40", 46068 * kMiB), nullptr);   // L40, not L40S
  EXPECT_EQ(MatchSku("NVIDIA A10G", 23028 * kMiB), nullptr);  // no NVIDIA datasheet
  EXPECT_EQ(MatchSku("", 80 * kGiB), nullptr);
}

TEST(DeviceSpecsTest, RightNameWrongMemoryGivesNull) {
  EXPECT_EQ(MatchSku("NVIDIA H100 80GB HBM3", 64 * kGiB), nullptr);
  EXPECT_EQ(MatchSku("NVIDIA H100 80GB HBM3", 94 * kGiB), nullptr);
  EXPECT_EQ(MatchSku("NVIDIA H200", 80 * kGiB), nullptr);
  EXPECT_EQ(MatchSku("NVIDIA A100-SXM4-40GB", 79 * kGiB), nullptr);
  EXPECT_EQ(MatchSku("NVIDIA L4", 48 * kGiB), nullptr);
  EXPECT_EQ(MatchSku("NVIDIA H100 80GB HBM3", 0), nullptr);
  // A MIG slice reports its own memory (and NVML appends "MIG ..." to the name).
  EXPECT_EQ(MatchSku("NVIDIA H100 80GB HBM3", 9728 * kMiB), nullptr);
  EXPECT_EQ(MatchSku("NVIDIA H100 80GB HBM3 MIG 7g.80gb", 79 * kGiB), nullptr);
}

TEST(DeviceSpecsTest, H100SxmDatasheetFigures) {
  const DeviceSpec* h100 = FindSku("h100-sxm-80gb");
  ASSERT_NE(h100, nullptr);
  EXPECT_DOUBLE_EQ(PeakTflops(*h100, "bf16"), 989.4);
  EXPECT_DOUBLE_EQ(PeakTflops(*h100, "fp16"), 989.4);
  EXPECT_DOUBLE_EQ(PeakTflops(*h100, "fp8"), 1978.9);
  EXPECT_DOUBLE_EQ(PeakTflops(*h100, "tf32"), 494.7);
  EXPECT_DOUBLE_EQ(PeakTflops(*h100, "fp32"), 66.9);
  EXPECT_DOUBLE_EQ(PeakTflops(*h100, "fp64"), 66.9);
  EXPECT_DOUBLE_EQ(PeakTflops(*h100, "fp64_vector"), 33.5);
  EXPECT_DOUBLE_EQ(h100->memory_bandwidth_gbs, 3350);
  EXPECT_DOUBLE_EQ(h100->interconnect_gbs, 450);
  EXPECT_DOUBLE_EQ(PeakTflops(*h100, "BF16"), 989.4);  // dtype is case-insensitive
  EXPECT_DOUBLE_EQ(PeakTflops(*h100, "int4"), 0.0);
}

TEST(DeviceSpecsTest, EverySkuIsComplete) {
  std::set<std::string> keys;
  for (const DeviceSpec& spec : AllSkus()) {
    SCOPED_TRACE(spec.sku);
    EXPECT_TRUE(keys.insert(spec.sku).second) << "duplicate sku";
    EXPECT_EQ(FindSku(spec.sku), &spec);
    EXPECT_FALSE(spec.display.empty());
    EXPECT_FALSE(spec.source.empty());
    EXPECT_GT(spec.memory_bandwidth_gbs, 0);
    EXPECT_GE(spec.interconnect_gbs, 0);
    for (const char* dtype : {"fp64", "fp32", "tf32", "bf16", "fp16"}) {
      EXPECT_GT(PeakTflops(spec, dtype), 0) << dtype;
    }
    EXPECT_DOUBLE_EQ(PeakTflops(spec, "fp16"), PeakTflops(spec, "bf16"));
    // Tensor paths are faster than plain FP32, and each halving of precision is no slower.
    EXPECT_GT(PeakTflops(spec, "tf32"), PeakTflops(spec, "fp32"));
    EXPECT_GT(PeakTflops(spec, "bf16"), PeakTflops(spec, "tf32"));
    if (PeakTflops(spec, "fp8") > 0) {
      EXPECT_GT(PeakTflops(spec, "fp8"), PeakTflops(spec, "bf16"));
    }
    for (const auto& [dtype, tflops] : spec.peak_tflops) EXPECT_GT(tflops, 0) << dtype;
  }
  EXPECT_GE(keys.size(), 14u);
  EXPECT_EQ(FindSku("no-such-gpu"), nullptr);
}

TEST(DeviceSpecsTest, Fp8OnlyWhereSupported) {
  for (const char* sku :
       {"a100-sxm-40gb", "a100-sxm-80gb", "a100-pcie-40gb", "a100-pcie-80gb", "a10"}) {
    const DeviceSpec* spec = FindSku(sku);
    ASSERT_NE(spec, nullptr) << sku;
    EXPECT_EQ(PeakTflops(*spec, "fp8"), 0.0) << sku;
  }
  for (const char* sku : {"h100-sxm-80gb", "h100-pcie-80gb", "h100-nvl-94gb", "h200-sxm-141gb",
                          "gh200-96gb", "l40s", "l4", "b200-180gb"}) {
    const DeviceSpec* spec = FindSku(sku);
    ASSERT_NE(spec, nullptr) << sku;
    EXPECT_GT(PeakTflops(*spec, "fp8"), 0.0) << sku;
  }
}

TEST(DeviceSpecsTest, SkusSharingSiliconDifferInMemoryOrLinks) {
  // H200 SXM has the H100 SXM compute peaks but more bandwidth (H200 datasheet, 4.8 TB/s).
  EXPECT_DOUBLE_EQ(PeakTflops(*FindSku("h200-sxm-141gb"), "bf16"),
                   PeakTflops(*FindSku("h100-sxm-80gb"), "bf16"));
  EXPECT_GT(FindSku("h200-sxm-141gb")->memory_bandwidth_gbs,
            FindSku("h100-sxm-80gb")->memory_bandwidth_gbs);
  EXPECT_EQ(FindSku("l40s")->interconnect_gbs, 0.0);
  EXPECT_DOUBLE_EQ(FindSku("a100-sxm-80gb")->memory_bandwidth_gbs, 2039);
  EXPECT_DOUBLE_EQ(FindSku("a100-pcie-80gb")->memory_bandwidth_gbs, 1935);
}

}  // namespace
}  // namespace gq
