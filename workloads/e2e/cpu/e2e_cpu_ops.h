#pragma once
// The small ops of the e2e decoder on the host, over float activations (row-major): the cpu
// backend runs them, and they are the reference the CUDA kernels (e2e_kernels.cuh) are tested
// against. The CUDA versions compute the same formulas on bf16 storage with fp32 math.
//
// Shapes, with T = rows.tokens() token rows (row t: sequence b, position p as e2e_rows.h says):
//   activations x, h, delta   [T, hidden]
//   qkv                       [T, (H + 2 Hkv) D]: per row H query heads, then Hkv key heads,
//                             then Hkv value heads, each D wide
//   q, attention output       [T, H, D]
//   k_cache, v_cache          [batch, max_seq, Hkv, D] (E2eAttnShape)
//   gate_up                   [T, 2 ffn]: gate = columns [0, ffn), up = [ffn, 2 ffn)
//   logits                    [rows, vocab_local]
// Every function throws std::invalid_argument on a non-positive size, a null required pointer or
// a position outside [0, max_seq).
#include <cstdint>

#include "workloads/e2e/model/e2e_init.h"
#include "workloads/e2e/model/e2e_rows.h"

namespace gq {

// w[i] = E2eInitValue(seed, i, scale, offset) for i < n.
void InitTensorCpu(float* w, int64_t n, uint64_t seed, float scale, float offset);
// Elements [first, first + n) of that tensor: w[i] = E2eInitValue(seed, first + i, ...).
void InitTensorCpuFrom(float* w, int64_t n, uint64_t seed, uint64_t first, float scale, float offset);

// tokens[b * max_seq + p] = E2ePromptToken(seed, b, p, vocab) for b < batch, p < len; the other
// entries are left as they are. Needs 0 < len <= max_seq.
void FillPromptCpu(int* tokens, int batch, int max_seq, int len, int vocab, uint64_t seed);

// x[t, :] = table[tokens[b * max_seq + p], :] (rows.pos is host memory here).
void EmbedCpu(const float* table, int hidden, const int* tokens, int max_seq, const E2eRows& rows,
              float* x);

// Residual add and RMSNorm (Zhang & Sennrich 2019, as in Llama). When delta is not null,
// x[t, i] += delta[t, i] in place; then
//   h[t, i] = x[t, i] / sqrt(mean_i(x[t, i]^2) + eps) * gamma[i].
// h must not overlap x, delta or gamma.
void AddRmsNormCpu(float* x, const float* delta, const float* gamma, int64_t T, int hidden,
                   float eps, float* h);

// Bias, rotary embedding (Llama / HF rotate_half) and KV-cache store for the rows of one step.
// x = qkv[t, head] + bias[head] (bias nullable, [(H + 2 Hkv) D]); for q and k heads, for each
// i < D / 2, with c = cos(p f_i), s = sin(p f_i), f_i = E2eRopeInvFreq(theta, D, i) (e2e_model.h):
//   out[i] = x[i] c - x[i + D/2] s,   out[i + D/2] = x[i + D/2] c + x[i] s
// v heads are copied (with the bias). Writes q [T, H, D], cache row (b, p) of every kv head of
// k_cache / v_cache, and, when not null, k_out / v_out [T, Hkv, D] (the same k and v, dense).
void RopeStoreCpu(const float* qkv, const float* bias, const E2eRows& rows, const E2eAttnShape& s,
                  float theta, float* q, float* k_cache, float* v_cache, float* k_out,
                  float* v_out);

// out[t, i] = silu(gate_up[t, i]) * gate_up[t, ffn + i], silu(g) = g / (1 + exp(-g)).
void SiluMulCpu(const float* gate_up, int64_t T, int ffn, float* out);

// out[s, :] = h[s * rows.len + rows.len - 1, :] for s < rows.seqs (the last row of each
// sequence, whose logits pick the next token).
void SelectLastRowsCpu(const float* h, const E2eRows& rows, int hidden, float* out);

// Causal attention of the step's query rows over the KV cache: row t at (b, p), query head h
// uses kv head g = h / (H / Hkv) and attends cache rows j in [0, p] of sequence b:
//   out[t, h, :] = sum_j softmax_j(q[t, h, :] . k_cache[b, j, g, :] / sqrt(D)) v_cache[b, j, g, :]
// Softmax subtracts the row maximum; sums in double. The (row, head) items are split over
// std::thread workers: hardware_concurrency(), at most one per 64 items. Needs H % Hkv == 0.
void AttentionOverCacheCpu(const float* q, const float* k_cache, const float* v_cache,
                           const E2eRows& rows, const E2eAttnShape& s, float* out);

// Greedy sampling, part 1: out[r] = {the maximum of row r, vocab_offset + its column}; ties go to
// the lowest column, NaN never wins, and a row without a value above -inf gives
// {-inf, vocab_offset}.
void ArgmaxRowsCpu(const float* logits, int rows, int vocab_local, int vocab_offset,
                   E2eArgmax* out);

// Greedy sampling, part 2. gathered is [ranks][rows.seqs] (rank-major). For s < rows.seqs,
// b = rows.first_seq + s: best = the best of gathered[r * seqs + s] over r (E2eArgmaxBetter; if
// every value is NaN, token 0); p_last = rows.pos ? rows.pos[b] : rows.len - 1;
//   tokens[b * max_seq + p_last + 1] = best.index   when p_last + 1 < max_seq
//   pos[b] = p_last + 1, kv_len[b] = p_last + 2     (each when not null)
// rows.pos may be the same array as pos (decode): p_last is read before pos[b] is written.
void FinishSampleCpu(const E2eArgmax* gathered, int ranks, const E2eRows& rows, int* tokens,
                     int max_seq, int* pos, int* kv_len);

}  // namespace gq
