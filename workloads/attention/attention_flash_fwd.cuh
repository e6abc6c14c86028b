#pragma once
// gpuqual's native attention forward for prefill (kernel in attention_flash_fwd.cu): the
// FlashAttention-2 algorithm (Dao 2023) with mma.sync tensor cores, for the BSHD layout and the
// bottom-right causal mask of attention_problem.h. Head dims 64, 96, 128 and 256; bf16 or fp16 in
// and out, fp32 accumulation and softmax.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "workloads/attention/attention_problem.h"

namespace gq {

struct FlashFwdArgs {
  const void* q = nullptr;  // [batch, seq_q, heads, head_dim]
  const void* k = nullptr;  // [batch, seq_kv, kv_heads, head_dim]
  const void* v = nullptr;  // [batch, seq_kv, kv_heads, head_dim]
  void* o = nullptr;        // [batch, seq_q, heads, head_dim]
  int batch = 0, heads = 0, kv_heads = 0, seq_q = 0, seq_kv = 0, head_dim = 0;
  bool causal = false;
  Dtype dtype = Dtype::kBf16;
};

bool FlashFwdSupportsHeadDim(int64_t head_dim);
// The tile shape used for a head dim, e.g. "128x64" (query rows x keys per step), for Details().
const char* FlashFwdTileName(int64_t head_dim);
// Dynamic shared memory per block for a supported head dim (must not exceed the device's opt-in
// limit, cudaDevAttrMaxSharedMemoryPerBlockOptin).
size_t FlashFwdSmemBytes(Dtype dtype, int64_t head_dim);
// Raises the kernel's dynamic shared-memory limit on the current device (once per device, before
// the first launch; not in the timed region). Throws std::invalid_argument for an unsupported
// head dim and std::runtime_error on a CUDA error.
void ConfigureFlashFwd(Dtype dtype, int64_t head_dim);
// Launches the kernel on `stream` and checks the launch. Throws std::invalid_argument when the
// arguments break a precondition (sizes < 1, kv_heads not dividing heads, grid limits).
void LaunchFlashFwd(const FlashFwdArgs& args, cudaStream_t stream);

}  // namespace gq
