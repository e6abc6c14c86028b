#pragma once
// The forward pass of the e2e decoder (model in e2e_model.h) written once over the ops interface
// (e2e_backend.h), so the cpu and CUDA backends run the same sequence of operations:
//
//   body (per step of token rows):
//     x = embed(tokens)
//     for each layer: h = norm(x [+= delta]); qkv; rope + cache; attn; delta = attn Wo; allreduce;
//                     h = norm(x += delta); gate_up; act = silu(gate) * up; delta = act Wd; allreduce
//     h = final_norm(x += delta); last[first_seq + s] = h[last row of sequence s]
//   head (once over every sequence, after the body of every chunk):
//     logits[b] = last[b] Wlm^T; sample the next token of each sequence b
//
// Prefill runs whole prompts in chunks of sequences of at most p.prefill_chunk_tokens rows (one
// sequence per chunk when a prompt is longer), so activation buffers stay bounded; the head then
// runs once over all p.batch sequences, so logits row b is always sequence b's. A decode step is
// one body and one head over all sequences.
#include <cstdint>

#include "workloads/e2e/e2e_backend.h"
#include "workloads/e2e/model/e2e_model.h"

namespace gq {

// Sequences per prefill chunk for prompts of `len` tokens: max(1, chunk_tokens / len), at most batch.
int PrefillChunkSeqs(int batch, int len, int64_t chunk_tokens = kPrefillChunkTokens);
// Rows of the largest step of a prefill of prompts of `len` tokens, or of a decode step.
int64_t MaxStepRows(int batch, int len, int64_t chunk_tokens = kPrefillChunkTokens);

// Prefill of rows [0, len) of all p.batch sequences; samples each sequence's next token.
void Prefill(E2eBackend& backend, const E2eProblem& p, int len);
// One decode step of all p.batch sequences.
void DecodeStep(E2eBackend& backend, const E2eProblem& p);

}  // namespace gq
