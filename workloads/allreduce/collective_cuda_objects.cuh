#pragma once
// Owners (RAII) of the CUDA objects of a collective case, each bound to the device it was made on:
// destructors make that device current, release, and ignore errors (no throwing). Move-only.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdio>
#include <utility>

#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"

namespace gq {

template <typename H, cudaError_t (*Destroy)(H)>
class CudaOwned {
 public:
  CudaOwned() = default;
  CudaOwned(int device, H handle) : device_(device), handle_(handle) {}
  CudaOwned(CudaOwned&& other) noexcept
      : device_(other.device_), handle_(std::exchange(other.handle_, nullptr)) {}
  CudaOwned& operator=(CudaOwned&& other) noexcept {
    if (this != &other) {
      Release();
      device_ = other.device_;
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~CudaOwned() { Release(); }

  H get() const { return handle_; }
  int device() const { return device_; }

 private:
  void Release() noexcept {
    if (handle_ != nullptr) {
      cudaSetDevice(device_);
      Destroy(handle_);
    }
    handle_ = nullptr;
  }
  int device_ = 0;
  H handle_ = nullptr;
};

using OwnedStream = CudaOwned<cudaStream_t, cudaStreamDestroy>;
using OwnedEvent = CudaOwned<cudaEvent_t, cudaEventDestroy>;
using OwnedGraph = CudaOwned<cudaGraph_t, cudaGraphDestroy>;
using OwnedGraphExec = CudaOwned<cudaGraphExec_t, cudaGraphExecDestroy>;

inline OwnedStream MakeStream(int device) {
  GQ_CUDA_CHECK(cudaSetDevice(device));
  cudaStream_t stream = nullptr;
  GQ_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  return OwnedStream(device, stream);
}

// An event for ordering streams only (no timing: cheaper to record and wait on).
inline OwnedEvent MakeSyncEvent(int device) {
  GQ_CUDA_CHECK(cudaSetDevice(device));
  cudaEvent_t event = nullptr;
  GQ_CUDA_CHECK(cudaEventCreateWithFlags(&event, cudaEventDisableTiming));
  return OwnedEvent(device, event);
}

// Device memory from cudaMalloc on `device`; out of memory throws CaseSkipped (DESIGN.md §9).
class DeviceMemory {
 public:
  DeviceMemory() = default;
  static DeviceMemory Allocate(int device, size_t bytes) {
    DeviceMemory m;
    if (bytes == 0) return m;
    GQ_CUDA_CHECK(cudaSetDevice(device));
    void* ptr = nullptr;
    const cudaError_t status = cudaMalloc(&ptr, bytes);
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();  // not sticky: clear it
      char text[96];
      std::snprintf(text, sizeof(text), "cudaMalloc of %.2f GiB on cuda:%d failed: out of memory",
                    bytes / double(1ull << 30), device);
      throw CaseSkipped(text);
    }
    GQ_CUDA_CHECK(status);
    m.memory_ = CudaOwned<void*, cudaFree>(device, ptr);
    m.bytes_ = bytes;
    return m;
  }
  char* get() const { return static_cast<char*>(memory_.get()); }
  size_t bytes() const { return bytes_; }

 private:
  CudaOwned<void*, cudaFree> memory_;
  size_t bytes_ = 0;
};

}  // namespace gq
