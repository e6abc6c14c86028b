#pragma once
// The type each CUDA library gives a gpuqual element type (harness/dtype.h), where it has one:
//   CudaDataType   cudaDataType_t (cuBLASLt, cuRAND, ...); tf32 data is fp32 (CUDA_R_32F: tf32 is
//                  a compute type, cublasComputeType_t, not a data type)
//   NcclDataType   ncclDataType_t (only with NCCL, GQ_WITH_NCCL); no tf32; fp8_e4m3 from NCCL 2.24
//   CudnnDataType  cudnnDataType_t (only with cuDNN, GQ_WITH_CUDNN); no tf32
// A dtype the library has no type for throws std::invalid_argument naming both. Include only from
// .cu / .cuh files.
#include <library_types.h>

#include <stdexcept>
#include <string>

#include "harness/dtype.h"
#if GQ_WITH_NCCL
#include <nccl.h>
#endif
#if GQ_WITH_CUDNN
#include <cudnn_graph.h>
#endif

namespace gq {
namespace cuda_dtype_internal {

[[noreturn]] inline void ThrowNoType(const char* library, Dtype dtype) {
  throw std::invalid_argument(std::string(library) + " has no type for dtype " + DtypeName(dtype));
}

}  // namespace cuda_dtype_internal

inline cudaDataType_t CudaDataType(Dtype dtype) {
  switch (dtype) {
    case Dtype::kFp64:
      return CUDA_R_64F;
    case Dtype::kFp32:
    case Dtype::kTf32:
      return CUDA_R_32F;
    case Dtype::kBf16:
      return CUDA_R_16BF;
    case Dtype::kFp16:
      return CUDA_R_16F;
    case Dtype::kFp8E4m3:
      return CUDA_R_8F_E4M3;
    case Dtype::kInt64:
      return CUDA_R_64I;
    case Dtype::kInt32:
      return CUDA_R_32I;
    case Dtype::kInt8:
      return CUDA_R_8I;
    case Dtype::kUint8:
      return CUDA_R_8U;
  }
  cuda_dtype_internal::ThrowNoType("CUDA", dtype);
}

#if GQ_WITH_NCCL
inline ncclDataType_t NcclDataType(Dtype dtype) {
  switch (dtype) {
    case Dtype::kFp64:
      return ncclFloat64;
    case Dtype::kFp32:
      return ncclFloat32;
    case Dtype::kBf16:
      return ncclBfloat16;
    case Dtype::kFp16:
      return ncclFloat16;
#if NCCL_VERSION_CODE >= NCCL_VERSION(2, 24, 0)
    case Dtype::kFp8E4m3:
      return ncclFloat8e4m3;
#endif
    case Dtype::kInt64:
      return ncclInt64;
    case Dtype::kInt32:
      return ncclInt32;
    case Dtype::kInt8:
      return ncclInt8;
    case Dtype::kUint8:
      return ncclUint8;
    default:
      break;
  }
  cuda_dtype_internal::ThrowNoType("NCCL", dtype);
}
#endif

#if GQ_WITH_CUDNN
inline cudnnDataType_t CudnnDataType(Dtype dtype) {
  switch (dtype) {
    case Dtype::kFp64:
      return CUDNN_DATA_DOUBLE;
    case Dtype::kFp32:
      return CUDNN_DATA_FLOAT;
    case Dtype::kBf16:
      return CUDNN_DATA_BFLOAT16;
    case Dtype::kFp16:
      return CUDNN_DATA_HALF;
    case Dtype::kFp8E4m3:
      return CUDNN_DATA_FP8_E4M3;
    case Dtype::kInt64:
      return CUDNN_DATA_INT64;
    case Dtype::kInt32:
      return CUDNN_DATA_INT32;
    case Dtype::kInt8:
      return CUDNN_DATA_INT8;
    case Dtype::kUint8:
      return CUDNN_DATA_UINT8;
    default:
      break;
  }
  cuda_dtype_internal::ThrowNoType("cuDNN", dtype);
}
#endif

}  // namespace gq
