#pragma once
// Checking macros for CUDA runtime and cuBLASLt calls (DESIGN.md §9). Include only from .cu files.
//
// Each macro evaluates the call once and, when it did not succeed, throws std::runtime_error with
//   "<file>:<line>: <call text> failed: <error name>: <library error string>"
// The runner catches it per case and records the case as failed.
//   GQ_CUDA_CHECK(call)     call returns cudaError_t
//   GQ_CUDA_CHECK_LAUNCH()  checks the last kernel launch (cudaGetLastError, which also clears a
//                           non-sticky error)
//   GQ_CUBLAS_CHECK(call)   call returns cublasStatus_t (cuBLASLt); the text comes from
//                           cublasLtGetStatusString, the cuBLASLt counterpart of cuBLAS's
//                           cublasGetStatusString (libcublas itself is not linked).
//   GQ_NCCL_CHECK(call)     call returns ncclResult_t (only where NCCL is built, GQ_WITH_NCCL);
//                           the text comes from ncclGetErrorString, plus ncclGetLastError's
//                           detail when NCCL has one.
#include <cublasLt.h>
#include <cuda_runtime.h>
#if GQ_WITH_NCCL
#include <nccl.h>
#endif

#include <stdexcept>
#include <string>

namespace gq::cuda_check_internal {

[[noreturn]] inline void ThrowCallError(const char* file, int line, const char* call,
                                        const char* name, const char* message) {
  throw std::runtime_error(std::string(file) + ":" + std::to_string(line) + ": " + call +
                           " failed: " + name + ": " + message);
}

}  // namespace gq::cuda_check_internal

#define GQ_CUDA_CHECK(call)                                                           \
  do {                                                                                \
    const cudaError_t gq_cuda_status_ = (call);                                       \
    if (gq_cuda_status_ != cudaSuccess) {                                             \
      (void)cudaGetLastError(); /* not left for a later, unrelated check */           \
      ::gq::cuda_check_internal::ThrowCallError(__FILE__, __LINE__, #call,            \
                                                cudaGetErrorName(gq_cuda_status_),    \
                                                cudaGetErrorString(gq_cuda_status_)); \
    }                                                                                 \
  } while (0)

#define GQ_CUDA_CHECK_LAUNCH() GQ_CUDA_CHECK(cudaGetLastError())

#define GQ_CUBLAS_CHECK(call)                                                                \
  do {                                                                                       \
    const cublasStatus_t gq_cublas_status_ = (call);                                         \
    if (gq_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                        \
      ::gq::cuda_check_internal::ThrowCallError(__FILE__, __LINE__, #call,                   \
                                                cublasLtGetStatusName(gq_cublas_status_),    \
                                                cublasLtGetStatusString(gq_cublas_status_)); \
    }                                                                                        \
  } while (0)

#if GQ_WITH_NCCL
#define GQ_NCCL_CHECK(call)                                                                   \
  do {                                                                                        \
    const ncclResult_t gq_nccl_status_ = (call);                                              \
    if (gq_nccl_status_ != ncclSuccess) {                                                     \
      const char* gq_nccl_last_ = ncclGetLastError(nullptr);                                  \
      ::gq::cuda_check_internal::ThrowCallError(                                              \
          __FILE__, __LINE__, #call, ncclGetErrorString(gq_nccl_status_),                     \
          gq_nccl_last_ != nullptr && gq_nccl_last_[0] != '\0' ? gq_nccl_last_ : "no detail"); \
    }                                                                                         \
  } while (0)
#endif
