// Tests for harness/system/cloud_detect.*: fake DMI trees with the values each provider sets (see the
// comment at the top of cloud_detect.cc), and the GQ_* environment overrides.
#include "harness/system/cloud_detect.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

namespace gq {
namespace {

namespace fs = std::filesystem;

class CloudDetectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClearEnv();
    std::random_device rd;
    dir_ = fs::temp_directory_path() /
           ("gq_cloud_detect_test_" + std::to_string(::getpid()) + "_" + std::to_string(rd()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    ClearEnv();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static void ClearEnv() {
    ::unsetenv("GQ_CLOUD_PROVIDER");
    ::unsetenv("GQ_INSTANCE_TYPE");
    ::unsetenv("GQ_REGION");
  }
  // sysfs files end in a newline; write them that way.
  void WriteDmi(const std::map<std::string, std::string>& files) {
    for (const auto& [name, value] : files) std::ofstream(dir_ / name) << value << "\n";
  }
  std::string Dir() const { return dir_.string(); }
  fs::path dir_;
};

TEST_F(CloudDetectTest, AwsNitroNamesInstanceType) {
  WriteDmi({{"sys_vendor", "Amazon EC2"},
            {"product_name", "p5.48xlarge"},
            {"board_vendor", "Amazon EC2"},
            {"bios_vendor", "Amazon EC2"},
            {"chassis_asset_tag", "Amazon EC2"}});
  const CloudInfo c = DetectCloud(Dir());
  EXPECT_EQ(c.provider, "aws");
  EXPECT_EQ(c.instance_type, "p5.48xlarge");
  EXPECT_EQ(c.region, "");
  EXPECT_EQ(c.source, Dir());
}

TEST_F(CloudDetectTest, AwsXenHasNoInstanceType) {
  WriteDmi({{"sys_vendor", "Xen"},
            {"product_name", "HVM domU"},
            {"product_version", "4.11.amazon"},
            {"bios_vendor", "Xen"},
            {"bios_version", "4.11.amazon"}});
  const CloudInfo c = DetectCloud(Dir());
  EXPECT_EQ(c.provider, "aws");
  EXPECT_EQ(c.instance_type, "");
}

TEST_F(CloudDetectTest, Azure) {
  WriteDmi({{"sys_vendor", "Microsoft Corporation"},
            {"product_name", "Virtual Machine"},
            {"chassis_asset_tag", "7783-7084-3265-9085-8269-3286-77"},
            {"bios_vendor", "Microsoft Corporation"}});
  const CloudInfo c = DetectCloud(Dir());
  EXPECT_EQ(c.provider, "azure");
  EXPECT_EQ(c.instance_type, "");
  EXPECT_EQ(c.source, Dir());
}

TEST_F(CloudDetectTest, HyperVWithoutAzureTagIsUnknown) {
  WriteDmi({{"sys_vendor", "Microsoft Corporation"},
            {"product_name", "Virtual Machine"},
            {"chassis_asset_tag", "0000-0000-0000-0000-0000-0000-00"}});
  EXPECT_EQ(DetectCloud(Dir()).provider, "unknown");
}

TEST_F(CloudDetectTest, Gcp) {
  WriteDmi({{"sys_vendor", "Google"},
            {"product_name", "Google Compute Engine"},
            {"bios_vendor", "Google"}});
  const CloudInfo c = DetectCloud(Dir());
  EXPECT_EQ(c.provider, "gcp");
  EXPECT_EQ(c.instance_type, "");
}

TEST_F(CloudDetectTest, Oci) {
  WriteDmi({{"sys_vendor", "QEMU"},
            {"product_name", "Standard PC (i440FX + PIIX, 1996)"},
            {"chassis_asset_tag", "OracleCloud.com"}});
  const CloudInfo c = DetectCloud(Dir());
  EXPECT_EQ(c.provider, "oci");
  EXPECT_EQ(c.instance_type, "");
}

TEST_F(CloudDetectTest, BareMetalIsUnknown) {
  WriteDmi({{"sys_vendor", "Supermicro"},
            {"product_name", "SYS-821GE-TNHR"},
            {"chassis_asset_tag", "To be filled by O.E.M."}});
  const CloudInfo c = DetectCloud(Dir());
  EXPECT_EQ(c.provider, "unknown");
  EXPECT_EQ(c.instance_type, "");
  EXPECT_EQ(c.source, Dir());
}

TEST_F(CloudDetectTest, MissingDirIsUnknownWithSourceNone) {
  const CloudInfo c = DetectCloud((dir_ / "absent").string());
  EXPECT_EQ(c.provider, "unknown");
  EXPECT_EQ(c.instance_type, "");
  EXPECT_EQ(c.source, "none");
}

TEST_F(CloudDetectTest, EnvOnlyGivesSourceEnv) {
  ::setenv("GQ_CLOUD_PROVIDER", "CoreWeave", 1);
  ::setenv("GQ_INSTANCE_TYPE", "gd-8xh100ib-i128", 1);
  ::setenv("GQ_REGION", "us-east-04", 1);
  const CloudInfo c = DetectCloud((dir_ / "absent").string());
  EXPECT_EQ(c.provider, "coreweave");
  EXPECT_EQ(c.instance_type, "gd-8xh100ib-i128");
  EXPECT_EQ(c.region, "us-east-04");
  EXPECT_EQ(c.source, "env");
}

TEST_F(CloudDetectTest, EnvFillsWhatDmiLacks) {
  WriteDmi({{"sys_vendor", "Microsoft Corporation"},
            {"product_name", "Virtual Machine"},
            {"chassis_asset_tag", "7783-7084-3265-9085-8269-3286-77"}});
  ::setenv("GQ_INSTANCE_TYPE", "Standard_ND96isr_H100_v5", 1);
  ::setenv("GQ_REGION", "eastus", 1);
  const CloudInfo c = DetectCloud(Dir());
  EXPECT_EQ(c.provider, "azure");
  EXPECT_EQ(c.instance_type, "Standard_ND96isr_H100_v5");
  EXPECT_EQ(c.region, "eastus");
  EXPECT_EQ(c.source, "dmi+env");
}

TEST_F(CloudDetectTest, EnvOverridesEveryDmiFact) {
  WriteDmi({{"sys_vendor", "Amazon EC2"}, {"product_name", "p5.48xlarge"}});
  ::setenv("GQ_CLOUD_PROVIDER", "aws", 1);
  ::setenv("GQ_INSTANCE_TYPE", "p5e.48xlarge", 1);
  const CloudInfo c = DetectCloud(Dir());
  EXPECT_EQ(c.instance_type, "p5e.48xlarge");
  EXPECT_EQ(c.source, "env");
}

TEST_F(CloudDetectTest, EmptyEnvIsIgnored) {
  WriteDmi({{"sys_vendor", "Google"}, {"product_name", "Google Compute Engine"}});
  ::setenv("GQ_CLOUD_PROVIDER", "", 1);
  ::setenv("GQ_REGION", "  ", 1);
  const CloudInfo c = DetectCloud(Dir());
  EXPECT_EQ(c.provider, "gcp");
  EXPECT_EQ(c.region, "");
  EXPECT_EQ(c.source, Dir());
}

}  // namespace
}  // namespace gq
