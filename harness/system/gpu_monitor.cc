#include "harness/system/gpu_monitor.h"

#include <cctype>
#include <map>
#include <utility>

namespace gq {
namespace {

using nvml::kSuccess;

std::string UpperCase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

struct Target {
  nvml::Device handle = nullptr;
  std::string error;  // why the device has no handle
};

class NvmlMonitor : public GpuMonitor {
 public:
  NvmlMonitor(const std::vector<GpuInfo>& devices, std::unique_ptr<nvml::Library> lib)
      : lib_(std::move(lib)) {
    if (!lib_->available()) return;
    const nvml::Api& a = lib_->api();
    char version[nvml::kDriverVersionBufferSize] = {};
    if (a.SystemGetDriverVersion != nullptr &&
        a.SystemGetDriverVersion(version, sizeof version) == kSuccess) {
      driver_version_ = version;
    }
    for (const GpuInfo& g : devices) {
      Target t;
      if (g.pci_bus_id.empty()) {
        t.error = "cuda:" + std::to_string(g.index) + " has no PCI bus id";
      } else {
        // The id is in hex; try the upper-case spelling NVML itself prints if the given one fails.
        nvml::Return r = a.DeviceGetHandleByPciBusId(g.pci_bus_id.c_str(), &t.handle);
        const std::string upper = UpperCase(g.pci_bus_id);
        if (r != kSuccess && upper != g.pci_bus_id)
          r = a.DeviceGetHandleByPciBusId(upper.c_str(), &t.handle);
        if (r != kSuccess) {
          t.handle = nullptr;
          t.error =
              "NVML has no device at PCI bus id " + g.pci_bus_id + ": " + lib_->ErrorString(r);
        }
      }
      targets_[g.index] = std::move(t);
    }
  }

  bool available() const override { return lib_->available(); }
  std::string reason() const override { return lib_->reason(); }

  // The SM clock decides whether the device answers at all; memory clock, power and temperature
  // that fail (unsupported) are left 0.
  std::optional<TelemetrySample> Read(int cuda_index) override {
    nvml::Device d = Handle(cuda_index);
    const nvml::Api& a = lib_->api();
    unsigned int v = 0;
    if (d == nullptr || a.DeviceGetClockInfo == nullptr ||
        a.DeviceGetClockInfo(d, nvml::kClockSm, &v) != kSuccess) {
      return std::nullopt;
    }
    TelemetrySample s;
    s.sm_mhz = v;
    if (a.DeviceGetClockInfo(d, nvml::kClockMem, &v) == kSuccess) s.memory_mhz = v;
    if (a.DeviceGetPowerUsage != nullptr && a.DeviceGetPowerUsage(d, &v) == kSuccess) {
      s.power_w = v / 1000.0;  // milliwatts
    }
    if (a.DeviceGetTemperature != nullptr &&
        a.DeviceGetTemperature(d, nvml::kTemperatureGpu, &v) == kSuccess) {
      s.temperature_c = v;
    }
    return s;
  }

  std::optional<uint64_t> EnergyMillijoules(int cuda_index) override {
    nvml::Device d = Handle(cuda_index);
    const nvml::Api& a = lib_->api();
    unsigned long long mj = 0;
    if (d == nullptr || a.DeviceGetTotalEnergyConsumption == nullptr ||
        a.DeviceGetTotalEnergyConsumption(d, &mj) != kSuccess) {
      return std::nullopt;
    }
    return static_cast<uint64_t>(mj);
  }

  uint64_t ThrottleMask(int cuda_index) override {
    nvml::Device d = Handle(cuda_index);
    const nvml::Api& a = lib_->api();
    auto* fn = a.DeviceGetCurrentClocksEventReasons != nullptr
                   ? a.DeviceGetCurrentClocksEventReasons
                   : a.DeviceGetCurrentClocksThrottleReasons;
    unsigned long long mask = 0;
    if (d == nullptr || fn == nullptr || fn(d, &mask) != kSuccess) return 0;
    return static_cast<uint64_t>(mask);
  }

  DeviceHealth Health(int cuda_index) override {
    DeviceHealth h;
    h.index = cuda_index;
    if (!lib_->available()) {
      h.reason = lib_->reason();
      return h;
    }
    auto it = targets_.find(cuda_index);
    if (it == targets_.end() || it->second.handle == nullptr) {
      h.reason = it == targets_.end()
                     ? "cuda:" + std::to_string(cuda_index) + " is not a known device"
                     : it->second.error;
      return h;
    }
    h.available = true;
    h.driver_version = driver_version_;
    FillMemoryErrors(it->second.handle, h);
    FillLinkAndPower(it->second.handle, h);
    return h;
  }

 private:
  nvml::Device Handle(int cuda_index) const {
    if (!lib_->available()) return nullptr;
    auto it = targets_.find(cuda_index);
    return it == targets_.end() ? nullptr : it->second.handle;
  }

  // Reads one unsigned quantity; -1 when the entry point is absent or the call fails.
  static int64_t Get(nvml::Device d, nvml::Return (*fn)(nvml::Device, unsigned int*)) {
    unsigned int v = 0;
    return fn != nullptr && fn(d, &v) == kSuccess ? static_cast<int64_t>(v) : -1;
  }
  // nvmlEnableState_t (or a 0/1 flag) as 1/0, keeping -1 = unknown.
  static int Flag(int64_t state) { return state < 0 ? -1 : (state != 0 ? 1 : 0); }

  // ECC mode and totals, retired pages, remapped rows.
  void FillMemoryErrors(nvml::Device d, DeviceHealth& h) const {
    const nvml::Api& a = lib_->api();
    unsigned int ecc_current = 0, ecc_pending = 0;
    if (a.DeviceGetEccMode != nullptr &&
        a.DeviceGetEccMode(d, &ecc_current, &ecc_pending) == kSuccess) {
      h.ecc_enabled = ecc_current == nvml::kFeatureEnabled ? 1 : 0;
    }
    auto ecc = [&](unsigned int error_type, unsigned int counter) -> int64_t {
      unsigned long long n = 0;
      return a.DeviceGetTotalEccErrors != nullptr &&
                     a.DeviceGetTotalEccErrors(d, error_type, counter, &n) == kSuccess
                 ? static_cast<int64_t>(n)
                 : -1;
    };
    h.ecc_volatile_corrected = ecc(nvml::kMemoryErrorCorrected, nvml::kVolatileEcc);
    h.ecc_volatile_uncorrected = ecc(nvml::kMemoryErrorUncorrected, nvml::kVolatileEcc);
    h.ecc_aggregate_corrected = ecc(nvml::kMemoryErrorCorrected, nvml::kAggregateEcc);
    h.ecc_aggregate_uncorrected = ecc(nvml::kMemoryErrorUncorrected, nvml::kAggregateEcc);
    h.retired_pages_sbe = RetiredPages(d, nvml::kRetiredPagesSingleBit);
    h.retired_pages_dbe = RetiredPages(d, nvml::kRetiredPagesDoubleBit);
    h.retired_pages_pending = Flag(Get(d, a.DeviceGetRetiredPagesPendingStatus));
    unsigned int corr = 0, unc = 0, pending = 0, failure = 0;
    if (a.DeviceGetRemappedRows != nullptr &&
        a.DeviceGetRemappedRows(d, &corr, &unc, &pending, &failure) == kSuccess) {
      h.remapped_rows_correctable = corr;
      h.remapped_rows_uncorrectable = unc;
      h.remapped_rows_pending = Flag(pending);
      h.remapped_rows_failure = Flag(failure);
    }
  }

  // PCIe link, power limits (milliwatts -> watts), persistence mode, temperature.
  void FillLinkAndPower(nvml::Device d, DeviceHealth& h) const {
    const nvml::Api& a = lib_->api();
    h.pcie.gen = static_cast<int>(Get(d, a.DeviceGetCurrPcieLinkGeneration));
    h.pcie.gen_max = static_cast<int>(Get(d, a.DeviceGetMaxPcieLinkGeneration));
    h.pcie.width = static_cast<int>(Get(d, a.DeviceGetCurrPcieLinkWidth));
    h.pcie.width_max = static_cast<int>(Get(d, a.DeviceGetMaxPcieLinkWidth));
    const int64_t limit_mw = Get(d, a.DeviceGetPowerManagementLimit);
    const int64_t default_mw = Get(d, a.DeviceGetPowerManagementDefaultLimit);
    h.power_limit_w = limit_mw < 0 ? -1 : limit_mw / 1000.0;
    h.power_default_limit_w = default_mw < 0 ? -1 : default_mw / 1000.0;
    h.persistence_mode = Flag(Get(d, a.DeviceGetPersistenceMode));
    unsigned int temp = 0;
    if (a.DeviceGetTemperature != nullptr &&
        a.DeviceGetTemperature(d, nvml::kTemperatureGpu, &temp) == kSuccess) {
      h.temperature_c = static_cast<int>(temp);
    }
  }

  // Number of pages retired for `cause`, by a count query (pageCount = 0): NVML answers
  // NVML_SUCCESS when there are none and NVML_ERROR_INSUFFICIENT_SIZE with the count otherwise.
  // The buffers passed are never written with a count of 0; they are non-null because the
  // reference lists a null `addresses` among the NVML_ERROR_INVALID_ARGUMENT cases.
  int64_t RetiredPages(nvml::Device d, unsigned int cause) const {
    const nvml::Api& a = lib_->api();
    unsigned int count = 0;
    unsigned long long addresses[1] = {}, timestamps[1] = {};
    nvml::Return r;
    if (a.DeviceGetRetiredPagesV2 != nullptr) {
      r = a.DeviceGetRetiredPagesV2(d, cause, &count, addresses, timestamps);
    } else if (a.DeviceGetRetiredPages != nullptr) {
      r = a.DeviceGetRetiredPages(d, cause, &count, addresses);
    } else {
      return -1;
    }
    return r == kSuccess || r == nvml::kErrorInsufficientSize ? static_cast<int64_t>(count) : -1;
  }

  std::unique_ptr<nvml::Library> lib_;
  std::string driver_version_;
  std::map<int, Target> targets_;  // CUDA ordinal -> NVML handle; read-only after construction
};

}  // namespace

std::unique_ptr<GpuMonitor> MakeNvmlMonitor(const std::vector<GpuInfo>& devices,
                                            const std::string& library_name) {
  return MakeNvmlMonitor(devices, std::make_unique<nvml::Library>(library_name));
}

std::unique_ptr<GpuMonitor> MakeNvmlMonitor(const std::vector<GpuInfo>& devices,
                                            std::unique_ptr<nvml::Library> library) {
  return std::make_unique<NvmlMonitor>(devices, std::move(library));
}

std::vector<std::string> ThrottleReasonNames(uint64_t mask) {
  static constexpr std::pair<uint64_t, const char*> kNames[] = {
      {nvml::kReasonGpuIdle, "gpu_idle"},
      {nvml::kReasonApplicationsClocksSetting, "applications_clocks"},
      {nvml::kReasonSwPowerCap, "sw_power_cap"},
      {nvml::kReasonHwSlowdown, "hw_slowdown"},
      {nvml::kReasonSyncBoost, "sync_boost"},
      {nvml::kReasonSwThermalSlowdown, "sw_thermal"},
      {nvml::kReasonHwThermalSlowdown, "hw_thermal"},
      {nvml::kReasonHwPowerBrakeSlowdown, "hw_power_brake"},
      {nvml::kReasonDisplayClockSetting, "display_clock"},
  };
  std::vector<std::string> names;
  for (const auto& [bit, name] : kNames) {
    if ((mask & bit) != 0) names.emplace_back(name);
  }
  return names;
}

}  // namespace gq
