#pragma once
// NVML (NVIDIA Management Library) loaded at run time with dlopen, so the harness builds without
// nvml.h and runs where no NVIDIA driver is installed. NvmlLibrary opens the library, resolves the
// entry points below with dlsym and calls nvmlInit_v2; the destructor calls nvmlShutdown (NVML
// counts init/shutdown pairs, so several instances may coexist). Any failure leaves the library
// unavailable with a reason in words; it never throws and never ends the run.
//
// Types, constants and signatures mirror nvml.h as documented in the NVML API reference
// (https://docs.nvidia.com/deploy/nvml-api/, "Device Enums", "Device Queries",
// "NvmlClocksEventReasons"); the NVML name stands beside each. They are declared here, under
// Google-style names in gq::nvml, because nvml.h is not shipped with the CUDA toolkit we build with
// and its macros would clash with any same-named identifier.
//
// Required symbols: nvmlInit_v2, nvmlShutdown, nvmlErrorString, nvmlDeviceGetHandleByPciBusId_v2.
// Every other pointer may be null (absent on older drivers); callers check before calling and
// report the quantity as unknown (-1). NVML itself is thread-safe ("NVML is thread-safe so it is
// safe to make simultaneous NVML calls from multiple threads", nvml.h preamble).
#include <cstdint>
#include <string>

namespace gq::nvml {

struct DeviceSt;           // opaque
using Device = DeviceSt*;  // nvmlDevice_t
using Return = int;        // nvmlReturn_t (a C enum; passed and returned as int)

// nvmlReturn_t values.
inline constexpr Return kSuccess = 0;                // NVML_SUCCESS
inline constexpr Return kErrorNotFound = 6;          // NVML_ERROR_NOT_FOUND
inline constexpr Return kErrorInsufficientSize = 7;  // NVML_ERROR_INSUFFICIENT_SIZE

// nvmlClockType_t: NVML_CLOCK_GRAPHICS = 0, NVML_CLOCK_SM = 1, NVML_CLOCK_MEM = 2 (MHz).
inline constexpr unsigned int kClockSm = 1;
inline constexpr unsigned int kClockMem = 2;
// nvmlTemperatureSensors_t: NVML_TEMPERATURE_GPU = 0 (degrees C).
inline constexpr unsigned int kTemperatureGpu = 0;
// nvmlEnableState_t: NVML_FEATURE_DISABLED = 0, NVML_FEATURE_ENABLED = 1.
inline constexpr unsigned int kFeatureEnabled = 1;
// nvmlMemoryErrorType_t: NVML_MEMORY_ERROR_TYPE_CORRECTED = 0,
// NVML_MEMORY_ERROR_TYPE_UNCORRECTED = 1.
inline constexpr unsigned int kMemoryErrorCorrected = 0;
inline constexpr unsigned int kMemoryErrorUncorrected = 1;
// nvmlEccCounterType_t: NVML_VOLATILE_ECC = 0 (since the driver loaded), NVML_AGGREGATE_ECC = 1
// (lifetime of the device).
inline constexpr unsigned int kVolatileEcc = 0;
inline constexpr unsigned int kAggregateEcc = 1;
// nvmlPageRetirementCause_t: NVML_PAGE_RETIREMENT_CAUSE_MULTIPLE_SINGLE_BIT_ECC_ERRORS = 0,
// NVML_PAGE_RETIREMENT_CAUSE_DOUBLE_BIT_ECC_ERROR = 1.
inline constexpr unsigned int kRetiredPagesSingleBit = 0;
inline constexpr unsigned int kRetiredPagesDoubleBit = 1;
// NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE: large enough for nvmlSystemGetDriverVersion.
inline constexpr unsigned int kDriverVersionBufferSize = 80;

// Clocks event (formerly "throttle") reason bits, as returned by
// nvmlDeviceGetCurrentClocksEventReasons / nvmlDeviceGetCurrentClocksThrottleReasons
// ("NvmlClocksEventReasons" in the reference). NVML macro names, in order:
// nvmlClocksEventReasonGpuIdle, ...EventReasonApplicationsClocksSetting, ...EventReasonSwPowerCap,
// nvmlClocksThrottleReasonHwSlowdown, nvmlClocksEventReasonSyncBoost,
// ...EventReasonSwThermalSlowdown, nvmlClocksThrottleReasonHwThermalSlowdown,
// ...ThrottleReasonHwPowerBrakeSlowdown, nvmlClocksEventReasonDisplayClockSetting.
inline constexpr uint64_t kReasonGpuIdle = 0x1;
inline constexpr uint64_t kReasonApplicationsClocksSetting = 0x2;
inline constexpr uint64_t kReasonSwPowerCap = 0x4;
inline constexpr uint64_t kReasonHwSlowdown = 0x8;
inline constexpr uint64_t kReasonSyncBoost = 0x10;
inline constexpr uint64_t kReasonSwThermalSlowdown = 0x20;
inline constexpr uint64_t kReasonHwThermalSlowdown = 0x40;
inline constexpr uint64_t kReasonHwPowerBrakeSlowdown = 0x80;
inline constexpr uint64_t kReasonDisplayClockSetting = 0x100;

// The entry points we use; signatures as in nvml.h.
struct Api {
  Return (*Init)() = nullptr;                    // nvmlInit_v2
  Return (*Shutdown)() = nullptr;                // nvmlShutdown
  const char* (*ErrorString)(Return) = nullptr;  // nvmlErrorString
  // nvmlSystemGetDriverVersion(char* version, unsigned int length)
  Return (*SystemGetDriverVersion)(char*, unsigned int) = nullptr;
  // nvmlDeviceGetHandleByPciBusId_v2(const char* pciBusId, nvmlDevice_t* device); accepts
  // "domain:bus:device.function" in hex.
  Return (*DeviceGetHandleByPciBusId)(const char*, Device*) = nullptr;
  // nvmlDeviceGetClockInfo(device, nvmlClockType_t type, unsigned int* clock): current clock, MHz.
  Return (*DeviceGetClockInfo)(Device, unsigned int, unsigned int*) = nullptr;
  // nvmlDeviceGetPowerUsage(device, unsigned int* power): board power draw, milliwatts.
  Return (*DeviceGetPowerUsage)(Device, unsigned int*) = nullptr;
  // nvmlDeviceGetTemperature(device, nvmlTemperatureSensors_t sensor, unsigned int* temp): C.
  Return (*DeviceGetTemperature)(Device, unsigned int, unsigned int*) = nullptr;
  // nvmlDeviceGetTotalEnergyConsumption(device, unsigned long long* energy): millijoules since
  // the driver was last reloaded (Volta or newer).
  Return (*DeviceGetTotalEnergyConsumption)(Device, unsigned long long*) = nullptr;
  // nvmlDeviceGetCurrentClocksEventReasons(device, unsigned long long* reasons) (R535 and
  // newer); the deprecated nvmlDeviceGetCurrentClocksThrottleReasons takes the same arguments.
  Return (*DeviceGetCurrentClocksEventReasons)(Device, unsigned long long*) = nullptr;
  Return (*DeviceGetCurrentClocksThrottleReasons)(Device, unsigned long long*) = nullptr;
  // nvmlDeviceGetEccMode(device, nvmlEnableState_t* current, nvmlEnableState_t* pending)
  Return (*DeviceGetEccMode)(Device, unsigned int*, unsigned int*) = nullptr;
  // nvmlDeviceGetTotalEccErrors(device, nvmlMemoryErrorType_t, nvmlEccCounterType_t,
  //                             unsigned long long* eccCounts)
  Return (*DeviceGetTotalEccErrors)(Device, unsigned int, unsigned int,
                                    unsigned long long*) = nullptr;
  // nvmlDeviceGetRetiredPages(device, nvmlPageRetirementCause_t cause, unsigned int* pageCount,
  //                           unsigned long long* addresses); _v2 adds unsigned long long*
  // timestamps. pageCount = 0 queries the count (NVML_ERROR_INSUFFICIENT_SIZE when it is > 0).
  Return (*DeviceGetRetiredPages)(Device, unsigned int, unsigned int*,
                                  unsigned long long*) = nullptr;
  Return (*DeviceGetRetiredPagesV2)(Device, unsigned int, unsigned int*, unsigned long long*,
                                    unsigned long long*) = nullptr;
  // nvmlDeviceGetRetiredPagesPendingStatus(device, nvmlEnableState_t* isPending)
  Return (*DeviceGetRetiredPagesPendingStatus)(Device, unsigned int*) = nullptr;
  // nvmlDeviceGetRemappedRows(device, unsigned int* corrRows, unsigned int* uncRows,
  //                           unsigned int* isPending, unsigned int* failureOccurred) (Ampere+)
  Return (*DeviceGetRemappedRows)(Device, unsigned int*, unsigned int*, unsigned int*,
                                  unsigned int*) = nullptr;
  // nvmlDeviceGet{Curr,Max}PcieLink{Generation,Width}(device, unsigned int*); "max" is the most
  // the device and the system together allow.
  Return (*DeviceGetCurrPcieLinkGeneration)(Device, unsigned int*) = nullptr;
  Return (*DeviceGetMaxPcieLinkGeneration)(Device, unsigned int*) = nullptr;
  Return (*DeviceGetCurrPcieLinkWidth)(Device, unsigned int*) = nullptr;
  Return (*DeviceGetMaxPcieLinkWidth)(Device, unsigned int*) = nullptr;
  // nvmlDeviceGetPowerManagementLimit / ...DefaultLimit(device, unsigned int* limit): milliwatts.
  Return (*DeviceGetPowerManagementLimit)(Device, unsigned int*) = nullptr;
  Return (*DeviceGetPowerManagementDefaultLimit)(Device, unsigned int*) = nullptr;
  // nvmlDeviceGetPersistenceMode(device, nvmlEnableState_t* mode)
  Return (*DeviceGetPersistenceMode)(Device, unsigned int*) = nullptr;
};

inline constexpr const char* kLibraryName = "libnvidia-ml.so.1";

class Library {
 public:
  // Opens `library_name` and initialises NVML. Never throws: on failure available() is false and
  // reason() says why, e.g. "unavailable: cannot load libnvidia-ml.so.1: <dlerror text>".
  explicit Library(const std::string& library_name = kLibraryName);
  // Uses entry points that are already resolved (tests pass fake ones); no library is opened.
  // Checks the required members and calls api.Init like the loading constructor.
  explicit Library(const Api& api);
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  bool available() const { return available_; }
  const std::string& reason() const { return reason_; }
  // Valid only when available(); optional members may be null.
  const Api& api() const { return api_; }
  // nvmlErrorString(code), or "NVML error <code>" when the library gives none.
  std::string ErrorString(Return code) const;

 private:
  void Start(const std::string& library_name);  // required-symbol check + nvmlInit_v2

  void* handle_ = nullptr;
  bool available_ = false;
  bool initialised_ = false;
  std::string reason_;
  Api api_;
};

}  // namespace gq::nvml
