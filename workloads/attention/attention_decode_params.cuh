#pragma once
// What the split-KV decode kernels share (attention_decode.cu, attention_decode_combine.cu): the
// block size, the parameter block, and the combine launcher. Include only from .cu files.
#include <cuda_runtime.h>

#include <cstdint>

#include "workloads/attention/attention_problem.h"

namespace gq::attention_decode {

constexpr int kDecodeThreads = 128;

struct DecodeParams {
  const void* q;
  const void* k;
  const void* v;
  void* o;
  const int* kv_lens;
  float* o_part;
  float* lse;
  int heads, kv_heads, seq_q, seq_kv, group, row_groups, chunk, splits;
  float scale_log2;
  int causal;
};

// Launches flash_decode_combine_kernel over the out_rows = B * H * Sq rows of p (head_dim 64, 128
// or 256) and checks the launch.
void LaunchDecodeCombine(const DecodeParams& p, Dtype dtype, int head_dim,
                         int64_t out_rows, cudaStream_t stream);

}  // namespace gq::attention_decode
