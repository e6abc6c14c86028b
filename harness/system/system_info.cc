#include "harness/system/system_info.h"

#include <exception>

#include "harness/system/cloud_detect.h"
#include "harness/system/cuda_devices.h"
#include "harness/system/host_info.h"

namespace gq {

SystemInfo DiscoverSystem() {
  SystemInfo s;
  s.host = DiscoverHost();
  s.cloud = DetectCloud();
  s.devices = DiscoverCudaDevices();
  for (GpuInfo& g : s.devices) {
    const DeviceSpec* spec = MatchSku(g.name, g.memory_bytes);
    g.sku = spec != nullptr ? spec->sku : "unknown";
  }
  return s;
}

std::string DeviceSku(const DeviceRef& device) {
  if (!device.IsCuda()) return "cpu";
  try {  // called by every rank before a collective: it must return, whatever CUDA says
    for (const GpuInfo& g : DiscoverCudaDevices()) {
      if (g.index != device.index) continue;
      const DeviceSpec* spec = MatchSku(g.name, g.memory_bytes);
      return spec != nullptr ? spec->sku : "unknown";
    }
  } catch (const std::exception&) {
  }
  return "unknown";
}

WorldInfo WorldInfoOf(const Communicator& world) {
  return WorldInfo{world.size(), world.nodes(), world.backend(), {}};
}

std::map<std::string, const DeviceSpec*> SpecsByDevice(const SystemInfo& system) {
  std::map<std::string, const DeviceSpec*> out;
  for (const GpuInfo& g : system.devices) {
    if (const DeviceSpec* spec = FindSku(g.sku)) out["cuda:" + std::to_string(g.index)] = spec;
  }
  return out;
}

}  // namespace gq
