#pragma once
// The matmuls of the e2e workload on one GPU: cuBLASLt, bf16 in, fp32 accumulate, bf16 out (fp32
// out for the LM head's logits). Include only from .cu files.
//
// Row-major out[M, N] = in[M, K] op(W): with W stored [N, K] (op = transpose, the "NT" case:
// qkv, gate_up, lm_head) or [K, N] (op = none: out and down, stored transposed, e2e_weights.h).
// cuBLASLt is column-major, so it computes out^T (N x M) = op(W)^T-as-stored (N x K) x in^T (K x M):
// A = the weight (stored K x N with TRANSA = T, or N x K with TRANSA = N), B = the activations
// (K x M, ld K), C = D = the output (N x M, ld N).
// One plan per (M, N, K, layout, output type), made on first use. Outside a CUDA-graph capture
// the algorithm is autotuned over cuBLASLt's top candidates on the real operands (gemm's
// SelectGemmAlgo); during a capture (where nothing may run) the heuristic's first choice is
// taken. Callers issue one eager pass of every shape before capturing, so captured steps use
// tuned plans.
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <map>
#include <string>
#include <tuple>

#include "workloads/gemm/gemm_algo_select.cuh"
#include "workloads/gemm/gemm_cuda_objects.cuh"

namespace gq {

class E2eLinearPlans {
 public:
  explicit E2eLinearPlans(size_t workspace_bytes);
  E2eLinearPlans(const E2eLinearPlans&) = delete;
  E2eLinearPlans& operator=(const E2eLinearPlans&) = delete;

  // Issues out = in op(W) on `stream` (the device of `stream` must be current).
  void Run(const void* in, const void* weight, void* out, int m, int n, int k, bool weight_nk,
           bool fp32_out, cudaStream_t stream);

  // "M x N x K NT/NN -> algo id/tile/stages, rank r of c" per plan, for the case details.
  std::map<std::string, std::string> Describe() const;

 private:
  struct Plan {
    LtMatmulDesc desc;
    LtMatrixLayout a, b, c;
    GemmAlgoSelection selection;
    bool tuned = false;
  };
  using Key = std::tuple<int, int, int, bool, bool>;

  LtHandle handle_;
  DeviceBuffer workspace_;
  float alpha_ = 1.0f, beta_ = 0.0f;
  std::map<Key, Plan> plans_;
};

}  // namespace gq
