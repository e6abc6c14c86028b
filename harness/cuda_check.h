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
#include <cublasLt.h>
#include <cuda_runtime.h>

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
