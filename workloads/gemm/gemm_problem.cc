#include "workloads/gemm/gemm_problem.h"

#include "harness/errors.h"

namespace gq {

GemmLayout ParseGemmLayout(const std::string& name) {
  if (name == "TN") return GemmLayout::kTN;
  if (name == "NN") return GemmLayout::kNN;
  throw UsageError("gemm: unknown layout '" + name + "' (choices: TN, NN)");
}

GemmAlgo ParseGemmAlgo(const std::string& name) {
  if (name == "autotune") return GemmAlgo::kAutotune;
  if (name == "heuristic") return GemmAlgo::kHeuristic;
  throw UsageError("gemm: unknown algo '" + name + "' (choices: autotune, heuristic)");
}

Dtype GemmOutputDtype(Dtype dtype) { return dtype == Dtype::kFp8E4m3 ? Dtype::kBf16 : dtype; }

GemmProblem GemmProblemFromCase(const CaseSpec& spec) {
  GemmProblem g;
  g.dtype = ParseDtype("gemm", spec.Get("dtype"), kGemmDtypes);
  g.m = spec.GetInt("m");
  g.n = spec.GetInt("n");
  g.k = spec.GetInt("k");
  for (const auto& [name, value] :
       {std::pair{"m", g.m}, std::pair{"n", g.n}, std::pair{"k", g.k}}) {
    if (value < 1) {
      throw UsageError(std::string("gemm: ") + name + " must be >= 1 (got " +
                       std::to_string(value) + ")");
    }
  }
  g.layout = ParseGemmLayout(spec.Get("layout"));
  g.algo = ParseGemmAlgo(spec.Get("algo"));
  g.seed = SeedFromText(spec.Id());
  return g;
}

Work GemmWork(const GemmProblem& g) {
  const double m = static_cast<double>(g.m);
  const double n = static_cast<double>(g.n);
  const double k = static_cast<double>(g.k);
  Work work;
  // Each of the m*n outputs is a dot product of length k: one multiply and one add per term, so
  // m*n*k multiplies and m*n*k adds (the xGEMM operation count of LAPACK Working Note 41, and the
  // 2mnk that cuBLAS benchmarks, nvbench and mamf-finder derive TFLOP/s from).
  work.flops = 2.0 * m * n * k;
  // Fewest bytes (DESIGN.md §3): A (m x k) and B (k x n) read once, C (m x n) written once; C is
  // not read because beta = 0.
  work.bytes = (m * k + k * n) * static_cast<double>(DtypeBytes(g.dtype)) +
               m * n * static_cast<double>(DtypeBytes(GemmOutputDtype(g.dtype)));
  work.compute_dtype = DtypePeakKey(g.dtype);
  return work;
}

}  // namespace gq
