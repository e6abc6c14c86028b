#pragma once
// GPU facts from the CUDA runtime (results.system.devices): name, SKU (via device_specs), UUID,
// PCI bus id, compute capability, SM count, memory, driver and runtime versions, max clocks.
// Returns an empty list when the build has no CUDA backend or no GPU/driver is visible.
#include <vector>

#include "harness/results.h"

namespace gq {

std::vector<GpuInfo> DiscoverCudaDevices();

}  // namespace gq
