#pragma once
// The host side of a GPU's link, read from sysfs: the GPU's NUMA node and local CPUs, its PCIe
// link, where a host buffer's pages live, and whether a transfer crosses NUMA nodes.
//
// Files read under <sysfs_root>/bus/pci/devices/<pci bus id>/ (Linux ABI,
// Documentation/ABI/testing/sysfs-bus-pci): numa_node (-1 = none reported), local_cpulist,
// current_link_speed / current_link_width (the negotiated link, which idle GPUs lower to save
// power) and max_link_speed / max_link_width (what the GPU supports); and
// <sysfs_root>/devices/system/node/online (the online NUMA nodes). The root is a parameter so
// tests read a fake tree; real runs pass kSysfsRoot. Missing files leave fields unknown.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace gq {

constexpr const char* kSysfsRoot = "/sys";

struct PcieLinkState {
  double gts = 0;  // transfer rate per lane in GT/s; 0 = unknown
  int width = 0;   // lanes; 0 = unknown
};

struct GpuHostLink {
  std::string pci_bus_id;     // "dddd:bb:dd.f", lower case
  bool found = false;         // sysfs has a directory for the device
  int numa_node = -1;         // -1 = not reported
  int online_nodes = 0;       // NUMA nodes online on the host; 0 = unknown
  std::string local_cpulist;  // CPUs local to the GPU, e.g. "0-47,96-143"; empty = unknown
  PcieLinkState current, max;
};

GpuHostLink ReadGpuHostLink(const std::string& sysfs_root, const std::string& pci_bus_id);

// PCIe generation of a per-lane rate: 2.5 -> 1, 5 -> 2, 8 -> 3, 16 -> 4, 32 -> 5, 64 -> 6; else 0.
int PcieGeneration(double gts);
// Theoretical bandwidth of one direction in GB/s (1e9 B/s) = lanes x rate x encoding / 8, with
// encoding 8b/10b for Gen1-2 and 128b/130b for Gen3-5 (PCI Express Base Specification 3.0
// introduced 128b/130b "for 8.0 GT/s and higher data rates"), so Gen5 x16 = 16 x 32 x 128/130 / 8
// = 63.0 GB/s; packet headers make real transfers reach about 85-90% of it. Gen6 (FLIT mode, PAM4)
// is counted at its raw rate, an upper bound. 0 when the rate or the width is unknown.
double PcieDirectionGbs(const PcieLinkState& link);
// "Gen5 x16 (32 GT/s)", or "unknown".
std::string DescribePcieLink(const PcieLinkState& link);

// "0-3,8,10-11" <-> {0, 1, 2, 3, 8, 10, 11}. Parsing skips malformed parts.
std::vector<int> ParseCpuList(const std::string& text);
std::string FormatCpuList(const std::vector<int>& cpus);

// NUMA node of sampled pages of [data, data + bytes) (at most `samples`, evenly spaced), as
// node -> pages, from move_pages(2) with no target nodes (a query; no libnuma). Empty when the
// kernel cannot say (no NUMA support) or the range is empty.
std::map<int, int> HostPageNodes(const void* data, size_t bytes, int samples = 64);
// {0: 60, 1: 4} -> "0:60,1:4"; empty -> "unknown".
std::string FormatNodeCounts(const std::map<int, int>& nodes);

// Case details of a host<->device transfer (keys listed in membw_workload.h): the GPU's node and
// local CPUs, the host buffers' nodes, the process's CPU affinity, how the buffers were placed,
// and numa_mismatch = "true" (with numa_note saying why) when a sampled page lives on a node
// other than the GPU's, "false" when none does or the host has one node, "unknown" otherwise.
std::map<std::string, std::string> NumaDetails(const GpuHostLink& gpu,
                                               const std::map<int, int>& host_nodes,
                                               const std::vector<int>& allowed_cpus,
                                               const std::string& placement);

}  // namespace gq
