#include <gtest/gtest.h>

#include "harness/device.h"
#include "harness/errors.h"
#include "harness/roofline.h"

namespace gq {
namespace {

TEST(DeviceTest, ResolveDevices) {
  using K = DeviceRef::Kind;
  EXPECT_EQ(ResolveDevices("auto", 0), (std::vector<DeviceRef>{{K::kCpu, 0}}));
  EXPECT_EQ(ResolveDevices("auto", 2), (std::vector<DeviceRef>{{K::kCuda, 0}, {K::kCuda, 1}}));
  EXPECT_EQ(ResolveDevices("cpu", 2), (std::vector<DeviceRef>{{K::kCpu, 0}}));
  EXPECT_EQ(ResolveDevices("cuda:1", 2), (std::vector<DeviceRef>{{K::kCuda, 1}}));
  EXPECT_THROW(ResolveDevices("cuda", 0), UsageError);
  EXPECT_THROW(ResolveDevices("cuda:2", 2), UsageError);
  EXPECT_THROW(ResolveDevices("cuda:x", 2), UsageError);
  EXPECT_THROW(ResolveDevices("tpu", 2), UsageError);
  EXPECT_EQ(DeviceRef({K::kCuda, 3}).Name(), "cuda:3");
  EXPECT_TRUE(Accepts(DeviceFilter::kCuda, {K::kCuda, 0}));
  EXPECT_FALSE(Accepts(DeviceFilter::kCuda, {K::kCpu, 0}));
}

TEST(DeviceTest, CpuContextTimesHostWork) {
  auto ctx = MakeCpuContext();
  EXPECT_EQ(ctx->device().Name(), "cpu");
  auto timer = ctx->MakeTimer();
  timer->Start();
  volatile double x = 0;
  for (int i = 0; i < 100000; ++i) x = x + i;
  EXPECT_GT(timer->StopSeconds(), 0.0);
}

const DeviceSpec kGpu{"test-gpu", "Test GPU", {{"bf16", 1000.0}}, 2000.0, 0, "test"};

TEST(RooflineTest, ComputeBoundWhenIntensityIsHigh) {
  // 8192^3 GEMM: I = 2*8192^3 / (3*8192^2*2 bytes) = 2730 FLOP/B; memory roof 2730*2 TB/s >> 1000.
  Work w{2.0 * 8192 * 8192 * 8192, 3.0 * 8192 * 8192 * 2, 0, 0, "bf16"};
  auto c = CheckRoofline(w, TflopsMetric(), 800, kGpu);
  ASSERT_TRUE(c.roofline);
  EXPECT_EQ(c.roofline->bound, "compute");
  EXPECT_DOUBLE_EQ(c.roofline->peak, 1000);
  EXPECT_DOUBLE_EQ(c.roofline->efficiency, 0.8);
  EXPECT_TRUE(c.invalid_reason.empty());
}

TEST(RooflineTest, MemoryBoundWhenIntensityIsLow) {
  // GEMV-like: 1 FLOP per byte -> roof = 1 * 2000 GB/s = 2 TFLOP/s.
  Work w{1e9, 1e9, 0, 0, "bf16"};
  auto c = CheckRoofline(w, TflopsMetric(), 1.5, kGpu);
  EXPECT_EQ(c.roofline->bound, "memory");
  EXPECT_DOUBLE_EQ(c.roofline->peak, 2.0);
  EXPECT_DOUBLE_EQ(c.roofline->efficiency, 0.75);
  // A measured bandwidth replaces the datasheet one.
  EXPECT_DOUBLE_EQ(CheckRoofline(w, TflopsMetric(), 1.5, kGpu, 3000).roofline->peak, 3.0);
}

TEST(RooflineTest, AbovePeakIsInvalidAndUnknownDtypeHasNoRoofline) {
  Work w{1e12, 0, 0, 0, "bf16"};
  EXPECT_FALSE(CheckRoofline(w, TflopsMetric(), 1200, kGpu).invalid_reason.empty());
  w.compute_dtype = "fp8";
  auto c = CheckRoofline(w, TflopsMetric(), 1200, kGpu);
  EXPECT_FALSE(c.roofline);
  EXPECT_TRUE(c.invalid_reason.empty());
  Work copy{0, 1e9, 0, 0, ""};
  auto bw = CheckRoofline(copy, BandwidthMetric("bandwidth"), 2500, kGpu);
  EXPECT_EQ(bw.roofline->bound, "memory");
  EXPECT_FALSE(bw.invalid_reason.empty());
}

}  // namespace
}  // namespace gq
