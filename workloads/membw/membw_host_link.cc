#include "workloads/membw/membw_host_link.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace gq {
namespace {

// First line of a small sysfs file, trimmed; empty when it cannot be read.
std::string ReadLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ' || line.back() == '\r')) {
    line.pop_back();
  }
  return line;
}

// "32.0 GT/s PCIe", "8 GT/s", "2.5 GT/s" -> the number; "Unknown" or "" -> 0.
double ParseRate(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return end != text.c_str() && v > 0 ? v : 0;
}

int ParseInt(const std::string& text, int fallback) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  return end != text.c_str() ? static_cast<int>(v) : fallback;
}

}  // namespace

GpuHostLink ReadGpuHostLink(const std::string& sysfs_root, const std::string& pci_bus_id) {
  GpuHostLink link;
  link.pci_bus_id = pci_bus_id;
  const std::string dir = sysfs_root + "/bus/pci/devices/" + pci_bus_id + "/";
  const std::string node = ReadLine(dir + "numa_node");
  link.found = !node.empty() || !ReadLine(dir + "vendor").empty();
  link.numa_node = ParseInt(node, -1);
  link.local_cpulist = ReadLine(dir + "local_cpulist");
  link.current = {ParseRate(ReadLine(dir + "current_link_speed")),
                  std::max(0, ParseInt(ReadLine(dir + "current_link_width"), 0))};
  link.max = {ParseRate(ReadLine(dir + "max_link_speed")),
              std::max(0, ParseInt(ReadLine(dir + "max_link_width"), 0))};
  const std::string online = ReadLine(sysfs_root + "/devices/system/node/online");
  if (!online.empty()) link.online_nodes = static_cast<int>(ParseCpuList(online).size());
  return link;
}

int PcieGeneration(double gts) {
  const double rates[] = {2.5, 5, 8, 16, 32, 64};
  for (int i = 0; i < 6; ++i) {
    if (std::fabs(gts - rates[i]) < 0.01 * rates[i]) return i + 1;
  }
  return 0;
}

double PcieDirectionGbs(const PcieLinkState& link) {
  if (link.gts <= 0 || link.width <= 0) return 0;
  const int gen = PcieGeneration(link.gts);
  double encoding = 1.0;  // Gen6 FLIT: raw rate, an upper bound
  if (gen == 1 || gen == 2) encoding = 8.0 / 10.0;
  if (gen >= 3 && gen <= 5) encoding = 128.0 / 130.0;
  if (gen == 0 && link.gts < 8) encoding = 8.0 / 10.0;  // an unlisted rate: the older encoding
  if (gen == 0 && link.gts >= 8) encoding = 128.0 / 130.0;
  return link.width * link.gts * encoding / 8.0;
}

std::string DescribePcieLink(const PcieLinkState& link) {
  if (link.gts <= 0 || link.width <= 0) return "unknown";
  std::ostringstream os;
  const int gen = PcieGeneration(link.gts);
  if (gen > 0) os << "Gen" << gen << " ";
  os << "x" << link.width << " (" << link.gts << " GT/s)";
  return os.str();
}

std::vector<int> ParseCpuList(const std::string& text) {
  std::vector<int> cpus;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    const size_t dash = part.find('-');
    char* end = nullptr;
    const long first = std::strtol(part.c_str(), &end, 10);
    if (end == part.c_str() || first < 0) continue;
    long last = first;
    if (dash != std::string::npos) {
      const char* tail = part.c_str() + dash + 1;
      last = std::strtol(tail, &end, 10);
      if (end == tail || last < first) continue;
    }
    for (long c = first; c <= last && c < (1 << 20); ++c) cpus.push_back(static_cast<int>(c));
  }
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

std::string FormatCpuList(const std::vector<int>& cpus) {
  std::vector<int> sorted = cpus;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string out;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(sorted[i]);
    if (j > i) out += '-' + std::to_string(sorted[j]);
    i = j + 1;
  }
  return out;
}

std::map<int, int> HostPageNodes(const void* data, size_t bytes, int samples) {
  std::map<int, int> nodes;
  const long page = sysconf(_SC_PAGESIZE);
  if (data == nullptr || bytes == 0 || samples < 1 || page <= 0) return nodes;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(data) & ~static_cast<uintptr_t>(page - 1);
  const uintptr_t end = reinterpret_cast<uintptr_t>(data) + bytes;
  const uint64_t pages = (end - begin + page - 1) / page;
  const uint64_t count = std::min<uint64_t>(pages, static_cast<uint64_t>(samples));
  std::vector<void*> addresses(count);
  for (uint64_t i = 0; i < count; ++i) {
    addresses[i] = reinterpret_cast<void*>(begin + (i * pages / count) * page);
  }
  std::vector<int> status(count, -1);
  // move_pages(pid 0 = self, count, pages, nodes = NULL: only report, status, flags 0).
  const long rc = syscall(SYS_move_pages, 0, static_cast<unsigned long>(count), addresses.data(),
                          nullptr, status.data(), 0);
  if (rc != 0) return nodes;
  for (int s : status) {
    if (s >= 0) ++nodes[s];  // negative: -ENOENT (not present) or another error for that page
  }
  return nodes;
}

std::string FormatNodeCounts(const std::map<int, int>& nodes) {
  if (nodes.empty()) return "unknown";
  std::string out;
  for (const auto& [node, pages] : nodes) {
    if (!out.empty()) out += ',';
    out += std::to_string(node) + ":" + std::to_string(pages);
  }
  return out;
}

std::map<std::string, std::string> NumaDetails(const GpuHostLink& gpu,
                                               const std::map<int, int>& host_nodes,
                                               const std::vector<int>& allowed_cpus,
                                               const std::string& placement) {
  std::map<std::string, std::string> d;
  d["gpu_numa_node"] = std::to_string(gpu.numa_node);
  d["gpu_local_cpus"] = gpu.local_cpulist.empty() ? "unknown" : gpu.local_cpulist;
  d["host_numa_nodes"] = FormatNodeCounts(host_nodes);  // node:sampled pages
  d["cpu_affinity"] = FormatCpuList(allowed_cpus);
  d["host_placement"] = placement;
  int off_node = 0, total = 0;
  for (const auto& [node, pages] : host_nodes) {
    total += pages;
    if (node != gpu.numa_node) off_node += pages;
  }
  if (gpu.online_nodes == 1) {
    d["numa_mismatch"] = "false";
  } else if (gpu.numa_node < 0 || host_nodes.empty()) {
    d["numa_mismatch"] = "unknown";
    d["numa_note"] = gpu.numa_node < 0 ? "sysfs reports no NUMA node for " + gpu.pci_bus_id
                                       : "the kernel did not report the host buffer's node";
  } else if (off_node > 0) {
    d["numa_mismatch"] = "true";
    d["numa_note"] =
        std::to_string(off_node) + " of " + std::to_string(total) +
        " sampled host pages are not on the GPU's node " + std::to_string(gpu.numa_node) +
        ": the transfer crosses the inter-socket link (bind the process to the "
        "GPU's node, e.g. numactl --cpunodebind=" +
        std::to_string(gpu.numa_node) + " --membind=" + std::to_string(gpu.numa_node) + ")";
  } else {
    d["numa_mismatch"] = "false";
  }
  return d;
}

}  // namespace gq
