// The CUDA entry points of harness/device.h and harness/system/cuda_devices.h for a build without the
// CUDA backend (GQ_WITH_CUDA=0): no devices, and asking for a context is an error. With the backend
// on, harness/gpu/cuda_context.cu and harness/system/cuda_devices.cu define them instead.
#if !GQ_WITH_CUDA

#include <memory>
#include <stdexcept>
#include <vector>

#include "harness/device.h"
#include "harness/system/cuda_devices.h"

namespace gq {

int CudaDeviceCount() { return 0; }

std::unique_ptr<DeviceContext> MakeCudaContext(int /*index*/) {
  throw std::runtime_error("this build has no CUDA backend (configure with -DGQ_CUDA=ON)");
}

std::unique_ptr<DeviceContext> MakeCudaGroupContext(int first, int /*count*/) {
  return MakeCudaContext(first);
}

std::vector<GpuInfo> DiscoverCudaDevices() { return {}; }

}  // namespace gq

#endif  // !GQ_WITH_CUDA
