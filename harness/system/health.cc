#include "harness/system/health.h"

#include "harness/clock.h"

namespace gq {

HealthSnapshot TakeHealthSnapshot(GpuMonitor& monitor, const std::vector<int>& cuda_indices) {
  HealthSnapshot snapshot;
  snapshot.taken_at = UtcTimestamp();
  snapshot.devices.reserve(cuda_indices.size());
  for (int index : cuda_indices) {
    DeviceHealth h = monitor.Health(index);
    h.index = index;
    snapshot.devices.push_back(std::move(h));
  }
  return snapshot;
}

void CopyPcieLinks(GpuMonitor& monitor, std::vector<GpuInfo>& devices) {
  for (GpuInfo& g : devices) {
    if (g.pcie.gen >= 0) continue;  // already known
    const DeviceHealth h = monitor.Health(g.index);
    if (h.available) g.pcie = h.pcie;
  }
}

}  // namespace gq
