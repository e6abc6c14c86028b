#include "workloads/e2e/e2e_forward.h"

#include <algorithm>
#include <stdexcept>

namespace gq {
namespace {

// Embedding through the final norm over `step`'s rows; ends with last[first_seq .. + seqs).
void Body(E2eBackend& m, const ModelConfig& model, const E2eStep& step) {
  m.Embed(step);
  for (int l = 0; l < model.layers; ++l) {
    m.Norm(E2eNorm::kAttention, l, step, /*add_delta=*/l > 0);
    m.Linear(E2eLinear::kQkv, l, step);
    m.RopeStore(l, step);
    m.Attention(l, step);
    m.Linear(E2eLinear::kOut, l, step);
    m.AllReduceDelta(step);
    m.Norm(E2eNorm::kMlp, l, step, /*add_delta=*/true);
    m.Linear(E2eLinear::kGateUp, l, step);
    m.SiluMul(step);
    m.Linear(E2eLinear::kDown, l, step);
    m.AllReduceDelta(step);
  }
  m.Norm(E2eNorm::kFinal, 0, step, /*add_delta=*/model.layers > 0);
  m.SelectLast(step);
}

// LM head and sampling over rows [0, step.seqs) of `last`: every sequence of the batch.
void Head(E2eBackend& m, const E2eStep& step) {
  if (step.first_seq != 0) throw std::logic_error("e2e: the LM head runs over all sequences from 0");
  m.Linear(E2eLinear::kLmHead, 0, step);
  m.Sample(step);
}

}  // namespace

int PrefillChunkSeqs(int batch, int len, int64_t chunk_tokens) {
  const int64_t fit = std::max<int64_t>(1, chunk_tokens / std::max(len, 1));
  return static_cast<int>(std::min<int64_t>(batch, fit));
}

int64_t MaxStepRows(int batch, int len, int64_t chunk_tokens) {
  return std::max<int64_t>(int64_t(PrefillChunkSeqs(batch, len, chunk_tokens)) * len, batch);
}

void Prefill(E2eBackend& m, const E2eProblem& p, int len) {
  const int chunk = PrefillChunkSeqs(p.batch, len, p.prefill_chunk_tokens);
  E2eStep step;
  step.len = len;
  for (int first = 0; first < p.batch; first += chunk) {
    step.first_seq = first;
    step.seqs = std::min(chunk, p.batch - first);
    Body(m, p.model, step);
  }
  step.first_seq = 0;
  step.seqs = p.batch;
  Head(m, step);
}

void DecodeStep(E2eBackend& m, const E2eProblem& p) {
  E2eStep step;
  step.seqs = p.batch;
  step.len = 1;
  step.decode = true;
  Body(m, p.model, step);
  Head(m, step);
}

}  // namespace gq
