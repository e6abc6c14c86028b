// Type table and support checks of the cuBLASLt gemm backend (contract in
// gemm_cublaslt_support.cuh). Sources: cuBLAS documentation, cublasLtMatmul() (supported type
// combinations; the FP8 requirements: Ada 8.9, Hopper 9.x and Blackwell GeForce 12.x take only
// "TN", A transposed and B not; 16-byte aligned pointers and leading dimensions; fp32 scale type
// and compute type).
#include <stdexcept>
#include <string>

#include "harness/errors.h"
#include "harness/gpu/cuda_dtype.cuh"
#include "workloads/gemm/gemm_cublaslt_support.cuh"

namespace gq {

GemmLtTypes GemmLtTypesFor(Dtype dtype) {
  // Data types from the dtype table (tf32 data is fp32); fp32 accumulate and scale, except fp64
  // throughout, and tf32 tensor cores for tf32.
  GemmLtTypes types;
  types.in = CudaDataType(dtype);
  types.out = CudaDataType(GemmOutputDtype(dtype));
  types.compute = dtype == Dtype::kFp64   ? CUBLAS_COMPUTE_64F
                  : dtype == Dtype::kTf32 ? CUBLAS_COMPUTE_32F_FAST_TF32
                                          : CUBLAS_COMPUTE_32F;
  types.scale = dtype == Dtype::kFp64 ? CUDA_R_64F : CUDA_R_32F;
  return types;
}

void CheckGemmSupportedByCublasLt(const GemmProblem& g, int cc) {
  const std::string here = std::to_string(cc / 10) + "." + std::to_string(cc % 10);
  const std::string name = DtypeName(g.dtype);
  // bf16 and tf32 tensor cores arrived with Ampere (8.0).
  if ((g.dtype == Dtype::kBf16 || g.dtype == Dtype::kTf32) && cc < 80) {
    throw CaseSkipped(name + " needs compute capability >= 8.0 (this GPU is " + here +
                      "; supported here: fp16, fp32, fp64)");
  }
  if (g.dtype != Dtype::kFp8E4m3) return;
  if (cc < 89) {
    throw CaseSkipped("fp8_e4m3 needs compute capability >= 8.9 (this GPU is " + here +
                      "; supported here: " + (cc >= 80 ? "bf16, fp16, tf32, " : "fp16, ") +
                      "fp32, fp64)");
  }
  // Only data-centre Blackwell (10.x) fp8 kernels take layouts other than TN.
  if (g.layout != GemmLayout::kTN && cc / 10 != 10) {
    throw CaseSkipped("fp8_e4m3 on compute capability " + here +
                      " needs the TN layout (cuBLASLt fp8 requirement: A transposed, B not)");
  }
  // 16-byte aligned leading dimensions: ldb = k one-byte elements, lda = k (TN) or m (NN)
  // one-byte elements, ldc = m bf16 elements.
  const int64_t m_multiple = g.layout == GemmLayout::kTN ? 8 : 16;
  if (g.k % 16 != 0 || g.m % m_multiple != 0) {
    throw CaseSkipped("fp8_e4m3 " + std::string(g.layout == GemmLayout::kTN ? "TN" : "NN") +
                      " needs k a multiple of 16 and m a multiple of " + std::to_string(m_multiple) +
                      " (16-byte aligned leading dimensions); got m=" + std::to_string(g.m) +
                      " k=" + std::to_string(g.k));
  }
}

}  // namespace gq
