#pragma once
// The CUDA backend of the e2e workload (built with the CUDA backend; host-includable).
//
// bf16 weights, activations and KV cache, fp32 logits. Matmuls through cuBLASLt
// (e2e_cuda_linear.cuh), prefill attention with gpuqual's FlashAttention-2 kernel
// (attention_flash_fwd.cuh) on the step's contiguous k, v, decode attention with the split-KV
// kernel (attention_decode.cuh) over the cache with per-sequence lengths kv_len[b], the small ops
// from e2e_kernels.cuh. Every op of a step is asynchronous on the shards' streams; the decode
// step is captured once in a CUDA graph (one graph spanning every shard of a process, NCCL calls
// included) and replayed; if the capture fails the step runs eagerly and the details say why.
//
// Shards: tp GPUs of one process (the first tp GPUs of the context's group, one stream each,
// NCCL communicators from ncclCommInitAll, grouped calls), or one GPU per rank under MPI (world
// of exactly tp ranks, ncclCommInitRank). The all-reduces are NCCL bf16 sums in place; sampling
// all-gathers each rank's (max, index) pairs.
#include <memory>

#include "harness/device.h"
#include "harness/system/communicator.h"
#include "workloads/e2e/e2e_backend.h"
#include "workloads/e2e/model/e2e_model.h"

namespace gq {

class NcclCommPool;

// Bytes one GPU needs for `p` (weights, KV cache, activations, workspaces), and its parts.
struct E2eGpuBytes {
  double weights = 0, kv_cache = 0, activations = 0, workspace = 0;
  double total() const { return weights + kv_cache + activations + workspace; }
};
E2eGpuBytes E2eCudaBackendBytes(const E2eProblem& p, int64_t max_rows);

// Throws CaseSkipped when a GPU lacks the memory (naming the bytes needed and free), the head
// dim has no attention kernel, or tp does not fit the GPUs / ranks at hand; `pool` may be null
// only when tp == 1.
std::unique_ptr<E2eBackend> MakeE2eCudaBackend(const E2eProblem& p, int64_t max_rows,
                                               DeviceContext& ctx, Communicator& world,
                                               NcclCommPool* pool);

}  // namespace gq
