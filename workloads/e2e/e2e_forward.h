#pragma once
// The forward pass of the e2e decoder (model in e2e_model.h) written once over the ops interface
// (e2e_backend.h), so the cpu and CUDA backends run the same sequence of operations:
//
//   x = embed(tokens)
//   for each layer: h = norm(x [+= delta]); qkv; rope + cache; attn; delta = attn Wo; allreduce;
//                   h = norm(x += delta); gate_up; act = silu(gate) * up; delta = act Wd; allreduce
//   h = final_norm(x += delta); last = h[last row of each sequence]; logits; sample
//
// Prefill runs whole prompts in chunks of sequences of at most kPrefillChunkTokens rows (one
// sequence per chunk when a prompt is longer), so activation buffers stay bounded.
#include <cstdint>

#include "workloads/e2e/e2e_backend.h"
#include "workloads/e2e/e2e_model.h"

namespace gq {

inline constexpr int64_t kPrefillChunkTokens = 16384;

// Sequences per prefill chunk for prompts of `len` tokens: max(1, chunk / len), at most batch.
int PrefillChunkSeqs(int batch, int len);
// Rows of the largest step of a prefill of prompts of `len` tokens, or of a decode step.
int64_t MaxStepRows(int batch, int len);

// One forward step over `step`'s rows, ending with sampling the next token of each sequence.
void ForwardStep(E2eBackend& backend, const ModelConfig& model, const E2eStep& step);
// Prefill of rows [0, len) of every sequence (the first output token is sampled from it).
void Prefill(E2eBackend& backend, const ModelConfig& model, int batch, int len);
// One decode step of every sequence.
void DecodeStep(E2eBackend& backend, const ModelConfig& model, int batch);

}  // namespace gq
