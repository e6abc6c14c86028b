#pragma once
// Fake NVML entry points (plain C-compatible functions over one process-wide state, as a real
// NVML's are) for testing nvml::Library and the NVML GpuMonitor without a driver. Two GPUs whose
// NVML order differs from CUDA's; bus ids are stored in NVML's upper-case spelling. Tests call
// ResetFakeNvml() first.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "harness/system/nvml_api.h"

namespace gq::testing {

struct FakeNvmlGpu {
  std::string bus_id;
  unsigned int sm_mhz = 0, memory_mhz = 0, power_mw = 0, temperature_c = 0;
  unsigned long long energy_mj = 0, event_reasons = 0, throttle_reasons_legacy = 0;
  unsigned int ecc_current = 1;
  unsigned long long ecc[2][2] = {};  // [nvmlMemoryErrorType_t][nvmlEccCounterType_t]
  unsigned int retired[2] = {};       // [nvmlPageRetirementCause_t]
  unsigned int retired_pending = 0;
  unsigned int remap[4] = {};  // corrRows, uncRows, isPending, failureOccurred
  unsigned int pcie[4] = {};   // current gen, max gen, current width, max width
  unsigned int limit_mw = 0, default_limit_mw = 0, persistence = 0;
};

struct FakeNvmlState {
  std::vector<FakeNvmlGpu> gpus;
  nvml::Return init_result = nvml::kSuccess;
  int init_calls = 0, shutdown_calls = 0;
  std::vector<std::string> lookups;
  std::vector<void*> retired_buffers;  // `addresses` passed to the retired-pages calls
};

inline FakeNvmlState& FakeNvml() {
  static FakeNvmlState state;
  return state;
}

inline void ResetFakeNvml() {
  FakeNvmlState s;
  FakeNvmlGpu a;  // NVML index 0 = CUDA ordinal 1 in the tests
  a.bus_id = "0000:1B:00.0";
  a.sm_mhz = 1755;
  a.memory_mhz = 2619;
  a.power_mw = 512345;
  a.temperature_c = 61;
  a.energy_mj = 123456789;
  a.event_reasons = nvml::kReasonSwPowerCap;
  FakeNvmlGpu b = a;  // NVML index 1 = CUDA ordinal 0
  b.bus_id = "0000:3B:00.0";
  b.sm_mhz = 1980;
  b.power_mw = 700000;
  b.energy_mj = 42;
  b.event_reasons = nvml::kReasonGpuIdle;
  b.throttle_reasons_legacy = nvml::kReasonHwSlowdown;
  b.ecc[0][0] = 3;   // corrected, volatile
  b.ecc[1][0] = 0;   // uncorrected, volatile
  b.ecc[0][1] = 17;  // corrected, aggregate
  b.ecc[1][1] = 1;   // uncorrected, aggregate
  b.retired[0] = 2;
  b.retired[1] = 0;
  b.retired_pending = 1;
  b.remap[0] = 4;
  b.remap[1] = 1;
  b.remap[2] = 1;
  b.remap[3] = 0;
  b.pcie[0] = 5;
  b.pcie[1] = 5;
  b.pcie[2] = 8;
  b.pcie[3] = 16;
  b.limit_mw = 650000;
  b.default_limit_mw = 700000;
  b.persistence = 1;
  s.gpus = {a, b};
  FakeNvml() = s;
}

namespace fake_nvml {

using nvml::Device;
using nvml::Return;
constexpr Return kInvalidArgument = 2;  // NVML_ERROR_INVALID_ARGUMENT
constexpr Return kDriverNotLoaded = 9;  // NVML_ERROR_DRIVER_NOT_LOADED

inline FakeNvmlGpu& Gpu(Device d) { return *reinterpret_cast<FakeNvmlGpu*>(d); }

inline Return Init() {
  ++FakeNvml().init_calls;
  return FakeNvml().init_result;
}
inline Return Shutdown() {
  ++FakeNvml().shutdown_calls;
  return nvml::kSuccess;
}
inline const char* ErrorString(Return r) {
  return r == nvml::kErrorNotFound ? "Not Found"
         : r == kDriverNotLoaded   ? "Driver Not Loaded"
                                   : "Unknown Error";
}
inline Return DriverVersion(char* version, unsigned int length) {
  std::snprintf(version, length, "%s", "580.95.05");
  return nvml::kSuccess;
}
inline Return HandleByPciBusId(const char* id, Device* device) {
  FakeNvml().lookups.emplace_back(id);
  for (FakeNvmlGpu& g : FakeNvml().gpus) {
    if (g.bus_id == id) {
      *device = reinterpret_cast<Device>(&g);
      return nvml::kSuccess;
    }
  }
  return nvml::kErrorNotFound;
}
inline Return ClockInfo(Device d, unsigned int type, unsigned int* mhz) {
  if (type != nvml::kClockSm && type != nvml::kClockMem) return kInvalidArgument;
  *mhz = type == nvml::kClockSm ? Gpu(d).sm_mhz : Gpu(d).memory_mhz;
  return nvml::kSuccess;
}
inline Return PowerUsage(Device d, unsigned int* mw) {
  *mw = Gpu(d).power_mw;
  return nvml::kSuccess;
}
inline Return Temperature(Device d, unsigned int sensor, unsigned int* c) {
  if (sensor != nvml::kTemperatureGpu) return kInvalidArgument;
  *c = Gpu(d).temperature_c;
  return nvml::kSuccess;
}
inline Return Energy(Device d, unsigned long long* mj) {
  *mj = Gpu(d).energy_mj;
  return nvml::kSuccess;
}
inline Return EventReasons(Device d, unsigned long long* r) {
  *r = Gpu(d).event_reasons;
  return nvml::kSuccess;
}
inline Return ThrottleReasons(Device d, unsigned long long* r) {
  *r = Gpu(d).throttle_reasons_legacy;
  return nvml::kSuccess;
}
inline Return EccMode(Device d, unsigned int* current, unsigned int* pending) {
  *current = *pending = Gpu(d).ecc_current;
  return nvml::kSuccess;
}
inline Return TotalEcc(Device d, unsigned int type, unsigned int counter, unsigned long long* n) {
  if (type > 1 || counter > 1) return kInvalidArgument;
  *n = Gpu(d).ecc[type][counter];
  return nvml::kSuccess;
}
// Follows the reference: the count in, NVML_ERROR_INSUFFICIENT_SIZE with the needed count when the
// buffer is too small, NVML_ERROR_INVALID_ARGUMENT for a null buffer.
inline Return RetiredPages(Device d, unsigned int cause, unsigned int* count,
                           unsigned long long* addresses) {
  FakeNvml().retired_buffers.push_back(addresses);
  if (cause > 1 || addresses == nullptr) return kInvalidArgument;
  const unsigned int have = Gpu(d).retired[cause];
  const bool fits = *count >= have;
  *count = have;
  return fits ? nvml::kSuccess : nvml::kErrorInsufficientSize;
}
inline Return RetiredPagesV2(Device d, unsigned int cause, unsigned int* count,
                             unsigned long long* addresses, unsigned long long* timestamps) {
  if (timestamps == nullptr) return kInvalidArgument;
  return RetiredPages(d, cause, count, addresses);
}
inline Return RetiredPending(Device d, unsigned int* pending) {
  *pending = Gpu(d).retired_pending;
  return nvml::kSuccess;
}
inline Return RemappedRows(Device d, unsigned int* corr, unsigned int* unc, unsigned int* pending,
                           unsigned int* failure) {
  const FakeNvmlGpu& g = Gpu(d);
  *corr = g.remap[0];
  *unc = g.remap[1];
  *pending = g.remap[2];
  *failure = g.remap[3];
  return nvml::kSuccess;
}
template <int kField>
Return Pcie(Device d, unsigned int* v) {
  *v = Gpu(d).pcie[kField];
  return nvml::kSuccess;
}
inline Return Limit(Device d, unsigned int* mw) {
  *mw = Gpu(d).limit_mw;
  return nvml::kSuccess;
}
inline Return DefaultLimit(Device d, unsigned int* mw) {
  *mw = Gpu(d).default_limit_mw;
  return nvml::kSuccess;
}
inline Return Persistence(Device d, unsigned int* mode) {
  *mode = Gpu(d).persistence;
  return nvml::kSuccess;
}

}  // namespace fake_nvml

// Only the entry points nvml::Library requires.
inline nvml::Api MinimalFakeNvmlApi() {
  nvml::Api a;
  a.Init = &fake_nvml::Init;
  a.Shutdown = &fake_nvml::Shutdown;
  a.ErrorString = &fake_nvml::ErrorString;
  a.DeviceGetHandleByPciBusId = &fake_nvml::HandleByPciBusId;
  return a;
}

// Every entry point the monitor uses (the legacy throttle-reasons call included).
inline nvml::Api FullFakeNvmlApi() {
  nvml::Api a = MinimalFakeNvmlApi();
  a.SystemGetDriverVersion = &fake_nvml::DriverVersion;
  a.DeviceGetClockInfo = &fake_nvml::ClockInfo;
  a.DeviceGetPowerUsage = &fake_nvml::PowerUsage;
  a.DeviceGetTemperature = &fake_nvml::Temperature;
  a.DeviceGetTotalEnergyConsumption = &fake_nvml::Energy;
  a.DeviceGetCurrentClocksEventReasons = &fake_nvml::EventReasons;
  a.DeviceGetCurrentClocksThrottleReasons = &fake_nvml::ThrottleReasons;
  a.DeviceGetEccMode = &fake_nvml::EccMode;
  a.DeviceGetTotalEccErrors = &fake_nvml::TotalEcc;
  a.DeviceGetRetiredPages = &fake_nvml::RetiredPages;
  a.DeviceGetRetiredPagesV2 = &fake_nvml::RetiredPagesV2;
  a.DeviceGetRetiredPagesPendingStatus = &fake_nvml::RetiredPending;
  a.DeviceGetRemappedRows = &fake_nvml::RemappedRows;
  a.DeviceGetCurrPcieLinkGeneration = &fake_nvml::Pcie<0>;
  a.DeviceGetMaxPcieLinkGeneration = &fake_nvml::Pcie<1>;
  a.DeviceGetCurrPcieLinkWidth = &fake_nvml::Pcie<2>;
  a.DeviceGetMaxPcieLinkWidth = &fake_nvml::Pcie<3>;
  a.DeviceGetPowerManagementLimit = &fake_nvml::Limit;
  a.DeviceGetPowerManagementDefaultLimit = &fake_nvml::DefaultLimit;
  a.DeviceGetPersistenceMode = &fake_nvml::Persistence;
  return a;
}

}  // namespace gq::testing
