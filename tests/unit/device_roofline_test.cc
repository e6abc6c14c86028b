#include <gtest/gtest.h>

#include "harness/device.h"
#include "harness/errors.h"
#include "harness/measure/roofline.h"

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

TEST(RooflineTest, MeasuredBandwidthBecomesTheMemoryRoofAndSaysSo) {
  Work w{1e9, 1e9, 0, 0, "bf16"};
  auto datasheet = CheckRoofline(w, TflopsMetric(), 1.5, kGpu);
  EXPECT_EQ(datasheet.roofline->peak_source, "datasheet bandwidth test-gpu x arithmetic intensity");
  auto measured = CheckRoofline(w, TflopsMetric(), 1.5, kGpu, 1800, "membw/op=copy");
  EXPECT_DOUBLE_EQ(measured.roofline->peak, 1.8);
  EXPECT_EQ(measured.roofline->peak_source, "measured bandwidth (membw/op=copy) x arithmetic intensity");
}

TEST(RooflineTest, BandwidthDomainPicksThePeak) {
  // Device memory: the datasheet, even when a measured figure exists; above it is invalid.
  Work device{0, 2e9, 0, 0, ""};
  device.bandwidth_domain = "device";
  auto d = CheckRoofline(device, BandwidthMetric("bandwidth"), 1500, kGpu, 1700, "membw/x");
  ASSERT_TRUE(d.roofline);
  EXPECT_DOUBLE_EQ(d.roofline->peak, 2000);
  EXPECT_DOUBLE_EQ(d.roofline->efficiency, 0.75);
  EXPECT_EQ(d.roofline->peak_source, "datasheet bandwidth test-gpu");
  EXPECT_TRUE(d.invalid_reason.empty());
  EXPECT_FALSE(CheckRoofline(device, BandwidthMetric("bandwidth"), 2100, kGpu).invalid_reason.empty());

  // Host link: the link's own peak, never HBM, and no invalid verdict above it.
  Work pcie{0, 1e9, 0, 0, ""};
  pcie.bandwidth_domain = "pcie";
  pcie.link_peak_gbs = 63.0;
  pcie.link_peak_source = "PCIe Gen5 x16";
  auto p = CheckRoofline(pcie, BandwidthMetric("bandwidth"), 50.4, kGpu, 1700, "membw/x");
  ASSERT_TRUE(p.roofline);
  EXPECT_DOUBLE_EQ(p.roofline->peak, 63.0);
  EXPECT_NEAR(p.roofline->efficiency, 0.8, 1e-12);
  EXPECT_EQ(p.roofline->peak_source, "PCIe Gen5 x16");
  auto c2c = CheckRoofline(pcie, BandwidthMetric("bandwidth"), 400, kGpu);
  EXPECT_TRUE(c2c.invalid_reason.empty());  // e.g. NVLink-C2C behind a PCIe-looking device
  pcie.link_peak_gbs = 0;                   // unknown link: no roofline
  EXPECT_FALSE(CheckRoofline(pcie, BandwidthMetric("bandwidth"), 50, kGpu).roofline);
  EXPECT_FALSE(CheckRoofline(pcie, BandwidthMetric("bandwidth"), 50, DeviceSpec{}).roofline);

  // Peer copies: no roofline and no verdict.
  Work peer{0, 1e9, 0, 0, ""};
  peer.bandwidth_domain = "peer";
  auto q = CheckRoofline(peer, BandwidthMetric("bandwidth"), 5000, kGpu);
  EXPECT_FALSE(q.roofline);
  EXPECT_TRUE(q.invalid_reason.empty());
}

// Collectives: busbw is placed against the GPUs' link (NVLink from the SKU, else a link figure
// the workload found), never against HBM, and a figure above it is not invalid (NVLS).
TEST(RooflineTest, BusBandwidthIsPlacedOnTheInterconnect) {
  const DeviceSpec nvlink{"nv-gpu", "NVLink GPU", {{"bf16", 1000.0}}, 4800.0, 450.0, "test"};
  Work w;
  w.bytes = 1 << 30;
  w.busbw_factor = 1.75;
  w.bandwidth_domain = "interconnect";
  RooflineCheck c = CheckRoofline(w, BusBandwidthMetric(), 360, nvlink, 4300, "membw/op=copy");
  ASSERT_TRUE(c.roofline);
  EXPECT_EQ(c.roofline->bound, "interconnect");
  EXPECT_DOUBLE_EQ(c.roofline->peak, 450.0);
  EXPECT_DOUBLE_EQ(c.roofline->efficiency, 0.8);
  EXPECT_NE(c.roofline->peak_source.find("NVLink"), std::string::npos);
  // NVLS: above the per-direction figure, still valid.
  c = CheckRoofline(w, BusBandwidthMetric(), 480, nvlink);
  EXPECT_TRUE(c.invalid_reason.empty());
  EXPECT_GT(c.roofline->efficiency, 1.0);
  // No NVLink: the link the workload found, or nothing.
  const DeviceSpec pcie_only{"pcie-gpu", "PCIe GPU", {{"bf16", 100.0}}, 300.0, 0, "test"};
  EXPECT_FALSE(CheckRoofline(w, BusBandwidthMetric(), 20, pcie_only).roofline);
  w.link_peak_gbs = 63;
  w.link_peak_source = "PCIe Gen5 x16";
  c = CheckRoofline(w, BusBandwidthMetric(), 31.5, pcie_only);
  ASSERT_TRUE(c.roofline);
  EXPECT_DOUBLE_EQ(c.roofline->efficiency, 0.5);
  EXPECT_EQ(c.roofline->peak_source, "PCIe Gen5 x16");
  // Across nodes (the NIC is not known) and with one rank (no bus traffic): no roofline.
  w.bandwidth_domain = "network";
  EXPECT_FALSE(CheckRoofline(w, BusBandwidthMetric(), 40, nvlink).roofline);
  w.bandwidth_domain = "interconnect";
  w.busbw_factor = 0;
  EXPECT_FALSE(CheckRoofline(w, BusBandwidthMetric(), 0, nvlink).roofline);
}

TEST(RooflineTest, NoteMeasuredBandwidthKeepsTheBestOkDeviceFigure) {
  auto result = [](const std::string& id, CaseStatus status, const std::string& domain, double gbs) {
    CaseResult r;
    r.id = id;
    r.device = "cuda:0";
    r.status = status;
    r.work.bandwidth_domain = domain;
    MetricResult m;
    m.unit = "GB/s";
    m.median = gbs;
    r.metrics.emplace_back("bandwidth", m);
    return r;
  };
  MeasuredBandwidthTable table;
  NoteMeasuredBandwidth(result("h2d", CaseStatus::kOk, "pcie", 55), table);
  NoteMeasuredBandwidth(result("copy-failed", CaseStatus::kFailed, "device", 3000), table);
  NoteMeasuredBandwidth(result("copy-noisy", CaseStatus::kNoisy, "device", 3000), table);
  EXPECT_TRUE(table.empty());
  NoteMeasuredBandwidth(result("copy", CaseStatus::kOk, "device", 3010), table);
  NoteMeasuredBandwidth(result("read", CaseStatus::kOk, "device", 3150), table);
  NoteMeasuredBandwidth(result("write", CaseStatus::kOk, "device", 2900), table);
  ASSERT_EQ(table.size(), 1u);
  EXPECT_DOUBLE_EQ(table.at("cuda:0").gbs, 3150);
  EXPECT_EQ(table.at("cuda:0").case_id, "read");
  CaseResult gemm = result("gemm", CaseStatus::kOk, "", 0);
  gemm.metrics.front().second.unit = "TFLOP/s";
  gemm.metrics.front().second.median = 9999;
  NoteMeasuredBandwidth(gemm, table);
  EXPECT_DOUBLE_EQ(table.at("cuda:0").gbs, 3150);
}

}  // namespace
}  // namespace gq
