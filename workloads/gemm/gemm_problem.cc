#include "workloads/gemm/gemm_problem.h"

#include "harness/errors.h"

namespace gq {

const char* GemmDtypeName(GemmDtype dtype) {
  switch (dtype) {
    case GemmDtype::kBf16:
      return "bf16";
    case GemmDtype::kFp16:
      return "fp16";
    case GemmDtype::kTf32:
      return "tf32";
    case GemmDtype::kFp32:
      return "fp32";
    case GemmDtype::kFp64:
      return "fp64";
    case GemmDtype::kFp8E4m3:
      return "fp8_e4m3";
  }
  return "?";
}

GemmDtype ParseGemmDtype(const std::string& name) {
  for (GemmDtype d : {GemmDtype::kBf16, GemmDtype::kFp16, GemmDtype::kTf32, GemmDtype::kFp32,
                      GemmDtype::kFp64, GemmDtype::kFp8E4m3}) {
    if (name == GemmDtypeName(d)) return d;
  }
  throw UsageError("gemm: unknown dtype '" + name +
                   "' (choices: bf16, fp16, tf32, fp32, fp64, fp8_e4m3)");
}

const char* GemmLayoutName(GemmLayout layout) { return layout == GemmLayout::kTN ? "TN" : "NN"; }

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

size_t GemmInputElemBytes(GemmDtype dtype) {
  switch (dtype) {
    case GemmDtype::kBf16:
    case GemmDtype::kFp16:
      return 2;
    case GemmDtype::kTf32:
    case GemmDtype::kFp32:
      return 4;
    case GemmDtype::kFp64:
      return 8;
    case GemmDtype::kFp8E4m3:
      return 1;
  }
  return 0;
}

size_t GemmOutputElemBytes(GemmDtype dtype) {
  return dtype == GemmDtype::kFp8E4m3 ? 2 : GemmInputElemBytes(dtype);
}

const char* GemmComputeDtype(GemmDtype dtype) {
  // The datasheet peak tables name fp8 without its format; every other dtype by its own name.
  return dtype == GemmDtype::kFp8E4m3 ? "fp8" : GemmDtypeName(dtype);
}

GemmProblem GemmProblemFromCase(const CaseSpec& spec) {
  GemmProblem g;
  g.dtype = ParseGemmDtype(spec.Get("dtype"));
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
  work.bytes = (m * k + k * n) * static_cast<double>(GemmInputElemBytes(g.dtype)) +
               m * n * static_cast<double>(GemmOutputElemBytes(g.dtype));
  work.compute_dtype = GemmComputeDtype(g.dtype);
  return work;
}

}  // namespace gq
