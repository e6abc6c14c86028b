#pragma once
// Launchers of the e2e workload's elementwise and row kernels on bf16 activations (fp32 math
// inside, one rounding to bf16 per stored value). Each computes what its host twin in
// e2e_cpu_ops.h computes, with the same shapes and argument order; pointers are device memory,
// including rows.pos. Kernels and index math: e2e_kernels_rows.cu (init, prompt, embed, last
// rows), e2e_kernels_norm.cu (add + RMSNorm, SiLU-and-multiply), e2e_kernels_rope.cu,
// e2e_kernels_sample.cu.
//
// Every launcher checks its sizes (std::invalid_argument), launches on `stream` and checks the
// launch; none synchronises, allocates or reads device memory on the host, so all can be
// captured in a CUDA graph. Row counts up to 2^31 - 1 are supported (one block per row or a
// grid-stride loop). Pointers need only element alignment; 16-byte aligned rows whose width is a
// multiple of 8 take the vectorised (16-byte) path.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "workloads/e2e/model/e2e_rows.h"

namespace gq {

// w[i] = bf16(E2eInitValue(seed, i, scale, offset)), bit-identical to InitTensorCpu; n may exceed
// 2^31.
void LaunchInitBf16(__nv_bfloat16* w, int64_t n, uint64_t seed, float scale, float offset,
                    cudaStream_t stream);
// The same for elements [first, first + n) of the tensor: w[i] = bf16(E2eInitValue(seed, first +
// i, ...)), i < n (a shard's run of the whole tensor, e2e_weights.h).
void LaunchInitBf16From(__nv_bfloat16* w, int64_t n, uint64_t seed, uint64_t first, float scale,
                        float offset, cudaStream_t stream);

// tokens[b * max_seq + p] = E2ePromptToken(seed, b, p, vocab) for b < batch, p < len.
void LaunchFillPrompt(int* tokens, int batch, int max_seq, int len, int vocab, uint64_t seed,
                      cudaStream_t stream);

// x[t, :] = table[tokens[b * max_seq + p], :]. Token ids are not range-checked on the device.
void LaunchEmbed(const __nv_bfloat16* table, int hidden, const int* tokens, int max_seq,
                 const E2eRows& rows, __nv_bfloat16* x, cudaStream_t stream);

// x += delta (delta nullable; x stored back rounded to bf16), then
// h = x / sqrt(mean(x^2) + eps) * gamma with the mean over the rounded x, in fp32. One block per
// row; any hidden (16384 and beyond: the row is streamed twice, not held in registers).
void LaunchAddRmsNorm(__nv_bfloat16* x, const __nv_bfloat16* delta, const __nv_bfloat16* gamma,
                      int64_t T, int hidden, float eps, __nv_bfloat16* h, cudaStream_t stream);

// RoPE + bias + KV-cache store (RopeStoreCpu). Needs an even head_dim <= 256. A row whose
// position is outside [0, max_seq) writes no cache row (its q, k_out, v_out are still written).
void LaunchRopeStore(const __nv_bfloat16* qkv, const __nv_bfloat16* bias, const E2eRows& rows,
                     const E2eAttnShape& s, float theta, __nv_bfloat16* q, __nv_bfloat16* k_cache,
                     __nv_bfloat16* v_cache, __nv_bfloat16* k_out, __nv_bfloat16* v_out,
                     cudaStream_t stream);

// out[t, i] = silu(gate_up[t, i]) * gate_up[t, ffn + i].
void LaunchSiluMul(const __nv_bfloat16* gate_up, int64_t T, int ffn, __nv_bfloat16* out,
                   cudaStream_t stream);

// out[s, :] = h[s * rows.len + rows.len - 1, :] for s < rows.seqs.
void LaunchSelectLastRows(const __nv_bfloat16* h, const E2eRows& rows, int hidden,
                          __nv_bfloat16* out, cudaStream_t stream);

// out[r] = {max of row r, vocab_offset + its column} (ArgmaxRowsCpu: ties to the lowest column,
// NaN never wins). One block per row; vocab_local up to 2^31 - 1.
void LaunchArgmaxRows(const float* logits, int rows, int vocab_local, int vocab_offset,
                      E2eArgmax* out, cudaStream_t stream);

// Best over ranks, next token, advanced pos / kv_len (FinishSampleCpu; pos and kv_len nullable,
// rows.pos may alias pos).
void LaunchFinishSample(const E2eArgmax* gathered, int ranks, const E2eRows& rows, int* tokens,
                        int max_seq, int* pos, int* kv_len, cudaStream_t stream);

}  // namespace gq
