#pragma once
// What one GPU of the e2e CUDA backend holds (contract in e2e_cuda_backend.h): its stream, the
// shard's weights and KV caches, the activation buffers of e2e_backend.h, the token table and
// positions, the cuBLASLt plans. Include only from .cu files.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <memory>
#include <string>
#include <vector>

#include "harness/gpu/cuda_resources.cuh"
#include "workloads/e2e/e2e_backend.h"
#include "workloads/e2e/cuda/e2e_cuda_linear.cuh"
#include "workloads/e2e/model/e2e_model.h"
#include "workloads/e2e/model/e2e_rows.h"

namespace gq {

using bf16 = __nv_bfloat16;

struct E2eShardLayer {
  DeviceBuffer attn_norm, mlp_norm, qkv, qkv_bias, out, gate_up, down, k_cache, v_cache;
};

class E2eShard {
 public:
  // Allocates and fills everything for rank `rank` of p.tp on `device` (made current).
  E2eShard(const E2eProblem& p, int64_t max_rows, int device, int rank, int sm_count);
  ~E2eShard();  // waits for the stream, then frees (errors ignored)
  E2eShard(const E2eShard&) = delete;
  E2eShard& operator=(const E2eShard&) = delete;

  int device, rank;
  CudaStream own_stream;
  cudaStream_t stream = nullptr;  // own_stream's
  CudaEvent fork, join;           // iteration bracket with the runner's stream
  E2eAttnShape shape;
  DeviceBuffer embed, final_norm, lm_head;
  std::vector<E2eShardLayer> layers;
  DeviceBuffer x, h, delta, qkv, q, k, v, attn, gate_up, act, last, logits;
  DeviceBuffer best, gathered;        // E2eArgmax [batch], [tp][batch]
  DeviceBuffer tokens, pos, kv_len;   // int [batch * max_seq], [batch], [batch]
  DeviceBuffer decode_workspace;
  int decode_splits = 1;
  std::unique_ptr<E2eLinearPlans> linear;

  bf16* B(const DeviceBuffer& b) const { return b.as<bf16>(); }
};

// The backend over shards already made (in e2e_cuda_backend.cu): comms holds one ncclComm_t per
// shard when tp > 1, comm_mode how they were made.
std::unique_ptr<E2eBackend> MakeE2eCudaBackendOn(const E2eProblem& p, std::vector<std::unique_ptr<E2eShard>> shards,
                                                 std::vector<void*> comms, std::string comm_mode);

// Split count of the decode attention kernel for this problem on a GPU with `sm_count` SMs.
int E2eDecodeSplits(const E2eProblem& p, int sm_count);
inline constexpr size_t kE2eGemmWorkspaceBytes = size_t(32) << 20;

}  // namespace gq
