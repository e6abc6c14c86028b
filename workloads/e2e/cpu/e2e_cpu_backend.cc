#include "workloads/e2e/cpu/e2e_cpu_backend.h"

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "workloads/e2e/cpu/e2e_cpu_ops.h"
#include "workloads/e2e/model/e2e_rows.h"
#include "workloads/e2e/model/e2e_weights.h"

namespace gq {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<float> MakeWeight(const E2eProblem& p, int rank, E2eWeight which, int layer) {
  const E2eTensorPlan plan = PlanWeight(p, rank, which, layer);
  std::vector<float> w(static_cast<size_t>(plan.elements()));
  for (const E2eFill& f : plan.fills) {
    if (f.count > 0) InitTensorCpuFrom(w.data() + f.dest, f.count, f.seed, f.first_index, f.scale, f.offset);
  }
  return w;
}

struct Layer {
  std::vector<float> attn_norm, mlp_norm, qkv, qkv_bias, out, gate_up, down, k_cache, v_cache;
};

class E2eCpuBackend final : public E2eBackend {
 public:
  E2eCpuBackend(const E2eProblem& p, int64_t max_rows, int rank, Communicator* world)
      : p_(p), rank_(rank), world_(world) {
    if (p.tp > 1 && (world == nullptr || world->size() != p.tp)) {
      throw std::invalid_argument("e2e cpu backend: tp > 1 needs a world of exactly tp ranks");
    }
    const ModelConfig& m = p.model;
    shape_ = {p.heads_local(), p.kv_heads_local(), m.head_dim, p.max_seq()};
    embed_ = MakeWeight(p, rank, E2eWeight::kEmbed, 0);
    final_norm_ = MakeWeight(p, rank, E2eWeight::kFinalNorm, 0);
    lm_head_ = MakeWeight(p, rank, E2eWeight::kLmHead, 0);
    const size_t cache = size_t(p.batch) * p.max_seq() * shape_.kv_heads * m.head_dim;
    layers_.resize(static_cast<size_t>(m.layers));
    for (int l = 0; l < m.layers; ++l) {
      Layer& L = layers_[static_cast<size_t>(l)];
      L.attn_norm = MakeWeight(p, rank, E2eWeight::kAttnNorm, l);
      L.mlp_norm = MakeWeight(p, rank, E2eWeight::kMlpNorm, l);
      L.qkv = MakeWeight(p, rank, E2eWeight::kQkv, l);
      if (m.qkv_bias) L.qkv_bias = MakeWeight(p, rank, E2eWeight::kQkvBias, l);
      L.out = MakeWeight(p, rank, E2eWeight::kOut, l);
      L.gate_up = MakeWeight(p, rank, E2eWeight::kGateUp, l);
      L.down = MakeWeight(p, rank, E2eWeight::kDown, l);
      L.k_cache.assign(cache, 0.0f);
      L.v_cache.assign(cache, 0.0f);
    }
    const size_t rows = static_cast<size_t>(max_rows), d = size_t(m.head_dim);
    const size_t hq = size_t(shape_.heads) * d, hkv = size_t(shape_.kv_heads) * d;
    x_.resize(rows * m.hidden);
    h_.resize(rows * m.hidden);
    delta_.resize(rows * m.hidden);
    qkv_.resize(rows * (hq + 2 * hkv));
    q_.resize(rows * hq);
    k_.resize(rows * hkv);
    v_.resize(rows * hkv);
    attn_.resize(rows * hq);
    gate_up_.resize(rows * 2 * size_t(p.ffn_local()));
    act_.resize(rows * size_t(p.ffn_local()));
    last_.resize(size_t(p.batch) * m.hidden);
    logits_.resize(size_t(p.batch) * p.vocab_local());
    tokens_.assign(size_t(p.batch) * p.max_seq(), 0);
    pos_.assign(size_t(p.batch), 0);
    kv_len_.assign(size_t(p.batch), 0);
    local_best_.resize(size_t(p.batch));
    gathered_.resize(size_t(p.batch) * p.tp);
  }

  void Embed(const E2eStep& s) override {
    EmbedCpu(embed_.data(), p_.model.hidden, tokens_.data(), p_.max_seq(), Rows(s), x_.data());
  }

  void Norm(E2eNorm which, int layer, const E2eStep& s, bool add_delta) override {
    const std::vector<float>& gamma = which == E2eNorm::kFinal ? final_norm_
                                      : which == E2eNorm::kAttention ? L(layer).attn_norm
                                                                     : L(layer).mlp_norm;
    AddRmsNormCpu(x_.data(), add_delta ? delta_.data() : nullptr, gamma.data(), s.tokens(),
                  p_.model.hidden, p_.model.rms_eps, h_.data());
  }

  void Linear(E2eLinear which, int layer, const E2eStep& s) override {
    const int hidden = p_.model.hidden, d = p_.model.head_dim;
    const int hq = shape_.heads * d, hkv = shape_.kv_heads * d, f = p_.ffn_local();
    const int rows = static_cast<int>(s.tokens());
    switch (which) {
      case E2eLinear::kQkv: return MatmulNt(h_.data(), L(layer).qkv.data(), qkv_.data(), rows, hq + 2 * hkv, hidden);
      case E2eLinear::kOut: return MatmulNn(attn_.data(), L(layer).out.data(), delta_.data(), rows, hidden, hq);
      case E2eLinear::kGateUp: return MatmulNt(h_.data(), L(layer).gate_up.data(), gate_up_.data(), rows, 2 * f, hidden);
      case E2eLinear::kDown: return MatmulNn(act_.data(), L(layer).down.data(), delta_.data(), rows, hidden, f);
      case E2eLinear::kLmHead: return MatmulNt(last_.data(), lm_head_.data(), logits_.data(), s.seqs, p_.vocab_local(), hidden);
    }
  }

  void RopeStore(int layer, const E2eStep& s) override {
    Layer& l = L(layer);
    RopeStoreCpu(qkv_.data(), l.qkv_bias.empty() ? nullptr : l.qkv_bias.data(), Rows(s), shape_,
                 static_cast<float>(p_.model.rope_theta), q_.data(), l.k_cache.data(), l.v_cache.data(),
                 s.decode ? nullptr : k_.data(), s.decode ? nullptr : v_.data());
  }

  // Both phases attend over the cache (prefill rows were just stored there).
  void Attention(int layer, const E2eStep& s) override {
    AttentionOverCacheCpu(q_.data(), L(layer).k_cache.data(), L(layer).v_cache.data(), Rows(s), shape_, attn_.data());
  }

  void SiluMul(const E2eStep& s) override { SiluMulCpu(gate_up_.data(), s.tokens(), p_.ffn_local(), act_.data()); }

  void AllReduceDelta(const E2eStep& s) override {
    if (p_.tp == 1) return;
    world_->AllReduce(nullptr, delta_.data(), size_t(s.tokens()) * p_.model.hidden, Dtype::kFp32, CommOp::kSum);
  }

  void SelectLast(const E2eStep& s) override {
    SelectLastRowsCpu(h_.data(), Rows(s), p_.model.hidden, last_.data() + size_t(s.first_seq) * p_.model.hidden);
  }

  void Sample(const E2eStep& s) override {
    ArgmaxRowsCpu(logits_.data(), s.seqs, p_.vocab_local(), VocabOffset(0), local_best_.data());
    if (p_.tp == 1) {
      std::copy(local_best_.begin(), local_best_.begin() + s.seqs, gathered_.begin());
    } else {  // an E2eArgmax is two 32-bit words
      world_->AllGather(local_best_.data(), gathered_.data(), size_t(s.seqs) * 2, Dtype::kInt32);
    }
    FinishSampleCpu(gathered_.data(), p_.tp, Rows(s), tokens_.data(), p_.max_seq(), pos_.data(), kv_len_.data());
  }

  void SetPositions(int position) override {
    std::fill(pos_.begin(), pos_.end(), position);
    std::fill(kv_len_.begin(), kv_len_.end(), position + 1);
  }

  void CaptureDecode(const std::function<void()>& issue_step) override { decode_ = issue_step; }
  void ReplayDecode() override { decode_(); }
  std::string GraphState() const override { return "none (cpu: ops run eagerly)"; }
  Dtype ComputeDtype() const override { return Dtype::kFp32; }  // fp32 activations (weights hold dtype values)

  void BeginIteration(void*) override {}
  void EndIteration(void*) override {}
  void Mark(int index) override {
    if (marks_.size() <= size_t(index)) marks_.resize(size_t(index) + 1);
    marks_[size_t(index)] = Clock::now();
  }
  std::vector<double> MarkSeconds(int count) override {
    std::vector<double> out;
    for (int i = 0; i < count && size_t(i) < marks_.size(); ++i) {
      out.push_back(std::chrono::duration<double>(marks_[size_t(i)] - marks_[0]).count());
    }
    return out;
  }
  void Synchronize() override {}

  int shards() const override { return 1; }
  std::vector<float> ReadLogits(int, int seqs) override {
    return {logits_.begin(), logits_.begin() + size_t(seqs) * p_.vocab_local()};
  }
  int VocabOffset(int) const override { return rank_ * p_.vocab_local(); }
  std::vector<int> ReadTokens() override { return tokens_; }
  void WriteTokens(const std::vector<int>& tokens) override {
    if (tokens.size() != tokens_.size()) throw std::invalid_argument("e2e cpu: token table size mismatch");
    tokens_ = tokens;
  }
  void FillPrompt() override {
    FillPromptCpu(tokens_.data(), p_.batch, p_.max_seq(), p_.input_len, p_.model.vocab, kE2ePromptSeed);
  }
  std::map<std::string, std::string> Details() const override {
    return {{"matmul", "OpenBLAS cblas_sgemm, fp32"},
            {"attention", "exact attention over the KV cache on host threads, fp32"},
            {"activations", "fp32 (weights hold bf16 values)"}};
  }

 private:
  Layer& L(int layer) { return layers_[static_cast<size_t>(layer)]; }
  E2eRows Rows(const E2eStep& s) const {
    return {s.first_seq, s.seqs, s.len, s.decode ? pos_.data() : nullptr};
  }
  // C[m, n] = A[m, k] W^T with W [n, k] row-major.
  static void MatmulNt(const float* a, const float* w, float* c, int m, int n, int k) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a, k, w, k, 0.0f, c, n);
  }
  // C[m, n] = A[m, k] W with W [k, n] row-major.
  static void MatmulNn(const float* a, const float* w, float* c, int m, int n, int k) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, w, n, 0.0f, c, n);
  }

  E2eProblem p_;
  int rank_;
  Communicator* world_;
  E2eAttnShape shape_;
  std::vector<float> embed_, final_norm_, lm_head_;
  std::vector<Layer> layers_;
  std::vector<float> x_, h_, delta_, qkv_, q_, k_, v_, attn_, gate_up_, act_, last_, logits_;
  std::vector<int> tokens_, pos_, kv_len_;
  std::vector<E2eArgmax> local_best_, gathered_;
  std::function<void()> decode_;
  std::vector<Clock::time_point> marks_;
};

}  // namespace

std::unique_ptr<E2eBackend> MakeE2eCpuBackend(const E2eProblem& p, int64_t max_rows, int rank,
                                              Communicator* world) {
  return std::make_unique<E2eCpuBackend>(p, max_rows, rank, world);
}

double E2eCpuBackendBytes(const E2eProblem& p, int64_t max_rows) {
  const ModelConfig& m = p.model;
  const double d = m.head_dim, hq = p.heads_local() * d, hkv = p.kv_heads_local() * d;
  const double cache = 2.0 * m.layers * p.batch * double(p.max_seq()) * hkv;
  const double per_row = 3.0 * m.hidden + (hq + 2 * hkv) + hq + 2 * hkv + hq + 3.0 * p.ffn_local();
  return 4.0 * (RankWeightElements(p) + cache + per_row * double(max_rows) + double(p.batch) * (m.hidden + p.vocab_local()));
}

}  // namespace gq
