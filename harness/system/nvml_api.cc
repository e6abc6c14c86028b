#include "harness/system/nvml_api.h"

#include <dlfcn.h>

namespace gq::nvml {
namespace {

std::string DlError() {
  const char* e = dlerror();
  return e != nullptr ? e : "unknown dlopen error";
}

// Looks `name` up in `handle`; null when absent. (Converting the object pointer dlsym returns to
// a function pointer is conditionally supported in C++ and is what POSIX dlsym requires.)
template <typename Fn>
void Resolve(void* handle, const char* name, Fn& fn) {
  fn = reinterpret_cast<Fn>(dlsym(handle, name));
}

}  // namespace

Library::Library(const std::string& library_name) {
  handle_ = dlopen(library_name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    reason_ = "unavailable: cannot load " + library_name + ": " + DlError();
    return;
  }
  Resolve(handle_, "nvmlInit_v2", api_.Init);
  Resolve(handle_, "nvmlShutdown", api_.Shutdown);
  Resolve(handle_, "nvmlErrorString", api_.ErrorString);
  Resolve(handle_, "nvmlDeviceGetHandleByPciBusId_v2", api_.DeviceGetHandleByPciBusId);
  // Optional entry points (null on drivers that predate them).
  Resolve(handle_, "nvmlSystemGetDriverVersion", api_.SystemGetDriverVersion);
  Resolve(handle_, "nvmlDeviceGetClockInfo", api_.DeviceGetClockInfo);
  Resolve(handle_, "nvmlDeviceGetPowerUsage", api_.DeviceGetPowerUsage);
  Resolve(handle_, "nvmlDeviceGetTemperature", api_.DeviceGetTemperature);
  Resolve(handle_, "nvmlDeviceGetTotalEnergyConsumption", api_.DeviceGetTotalEnergyConsumption);
  Resolve(handle_, "nvmlDeviceGetCurrentClocksEventReasons",
          api_.DeviceGetCurrentClocksEventReasons);
  Resolve(handle_, "nvmlDeviceGetCurrentClocksThrottleReasons",
          api_.DeviceGetCurrentClocksThrottleReasons);
  Resolve(handle_, "nvmlDeviceGetEccMode", api_.DeviceGetEccMode);
  Resolve(handle_, "nvmlDeviceGetTotalEccErrors", api_.DeviceGetTotalEccErrors);
  Resolve(handle_, "nvmlDeviceGetRetiredPages", api_.DeviceGetRetiredPages);
  Resolve(handle_, "nvmlDeviceGetRetiredPages_v2", api_.DeviceGetRetiredPagesV2);
  Resolve(handle_, "nvmlDeviceGetRetiredPagesPendingStatus",
          api_.DeviceGetRetiredPagesPendingStatus);
  Resolve(handle_, "nvmlDeviceGetRemappedRows", api_.DeviceGetRemappedRows);
  Resolve(handle_, "nvmlDeviceGetCurrPcieLinkGeneration", api_.DeviceGetCurrPcieLinkGeneration);
  Resolve(handle_, "nvmlDeviceGetMaxPcieLinkGeneration", api_.DeviceGetMaxPcieLinkGeneration);
  Resolve(handle_, "nvmlDeviceGetCurrPcieLinkWidth", api_.DeviceGetCurrPcieLinkWidth);
  Resolve(handle_, "nvmlDeviceGetMaxPcieLinkWidth", api_.DeviceGetMaxPcieLinkWidth);
  Resolve(handle_, "nvmlDeviceGetPowerManagementLimit", api_.DeviceGetPowerManagementLimit);
  Resolve(handle_, "nvmlDeviceGetPowerManagementDefaultLimit",
          api_.DeviceGetPowerManagementDefaultLimit);
  Resolve(handle_, "nvmlDeviceGetPersistenceMode", api_.DeviceGetPersistenceMode);
  Start(library_name);
}

Library::Library(const Api& api) : api_(api) { Start("the given NVML entry points"); }

void Library::Start(const std::string& library_name) {
  const char* missing = api_.Init == nullptr          ? "nvmlInit_v2"
                        : api_.Shutdown == nullptr    ? "nvmlShutdown"
                        : api_.ErrorString == nullptr ? "nvmlErrorString"
                        : api_.DeviceGetHandleByPciBusId == nullptr
                            ? "nvmlDeviceGetHandleByPciBusId_v2"
                            : nullptr;
  if (missing != nullptr) {
    reason_ = std::string("unavailable: ") + library_name + " lacks " + missing;
    return;
  }
  const Return r = api_.Init();
  if (r != kSuccess) {
    reason_ = "unavailable: nvmlInit_v2 failed: " + ErrorString(r);
    return;
  }
  initialised_ = true;
  available_ = true;
}

Library::~Library() {
  if (initialised_) api_.Shutdown();
  if (handle_ != nullptr) dlclose(handle_);
}

std::string Library::ErrorString(Return code) const {
  const char* s = api_.ErrorString != nullptr ? api_.ErrorString(code) : nullptr;
  return s != nullptr ? std::string(s) : "NVML error " + std::to_string(code);
}

}  // namespace gq::nvml
