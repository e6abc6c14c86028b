#pragma once
// Owners (RAII) of the CUDA memory and cuBLASLt objects a GEMM case holds. Destructors release
// without throwing and ignore errors; the owner of a group of them makes its device current
// first. Move-only.
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdio>
#include <utility>

#include "harness/cuda_check.h"
#include "harness/errors.h"

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

// Owner of one cuBLASLt opaque handle type H, destroyed with `Destroy`.
template <typename H, cublasStatus_t (*Destroy)(H)>
class LtObject {
 public:
  LtObject() = default;
  LtObject(LtObject&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  LtObject& operator=(LtObject&& other) noexcept {
    if (this != &other) {
      Release();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~LtObject() { Release(); }

  H get() const { return handle_; }
  // Where a cublasLt*Create call writes the new handle (any previous one is released first).
  H* out() {
    Release();
    return &handle_;
  }

 private:
  void Release() noexcept {
    if (handle_ != nullptr) Destroy(handle_);
    handle_ = nullptr;
  }
  H handle_ = nullptr;
};

using LtHandle = LtObject<cublasLtHandle_t, cublasLtDestroy>;
using LtMatmulDesc = LtObject<cublasLtMatmulDesc_t, cublasLtMatmulDescDestroy>;
using LtMatrixLayout = LtObject<cublasLtMatrixLayout_t, cublasLtMatrixLayoutDestroy>;
using LtPreference = LtObject<cublasLtMatmulPreference_t, cublasLtMatmulPreferenceDestroy>;

// A CUDA event pair for timing work on one stream.
class EventPair {
 public:
  EventPair() {
    GQ_CUDA_CHECK(cudaEventCreate(&start_));
    const cudaError_t status = cudaEventCreate(&stop_);
    if (status != cudaSuccess) {
      cudaEventDestroy(start_);
      GQ_CUDA_CHECK(status);
    }
  }
  EventPair(const EventPair&) = delete;
  EventPair& operator=(const EventPair&) = delete;
  ~EventPair() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  cudaEvent_t start() const { return start_; }
  cudaEvent_t stop() const { return stop_; }
  // Waits for the stop event; returns stop - start in milliseconds.
  float WaitMs() const {
    GQ_CUDA_CHECK(cudaEventSynchronize(stop_));
    float ms = 0;
    GQ_CUDA_CHECK(cudaEventElapsedTime(&ms, start_, stop_));
    return ms;
  }

 private:
  cudaEvent_t start_ = nullptr;
  cudaEvent_t stop_ = nullptr;
};

}  // namespace gq
