#pragma once
// gpuqual's decode attention (kernels in attention_decode.cu): split-KV attention for few query
// rows over a long key/value cache ("Flash-Decoding", Dao, Haziza, Massa, Sizov 2023), the path
// the end-to-end workload takes for token generation.
//
// Layouts: Q, O [B, Sq, H, D] as in attention_problem.h; the KV cache K, V [B, Smax, Hkv, D]
// (row j of sequence b, kv head g at ((b * Smax + j) * Hkv + g) * D), of which sequence b uses
// rows [0, len_b): len_b = kv_lens[b] (clamped to Smax) or Smax when kv_lens is null. Causal
// masking is bottom-right aligned per sequence: query i sees keys j <= i + len_b - Sq.
// Head dims 64, 128, 256; bf16 or fp16 in and out, fp32 accumulation.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "workloads/attention/attention_problem.h"

namespace gq {

struct FlashDecodeArgs {
  const void* q = nullptr;
  const void* k = nullptr;  // cache [batch, seq_kv (= Smax), kv_heads, head_dim]
  const void* v = nullptr;
  void* o = nullptr;
  const int* kv_lens = nullptr;  // device [batch] or null
  int batch = 0, heads = 0, kv_heads = 0, seq_q = 0, seq_kv = 0, head_dim = 0;
  bool causal = false;
  Dtype dtype = Dtype::kBf16;
  int splits = 1;              // from FlashDecodeSplits
  float* workspace = nullptr;  // FlashDecodeWorkspaceBytes(...) bytes of device memory
};

bool FlashDecodeSupportsHeadDim(int64_t head_dim);
// Splits of the KV range so that the grid has about two blocks per SM (at least 256 keys each).
int FlashDecodeSplits(int batch, int heads, int kv_heads, int seq_q, int seq_kv, int sm_count);
// Partial outputs and log-sum-exps of every split.
size_t FlashDecodeWorkspaceBytes(int batch, int heads, int seq_q, int head_dim, int splits);
// Dynamic shared memory of the split kernel for a supported head dim.
size_t FlashDecodeSmemBytes(Dtype dtype, int64_t head_dim);
// Raises the kernels' dynamic shared-memory limit on the current device (before the first launch).
void ConfigureFlashDecode(Dtype dtype, int64_t head_dim);
// Launches the split kernel and the combine kernel on `stream` and checks both launches. Throws
// std::invalid_argument when the arguments break a precondition.
void LaunchFlashDecode(const FlashDecodeArgs& args, cudaStream_t stream);

}  // namespace gq
