#pragma once
// The CPU backend of the gemm workload: OpenBLAS cblas_sgemm (fp32) and cblas_dgemm (fp64) on
// column-major operands stored as described in gemm_problem.h, alpha = 1, beta = 0. Inputs are
// seeded (std::mt19937_64 from the case seed) uniform in [-1, 1]. Run ignores the stream.
#include <memory>

#include "harness/workload.h"
#include "workloads/gemm/gemm_problem.h"

namespace gq {

// Throws CaseSkipped for a dtype other than fp32/fp64 or dimensions beyond the BLAS integer range.
std::unique_ptr<PreparedCase> PrepareGemmCpu(const GemmProblem& problem);

}  // namespace gq
