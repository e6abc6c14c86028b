#include "harness/system/gpu_monitor.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/fake_nvml.h"

namespace gq {
namespace {

using testing::FakeNvml;

std::vector<GpuInfo> CudaDevices() {
  // CUDA's order differs from NVML's (fake NVML index 0 is "1b", index 1 is "3b"); ids in the
  // lower-case spelling DiscoverCudaDevices writes.
  GpuInfo a, b, c;
  a.index = 0;
  a.pci_bus_id = "0000:3b:00.0";
  b.index = 1;
  b.pci_bus_id = "0000:1b:00.0";
  c.index = 2;
  c.pci_bus_id = "0000:99:00.0";  // not known to NVML
  return {a, b, c};
}

std::unique_ptr<GpuMonitor> FakeMonitor(const nvml::Api& api) {
  return MakeNvmlMonitor(CudaDevices(), std::make_unique<nvml::Library>(api));
}

class NvmlMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::ResetFakeNvml(); }
};

TEST(ThrottleReasonNamesTest, DecodesEachBitInOrder) {
  EXPECT_TRUE(ThrottleReasonNames(0).empty());
  EXPECT_EQ(ThrottleReasonNames(0x1ff),
            (std::vector<std::string>{"gpu_idle", "applications_clocks", "sw_power_cap",
                                      "hw_slowdown", "sync_boost", "sw_thermal", "hw_thermal",
                                      "hw_power_brake", "display_clock"}));
  EXPECT_EQ(ThrottleReasonNames(nvml::kReasonHwThermalSlowdown | nvml::kReasonSwPowerCap),
            (std::vector<std::string>{"sw_power_cap", "hw_thermal"}));
  EXPECT_EQ(ThrottleReasonNames(0x200 | nvml::kReasonHwSlowdown),
            (std::vector<std::string>{"hw_slowdown"}));
}

TEST_F(NvmlMonitorTest, MissingLibraryMakesAnUnavailableMonitor) {
  auto m = MakeNvmlMonitor(CudaDevices(), "libgq-no-such-nvml.so.1");
  EXPECT_FALSE(m->available());
  EXPECT_NE(m->reason().find("cannot load libgq-no-such-nvml.so.1"), std::string::npos);
  EXPECT_FALSE(m->Read(0).has_value());
  EXPECT_FALSE(m->EnergyMillijoules(0).has_value());
  EXPECT_EQ(m->ThrottleMask(0), 0u);
  DeviceHealth h = m->Health(1);
  EXPECT_FALSE(h.available);
  EXPECT_EQ(h.index, 1);
  EXPECT_EQ(h.reason, m->reason());
}

TEST_F(NvmlMonitorTest, CudaOrdinalsMapToNvmlHandlesByPciBusId) {
  auto m = FakeMonitor(testing::FullFakeNvmlApi());
  ASSERT_TRUE(m->available());
  std::optional<TelemetrySample> s0 = m->Read(0), s1 = m->Read(1);
  ASSERT_TRUE(s0 && s1);
  EXPECT_DOUBLE_EQ(s0->sm_mhz, 1980);  // NVML device "3B"
  EXPECT_DOUBLE_EQ(s1->sm_mhz, 1755);  // NVML device "1B"
  EXPECT_DOUBLE_EQ(s1->memory_mhz, 2619);
  EXPECT_DOUBLE_EQ(s1->power_w, 512.345);  // milliwatts -> watts
  EXPECT_DOUBLE_EQ(s1->temperature_c, 61);
  EXPECT_DOUBLE_EQ(s1->t_s, 0);
  EXPECT_EQ(m->EnergyMillijoules(0), std::optional<uint64_t>(42));
  EXPECT_EQ(m->EnergyMillijoules(1), std::optional<uint64_t>(123456789));
  EXPECT_EQ(m->ThrottleMask(0), nvml::kReasonGpuIdle);  // the clocks-event call, not the legacy one
  EXPECT_EQ(m->ThrottleMask(1), nvml::kReasonSwPowerCap);
  // The lower-case id is tried first, then NVML's upper-case spelling.
  const auto& lookups = FakeNvml().lookups;
  EXPECT_NE(std::find(lookups.begin(), lookups.end(), "0000:3b:00.0"), lookups.end());
  EXPECT_NE(std::find(lookups.begin(), lookups.end(), "0000:3B:00.0"), lookups.end());

  EXPECT_FALSE(m->Read(2).has_value());
  EXPECT_FALSE(m->Read(7).has_value());
  DeviceHealth unknown = m->Health(2);
  EXPECT_FALSE(unknown.available);
  EXPECT_EQ(unknown.reason, "NVML has no device at PCI bus id 0000:99:00.0: Not Found");
  EXPECT_FALSE(m->Health(7).available);
}

TEST_F(NvmlMonitorTest, LegacyThrottleReasonsWhenClocksEventReasonsIsAbsent) {
  nvml::Api api = testing::FullFakeNvmlApi();
  api.DeviceGetCurrentClocksEventReasons = nullptr;  // driver older than R535
  auto m = FakeMonitor(api);
  EXPECT_EQ(m->ThrottleMask(0), nvml::kReasonHwSlowdown);
}

TEST_F(NvmlMonitorTest, HealthFromNvml) {
  auto m = FakeMonitor(testing::FullFakeNvmlApi());
  DeviceHealth h = m->Health(0);
  ASSERT_TRUE(h.available) << h.reason;
  EXPECT_EQ(h.index, 0);
  EXPECT_EQ(h.driver_version, "580.95.05");
  EXPECT_EQ(h.ecc_enabled, 1);
  EXPECT_EQ(h.ecc_volatile_corrected, 3);
  EXPECT_EQ(h.ecc_volatile_uncorrected, 0);
  EXPECT_EQ(h.ecc_aggregate_corrected, 17);
  EXPECT_EQ(h.ecc_aggregate_uncorrected, 1);
  EXPECT_EQ(h.retired_pages_sbe, 2);  // answered with NVML_ERROR_INSUFFICIENT_SIZE
  EXPECT_EQ(h.retired_pages_dbe, 0);  // answered with NVML_SUCCESS
  EXPECT_EQ(h.retired_pages_pending, 1);
  EXPECT_EQ(h.remapped_rows_correctable, 4);
  EXPECT_EQ(h.remapped_rows_uncorrectable, 1);
  EXPECT_EQ(h.remapped_rows_pending, 1);
  EXPECT_EQ(h.remapped_rows_failure, 0);
  EXPECT_EQ(h.pcie.gen, 5);
  EXPECT_EQ(h.pcie.gen_max, 5);
  EXPECT_EQ(h.pcie.width, 8);
  EXPECT_EQ(h.pcie.width_max, 16);
  EXPECT_DOUBLE_EQ(h.power_limit_w, 650);
  EXPECT_DOUBLE_EQ(h.power_default_limit_w, 700);
  EXPECT_EQ(h.persistence_mode, 1);
  EXPECT_EQ(h.temperature_c, 61);
  for (void* buffer : FakeNvml().retired_buffers) EXPECT_NE(buffer, nullptr);
}

TEST_F(NvmlMonitorTest, RetiredPagesThroughTheV1CallWhenV2IsAbsent) {
  nvml::Api api = testing::FullFakeNvmlApi();
  api.DeviceGetRetiredPagesV2 = nullptr;
  DeviceHealth h = FakeMonitor(api)->Health(0);
  EXPECT_EQ(h.retired_pages_sbe, 2);
  EXPECT_EQ(h.retired_pages_dbe, 0);
}

TEST_F(NvmlMonitorTest, AbsentOptionalEntryPointsLeaveFieldsUnknown) {
  auto m = FakeMonitor(testing::MinimalFakeNvmlApi());
  ASSERT_TRUE(m->available());
  EXPECT_FALSE(m->Read(0).has_value());  // no clock query
  EXPECT_FALSE(m->EnergyMillijoules(0).has_value());
  EXPECT_EQ(m->ThrottleMask(0), 0u);
  DeviceHealth h = m->Health(0);
  EXPECT_TRUE(h.available);
  EXPECT_EQ(h.driver_version, "");
  EXPECT_EQ(h.ecc_enabled, -1);
  EXPECT_EQ(h.ecc_volatile_corrected, -1);
  EXPECT_EQ(h.ecc_aggregate_uncorrected, -1);
  EXPECT_EQ(h.retired_pages_sbe, -1);
  EXPECT_EQ(h.retired_pages_pending, -1);
  EXPECT_EQ(h.remapped_rows_correctable, -1);
  EXPECT_EQ(h.remapped_rows_failure, -1);
  EXPECT_EQ(h.pcie.gen, -1);
  EXPECT_EQ(h.pcie.width_max, -1);
  EXPECT_DOUBLE_EQ(h.power_limit_w, -1);
  EXPECT_DOUBLE_EQ(h.power_default_limit_w, -1);
  EXPECT_EQ(h.persistence_mode, -1);
  EXPECT_EQ(h.temperature_c, -1);
}

}  // namespace
}  // namespace gq
