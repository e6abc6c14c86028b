#pragma once
// Verification of a GEMM output against float64 dot products (DESIGN.md §3, Verify).
//
// Samples output entries C(i, j) (seeded, so reruns check the same entries): the corners, one in
// every block of C (so that no wrong output tile of 64 x 64 or more, e.g. the tiles one faulty SM
// computed, goes unseen) and seeded draws up to a count. Recomputes each as a
// float64 dot product of the exact input values the backend multiplied (after quantisation to the
// dtype and any per-tensor scale), and reports the worst normalised error
//   err(i, j) = |C(i, j) - ref(i, j)| / sum_p |op(A)(i, p) * op(B)(p, j)|.
// The denominator is the magnitude bound of the dot product, not |ref|: with inputs of both signs
// the terms cancel, |ref| can be arbitrarily close to 0, and an error relative to it would be
// unbounded even for a correct result. Floating-point error analysis bounds the error of a dot
// product by (unit roundoff) x (a small multiple) x sum |a_p b_p| (Higham, Accuracy and Stability
// of Numerical Algorithms, 2nd ed., §3.1), so this ratio has a dtype-dependent bound independent of
// the data. A non-finite output never passes. Pure host code.
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "harness/workload.h"
#include "workloads/gemm/gemm_problem.h"

namespace gq {

inline constexpr int kGemmVerifySamples = 256;
// Side of the blocks of C that each hold a checked entry: the output tiles of the tensor-core
// GEMM kernels are 64 x 64 to 256 x 256 entries, aligned to their size, so every such tile holds a
// whole block (smaller tiles are caught by chance). The side doubles while the checked entries
// would take more than kGemmVerifyMaxTerms dot-product terms (about a second on one core): 64 for
// m = n = k = 8192 (16384 blocks, 2^27 terms), 256 at 16384^3.
inline constexpr int64_t kGemmVerifyBlock = 64;
inline constexpr int64_t kGemmVerifyMaxTerms = int64_t{1} << 27;

// Element accessors in BLAS terms: a(i, p) = op(A)(i, p), b(p, j) = op(B)(p, j), c(i, j) = the
// backend's output, all as doubles.
struct GemmVerifyInput {
  int64_t m = 0, n = 0, k = 0;
  std::function<double(int64_t i, int64_t p)> a;
  std::function<double(int64_t p, int64_t j)> b;
  std::function<double(int64_t i, int64_t j)> c;
};

// Tolerance on the normalised error for each dtype (reasoning in gemm_reference.cc).
double GemmTolerance(Dtype dtype);

// The side of the checked blocks for an m x n x k product (kGemmVerifyBlock, doubled as above).
int64_t GemmVerifyBlockSide(int64_t m, int64_t n, int64_t k);

// The (i, j) entries checked: every entry when m * n <= count, else the four corners, one seeded
// entry in every GemmVerifyBlockSide block (row-major over the blocks; edge blocks are cut by the
// matrix), then seeded uniform draws (with replacement) until there are at least `count`.
std::vector<std::pair<int64_t, int64_t>> GemmSamplePositions(int64_t m, int64_t n, int64_t k, uint64_t seed,
                                                             int count = kGemmVerifySamples);

VerifyResult VerifyGemmSampled(const GemmVerifyInput& input, double tolerance, uint64_t seed,
                               int count = kGemmVerifySamples);

}  // namespace gq
