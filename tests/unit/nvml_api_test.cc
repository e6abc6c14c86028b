#include "harness/system/nvml_api.h"

#include <gtest/gtest.h>

#include "tests/unit/fake_nvml.h"

namespace gq::nvml {
namespace {

TEST(NvmlLibraryTest, MissingLibraryIsUnavailableWithTheLoaderMessage) {
  Library lib("libgq-no-such-nvml.so.1");
  EXPECT_FALSE(lib.available());
  const std::string prefix = "unavailable: cannot load libgq-no-such-nvml.so.1: ";
  ASSERT_EQ(lib.reason().rfind(prefix, 0), 0u) << lib.reason();
  EXPECT_GT(lib.reason().size(), prefix.size());  // dlerror's text follows
}

TEST(NvmlLibraryTest, DefaultNameIsTheDriversSoname) {
  EXPECT_STREQ(kLibraryName, "libnvidia-ml.so.1");
}

TEST(NvmlLibraryTest, LibraryWithoutNvmlSymbolsIsUnavailable) {
  Library lib("libm.so.6");  // present on every glibc system, exports no nvml* symbol
  EXPECT_FALSE(lib.available());
  EXPECT_EQ(lib.reason(), "unavailable: libm.so.6 lacks nvmlInit_v2");
}

TEST(NvmlLibraryTest, InitFailureIsUnavailableAndNotShutDown) {
  testing::ResetFakeNvml();
  testing::FakeNvml().init_result = testing::fake_nvml::kDriverNotLoaded;
  {
    Library lib(testing::MinimalFakeNvmlApi());
    EXPECT_FALSE(lib.available());
    EXPECT_EQ(lib.reason(), "unavailable: nvmlInit_v2 failed: Driver Not Loaded");
  }
  EXPECT_EQ(testing::FakeNvml().init_calls, 1);
  EXPECT_EQ(testing::FakeNvml().shutdown_calls, 0);
}

TEST(NvmlLibraryTest, InitOnCreationShutdownOnDestruction) {
  testing::ResetFakeNvml();
  {
    Library lib(testing::MinimalFakeNvmlApi());
    EXPECT_TRUE(lib.available());
    EXPECT_TRUE(lib.reason().empty());
    EXPECT_EQ(lib.ErrorString(kErrorNotFound), "Not Found");
    EXPECT_EQ(testing::FakeNvml().shutdown_calls, 0);
  }
  EXPECT_EQ(testing::FakeNvml().init_calls, 1);
  EXPECT_EQ(testing::FakeNvml().shutdown_calls, 1);
}

TEST(NvmlLibraryTest, RequiredEntryPointsAreChecked) {
  Api api = testing::MinimalFakeNvmlApi();
  api.DeviceGetHandleByPciBusId = nullptr;
  Library lib(api);
  EXPECT_FALSE(lib.available());
  EXPECT_NE(lib.reason().find("lacks nvmlDeviceGetHandleByPciBusId_v2"), std::string::npos);
}

TEST(NvmlConstantsTest, ValuesMatchTheNvmlReference) {
  EXPECT_EQ(kClockSm, 1u);
  EXPECT_EQ(kClockMem, 2u);
  EXPECT_EQ(kTemperatureGpu, 0u);
  EXPECT_EQ(kVolatileEcc, 0u);
  EXPECT_EQ(kAggregateEcc, 1u);
  EXPECT_EQ(kReasonGpuIdle | kReasonApplicationsClocksSetting | kReasonSwPowerCap |
                kReasonHwSlowdown | kReasonSyncBoost | kReasonSwThermalSlowdown |
                kReasonHwThermalSlowdown | kReasonHwPowerBrakeSlowdown | kReasonDisplayClockSetting,
            0x1ffu);
}

}  // namespace
}  // namespace gq::nvml
