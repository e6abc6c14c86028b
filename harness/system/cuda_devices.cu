// GPU facts from the CUDA runtime for results.system.devices (see harness/system/cuda_devices.h).
//
// The driver field is the CUDA driver API version (cudaDriverGetVersion, e.g. "13.0"); the NVIDIA
// driver release string (e.g. "580.95.05") comes from NVML, which telemetry adds later. The SKU is
// left empty for the caller (device_specs matches name and memory size) and the PCIe link is left
// unknown here (NVML or sysfs fill it).
#include <cuda_runtime.h>

#include <cctype>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "harness/device.h"
#include "harness/gpu/cuda_check.h"
#include "harness/system/cuda_devices.h"

namespace gq {
namespace {

// CUDA encodes versions as 1000 * major + 10 * minor (e.g. 13000 -> "13.0", 12080 -> "12.8").
std::string FormatCudaVersion(int version) {
  return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10);
}

// "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", the form nvidia-smi and NVML print: the 16 UUID
// bytes in order as hex, grouped 4-2-2-2-6.
std::string FormatUuid(const cudaUUID_t& uuid) {
  std::string out = "GPU-";
  char hex[3];
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::snprintf(hex, sizeof(hex), "%02x", static_cast<unsigned char>(uuid.bytes[i]));
    out += hex;
  }
  return out;
}

// "dddd:bb:dd.f" in lower-case hex, the spelling sysfs uses (/sys/bus/pci/devices/0000:3b:00.0),
// so the id joins with PCIe link facts read from there. The runtime's string is re-formatted
// because NVML-style spellings carry an 8-digit domain and upper-case hex.
std::string PciBusId(int device) {
  char buffer[64] = {};
  GQ_CUDA_CHECK(cudaDeviceGetPCIBusId(buffer, sizeof(buffer), device));
  unsigned domain = 0, bus = 0, slot = 0, function = 0;
  if (std::sscanf(buffer, "%x:%x:%x.%x", &domain, &bus, &slot, &function) != 4) {
    std::string id(buffer);  // unexpected form: keep it, lower-cased
    for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return id;
  }
  char id[32];
  std::snprintf(id, sizeof(id), "%04x:%02x:%02x.%x", domain, bus, slot, function);
  return id;
}

double AttributeKhzToMhz(cudaDeviceAttr attribute, int device) {
  int khz = 0;
  GQ_CUDA_CHECK(cudaDeviceGetAttribute(&khz, attribute, device));
  return khz / 1000.0;
}

}  // namespace

std::vector<GpuInfo> DiscoverCudaDevices() {
  const int count = CudaDeviceCount();
  if (count == 0) return {};
  int driver = 0;
  int runtime = 0;
  GQ_CUDA_CHECK(cudaDriverGetVersion(&driver));
  GQ_CUDA_CHECK(cudaRuntimeGetVersion(&runtime));

  std::vector<GpuInfo> devices;
  for (int index = 0; index < count; ++index) {
    cudaDeviceProp prop{};
    GQ_CUDA_CHECK(cudaGetDeviceProperties(&prop, index));
    GpuInfo info;
    info.index = index;
    info.name = prop.name;
    info.uuid = FormatUuid(prop.uuid);
    info.pci_bus_id = PciBusId(index);
    info.compute_capability = std::to_string(prop.major) + "." + std::to_string(prop.minor);
    info.sm_count = prop.multiProcessorCount;
    info.memory_bytes = prop.totalGlobalMem;
    info.driver = FormatCudaVersion(driver);
    info.cuda_runtime = FormatCudaVersion(runtime);
    // Peak clocks in kHz (cudaDeviceProp lost clockRate/memoryClockRate in CUDA 13).
    info.clocks_max["sm_mhz"] = AttributeKhzToMhz(cudaDevAttrClockRate, index);
    info.clocks_max["memory_mhz"] = AttributeKhzToMhz(cudaDevAttrMemoryClockRate, index);
    devices.push_back(std::move(info));
  }
  return devices;
}

}  // namespace gq
