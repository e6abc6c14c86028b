#pragma once
// cuBLASLt algorithm selection for one GEMM problem (done in Prepare, outside the timed region).
//
// cublasLtMatmulAlgoGetHeuristic returns up to kGemmHeuristicRequest candidates ordered by
// estimated time. "heuristic" takes the first usable one. "autotune" runs each of the first
// kGemmAutotuneCandidates on the case's stream: kGemmAutotuneWarmup single calls (the last one
// timed to size the samples), then up to kGemmAutotuneMaxTimed samples, each a CUDA event pair
// around enough back-to-back calls to last about kGemmAutotuneSampleMs (at most
// kGemmAutotuneMaxCallsPerSample), stopping after kGemmAutotuneMinTimed samples once
// kGemmAutotuneBudgetMs of timed work has run. It keeps the lowest median time per call (ties go
// to the earlier rank) and skips a candidate whose call returns an error. Calls rotate through
// the operand copies as Run does, so the timings see the same cache behaviour.
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace gq {

inline constexpr int kGemmHeuristicRequest = 16;
inline constexpr int kGemmAutotuneCandidates = 8;
inline constexpr int kGemmAutotuneWarmup = 2;
inline constexpr int kGemmAutotuneMinTimed = 3;
inline constexpr int kGemmAutotuneMaxTimed = 5;
inline constexpr float kGemmAutotuneBudgetMs = 100.0f;
inline constexpr float kGemmAutotuneSampleMs = 0.5f;
inline constexpr int kGemmAutotuneMaxCallsPerSample = 100;

// Everything one cublasLtMatmul call needs except the operands. D is written in place of C
// (beta = 0), so C and D share the layout `c`.
struct GemmMatmulPlan {
  cublasLtHandle_t handle = nullptr;
  cublasLtMatmulDesc_t desc = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
  const void* alpha = nullptr;  // host pointers of the scale type
  const void* beta = nullptr;
  void* workspace = nullptr;
  size_t workspace_bytes = 0;
};

struct GemmOperandPtrs {
  const void* a = nullptr;
  const void* b = nullptr;
  void* c = nullptr;
};

// One cublasLtMatmul (D = C) on `stream`; returns its status.
inline cublasStatus_t LaunchGemm(const GemmMatmulPlan& plan, const cublasLtMatmulAlgo_t& algo,
                                 const GemmOperandPtrs& ops, cudaStream_t stream) {
  return cublasLtMatmul(plan.handle, plan.desc, plan.alpha, ops.a, plan.a, ops.b, plan.b, plan.beta,
                        ops.c, plan.c, ops.c, plan.c, &algo, plan.workspace, plan.workspace_bytes,
                        stream);
}

struct GemmAlgoSelection {
  cublasLtMatmulAlgo_t algo{};
  int rank = 0;                      // index of the chosen algorithm in heuristic order
  int heuristic_count = 0;           // candidates the heuristic returned
  int timed_count = 0;               // autotune: candidates that ran; 0 for "heuristic"
  std::vector<double> candidate_us;  // autotune: median us per rank, NaN where the call failed
};

// Throws CaseSkipped when the heuristic finds no algorithm, std::runtime_error when no candidate runs.
// `next_copy` is the rotation index, advanced once per call as Run advances it.
GemmAlgoSelection SelectGemmAlgo(const GemmMatmulPlan& plan,
                                 const std::vector<GemmOperandPtrs>& copies, bool autotune,
                                 cudaStream_t stream, size_t& next_copy);

// "algo_id", "tile", "stages", "splitk", "reduction" of an algorithm. tile and stages are the
// numeric cublasLtMatmulTile_t / cublasLtMatmulStages_t values (names in cublasLt.h).
std::map<std::string, std::string> DescribeGemmAlgo(const cublasLtMatmulAlgo_t& algo);

}  // namespace gq
