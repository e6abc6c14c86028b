// Tests for harness/system/host_info.*: a fake filesystem tree in a fresh temp directory, plus a smoke
// check on the real root.
#include "harness/system/host_info.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "harness/errors.h"

namespace gq {
namespace {

namespace fs = std::filesystem;

class HostInfoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    root_ = fs::temp_directory_path() /
            ("gq_host_info_test_" + std::to_string(::getpid()) + "_" + std::to_string(rd()));
    fs::create_directories(root_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void Write(const std::string& rel, const std::string& text) {
    const fs::path path = root_ / rel;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  fs::path root_;
};

// Excerpts in the kernel's real formats (x86_64, 2 logical CPUs).
constexpr char kX86Cpuinfo[] =
    "processor\t: 0\n"
    "vendor_id\t: GenuineIntel\n"
    "model name\t: Intel(R) Xeon(R) Platinum 8480+\n"
    "flags\t\t: fpu vme de pse\n"
    "\n"
    "processor\t: 1\n"
    "vendor_id\t: GenuineIntel\n"
    "model name\t: Intel(R) Xeon(R) Platinum 8480+\n"
    "\n";
constexpr char kMeminfo[] =
    "MemTotal:       2113310628 kB\n"
    "MemFree:        2000000000 kB\n"
    "MemAvailable:   2050000000 kB\n";
constexpr char kOsRelease[] =
    "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\n"
    "NAME=\"Ubuntu\"\n"
    "VERSION_ID=\"22.04\"\n"
    "ID=ubuntu\n";

TEST_F(HostInfoTest, ReadsEveryField) {
  Write("proc/cpuinfo", kX86Cpuinfo);
  Write("proc/meminfo", kMeminfo);
  Write("etc/os-release", kOsRelease);
  Write("proc/sys/kernel/hostname", "gpu-node-17\n");
  Write("proc/sys/kernel/osrelease", "5.15.0-105-generic\n");

  const HostInfo host = DiscoverHost(root_.string());
  EXPECT_EQ(host.cpu, "Intel(R) Xeon(R) Platinum 8480+");
  EXPECT_EQ(host.cores, 2);
  EXPECT_EQ(host.memory_bytes, 2113310628ull * 1024ull);
  EXPECT_EQ(host.os, "Ubuntu 22.04.4 LTS");
  EXPECT_EQ(host.hostname, "gpu-node-17");
  EXPECT_EQ(host.kernel, "5.15.0-105-generic");
}

TEST_F(HostInfoTest, MissingFilesLeaveFieldsEmptyAndCoresZero) {
  // Not the real root, so no hardware_concurrency() fallback.
  const HostInfo host = DiscoverHost(root_.string());
  EXPECT_EQ(host.cpu, "");
  EXPECT_EQ(host.cores, 0);
  EXPECT_EQ(host.memory_bytes, 0u);
  EXPECT_EQ(host.os, "");
  EXPECT_EQ(host.hostname, "");
  EXPECT_EQ(host.kernel, "");
}

TEST_F(HostInfoTest, NonexistentRootDoesNotThrow) {
  HostInfo host;
  EXPECT_NO_THROW(host = DiscoverHost((root_ / "does/not/exist").string()));
  EXPECT_EQ(host.cores, 0);
}

TEST_F(HostInfoTest, Arm64CpuinfoHasNoModelName) {
  // arm64 /proc/cpuinfo (e.g. Grace): no "model name"; implementer/part identify the core.
  Write("proc/cpuinfo",
        "processor\t: 0\nBogoMIPS\t: 2000.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd4f\n\n"
        "processor\t: 1\nBogoMIPS\t: 2000.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd4f\n\n"
        "processor\t: 2\nBogoMIPS\t: 2000.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd4f\n\n");
  const HostInfo host = DiscoverHost(root_.string());
  EXPECT_EQ(host.cores, 3);
  EXPECT_EQ(host.cpu, "ARM implementer 0x41 part 0xd4f");
}

TEST_F(HostInfoTest, OsReleaseFallbackAndQuoting) {
  // /usr/lib/os-release is read when /etc/os-release is missing; single quotes and escapes.
  Write("usr/lib/os-release", "NAME=Debian\nPRETTY_NAME='Debian GNU/Linux 12 \\\"bookworm\\\"'\n");
  EXPECT_EQ(DiscoverHost(root_.string()).os, "Debian GNU/Linux 12 \"bookworm\"");
  Write("etc/os-release", "PRETTY_NAME=Rocky\n");
  EXPECT_EQ(DiscoverHost(root_.string()).os, "Rocky");
}

TEST(HostInfoRealRootTest, HasHostnameAndCores) {
  const HostInfo host = DiscoverHost("/");
  EXPECT_FALSE(host.hostname.empty());
  EXPECT_GT(host.cores, 0);
}

TEST(HostMemoryTest, CheckSkipsWhatExceedsTheAvailableShare) {
  const double available = double(AvailableHostMemoryBytes());
  ASSERT_GT(available, 0);  // Linux: /proc/meminfo MemAvailable
  EXPECT_NO_THROW(CheckHostMemory(4096));
  try {
    CheckHostMemory(available, 0.5);
    FAIL() << "all of the available memory passed a 50% share";
  } catch (const CaseSkipped& e) {
    EXPECT_NE(std::string(e.what()).find("of host memory"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("GiB available"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gq
