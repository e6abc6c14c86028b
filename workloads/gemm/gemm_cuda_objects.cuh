#pragma once
// Owners (RAII) of the cuBLASLt objects and CUDA events a GEMM case holds (device memory:
// harness/gpu/device_buffer.cuh). Destructors release without throwing and ignore errors; the owner
// of a group of them makes its device current first. Move-only.
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>

#include "harness/gpu/cuda_check.h"
#include "harness/gpu/device_buffer.cuh"

namespace gq {

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
