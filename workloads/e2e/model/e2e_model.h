#pragma once
// The decoder the e2e workload runs: a Llama-style transformer (Touvron et al. 2023; Llama 3,
// Dubey et al. 2024) with random weights, in the shapes of published models, and one case's
// scenario, i.e. what one timed iteration is:
//   offline  prefill of batch x input_len tokens (which samples the first output token), then
//            output_len - 1 decode steps: the throughput of an offline batch job;
//   prefill  the prefill alone;
//   decode   one decode step of every sequence at context input_len (the cache holds the
//            prefilled prompt; positions are reset before each step, so every step is alike).
//
// Per layer: h = RMSNorm(x); qkv = h Wqkv^T (+ bias for Qwen2); RoPE on q, k; k, v -> KV cache;
// a = GQA attention (causal); x += a Wo; h = RMSNorm(x); x += (silu(h Wg^T) * (h Wu^T)) Wd.
// Then RMSNorm, LM head on the last row of each sequence, greedy sampling (argmax).
//
// Tensor parallel over tp ranks (Megatron-LM, Shoeybi et al. 2019): rank r holds query heads
// [r H/tp, (r+1) H/tp), kv heads [r Hkv/tp, ...), ffn columns [r F/tp, ...) and vocabulary rows
// [r V/tp, ...); the out and down projections give partial sums that are all-reduced.
#include <cstdint>
#include <string>
#include <vector>

#include "harness/axis.h"
#include "harness/dtype.h"

namespace gq {

struct ModelConfig {
  std::string name;
  int layers = 0;
  int hidden = 0;
  int heads = 0;
  int kv_heads = 0;
  int head_dim = 0;  // hidden / heads for every preset
  int ffn = 0;       // SwiGLU intermediate size
  int vocab = 0;
  double rope_theta = 0;
  float rms_eps = 0;
  bool qkv_bias = false;  // Qwen2 adds a bias to the q, k and v projections
  std::string source;     // where the shape comes from

  // Weights of the matmuls of all layers (q, k, v, o, gate, up, down) and the LM head, in
  // parameters; the embedding table is separate (only the looked-up rows are read).
  double LayerMatmulParams() const;
  double MatmulParams() const { return LayerMatmulParams() * layers + double(vocab) * hidden; }
  double TotalParams() const;  // everything, embedding and norms and biases included
};

// Preset names, in the order `gpuqual list` shows them.
std::vector<std::string> ModelPresetNames();
// Throws UsageError naming the known presets for an unknown name.
ModelConfig ModelPreset(const std::string& name);

// The rotary frequency of pair i of a head of width D (RoPE, Su et al. 2021):
// theta^(-2 i / D), computed in double and rounded to float. The cpu ops and the CUDA launcher
// both use this function, so both sides rotate by the same angles p * freq (one fp32 multiply).
float E2eRopeInvFreq(float theta, int head_dim, int i);

inline constexpr int64_t kPrefillChunkTokens = 16384;

// The e2e dtype axis: weights, activations and KV cache (fp32 accumulate, fp32 logits).
inline constexpr Dtype kE2eDtypes[] = {Dtype::kBf16};

enum class E2eScenario { kOffline, kPrefill, kDecode };
const char* E2eScenarioName(E2eScenario s);

struct E2eProblem {
  ModelConfig model;
  E2eScenario scenario = E2eScenario::kOffline;
  int batch = 1;
  int input_len = 1;
  int output_len = 1;
  int tp = 1;
  Dtype dtype = Dtype::kBf16;  // one of kE2eDtypes
  // Prefill runs in chunks of whole sequences of at most this many token rows (one sequence per
  // chunk when a prompt is longer), so activation buffers stay bounded (e2e_forward.h). Not an
  // axis: tests lower it to make small problems span several chunks.
  int64_t prefill_chunk_tokens = kPrefillChunkTokens;
  // Rows per sequence in the KV cache: the prompt, the generated tokens and kVerifyExtraRows for
  // the consistency check (see e2e_verify.h).
  int max_seq() const;

  // Per tensor-parallel rank.
  int heads_local() const { return model.heads / tp; }
  int kv_heads_local() const { return model.kv_heads / tp; }
  int ffn_local() const { return model.ffn / tp; }
  int vocab_local() const { return model.vocab / tp; }
};

inline constexpr int kVerifyExtraRows = 8;
// Seed of the prompts (E2ePromptToken): fixed, so every run and every tp degree sees the same.
inline constexpr uint64_t kE2ePromptSeed = 0x70726F6D70743031ull;

// Reads the axes (see e2e_workload.h): the preset named by `model`, with every non-zero shape
// axis overriding it. Throws UsageError for sizes < 1, heads not dividing hidden, kv_heads not
// dividing heads, tp not dividing heads, kv_heads, ffn and vocab, or an odd head_dim.
E2eProblem E2eProblemFromCase(const CaseSpec& spec);

}  // namespace gq
