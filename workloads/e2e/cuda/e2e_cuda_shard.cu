#include "workloads/e2e/cuda/e2e_cuda_shard.cuh"

#include "harness/gpu/cuda_check.h"
#include "workloads/attention/attention_decode.cuh"
#include "workloads/e2e/cuda/e2e_cuda_weights.cuh"
#include "workloads/e2e/model/e2e_weights.h"

namespace gq {
namespace {

DeviceBuffer Weight(const E2eProblem& p, int rank, E2eWeight which, int layer, cudaStream_t stream) {
  const E2eTensorPlan plan = PlanWeight(p, rank, which, layer);
  DeviceBuffer b = DeviceBuffer::Allocate(size_t(plan.elements()) * sizeof(bf16));
  LaunchFillWeight(b.as<bf16>(), plan, stream);
  return b;
}

DeviceBuffer Activations(int64_t rows, int64_t cols, size_t elem = sizeof(bf16)) {
  return DeviceBuffer::Allocate(size_t(rows) * size_t(cols) * elem);
}

}  // namespace

int E2eDecodeSplits(const E2eProblem& p, int sm_count) {
  return FlashDecodeSplits(p.batch, p.heads_local(), p.kv_heads_local(), 1, p.max_seq(), sm_count);
}

E2eShard::E2eShard(const E2eProblem& p, int64_t max_rows, int dev, int r, int sm_count)
    : device(dev), rank(r) {
  GQ_CUDA_CHECK(cudaSetDevice(device));
  own_stream = MakeStream(device);
  stream = own_stream.get();
  fork = MakeSyncEvent(device);
  join = MakeSyncEvent(device);
  const ModelConfig& m = p.model;
  shape = {p.heads_local(), p.kv_heads_local(), m.head_dim, p.max_seq()};
  embed = Weight(p, rank, E2eWeight::kEmbed, 0, stream);
  final_norm = Weight(p, rank, E2eWeight::kFinalNorm, 0, stream);
  lm_head = Weight(p, rank, E2eWeight::kLmHead, 0, stream);
  const size_t cache = size_t(p.batch) * p.max_seq() * shape.kv_heads * m.head_dim * sizeof(bf16);
  layers.resize(size_t(m.layers));
  for (int l = 0; l < m.layers; ++l) {
    E2eShardLayer& L = layers[size_t(l)];
    L.attn_norm = Weight(p, rank, E2eWeight::kAttnNorm, l, stream);
    L.mlp_norm = Weight(p, rank, E2eWeight::kMlpNorm, l, stream);
    L.qkv = Weight(p, rank, E2eWeight::kQkv, l, stream);
    if (m.qkv_bias) L.qkv_bias = Weight(p, rank, E2eWeight::kQkvBias, l, stream);
    L.out = Weight(p, rank, E2eWeight::kOut, l, stream);
    L.gate_up = Weight(p, rank, E2eWeight::kGateUp, l, stream);
    L.down = Weight(p, rank, E2eWeight::kDown, l, stream);
    L.k_cache = DeviceBuffer::Allocate(cache);
    L.v_cache = DeviceBuffer::Allocate(cache);
    // Rows past a sequence's length are never read; zero them anyway so a bug reads zeros,
    // not leftovers of another case.
    GQ_CUDA_CHECK(cudaMemsetAsync(L.k_cache.get(), 0, cache, stream));
    GQ_CUDA_CHECK(cudaMemsetAsync(L.v_cache.get(), 0, cache, stream));
  }
  const int64_t d = m.head_dim, hq = shape.heads * d, hkv = shape.kv_heads * d, f = p.ffn_local();
  x = Activations(max_rows, m.hidden);
  h = Activations(max_rows, m.hidden);
  delta = Activations(max_rows, m.hidden);
  qkv = Activations(max_rows, hq + 2 * hkv);
  q = Activations(max_rows, hq);
  k = Activations(max_rows, hkv);
  v = Activations(max_rows, hkv);
  attn = Activations(max_rows, hq);
  gate_up = Activations(max_rows, 2 * f);
  act = Activations(max_rows, f);
  last = Activations(p.batch, m.hidden);
  logits = Activations(p.batch, p.vocab_local(), sizeof(float));
  best = Activations(p.batch, 1, sizeof(E2eArgmax));
  gathered = Activations(int64_t(p.batch) * p.tp, 1, sizeof(E2eArgmax));
  tokens = Activations(p.batch, p.max_seq(), sizeof(int));
  pos = Activations(p.batch, 1, sizeof(int));
  kv_len = Activations(p.batch, 1, sizeof(int));
  GQ_CUDA_CHECK(cudaMemsetAsync(tokens.get(), 0, tokens.bytes(), stream));
  GQ_CUDA_CHECK(cudaMemsetAsync(pos.get(), 0, pos.bytes(), stream));
  GQ_CUDA_CHECK(cudaMemsetAsync(kv_len.get(), 0, kv_len.bytes(), stream));
  decode_splits = E2eDecodeSplits(p, sm_count);
  decode_workspace = DeviceBuffer::Allocate(
      FlashDecodeWorkspaceBytes(p.batch, shape.heads, 1, m.head_dim, decode_splits));
  linear = std::make_unique<E2eLinearPlans>(kE2eGemmWorkspaceBytes);
  GQ_CUDA_CHECK(cudaStreamSynchronize(stream));
}

E2eShard::~E2eShard() {
  cudaSetDevice(device);
  if (stream != nullptr) cudaStreamSynchronize(stream);
}  // then the members are released, each on its own device

}  // namespace gq
