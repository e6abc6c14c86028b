// `gpuqual info [--json]`: what this machine is (host, cloud instance, GPUs and their SKUs).
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "harness/record/results_json.h"
#include "harness/system/gpu_monitor.h"
#include "harness/system/health.h"
#include "harness/system/system_info.h"

namespace gq::cli {
namespace {

std::string GiB(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

void PrintSystem(const SystemInfo& s) {
  std::cout << "host:   " << s.host.hostname << " | " << s.host.os << " | kernel " << s.host.kernel << "\n"
            << "cpu:    " << s.host.cpu << " (" << s.host.cores << " logical cores), "
            << GiB(s.host.memory_bytes) << " GiB memory\n"
            << "cloud:  " << s.cloud.provider
            << (s.cloud.instance_type.empty() ? "" : " " + s.cloud.instance_type)
            << (s.cloud.region.empty() ? "" : " (" + s.cloud.region + ")") << " [source: " << s.cloud.source << "]\n";
  if (s.devices.empty()) {
    std::cout << "gpus:   none visible (runs use the cpu backend)\n";
    return;
  }
  for (const GpuInfo& g : s.devices) {
    std::cout << "cuda:" << g.index << " " << g.name << " [sku " << g.sku << "] cc " << g.compute_capability
              << ", " << g.sm_count << " SMs, " << GiB(g.memory_bytes) << " GiB, bus " << g.pci_bus_id
              << ", CUDA driver API " << g.driver << ", runtime " << g.cuda_runtime;
    if (g.pcie.gen >= 0) {
      std::cout << ", PCIe gen " << g.pcie.gen << " x" << g.pcie.width << " (max gen " << g.pcie.gen_max
                << " x" << g.pcie.width_max << ")";
    }
    std::cout << "\n";
  }
}

}  // namespace

Action AddInfoCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("info", "Show the host, cloud instance and GPUs gpuqual sees");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print the results-file 'system' object as JSON");
  cmd->footer("Examples:\n  gpuqual info\n  gpuqual info --json > system.json");
  return [json](const std::string&) {
    SystemInfo system = DiscoverSystem();
    if (!system.devices.empty()) {  // NVML, as `gpuqual run` records it (-1 where it is missing)
      CopyPcieLinks(*MakeNvmlMonitor(system.devices), system.devices);
    }
    if (*json) {
      ResultsDoc doc;
      doc.system = system;
      std::cout << ResultsToJson(doc)["system"].dump(2) << "\n";
    } else {
      PrintSystem(system);
    }
    return 0;
  };
}

}  // namespace gq::cli
