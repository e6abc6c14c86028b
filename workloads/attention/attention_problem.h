#pragma once
// One attention case, shared by the workload, its backends and its reference check.
//
// O = softmax(Q K^T / sqrt(D) + mask) V per (batch b, query head h), with grouped-query heads:
// query head h reads key/value head h / (H / Hkv) (Hkv == H: multi-head, Hkv == 1: multi-query).
//
// Layout (what torch SDPA calls BSHD), all contiguous, element type = dtype:
//   Q [B, Sq,  H,   D]   Q(b, i, h, d) at ((b * Sq  + i) * H   + h) * D + d
//   K [B, Skv, Hkv, D]   K(b, j, g, d) at ((b * Skv + j) * Hkv + g) * D + d   (same for V)
//   O [B, Sq,  H,   D]   like Q
// Causal mask, aligned to the bottom-right corner as FlashAttention-2 does when Sq != Skv:
// query i attends key j iff j <= i + (Skv - Sq). With Sq > Skv the first Sq - Skv query rows
// attend no key; their output is defined as 0 (FlashAttention-2's convention).
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/axis.h"
#include "harness/dtype.h"
#include "harness/work.h"

namespace gq {

enum class AttentionBackend { kNative, kCudnn, kCpu };
// The attention dtype axis, in its order (2-byte elements, fp32 accumulate).
inline constexpr Dtype kAttentionDtypes[] = {Dtype::kBf16, Dtype::kFp16};

struct AttentionProblem {
  AttentionBackend backend = AttentionBackend::kNative;
  int64_t batch = 1;
  int64_t heads = 1;
  int64_t kv_heads = 1;  // divides heads
  int64_t seq_q = 1;
  int64_t seq_kv = 1;
  int64_t head_dim = 64;
  bool causal = false;
  Dtype dtype = Dtype::kBf16;  // one of kAttentionDtypes
  uint64_t seed = 0;  // base seed of the random inputs, derived from the case id

  int64_t group() const { return heads / kv_heads; }  // query heads per key/value head
  int64_t kv_head_of(int64_t h) const { return h / group(); }
  // Keys visible to query row i: j in [0, VisibleKeys(i)).
  int64_t VisibleKeys(int64_t i) const;
  // (query, key) pairs that are not masked, per (batch, head); see attention_problem.cc.
  double UnmaskedPairs() const;
  double QElements() const { return double(batch) * seq_q * heads * head_dim; }       // also O
  double KvElements() const { return double(batch) * seq_kv * kv_heads * head_dim; }  // K or V
};

const char* AttentionBackendName(AttentionBackend backend);

// Reads the axes (see attention_workload.h). kv_heads = 0 means kv_heads = heads, seq_kv = 0
// means seq_kv = seq_q. Throws UsageError for sizes < 1, kv_heads not dividing heads, or an
// unknown value.
AttentionProblem AttentionProblemFromCase(const CaseSpec& spec);

// flops = 4 * B * H * D * UnmaskedPairs(); bytes = Q, K, V read once and O written once.
Work AttentionWork(const AttentionProblem& problem);

// Element offsets in the layout above.
inline int64_t AttentionQIndex(const AttentionProblem& p, int64_t b, int64_t i, int64_t h) {
  return ((b * p.seq_q + i) * p.heads + h) * p.head_dim;
}
inline int64_t AttentionKvIndex(const AttentionProblem& p, int64_t b, int64_t j, int64_t g) {
  return ((b * p.seq_kv + j) * p.kv_heads + g) * p.head_dim;
}

}  // namespace gq
