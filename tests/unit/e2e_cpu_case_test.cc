// The e2e forward pass end to end on the cpu backend (tiny shapes): generation is deterministic,
// verification passes for a correct backend and fails for a broken one, phases are reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "harness/work.h"
#include "workloads/e2e/e2e_case.h"
#include "workloads/e2e/cpu/e2e_cpu_backend.h"
#include "workloads/e2e/e2e_forward.h"
#include "workloads/e2e/e2e_verify.h"
#include "workloads/e2e/model/e2e_work.h"
#include "workloads/e2e/e2e_workload.h"

namespace gq {
namespace {

E2eProblem Tiny(int batch, int in, int out) {
  E2eProblem p;
  p.model = ModelPreset("tiny");
  p.batch = batch;
  p.input_len = in;
  p.output_len = out;
  return p;
}

std::unique_ptr<E2eBackend> Cpu(const E2eProblem& p) {
  const int64_t rows = std::max(MaxStepRows(p.batch, p.input_len, p.prefill_chunk_tokens),
                                MaxStepRows(p.batch, p.input_len + E2eVerifySteps(p.output_len), p.prefill_chunk_tokens));
  return MakeE2eCpuBackend(p, rows, 0, nullptr);
}

// The logits of the last Sample (shard 0), one row per sequence.
std::vector<float> Logits(E2eBackend& m, int batch) {
  m.Synchronize();
  return m.ReadLogits(0, batch);
}

// Forwards everything to a cpu backend, except that decode steps skip attention: the attention
// output is then stale, as with a KV-cache bug, and must be caught.
class SkipDecodeAttention final : public E2eBackend {
 public:
  explicit SkipDecodeAttention(std::unique_ptr<E2eBackend> inner) : in_(std::move(inner)) {}
  void Embed(const E2eStep& s) override { in_->Embed(s); }
  void Norm(E2eNorm w, int l, const E2eStep& s, bool a) override { in_->Norm(w, l, s, a); }
  void Linear(E2eLinear w, int l, const E2eStep& s) override { in_->Linear(w, l, s); }
  void RopeStore(int l, const E2eStep& s) override { in_->RopeStore(l, s); }
  void Attention(int l, const E2eStep& s) override {
    if (!s.decode) in_->Attention(l, s);
  }
  void SiluMul(const E2eStep& s) override { in_->SiluMul(s); }
  void AllReduceDelta(const E2eStep& s) override { in_->AllReduceDelta(s); }
  void SelectLast(const E2eStep& s) override { in_->SelectLast(s); }
  void Sample(const E2eStep& s) override { in_->Sample(s); }
  void SetPositions(int p) override { in_->SetPositions(p); }
  void CaptureDecode(const std::function<void()>& f) override { in_->CaptureDecode(f); }
  void ReplayDecode() override { in_->ReplayDecode(); }
  std::string GraphState() const override { return in_->GraphState(); }
  void BeginIteration(void* s) override { in_->BeginIteration(s); }
  void EndIteration(void* s) override { in_->EndIteration(s); }
  void Mark(int i) override { in_->Mark(i); }
  std::vector<double> MarkSeconds(int n) override { return in_->MarkSeconds(n); }
  void Synchronize() override { in_->Synchronize(); }
  int shards() const override { return in_->shards(); }
  std::vector<float> ReadLogits(int s, int n) override { return in_->ReadLogits(s, n); }
  int VocabOffset(int s) const override { return in_->VocabOffset(s); }
  std::vector<int> ReadTokens() override { return in_->ReadTokens(); }
  void WriteTokens(const std::vector<int>& t) override { in_->WriteTokens(t); }
  void FillPrompt() override { in_->FillPrompt(); }
  std::map<std::string, std::string> Details() const override { return in_->Details(); }
  Dtype ComputeDtype() const override { return in_->ComputeDtype(); }

 private:
  std::unique_ptr<E2eBackend> in_;
};

TEST(E2eCpuCaseTest, CachedDecodeMatchesFullForward) {
  const E2eProblem p = Tiny(3, 12, 6);
  auto c = MakeE2eCase(p, Cpu(p), nullptr, kE2eCpuTolerance);
  c->Run(nullptr);
  const VerifyResult v = c->Verify();
  EXPECT_TRUE(v.passed) << v.detail;
  EXPECT_LT(v.max_rel_err, kE2eCpuTolerance);
  EXPECT_NE(v.detail.find("argmax same in 3/3"), std::string::npos) << v.detail;
}

TEST(E2eCpuCaseTest, QwenStyleBiasAndGqaAlsoVerify) {
  E2eProblem p = Tiny(2, 9, 3);
  p.model.qkv_bias = true;
  p.model.kv_heads = 1;  // multi-query
  auto c = MakeE2eCase(p, Cpu(p), nullptr, kE2eCpuTolerance);
  EXPECT_TRUE(c->Verify().passed);
}

TEST(E2eCpuCaseTest, ABrokenDecodePathFailsVerification) {
  const E2eProblem p = Tiny(2, 10, 5);
  auto c = MakeE2eCase(p, std::make_unique<SkipDecodeAttention>(Cpu(p)), nullptr, kE2eCpuTolerance);
  const VerifyResult v = c->Verify();
  EXPECT_FALSE(v.passed) << v.detail;
  EXPECT_GT(v.max_rel_err, 100 * kE2eCpuTolerance);
}

TEST(E2eCpuCaseTest, AReferenceBackendWithOtherWeightsDisagrees) {
  const E2eProblem p = Tiny(2, 8, 3);
  E2eProblem other = p;
  other.model.rope_theta = 10000;  // same weights, other positions' rotation
  auto c = MakeE2eCase(p, Cpu(p), Cpu(other), kE2eCpuTolerance);
  const VerifyResult v = c->Verify();
  EXPECT_FALSE(v.passed) << v.detail;
  auto same = MakeE2eCase(p, Cpu(p), Cpu(p), kE2eCpuTolerance);
  const VerifyResult ok = same->Verify();
  EXPECT_TRUE(ok.passed) << ok.detail;
  EXPECT_NE(ok.detail.find("cpu fp32 reference"), std::string::npos);
}

TEST(E2eCpuCaseTest, GenerationIsDeterministicAndPromptIsKept) {
  const E2eProblem p = Tiny(2, 8, 5);
  auto a = Cpu(p), b = Cpu(p);
  for (E2eBackend* m : {a.get(), b.get()}) {
    m->FillPrompt();
    Prefill(*m, p, p.input_len);
    for (int i = 0; i < 4; ++i) DecodeStep(*m, p);
  }
  const std::vector<int> ta = a->ReadTokens(), tb = b->ReadTokens();
  EXPECT_EQ(ta, tb);
  for (int s = 0; s < p.batch; ++s) {
    for (int i = 0; i < p.input_len + 5; ++i) {
      const int t = ta[size_t(s * p.max_seq() + i)];
      EXPECT_GE(t, 0);
      EXPECT_LT(t, p.model.vocab);
    }
  }
}

TEST(E2eCpuCaseTest, PhasesOfTheLastIteration) {
  const E2eProblem p = Tiny(2, 16, 6);
  auto c = MakeE2eCase(p, Cpu(p), nullptr, kE2eCpuTolerance);
  EXPECT_TRUE(c->PhaseSeconds().empty());  // nothing ran yet
  c->Run(nullptr);
  const std::map<std::string, double> ph = c->PhaseSeconds();
  ASSERT_EQ(ph.size(), 5u);
  EXPECT_GT(ph.at(kPhasePrefill), 0);
  EXPECT_EQ(ph.at(kPhaseTtft), ph.at(kPhasePrefill));
  EXPECT_GT(ph.at(kPhaseTpot), 0);
  EXPECT_LE(ph.at(kPhaseItlP50), ph.at(kPhaseItlP99));
  const std::map<std::string, std::string> d = c->Details();
  EXPECT_NE(d.at("model").find("tiny"), std::string::npos);
  EXPECT_TRUE(d.count("decode_effective_tb_s"));
  const Work w = c->GetWork();
  EXPECT_EQ(w.tokens, 12);
  EXPECT_EQ(w.prefill_tokens, 32);
  EXPECT_EQ(w.compute_dtype, "fp32");  // the cpu computes in fp32 whatever the dtype axis says
  E2eProblem held = p;
  held.dtype = Dtype::kFp32;
  EXPECT_DOUBLE_EQ(w.bytes, E2eWork(held).bytes);  // of the fp32 weights and cache it holds
  EXPECT_GT(w.bytes, E2eWork(p).bytes);
}

TEST(E2eCpuCaseTest, OneOutputTokenHasNoDecodePhases) {
  const E2eProblem p = Tiny(1, 8, 1);
  auto c = MakeE2eCase(p, Cpu(p), nullptr, kE2eCpuTolerance);
  c->Run(nullptr);
  const std::map<std::string, double> ph = c->PhaseSeconds();
  EXPECT_EQ(ph.size(), 2u);  // prefill and ttft
  EXPECT_TRUE(c->Verify().passed);
}

TEST(E2eCpuCaseTest, LongPromptsRunInChunks) {
  EXPECT_EQ(PrefillChunkSeqs(64, 1024), 16);
  EXPECT_EQ(PrefillChunkSeqs(4, 100000), 1);
  EXPECT_EQ(PrefillChunkSeqs(5, 12, 32), 2);
  EXPECT_EQ(MaxStepRows(64, 1024), 16384);
  EXPECT_EQ(MaxStepRows(256, 1), 256);
  EXPECT_EQ(MaxStepRows(5, 12, 32), 24);
}

// A prefill split into chunks of sequences leaves the same logits, row b for sequence b, as one
// unchunked prefill: 5 sequences of 12 tokens in chunks of 2, 2 and 1 sequences (32-token chunks),
// and 3 sequences of 40 tokens, one per chunk (each prompt longer than a chunk).
TEST(E2eCpuCaseTest, ChunkedPrefillGivesEverySequenceItsOwnLogits) {
  for (const auto& [batch, len] : {std::pair{5, 12}, std::pair{3, 40}}) {
    E2eProblem whole = Tiny(batch, len, 2);
    E2eProblem chunked = whole;
    chunked.prefill_chunk_tokens = 32;
    ASSERT_GT(batch, PrefillChunkSeqs(batch, len, chunked.prefill_chunk_tokens));
    auto a = Cpu(whole), b = Cpu(chunked);
    for (E2eBackend* m : {a.get(), b.get()}) m->FillPrompt();
    Prefill(*a, whole, len);
    Prefill(*b, chunked, len);
    const std::vector<float> la = Logits(*a, batch), lb = Logits(*b, batch);
    const int v = whole.vocab_local();
    EXPECT_LT(MaxRowRelativeL2(lb.data(), la.data(), batch, v, v, 0), 1e-6) << batch << "x" << len;
    // Sequences hold different prompts, so their logits differ: a row copied from another
    // sequence would not pass the comparison above.
    EXPECT_GT(MaxRowRelativeL2(la.data(), la.data() + v, 1, v, v, 0), 1e-3);
    EXPECT_EQ(a->ReadTokens(), b->ReadTokens());  // the same first output token everywhere
  }
}

// Verification of a case whose prefill (and the full forward it checks against) spans several
// chunks: the cached-decode check compares each sequence with itself.
TEST(E2eCpuCaseTest, VerificationPassesWhenThePrefillIsChunked) {
  E2eProblem p = Tiny(5, 12, 4);
  p.prefill_chunk_tokens = 32;  // 2 sequences per chunk: chunks of 2, 2 and 1
  auto c = MakeE2eCase(p, Cpu(p), Cpu(p), kE2eCpuTolerance);
  c->Run(nullptr);
  const VerifyResult v = c->Verify();
  EXPECT_TRUE(v.passed) << v.detail;
  EXPECT_LT(v.max_rel_err, kE2eCpuTolerance);
  EXPECT_NE(v.detail.find("argmax same in 5/5"), std::string::npos) << v.detail;
  EXPECT_EQ(c->Details().at("prefill_chunk_seqs"), "2");
}

}  // namespace
}  // namespace gq
