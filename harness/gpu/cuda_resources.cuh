#pragma once
// The one owner (RAII) of CUDA resources: streams, events, graphs, executable graphs, device
// memory and page-locked host memory. Include only from .cu / .cuh files.
//
// Every owner is bound to the device it was made on. Its destructor (and Reset) makes that device
// current, releases, makes the caller's device current again, and ignores errors: it never
// throws, so a case can be torn down after a failed or sticky CUDA call. Owners are move-only; a
// default-made or moved-from owner holds nothing. No function here leaves another device current
// than the one it found. Makers throw std::runtime_error (GQ_CUDA_CHECK) when a call fails, and
// DeviceBuffer::Allocate throws CaseSkipped when the device is out of memory (DESIGN.md §9).
// Owners do not synchronise: whoever enqueued work that uses a resource waits for it before the
// resource goes.
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>

namespace gq {

// The calling thread's current device.
int CurrentDevice();

// Makes `device` current for its lifetime and the previous current device again at its end.
// Never throws: status() says whether `device` could be made current.
class ScopedDevice {
 public:
  explicit ScopedDevice(int device) noexcept;
  ~ScopedDevice();
  ScopedDevice(const ScopedDevice&) = delete;
  ScopedDevice& operator=(const ScopedDevice&) = delete;

  cudaError_t status() const { return status_; }

 private:
  int previous_ = -1;  // -1: nothing to restore
  cudaError_t status_ = cudaSuccess;
};

// Owner of one CUDA handle of type H made on `device`, released with `Destroy`.
template <typename H, cudaError_t (*Destroy)(H)>
class CudaHandle {
 public:
  CudaHandle() = default;
  // Takes ownership of `handle`, made on `device`.
  CudaHandle(int device, H handle) noexcept : device_(device), handle_(handle) {}
  CudaHandle(CudaHandle&& other) noexcept
      : device_(other.device_), handle_(std::exchange(other.handle_, nullptr)) {}
  CudaHandle& operator=(CudaHandle&& other) noexcept {
    if (this != &other) {
      Reset();
      device_ = other.device_;
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  CudaHandle(const CudaHandle&) = delete;
  CudaHandle& operator=(const CudaHandle&) = delete;
  ~CudaHandle() { Reset(); }

  H get() const { return handle_; }
  int device() const { return device_; }
  explicit operator bool() const { return handle_ != nullptr; }

  // Releases the handle now (with its device current); holds nothing afterwards.
  void Reset() noexcept {
    if (handle_ == nullptr) return;
    ScopedDevice on(device_);
    Destroy(handle_);
    (void)cudaGetLastError();  // an ignored failure is not left for a later check
    handle_ = nullptr;
  }

 private:
  int device_ = -1;
  H handle_ = nullptr;
};

using CudaStream = CudaHandle<cudaStream_t, cudaStreamDestroy>;
using CudaEvent = CudaHandle<cudaEvent_t, cudaEventDestroy>;
using CudaGraph = CudaHandle<cudaGraph_t, cudaGraphDestroy>;
using CudaGraphExec = CudaHandle<cudaGraphExec_t, cudaGraphExecDestroy>;

// A stream of `device` that does not synchronise with the legacy default stream
// (cudaStreamNonBlocking).
CudaStream MakeStream(int device);
// An event of `device` for ordering streams only (cudaEventDisableTiming: cheaper to record and
// wait on; cudaEventElapsedTime refuses it).
CudaEvent MakeSyncEvent(int device);
// An event of `device` that can be timed (default flags).
CudaEvent MakeTimingEvent(int device);

// Waits for `stop` and returns the milliseconds between two timing events recorded in that order.
float WaitElapsedMs(cudaEvent_t start, cudaEvent_t stop);

// Device memory from cudaMalloc (256-byte aligned), bound to the device current at Allocate.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer&& other) noexcept
      : memory_(std::move(other.memory_)), bytes_(std::exchange(other.bytes_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
      memory_ = std::move(other.memory_);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }

  // `bytes` on the current device; 0 bytes: an empty buffer (null pointer), no allocation.
  // Throws CaseSkipped when the device is out of memory, std::runtime_error on other errors.
  static DeviceBuffer Allocate(size_t bytes);

  void* get() const { return memory_.get(); }
  template <typename T>
  T* as() const {
    return static_cast<T*>(memory_.get());
  }
  size_t bytes() const { return bytes_; }
  int device() const { return memory_.device(); }

 private:
  CudaHandle<void*, cudaFree> memory_;
  size_t bytes_ = 0;
};

// Page-locked host memory, mapped into the device address space (device_ptr) and visible to every
// context (portable): allocated here (cudaHostAlloc, freed with cudaFreeHost) or the caller's
// memory registered (cudaHostRegister, unregistered on release; that memory must outlive this).
class PinnedHost {
 public:
  PinnedHost() = default;
  PinnedHost(PinnedHost&& other) noexcept
      : host_(std::exchange(other.host_, nullptr)),
        device_ptr_(std::exchange(other.device_ptr_, nullptr)),
        bytes_(std::exchange(other.bytes_, 0)),
        allocated_(other.allocated_) {}
  PinnedHost& operator=(PinnedHost&& other) noexcept;
  PinnedHost(const PinnedHost&) = delete;
  PinnedHost& operator=(const PinnedHost&) = delete;
  ~PinnedHost() { Reset(); }

  static PinnedHost Allocate(size_t bytes);
  static PinnedHost Register(void* data, size_t bytes);

  void* host() const { return host_; }
  void* device_ptr() const { return device_ptr_; }
  size_t bytes() const { return bytes_; }
  // Frees or unregisters now; holds nothing afterwards. Errors are ignored.
  void Reset() noexcept;

 private:
  void* host_ = nullptr;
  void* device_ptr_ = nullptr;
  size_t bytes_ = 0;
  bool allocated_ = false;  // cudaHostAlloc (else cudaHostRegister)
};

}  // namespace gq
