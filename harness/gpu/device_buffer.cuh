#pragma once
// Owner (RAII) of device memory, for every workload's CUDA backend. The destructor frees without
// throwing and ignores errors. Move-only. Include only from .cu / .cuh files.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdio>
#include <utility>

#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"

namespace gq {

// Device memory from cudaMalloc (256-byte aligned). Allocate throws CaseSkipped when the device is
// out of memory (DESIGN.md §9: out-of-memory skips the case), std::runtime_error otherwise.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer&& other) noexcept
      : ptr_(std::exchange(other.ptr_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
      Release();
      ptr_ = std::exchange(other.ptr_, nullptr);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  ~DeviceBuffer() { Release(); }

  static DeviceBuffer Allocate(size_t bytes) {
    DeviceBuffer buffer;
    const cudaError_t status = cudaMalloc(&buffer.ptr_, bytes);
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();  // not sticky: clear it so later calls do not report it
      char text[96];
      std::snprintf(text, sizeof(text), "cudaMalloc of %.2f GiB failed: out of device memory",
                    bytes / double(1ull << 30));
      throw CaseSkipped(text);
    }
    GQ_CUDA_CHECK(status);
    buffer.bytes_ = bytes;
    return buffer;
  }

  void* get() const { return ptr_; }
  template <typename T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }
  size_t bytes() const { return bytes_; }

 private:
  void Release() noexcept {
    if (ptr_ != nullptr) cudaFree(ptr_);
    ptr_ = nullptr;
    bytes_ = 0;
  }
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace gq
