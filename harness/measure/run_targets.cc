#include "harness/measure/run_targets.h"

#include <optional>
#include <stdexcept>

namespace gq {
namespace {

// The GPUs of `devices` as one group when there are several with consecutive ordinals.
std::optional<DeviceRef> GpuGroup(const std::vector<DeviceRef>& devices) {
  std::vector<int> gpus;
  for (const DeviceRef& d : devices) {
    if (d.IsCuda()) gpus.push_back(d.index);
  }
  if (gpus.size() < 2) return std::nullopt;
  for (std::size_t i = 1; i < gpus.size(); ++i) {
    if (gpus[i] != gpus[0] + static_cast<int>(i)) return std::nullopt;
  }
  return DeviceRef{DeviceRef::Kind::kCuda, gpus[0], static_cast<int>(gpus.size())};
}

}  // namespace

std::vector<RunTarget> PlanTargets(const std::vector<PlannedCase>& cases,
                                   const std::vector<DeviceRef>& devices) {
  const std::optional<DeviceRef> group = GpuGroup(devices);
  auto spans = [&](const PlannedCase& c) { return group && c.workload->SpansDevices(c.spec); };
  std::vector<RunTarget> targets;
  for (const DeviceRef& device : devices) {
    RunTarget t{device, {}};
    for (const PlannedCase& c : cases) {
      if (Accepts(c.device, device) && !(device.IsCuda() && spans(c))) t.cases.push_back(&c);
    }
    if (!t.cases.empty()) targets.push_back(std::move(t));
  }
  if (group) {
    RunTarget t{*group, {}};
    for (const PlannedCase& c : cases) {
      if (spans(c) && Accepts(c.device, *group)) t.cases.push_back(&c);
    }
    if (!t.cases.empty()) targets.push_back(std::move(t));
  }
  return targets;
}

DeviceRef DeviceForRank(const std::vector<DeviceRef>& resolved, int local_rank) {
  if (resolved.empty()) throw std::invalid_argument("DeviceForRank: no devices");
  if (resolved.size() == 1) return resolved.front();
  const int n = static_cast<int>(resolved.size());
  return resolved[static_cast<std::size_t>(((local_rank % n) + n) % n)];
}

}  // namespace gq
