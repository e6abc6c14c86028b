#include "harness/device.h"

#include <stdexcept>

#include "harness/axis.h"
#include "harness/errors.h"

namespace gq {

std::string DeviceRef::Name() const {
  if (kind == Kind::kCpu) return "cpu";
  if (count > 1) return "cuda:" + std::to_string(index) + "-" + std::to_string(index + count - 1);
  return "cuda:" + std::to_string(index);
}

bool Accepts(DeviceFilter filter, const DeviceRef& device) {
  switch (filter) {
    case DeviceFilter::kAny: return true;
    case DeviceFilter::kCpu: return device.kind == DeviceRef::Kind::kCpu;
    case DeviceFilter::kCuda: return device.kind == DeviceRef::Kind::kCuda;
  }
  return true;
}

std::vector<DeviceRef> ResolveDevices(const std::string& spec, int cuda_device_count) {
  auto all_gpus = [&] {
    std::vector<DeviceRef> out;
    for (int i = 0; i < cuda_device_count; ++i) out.push_back({DeviceRef::Kind::kCuda, i});
    return out;
  };
  if (spec == "cpu") return {{DeviceRef::Kind::kCpu, 0}};
  if (spec == "auto") {
    if (cuda_device_count > 0) return all_gpus();
    return {{DeviceRef::Kind::kCpu, 0}};
  }
  if (spec == "cuda") {
    if (cuda_device_count == 0) throw UsageError("--device cuda: no CUDA device is visible");
    return all_gpus();
  }
  if (spec.rfind("cuda:", 0) == 0) {
    int64_t index = -1;
    try {
      index = ParseIntValue("--device", spec.substr(5));
    } catch (const UsageError&) {
      throw UsageError("--device '" + spec + "': expected cuda:N with N a GPU index");
    }
    if (index < 0) throw UsageError("--device '" + spec + "': a GPU index is 0 or more");
    if (index >= cuda_device_count) {
      throw UsageError("--device '" + spec + "': " + std::to_string(cuda_device_count) +
                       " CUDA device(s) visible");
    }
    return {{DeviceRef::Kind::kCuda, static_cast<int>(index)}};
  }
  throw UsageError("--device '" + spec + "' is not one of auto, cpu, cuda, cuda:N");
}

std::unique_ptr<DeviceContext> MakeContext(const DeviceRef& device) {
  if (device.IsCuda() && device.count > 1) return MakeCudaGroupContext(device.index, device.count);
  if (device.IsCuda()) return MakeCudaContext(device.index);
  return MakeCpuContext();
}

}  // namespace gq
