#pragma once
// Which (sequence, position) each token row of one forward step is, shared by the host driver,
// the cpu ops and the CUDA kernels of the e2e workload (plain data, host and device).
//
// A step processes `seqs` sequences starting at `first_seq`, `len` token rows each, row-major:
// row t belongs to sequence b = first_seq + t / len at position
//   p = pos[b]         when pos is set (decode: one row per sequence, at its current position;
//                       pos indexes absolute sequence numbers, device memory on the GPU)
//   p = t % len        when pos is null (prefill: positions 0 .. len - 1).
// The token ids of every sequence live in a [batch, max_seq] table: tokens[b * max_seq + p].
#include <cstdint>

#include "harness/host_device.h"

namespace gq {

struct E2eRows {
  int first_seq = 0;
  int seqs = 0;
  int len = 1;
  const int* pos = nullptr;

  int64_t tokens() const { return int64_t(seqs) * len; }
};

// Sequence and position of row t; the cpu ops and the CUDA kernels use the same two functions.
GQ_HOST_DEVICE inline int E2eRowSeq(const E2eRows& rows, int64_t t) {
  return rows.first_seq + static_cast<int>(t / rows.len);
}
GQ_HOST_DEVICE inline int E2eRowPos(const E2eRows& rows, int64_t t) {
  return rows.pos != nullptr ? rows.pos[E2eRowSeq(rows, t)] : static_cast<int>(t % rows.len);
}

// Attention geometry of one shard (tensor-parallel rank): its query heads and key/value heads,
// the head dimension, and the KV cache's rows per sequence. Caches are [batch, max_seq,
// kv_heads, head_dim]: row p of sequence b, kv head g at ((b * max_seq + p) * kv_heads + g) * D.
struct E2eAttnShape {
  int heads = 0;
  int kv_heads = 0;
  int head_dim = 0;
  int max_seq = 0;
};

// Greedy sampling works in two parts so tensor-parallel ranks, each holding a slice of the
// vocabulary, can agree: each rank's best (value, global token id) per sequence, then the best
// over ranks (ties: the lowest token id; NaN never wins).
struct E2eArgmax {
  float value;
  int32_t index;
};

// The best over ranks of two E2eArgmax values: the higher value; on equal values the lower
// index; NaN never wins over a number. The cpu ops and the CUDA kernels use this same function.
GQ_HOST_DEVICE inline bool E2eArgmaxBetter(const E2eArgmax& a, const E2eArgmax& b) {
  return a.value > b.value || (a.value == b.value && a.index < b.index);
}

}  // namespace gq
