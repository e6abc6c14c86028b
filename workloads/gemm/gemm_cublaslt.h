#pragma once
// The cuBLASLt backend of the gemm workload (built only with the CUDA backend; host-includable).
//
// Types per dtype (A, B -> C/D, compute):
//   bf16, fp16:  same type in and out, CUBLAS_COMPUTE_32F
//   tf32:        fp32 in and out, CUBLAS_COMPUTE_32F_FAST_TF32
//   fp32:        fp32 in and out, CUBLAS_COMPUTE_32F (no tensor cores)
//   fp64:        fp64 in and out, CUBLAS_COMPUTE_64F
//   fp8_e4m3:    e4m3 in with per-tensor scales 0.5 (A) and 0.25 (B), bf16 out, CUBLAS_COMPUTE_32F
// Inputs are seeded random values uniform in (-1, 1) made on the device. Small problems rotate
// among several operand copies so that repeated runs do not hit in L2. Prepare selects the
// algorithm (heuristic, or autotune over the top candidates) outside the timed region; Run issues
// exactly one cublasLtMatmul on the given stream.
#include <memory>

#include "harness/device.h"
#include "harness/workload.h"
#include "workloads/gemm/gemm_problem.h"

namespace gq {

// `ctx` must be a CUDA context; the prepared case uses its stream and must not outlive it.
std::unique_ptr<PreparedCase> PrepareGemmCublasLt(const GemmProblem& problem, DeviceContext& ctx);

}  // namespace gq
