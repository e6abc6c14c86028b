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

}  // namespace gq
