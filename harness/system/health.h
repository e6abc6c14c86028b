#pragma once
// Device health snapshots (DESIGN.md §7): `gpuqual run` records one before the first case and one
// after the last, so `qualify` can judge ECC errors, retired pages / remapped rows, the PCIe link
// and power limits, and see counters that moved during the run. Facts come from a GpuMonitor
// (NVML); without NVML every device is listed with available = false and the reason.
#include <vector>

#include "harness/results.h"
#include "harness/system/gpu_monitor.h"

namespace gq {

// Health of each GPU in `cuda_indices` (CUDA ordinals, in that order), stamped with the current
// UTC time in ISO 8601 ("2026-11-22T17:03:04Z").
HealthSnapshot TakeHealthSnapshot(GpuMonitor& monitor, const std::vector<int>& cuda_indices);

// Fills the PCIe link (current and maximum generation and width) of each GPU in `devices` that
// does not know it yet (gen < 0) from the monitor's health record; left as is where the monitor
// cannot read it. `gpuqual run` and `gpuqual info` both record it in the system object.
void CopyPcieLinks(GpuMonitor& monitor, std::vector<GpuInfo>& devices);

}  // namespace gq
