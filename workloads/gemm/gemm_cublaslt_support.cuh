#pragma once
// What cuBLASLt runs for each gemm dtype: the data, compute and scale types, and the cases it
// cannot run on a GPU of a given compute capability (skipped with a reason).
#include <cublasLt.h>

#include "workloads/gemm/gemm_problem.h"

namespace gq {

struct GemmLtTypes {
  cudaDataType_t in;   // A and B
  cudaDataType_t out;  // C and D
  cublasComputeType_t compute;
  cudaDataType_t scale;  // alpha and beta
};

GemmLtTypes GemmLtTypesFor(Dtype dtype);

// Throws CaseSkipped naming the reason and the supported dtypes when cuBLASLt cannot run `g` on a
// GPU of compute capability `cc` (10 * major + minor).
void CheckGemmSupportedByCublasLt(const GemmProblem& g, int cc);

}  // namespace gq
