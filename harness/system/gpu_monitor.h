#pragma once
// GpuMonitor: what the harness reads from a GPU besides timing (DESIGN.md §5 telemetry, §7 health):
// instantaneous clocks/power/temperature, the energy counter, the clocks-event (throttle) reason
// mask, and a health record. Devices are named by their CUDA ordinal. The NVML implementation maps
// each ordinal to its NVML handle by PCI bus id, because NVML and CUDA enumerate GPUs in different
// orders (and CUDA_VISIBLE_DEVICES renumbers CUDA's).
//
// An unavailable monitor (no NVML) is not an error: Read/EnergyMillijoules give nullopt,
// ThrottleMask gives 0 and Health gives available = false with the reason. Implementations must
// allow calls from a background thread (the telemetry sampler) while the caller's thread waits.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/results.h"
#include "harness/system/nvml_api.h"

namespace gq {

class GpuMonitor {
 public:
  virtual ~GpuMonitor() = default;
  virtual bool available() const = 0;
  virtual std::string reason() const = 0;  // why unavailable; empty when available
  // One reading (t_s left 0), or nullopt when the device cannot be read.
  virtual std::optional<TelemetrySample> Read(int cuda_index) = 0;
  // Total energy counter in millijoules, or nullopt where unsupported (pre-Volta, some VMs).
  virtual std::optional<uint64_t> EnergyMillijoules(int cuda_index) = 0;
  // Current clocks-event reason bits (nvml::kReason*); 0 when none or unknown.
  virtual uint64_t ThrottleMask(int cuda_index) = 0;
  virtual DeviceHealth Health(int cuda_index) = 0;
};

// Loads NVML (`library_name`, injectable for tests) and resolves every device in `devices` by its
// pci_bus_id ("0000:xx:yy.z" as DiscoverCudaDevices fills it) with
// nvmlDeviceGetHandleByPciBusId_v2. Never throws; see GpuMonitor for the unavailable behaviour.
std::unique_ptr<GpuMonitor> MakeNvmlMonitor(const std::vector<GpuInfo>& devices,
                                            const std::string& library_name = nvml::kLibraryName);
// The same over an NVML already opened (tests pass one built from fake entry points).
std::unique_ptr<GpuMonitor> MakeNvmlMonitor(const std::vector<GpuInfo>& devices,
                                            std::unique_ptr<nvml::Library> library);

// Names of the clocks-event reason bits set in `mask`, in bit order: "gpu_idle",
// "applications_clocks", "sw_power_cap", "hw_slowdown", "sync_boost", "sw_thermal", "hw_thermal",
// "hw_power_brake", "display_clock". Bits without a name here are ignored.
std::vector<std::string> ThrottleReasonNames(uint64_t mask);

}  // namespace gq
