#pragma once
// One GEMM case in BLAS terms, shared by the workload, its backends and its reference check.
//
// Column-major (BLAS) convention throughout: C (m x n) = op(A) * op(B), alpha = 1, beta = 0.
// Element (r, c) of a column-major matrix with leading dimension ld sits at index r + c * ld.
//   layout TN: A is stored k x m, ld = k, op(A) = A^T:  op(A)(i, p) = A[p + i * k]
//   layout NN: A is stored m x k, ld = m, op(A) = A:    op(A)(i, p) = A[i + p * m]
//   both:      B is stored k x n, ld = k, op(B) = B:    op(B)(p, j) = B[p + j * k]
//              C is stored m x n, ld = m:               C(i, j)     = C[i + j * m]
// So TN reads both operands along contiguous k-runs (the layout cuBLASLt requires for fp8 on
// Hopper), and NN is plain column-major A times B.
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/axis.h"
#include "harness/dtype.h"
#include "harness/seeds.h"
#include "harness/work.h"

namespace gq {

// The gemm dtype axis, in its order (tf32: fp32 data on tf32 tensor cores; fp8_e4m3: bf16 output).
inline constexpr Dtype kGemmDtypes[] = {Dtype::kBf16, Dtype::kFp16, Dtype::kTf32,
                                        Dtype::kFp32, Dtype::kFp64, Dtype::kFp8E4m3};
enum class GemmLayout { kTN, kNN };
enum class GemmAlgo { kAutotune, kHeuristic };

struct GemmProblem {
  Dtype dtype = Dtype::kBf16;  // one of kGemmDtypes
  int64_t m = 1, n = 1, k = 1;
  GemmLayout layout = GemmLayout::kTN;
  GemmAlgo algo = GemmAlgo::kAutotune;
  uint64_t seed = 0;  // base seed of the random inputs, derived from the case id
};

GemmLayout ParseGemmLayout(const std::string& name);
GemmAlgo ParseGemmAlgo(const std::string& name);

// The type of C: fp8_e4m3 writes bf16, every other dtype its own. A and B are of the case's dtype
// (DtypeBytes each; tf32 inputs are fp32 in memory).
Dtype GemmOutputDtype(Dtype dtype);

// Reads dtype, m, n, k, layout and algo from the case. Throws UsageError for m, n or k < 1 or an
// unknown value.
GemmProblem GemmProblemFromCase(const CaseSpec& spec);

// flops = 2 m n k, bytes = (m k + k n) * input size + m n * output size (see gemm_problem.cc).
Work GemmWork(const GemmProblem& problem);

// Offsets of op(A)(i, p), op(B)(p, j) and C(i, j) in the storage described above.
inline int64_t GemmOpAIndex(const GemmProblem& g, int64_t i, int64_t p) {
  return g.layout == GemmLayout::kTN ? p + i * g.k : i + p * g.m;
}
inline int64_t GemmOpBIndex(const GemmProblem& g, int64_t p, int64_t j) { return p + j * g.k; }
inline int64_t GemmCIndex(const GemmProblem& g, int64_t i, int64_t j) { return i + j * g.m; }

}  // namespace gq
