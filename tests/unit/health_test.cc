#include "harness/system/health.h"

#include <gtest/gtest.h>

#include <regex>

#include "tests/unit/fake_gpu_monitor.h"

namespace gq {
namespace {

TEST(HealthSnapshotTest, OneRecordPerRequestedGpuInOrderWithAUtcTime) {
  testing::FakeGpuMonitor monitor;
  DeviceHealth h0;
  h0.available = true;
  h0.driver_version = "580.95.05";
  h0.ecc_aggregate_uncorrected = 0;
  h0.pcie = PcieLink{5, 16, 5, 16};
  DeviceHealth h3 = h0;
  h3.ecc_aggregate_uncorrected = 2;
  h3.remapped_rows_pending = 1;
  monitor.SetHealth(0, h0);
  monitor.SetHealth(3, h3);

  HealthSnapshot s = TakeHealthSnapshot(monitor, {3, 0});
  EXPECT_TRUE(std::regex_match(s.taken_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << s.taken_at;
  ASSERT_EQ(s.devices.size(), 2u);
  EXPECT_EQ(s.devices[0].index, 3);
  EXPECT_EQ(s.devices[0].ecc_aggregate_uncorrected, 2);
  EXPECT_EQ(s.devices[0].remapped_rows_pending, 1);
  EXPECT_EQ(s.devices[1].index, 0);
  EXPECT_EQ(s.devices[1].pcie.width_max, 16);
  EXPECT_EQ(s.devices[1].driver_version, "580.95.05");
}

TEST(HealthSnapshotTest, UnavailableMonitorListsDevicesWithTheReason) {
  testing::FakeGpuMonitor monitor("unavailable: cannot load libnvidia-ml.so.1: no such file");
  HealthSnapshot s = TakeHealthSnapshot(monitor, {0, 1});
  ASSERT_EQ(s.devices.size(), 2u);
  for (const DeviceHealth& h : s.devices) {
    EXPECT_FALSE(h.available);
    EXPECT_EQ(h.reason, "unavailable: cannot load libnvidia-ml.so.1: no such file");
    EXPECT_EQ(h.ecc_enabled, -1);
  }
  EXPECT_EQ(s.devices[1].index, 1);
  EXPECT_TRUE(TakeHealthSnapshot(monitor, {}).devices.empty());
}

// `gpuqual info` on the H200 printed PCIe gen -1 while `gpuqual run` recorded gen 5 x16: only the
// run copied NVML's link into the system object. Both use this now.
TEST(HealthSnapshotTest, CopyPcieLinksFillsOnlyUnknownLinksTheMonitorCanRead) {
  testing::FakeGpuMonitor monitor;
  DeviceHealth h;
  h.available = true;
  h.pcie = PcieLink{5, 16, 5, 16};
  monitor.SetHealth(0, h);
  std::vector<GpuInfo> devices(3);
  devices[0].index = 0;
  devices[1].index = 1;  // no health record: unavailable, stays unknown
  devices[2].index = 0;
  devices[2].pcie = PcieLink{4, 8, 4, 8};  // already known: kept
  CopyPcieLinks(monitor, devices);
  EXPECT_EQ(devices[0].pcie.gen, 5);
  EXPECT_EQ(devices[0].pcie.width_max, 16);
  EXPECT_EQ(devices[1].pcie.gen, -1);
  EXPECT_EQ(devices[2].pcie.gen, 4);
}

}  // namespace
}  // namespace gq
