#pragma once
// Devices a run can target and the per-device execution context the runner drives.
//
// `--device` takes "cpu", "cuda:N", "cuda" (every visible GPU) or "auto" (every GPU if any, else
// cpu). A DeviceContext owns what timing needs on one device: a stream (CUDA) and timers (CUDA
// events on that stream, or steady_clock on the host).
#include <memory>
#include <string>
#include <vector>

namespace gq {

struct DeviceRef {
  enum class Kind { kCpu, kCuda };
  Kind kind = Kind::kCpu;
  int index = 0;  // CUDA ordinal (the first of a group); 0 for the cpu
  // CUDA only: a group of GPUs index .. index + count - 1 that one case drives together (the
  // collectives in a process that sees several GPUs; see harness/measure/run_targets.h).
  int count = 1;

  std::string Name() const;  // "cpu", "cuda:N", or "cuda:N-M" for a group
  bool IsCuda() const { return kind == Kind::kCuda; }
  bool operator==(const DeviceRef&) const = default;
};

// Which device kinds a planned case is meant for (suites run different shapes on cpu and GPUs).
enum class DeviceFilter { kAny, kCpu, kCuda };
bool Accepts(DeviceFilter filter, const DeviceRef& device);

// Resolves a --device spec against the number of visible CUDA devices. Throws UsageError for an
// unknown spec, "cuda" with no GPU visible, or an ordinal out of range.
std::vector<DeviceRef> ResolveDevices(const std::string& spec, int cuda_device_count);

// Measures one sample: Start() before a batch of iterations, StopSeconds() after; the returned
// time covers exactly the work issued in between (waits for the device where needed).
class Timer {
 public:
  virtual ~Timer() = default;
  virtual void Start() = 0;
  virtual double StopSeconds() = 0;
  // How this timer measured, in words, for the case details (empty: nothing to say).
  virtual std::string Note() const { return ""; }
};

class DeviceContext {
 public:
  virtual ~DeviceContext() = default;
  virtual const DeviceRef& device() const = 0;
  // Opaque stream handle handed to PreparedCase::Run (cudaStream_t on CUDA, nullptr on the cpu).
  virtual void* stream() = 0;
  virtual std::unique_ptr<Timer> MakeTimer() = 0;
  // Blocks until all work issued on stream() has finished.
  virtual void Synchronize() = 0;
};

// Host steady_clock timer.
std::unique_ptr<Timer> MakeSteadyTimer();
std::unique_ptr<DeviceContext> MakeCpuContext();
// Number of visible CUDA devices; 0 when the build has no CUDA backend or no driver/GPU is present.
int CudaDeviceCount();
// Creates a stream on device `index` and CUDA-event timers on it. Throws std::runtime_error when
// the build has no CUDA backend.
std::unique_ptr<DeviceContext> MakeCudaContext(int index);
// A context for the group cuda:first .. cuda:first+count-1: its stream and timers are on `first`
// (a case driving the group joins the other GPUs' work into that stream), device() is the group.
std::unique_ptr<DeviceContext> MakeCudaGroupContext(int first, int count);
std::unique_ptr<DeviceContext> MakeContext(const DeviceRef& device);

}  // namespace gq
