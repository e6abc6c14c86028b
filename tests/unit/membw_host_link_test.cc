// Tests of workloads/membw/membw_host_link.*: a fake sysfs tree gives the GPU's NUMA node, local
// CPUs and PCIe link; PCIe bandwidth from generation and width; CPU lists; NUMA mismatch rules.
#include "workloads/membw/membw_host_link.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace gq {
namespace {

namespace fs = std::filesystem;

class FakeSysfs : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("gq_sysfs_" + std::to_string(getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& relative, const std::string& text) {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text << "\n";
  }
  fs::path root_;
};

TEST_F(FakeSysfs, ReadsNodeCpusAndLinks) {
  const std::string dev = "bus/pci/devices/0000:3b:00.0/";
  Write(dev + "numa_node", "1");
  Write(dev + "local_cpulist", "16-31,48-63");
  Write(dev + "current_link_speed", "16.0 GT/s PCIe");
  Write(dev + "current_link_width", "8");
  Write(dev + "max_link_speed", "32.0 GT/s PCIe");
  Write(dev + "max_link_width", "16");
  Write("devices/system/node/online", "0-1");
  const GpuHostLink link = ReadGpuHostLink(root_.string(), "0000:3b:00.0");
  EXPECT_TRUE(link.found);
  EXPECT_EQ(link.numa_node, 1);
  EXPECT_EQ(link.online_nodes, 2);
  EXPECT_EQ(link.local_cpulist, "16-31,48-63");
  EXPECT_DOUBLE_EQ(link.current.gts, 16.0);
  EXPECT_EQ(link.current.width, 8);
  EXPECT_DOUBLE_EQ(link.max.gts, 32.0);
  EXPECT_EQ(link.max.width, 16);
  EXPECT_EQ(DescribePcieLink(link.max), "Gen5 x16 (32 GT/s)");
  EXPECT_EQ(DescribePcieLink(link.current), "Gen4 x8 (16 GT/s)");

  const GpuHostLink missing = ReadGpuHostLink(root_.string(), "0000:99:00.0");
  EXPECT_FALSE(missing.found);
  EXPECT_EQ(missing.numa_node, -1);
  EXPECT_EQ(PcieDirectionGbs(missing.max), 0);
  EXPECT_EQ(DescribePcieLink(missing.max), "unknown");
}

TEST_F(FakeSysfs, OlderSpellingsAndUnknownLinks) {
  const std::string dev = "bus/pci/devices/0000:07:00.0/";
  Write(dev + "numa_node", "-1");
  Write(dev + "current_link_speed", "8 GT/s");
  Write(dev + "current_link_width", "16");
  Write(dev + "max_link_speed", "Unknown");
  Write(dev + "max_link_width", "0");
  const GpuHostLink link = ReadGpuHostLink(root_.string(), "0000:07:00.0");
  EXPECT_EQ(link.numa_node, -1);
  EXPECT_EQ(link.online_nodes, 0);
  EXPECT_NEAR(PcieDirectionGbs(link.current), 15.75, 0.01);
  EXPECT_EQ(PcieDirectionGbs(link.max), 0);
}

TEST(PcieBandwidthTest, PerDirectionFromGenerationAndWidth) {
  EXPECT_NEAR(PcieDirectionGbs({2.5, 1}), 0.25, 1e-9);     // Gen1 8b/10b
  EXPECT_NEAR(PcieDirectionGbs({5.0, 8}), 4.0, 1e-9);      // Gen2 x8
  EXPECT_NEAR(PcieDirectionGbs({8.0, 16}), 15.754, 1e-3);  // Gen3 128b/130b
  EXPECT_NEAR(PcieDirectionGbs({16.0, 16}), 31.508, 1e-3);
  EXPECT_NEAR(PcieDirectionGbs({32.0, 16}), 63.015, 1e-3);  // Gen5 x16
  EXPECT_NEAR(PcieDirectionGbs({32.0, 8}), 31.508, 1e-3);   // a degraded width halves it
  EXPECT_NEAR(PcieDirectionGbs({64.0, 16}), 128.0, 1e-9);   // Gen6 at its raw rate
  EXPECT_EQ(PcieDirectionGbs({0, 16}), 0);
  EXPECT_EQ(PcieDirectionGbs({32.0, 0}), 0);
  EXPECT_EQ(PcieGeneration(32.0), 5);
  EXPECT_EQ(PcieGeneration(2.5), 1);
  EXPECT_EQ(PcieGeneration(20.0), 0);
}

TEST(CpuListTest, ParsesAndFormatsRanges) {
  EXPECT_EQ(ParseCpuList("0-3,8,10-11"), (std::vector<int>{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_EQ(ParseCpuList(""), std::vector<int>{});
  EXPECT_EQ(ParseCpuList("5,x,3-1,2"), (std::vector<int>{2, 5}));
  EXPECT_EQ(FormatCpuList({11, 0, 1, 2, 3, 8, 10}), "0-3,8,10-11");
  EXPECT_EQ(FormatCpuList({4}), "4");
  EXPECT_EQ(FormatCpuList({}), "");
}

TEST(NumaDetailsTest, FlagsHostPagesOffTheGpuNode) {
  GpuHostLink gpu;
  gpu.pci_bus_id = "0000:3b:00.0";
  gpu.numa_node = 1;
  gpu.online_nodes = 2;
  gpu.local_cpulist = "16-31";
  auto wrong = NumaDetails(gpu, {{0, 60}, {1, 4}}, {0, 1, 2, 3}, "test placement");
  EXPECT_EQ(wrong.at("numa_mismatch"), "true");
  EXPECT_NE(wrong.at("numa_note").find("60 of 64"), std::string::npos) << wrong.at("numa_note");
  EXPECT_NE(wrong.at("numa_note").find("--cpunodebind=1"), std::string::npos);
  EXPECT_EQ(wrong.at("gpu_numa_node"), "1");
  EXPECT_EQ(wrong.at("host_numa_nodes"), "0:60,1:4");
  EXPECT_EQ(wrong.at("cpu_affinity"), "0-3");
  EXPECT_EQ(wrong.at("gpu_local_cpus"), "16-31");
  EXPECT_EQ(wrong.at("host_placement"), "test placement");

  auto right = NumaDetails(gpu, {{1, 64}}, {16}, "p");
  EXPECT_EQ(right.at("numa_mismatch"), "false");
  EXPECT_EQ(right.count("numa_note"), 0u);

  EXPECT_EQ(NumaDetails(gpu, {}, {16}, "p").at("numa_mismatch"), "unknown");
  gpu.numa_node = -1;
  auto unreported = NumaDetails(gpu, {{0, 64}}, {0}, "p");
  EXPECT_EQ(unreported.at("numa_mismatch"), "unknown");
  EXPECT_NE(unreported.at("numa_note").find("0000:3b:00.0"), std::string::npos);
  gpu.online_nodes = 1;  // one node: nothing to cross
  EXPECT_EQ(NumaDetails(gpu, {{0, 64}}, {0}, "p").at("numa_mismatch"), "false");
}

TEST(HostPageNodesTest, ReportsTheNodesOfTouchedPages) {
  std::vector<char> buffer(1 << 20);
  std::memset(buffer.data(), 1, buffer.size());
  const std::map<int, int> nodes = HostPageNodes(buffer.data(), buffer.size(), 16);
  int pages = 0;
  for (const auto& [node, count] : nodes) {
    EXPECT_GE(node, 0);
    pages += count;
  }
  EXPECT_LE(pages, 16);  // empty only where the kernel has no NUMA support
  EXPECT_TRUE(HostPageNodes(nullptr, 0).empty());
  EXPECT_EQ(FormatNodeCounts({}), "unknown");
}

}  // namespace
}  // namespace gq
