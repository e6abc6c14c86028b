#include "workloads/e2e/e2e_forward.h"

#include <algorithm>

namespace gq {

int PrefillChunkSeqs(int batch, int len) {
  const int64_t fit = std::max<int64_t>(1, kPrefillChunkTokens / std::max(len, 1));
  return static_cast<int>(std::min<int64_t>(batch, fit));
}

int64_t MaxStepRows(int batch, int len) {
  return std::max<int64_t>(int64_t(PrefillChunkSeqs(batch, len)) * len, batch);
}

void ForwardStep(E2eBackend& m, const ModelConfig& model, const E2eStep& step) {
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
  m.Linear(E2eLinear::kLmHead, 0, step);
  m.Sample(step);
}

void Prefill(E2eBackend& m, const ModelConfig& model, int batch, int len) {
  const int chunk = PrefillChunkSeqs(batch, len);
  for (int first = 0; first < batch; first += chunk) {
    E2eStep step;
    step.first_seq = first;
    step.seqs = std::min(chunk, batch - first);
    step.len = len;
    ForwardStep(m, model, step);
  }
}

void DecodeStep(E2eBackend& m, const ModelConfig& model, int batch) {
  E2eStep step;
  step.seqs = batch;
  step.len = 1;
  step.decode = true;
  ForwardStep(m, model, step);
}

}  // namespace gq
