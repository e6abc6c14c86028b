#pragma once
// The ops interface of the e2e workload: what the forward pass (e2e_forward.h) asks of a backend.
// Two implementations: the cpu (OpenBLAS, fp32 activations) and CUDA (cuBLASLt, gpuqual's
// attention kernels, bf16 activations, NCCL), each driving one or more tensor-parallel shards.
//
// A backend owns the model's weights for its shards (seeded, e2e_weights.h), the KV caches, the
// token table [batch, max_seq], the per-sequence positions pos[b] and key counts kv_len[b]
// (= pos[b] + 1 after each step), and fixed activation buffers (names below) sized for the
// largest step. Ops are issued in order on the backend's stream(s) and may be asynchronous; none
// synchronises, allocates or reads device memory to the host, so a decode step can be captured
// in a CUDA graph. Buffers, for a step of T token rows (row map in e2e_rows.h):
//   x [T, hidden] residual stream   h [T, hidden] normed      qkv [T, (H + 2 Hkv) D]
//   q [T, H, D]   k, v [T, Hkv, D] (prefill copies)            attn [T, H, D]
//   delta [T, hidden] a projection's output                     gate_up [T, 2F]   act [T, F]
//   last [batch, hidden]   logits [batch, V_local] (fp32): row b is sequence b's, whatever
//   prefill chunk computed it (e2e_forward.h runs the LM head once over every sequence)
// (H, Hkv, F, V_local: the shard's heads, kv heads, ffn and vocabulary slice.)
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/dtype.h"

namespace gq {

// The token rows of one step: `seqs` sequences from `first_seq`, `len` rows each; prefill rows
// are positions 0 .. len - 1, a decode step is one row per sequence at its position pos[b].
struct E2eStep {
  int first_seq = 0;
  int seqs = 0;
  int len = 1;
  bool decode = false;
  int64_t tokens() const { return int64_t(seqs) * len; }
};

enum class E2eNorm { kAttention, kMlp, kFinal };
enum class E2eLinear {
  kQkv,     // qkv = h Wqkv^T
  kOut,     // delta = attn Wo (a partial sum on each tensor-parallel rank)
  kGateUp,  // gate_up = h [Wg; Wu]^T
  kDown,    // delta = act Wd (partial sum)
  kLmHead,  // logits = last Wlm^T (the shard's vocabulary slice)
};

class E2eBackend {
 public:
  virtual ~E2eBackend() = default;

  // x = embedding rows of the step's tokens.
  virtual void Embed(const E2eStep& step) = 0;
  // With add_delta: x += delta. Then h = RMSNorm(x) * gamma (the layer's attention or MLP norm,
  // or the final norm; layer is ignored for kFinal).
  virtual void Norm(E2eNorm which, int layer, const E2eStep& step, bool add_delta) = 0;
  // The matmul of a layer (layer ignored for kLmHead, which maps rows [0, step.seqs) of `last`
  // to the same rows of `logits`; its step starts at sequence 0).
  virtual void Linear(E2eLinear which, int layer, const E2eStep& step) = 0;
  // Bias (if the model has one), RoPE on q and k at each row's position, k and v into the
  // layer's cache; prefill also writes the contiguous k, v copies.
  virtual void RopeStore(int layer, const E2eStep& step) = 0;
  // attn = causal GQA attention of q over the cache (decode) or over k, v (prefill).
  virtual void Attention(int layer, const E2eStep& step) = 0;
  // act = silu(gate) * up.
  virtual void SiluMul(const E2eStep& step) = 0;
  // delta = sum of delta over the tensor-parallel ranks (nothing at tp = 1).
  virtual void AllReduceDelta(const E2eStep& step) = 0;
  // last[first_seq + s] = h at the last row of the step's sequence s, s in [0, seqs).
  virtual void SelectLast(const E2eStep& step) = 0;
  // Greedy sampling from logits rows [0, step.seqs) over all ranks' slices (the step starts at
  // sequence 0): the next token of each sequence goes into the token table after its last row;
  // pos and kv_len advance.
  virtual void Sample(const E2eStep& step) = 0;
  // pos[b] = position, kv_len[b] = position + 1 for every sequence (the decode scenario rewinds
  // to the end of the prompt before each step).
  virtual void SetPositions(int position) = 0;

  // Makes `issue_step` (one decode step's ops) a CUDA graph that ReplayDecode runs. The CUDA
  // backend runs the step once eagerly first (GEMM plans are tuned outside the capture), so the
  // caller must have run a prefill: the step then generates one token. When the capture fails
  // ReplayDecode runs the step eagerly and GraphState() says why. The cpu backend keeps the
  // function and runs nothing here.
  virtual void CaptureDecode(const std::function<void()>& issue_step) = 0;
  virtual void ReplayDecode() = 0;
  virtual std::string GraphState() const = 0;

  // Iteration bracket for the runner's stream (the CUDA backend forks its shards' streams from
  // it and joins them back), and time marks on the first shard's stream: MarkSeconds(n) gives
  // the seconds from mark 0 to marks 0 .. n - 1 of the last iteration (after it finished).
  virtual void BeginIteration(void* stream) = 0;
  virtual void EndIteration(void* stream) = 0;
  virtual void Mark(int index) = 0;
  virtual std::vector<double> MarkSeconds(int count) = 0;

  // Blocks until all issued work is done.
  virtual void Synchronize() = 0;
  // Host copies for verification (after Synchronize): the logits of the last Sample of shard
  // `shard` ([seqs, V_local] row-major, fp32), the vocabulary offset of that shard, the token
  // table of the first shard, and a token table to load into every shard.
  virtual int shards() const = 0;
  virtual std::vector<float> ReadLogits(int shard, int seqs) = 0;
  virtual int VocabOffset(int shard) const = 0;
  virtual std::vector<int> ReadTokens() = 0;
  virtual void WriteTokens(const std::vector<int>& tokens) = 0;
  // Writes the seeded prompt (e2e_init.h) into rows [0, input_len) of every sequence.
  virtual void FillPrompt() = 0;
  // Facts for the case details (GEMM algorithms, kernels, memory use).
  virtual std::map<std::string, std::string> Details() const = 0;
  // The precision its arithmetic runs in (Work::compute_dtype, which the roofline's peak is
  // of): the cpu's fp32 whatever the case's dtype, CUDA's the case's dtype.
  virtual Dtype ComputeDtype() const = 0;
};

}  // namespace gq
