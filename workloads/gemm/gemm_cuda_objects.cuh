#pragma once
// Owners (RAII) of the cuBLASLt objects a GEMM case holds (CUDA streams, events and device
// memory: harness/gpu/cuda_resources.cuh). Destructors release without throwing and ignore
// errors; the owner of a group of them makes its device current first. Move-only.
#include <cublasLt.h>

#include <cstddef>
#include <utility>

#include "harness/gpu/cuda_resources.cuh"

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

}  // namespace gq
