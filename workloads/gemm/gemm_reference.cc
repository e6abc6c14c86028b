#include "workloads/gemm/gemm_reference.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

namespace gq {

// Bounds on err = |c - ref| / sum |a b| (see the header). u is the unit roundoff of the format
// (2^-(mantissa bits + 1)).
// - fp64: u = 1.1e-16; even a worst-case recursive sum of k = 65536 terms stays below
//   k u = 7e-12 and blocked/FMA sums are far below it; 1e-12.
// - fp32 (FFMA, fp32 accumulate): u = 6.0e-8; the error grows like u sqrt(k) when the rounding
//   errors of the partial sums are correlated (~8e-6 at k = 16384) and like u in the typical case;
//   1e-5.
// - tf32: the tensor cores round fp32 inputs to tf32 (10 explicit mantissa bits, u = 4.9e-4),
//   while the reference uses the fp32 values: each product is off by up to ~2u = 1e-3 relative;
//   2e-3.
// - fp16 (fp32 accumulate, fp16 output): rounding the output costs u = 4.9e-4 relative to |c|
//   <= sum |a b|, plus fp32 accumulation; 5e-3 leaves margin for the accumulation order.
// - bf16 (fp32 accumulate, bf16 output): output rounding u = 3.9e-3; 1e-2.
// - fp8_e4m3 (exact products of the quantised inputs, fp32 accumulate, bf16 output): dominated by
//   the bf16 output rounding, 3.9e-3; 1e-2.
double GemmTolerance(Dtype dtype) {
  switch (dtype) {
    case Dtype::kFp64:
      return 1e-12;
    case Dtype::kFp32:
      return 1e-5;
    case Dtype::kTf32:
      return 2e-3;
    case Dtype::kFp16:
      return 5e-3;
    case Dtype::kBf16:
      return 1e-2;
    case Dtype::kFp8E4m3:
      return 1e-2;
    default:
      break;
  }
  return 0;
}

int64_t GemmVerifyBlockSide(int64_t m, int64_t n, int64_t k) {
  int64_t side = kGemmVerifyBlock;
  auto blocks = [&] { return ((m + side - 1) / side) * ((n + side - 1) / side); };
  while (blocks() > 1 && blocks() * std::max<int64_t>(k, 1) > kGemmVerifyMaxTerms) side *= 2;
  return side;
}

std::vector<std::pair<int64_t, int64_t>> GemmSamplePositions(int64_t m, int64_t n, int64_t k, uint64_t seed,
                                                             int count) {
  std::vector<std::pair<int64_t, int64_t>> positions;
  if (m <= 0 || n <= 0 || count <= 0) return positions;
  if (m * n <= count) {
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t i = 0; i < m; ++i) positions.emplace_back(i, j);
    }
    return positions;
  }
  // Corners first: off-by-one indexing shows at the edges.
  positions = {{0, 0}, {m - 1, 0}, {0, n - 1}, {m - 1, n - 1}};
  std::mt19937_64 rng(seed);
  const int64_t side = GemmVerifyBlockSide(m, n, k);
  for (int64_t i0 = 0; i0 < m; i0 += side) {
    for (int64_t j0 = 0; j0 < n; j0 += side) {
      std::uniform_int_distribution<int64_t> in_rows(i0, std::min(m, i0 + side) - 1);
      std::uniform_int_distribution<int64_t> in_cols(j0, std::min(n, j0 + side) - 1);
      const int64_t i = in_rows(rng);
      positions.emplace_back(i, in_cols(rng));
    }
  }
  std::uniform_int_distribution<int64_t> row(0, m - 1);
  std::uniform_int_distribution<int64_t> col(0, n - 1);
  while (static_cast<int>(positions.size()) < count) {
    const int64_t i = row(rng);
    const int64_t j = col(rng);
    positions.emplace_back(i, j);
  }
  return positions;
}

VerifyResult VerifyGemmSampled(const GemmVerifyInput& input, double tolerance, uint64_t seed,
                               int count) {
  const auto positions = GemmSamplePositions(input.m, input.n, input.k, seed, count);
  VerifyResult result;
  result.tolerance = tolerance;
  double worst = -1;  // below any error, so the first sample is always recorded
  int64_t worst_i = 0, worst_j = 0;
  double worst_got = 0, worst_want = 0;
  bool non_finite = false;
  for (const auto& [i, j] : positions) {
    double ref = 0;
    double bound = 0;
    for (int64_t p = 0; p < input.k; ++p) {
      const double term = input.a(i, p) * input.b(p, j);
      ref += term;
      bound += std::fabs(term);
    }
    const double got = input.c(i, j);
    double err;
    if (!std::isfinite(got)) {
      err = std::numeric_limits<double>::infinity();
      non_finite = true;
    } else if (bound > 0) {
      err = std::fabs(got - ref) / bound;
    } else {
      // Every term is zero, so the exact result is 0 and any other value is wrong.
      err = got == 0 ? 0 : std::numeric_limits<double>::infinity();
    }
    if (err > worst) {
      worst = err;
      worst_i = i;
      worst_j = j;
      worst_got = got;
      worst_want = ref;
    }
  }
  result.max_rel_err = worst < 0 ? 0 : worst;
  result.passed = !non_finite && worst <= tolerance;
  char where[160];
  std::snprintf(where, sizeof(where), "; worst C(%lld,%lld) = %.9g, float64 reference %.9g",
                static_cast<long long>(worst_i), static_cast<long long>(worst_j), worst_got,
                worst_want);
  result.detail = std::to_string(positions.size()) + " sampled elements vs float64 dot products, error / sum|a*b|";
  if (input.m * input.n > count) {
    const int64_t side = GemmVerifyBlockSide(input.m, input.n, input.k);
    result.detail += " (one in every " + std::to_string(side) + "x" + std::to_string(side) + " block of C)";
  }
  result.detail += where;
  if (non_finite) result.detail += " (non-finite output)";
  return result;
}

}  // namespace gq
