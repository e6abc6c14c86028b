#pragma once
// The scaled dot-product attention forward as a cuDNN 9 backend operation graph, and an execution
// plan for it (graph in attention_cudnn_graph.cu). Include only from .cu files built with
// GQ_WITH_CUDNN.
//
// cuDNN fuses attention when the graph has the "flash fused multi-head attention" pattern its
// runtime fusion engine recognises (the pattern cudnn_frontend's SDPA node lowers to before
// cuDNN 9.21; this cuDNN's dedicated SDPA operation descriptor has no causal mask yet):
//   S  = matmul(Q, K^T)                      fp32   [B, H, Sq, Skv]  (K^T: K's strides swapped)
//   S1 = S * scale                           by-value fp32 scale = 1 / sqrt(D)
//   causal: row = gen_index(S1, axis 2) (+ Skv - Sq when they differ), col = gen_index(axis 3),
//           S1 = binary_select(S1, -inf, row >= col)       (bottom-right aligned diagonal)
//   M  = reduce_max(S1) [B, H, Sq, 1];  E = exp(S1 - M);  Z = reduce_add(E)
//   stats = M + log(Z)                       (virtual unless requested)
//   P  = E / Z                               in the input dtype (the second matmul's A type)
//   O  = matmul(P, V)
// Q, K, V, O use the BSHD layout of attention_problem.h as strided [B, H, S, D] tensors; GQA is
// the matmuls broadcasting K and V over the H / Hkv query heads of a group.
#include <cudnn_graph.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "workloads/attention/attention_cudnn_backend.cuh"
#include "workloads/attention/attention_problem.h"

namespace gq {

// Unique ids of the graph's non-virtual tensors (the variant pack binds pointers to them).
enum SdpaUid : int64_t {
  kSdpaUidQ = 1,
  kSdpaUidK = 2,
  kSdpaUidV = 3,
  kSdpaUidO = 4,
  kSdpaUidScale = 5,
  kSdpaUidNegInf = 6,
  kSdpaUidSeqKv = 7,
  kSdpaUidSeqQ = 8,
  kSdpaUidStats = 9,
};

// Values the graph reads by value at execution; the variant pack points at them.
struct SdpaScalars {
  float scale = 1.0f;
  float neg_inf = 0.0f;
  int32_t seq_kv = 0;
  int32_t seq_q = 0;
};

class CudnnSdpaPlan {
 public:
  // Builds the graph for `problem` (with a real [B, H, Sq, 1] fp32 stats output when
  // stats_output) and finalizes the first engine configuration of heuristics mode A (then of
  // the fallback mode) that accepts it. Throws CaseSkipped("cuDNN SDPA engine unavailable: ...")
  // with cuDNN's message when the graph is rejected or no configuration finalizes.
  CudnnSdpaPlan(cudnnHandle_t handle, const AttentionProblem& problem, bool stats_output);

  int64_t workspace_bytes() const { return workspace_bytes_; }
  bool causal() const { return causal_; }
  bool shifted_diagonal() const { return shifted_; }  // the mask adds Skv - Sq to the row index
  bool stats_output() const { return stats_output_; }
  // "engine <global index> (heuristic <mode> rank <r> of <n>)"
  const std::string& engine() const { return engine_; }
  const SdpaScalars& scalars() const { return scalars_; }
  cudnnBackendDescriptor_t plan() const { return plan_.get(); }

 private:
  cudnn_backend::Descriptor Tensor(int64_t uid, cudnnDataType_t type, std::vector<int64_t> dims,
                                   std::vector<int64_t> strides, bool is_virtual,
                                   bool by_value = false);
  void BuildGraph(cudnnHandle_t handle, const AttentionProblem& p);
  bool TryPlans(cudnnHandle_t handle, cudnnBackendHeurMode_t mode, const char* mode_name,
                std::string* last_error);

  bool causal_ = false, shifted_ = false, stats_output_ = false;
  SdpaScalars scalars_;
  std::deque<cudnn_backend::Descriptor> keep_;  // everything the graph and plan refer to
  cudnn_backend::Descriptor graph_, plan_;
  int64_t workspace_bytes_ = 0;
  std::string engine_;
};

}  // namespace gq
