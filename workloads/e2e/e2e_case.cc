#include "workloads/e2e/e2e_case.h"

#include <cstdio>
#include <vector>

#include "harness/stats.h"
#include "workloads/e2e/e2e_forward.h"
#include "workloads/e2e/e2e_verify.h"
#include "workloads/e2e/model/e2e_work.h"

namespace gq {
namespace {

// Four significant digits.
std::string Num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

class E2eCase final : public PreparedCase {
 public:
  E2eCase(const E2eProblem& p, std::unique_ptr<E2eBackend> backend, std::unique_ptr<E2eBackend> reference,
          double tolerance)
      : p_(p), m_(std::move(backend)), ref_(std::move(reference)), tolerance_(tolerance) {
    m_->FillPrompt();
    if (ref_) ref_->FillPrompt();
    Prefill(*m_, p_, p_.input_len);  // the decode capture needs a prefilled cache
    m_->CaptureDecode([this] { DecodeStep(*m_, p_); });
    m_->Synchronize();
  }

  void Run(void* stream) override {
    m_->BeginIteration(stream);
    m_->Mark(0);
    switch (p_.scenario) {
      case E2eScenario::kOffline:
        Prefill(*m_, p_, p_.input_len);
        m_->Mark(1);
        for (int i = 1; i < p_.output_len; ++i) {
          m_->ReplayDecode();
          m_->Mark(i + 1);
        }
        break;
      case E2eScenario::kPrefill:
        Prefill(*m_, p_, p_.input_len);
        m_->Mark(1);
        break;
      case E2eScenario::kDecode:
        m_->SetPositions(p_.input_len);
        m_->ReplayDecode();
        m_->Mark(1);
        break;
    }
    m_->EndIteration(stream);
  }

  Work GetWork() const override { return E2eWork(Counted()); }

  std::map<std::string, double> PhaseSeconds() override {
    const bool offline = p_.scenario == E2eScenario::kOffline;
    const int marks_used = offline ? p_.output_len + 1 : 2;
    const std::vector<double> marks = m_->MarkSeconds(marks_used);
    if (static_cast<int>(marks.size()) < marks_used) return {};
    if (p_.scenario == E2eScenario::kDecode) {
      tpot_.push_back(marks[1]);
      return {{kPhaseTpot, marks[1]}};
    }
    prefill_.push_back(marks[1]);
    std::map<std::string, double> phases{{kPhasePrefill, marks[1]}, {kPhaseTtft, marks[1]}};
    const int out = p_.output_len;
    if (offline && out > 1) {
      std::vector<double> itl;
      for (int i = 1; i < out; ++i) itl.push_back(marks[size_t(i) + 1] - marks[size_t(i)]);
      phases[kPhaseTpot] = (marks[size_t(out)] - marks[1]) / (out - 1);
      phases[kPhaseItlP50] = Percentile(itl, 50);
      phases[kPhaseItlP99] = Percentile(itl, 99);
      tpot_.push_back(phases[kPhaseTpot]);
    }
    return phases;
  }

  VerifyResult Verify() override { return VerifyE2e(*m_, p_, ref_.get(), tolerance_); }

  std::map<std::string, std::string> Details() const override {
    std::map<std::string, std::string> d = m_->Details();
    d["model"] = p_.model.name + " (" + p_.model.source + ")";
    d["scenario"] = E2eScenarioName(p_.scenario);
    d["params_b"] = Num(p_.model.TotalParams() * 1e-9);
    d["decode_graph"] = m_->GraphState();
    d["kv_cache_rows"] = std::to_string(p_.max_seq());
    d["prefill_chunk_seqs"] = std::to_string(PrefillChunkSeqs(p_.batch, p_.input_len, p_.prefill_chunk_tokens));
    // Per GPU: bytes one decode step moves at the mean context, and the rates they imply.
    const double context = p_.scenario == E2eScenario::kDecode ? p_.input_len + 1.0 : E2eMeanDecodeContext(p_);
    const E2ePhaseWork step = E2eDecodeStepWork(Counted(), context);
    d["decode_bytes_per_step_gb"] = Num(step.bytes * 1e-9);
    if (!tpot_.empty() && Median(tpot_) > 0) {
      d["decode_effective_tb_s"] = Num(step.bytes / Median(tpot_) * 1e-12);
    }
    const E2ePhaseWork prefill = E2ePrefillWork(Counted());
    d["prefill_tflop_per_gpu"] = Num(prefill.flops * 1e-12);
    if (!prefill_.empty() && Median(prefill_) > 0) {
      d["prefill_tflops_per_gpu"] = Num(prefill.flops / Median(prefill_) * 1e-12);
    }
    return d;
  }

 private:
  // The problem as the backend computes it: its dtype is the backend's (the cpu holds fp32
  // weights, KV cache and activations whatever the dtype axis says), so the bytes and the
  // compute_dtype of the work are what it moves and computes in.
  E2eProblem Counted() const {
    E2eProblem counted = p_;
    counted.dtype = m_->ComputeDtype();
    return counted;
  }

  E2eProblem p_;
  std::unique_ptr<E2eBackend> m_;
  std::unique_ptr<E2eBackend> ref_;
  double tolerance_;
  std::vector<double> tpot_, prefill_;  // this rank's, one per sample
};

}  // namespace

std::unique_ptr<PreparedCase> MakeE2eCase(const E2eProblem& p, std::unique_ptr<E2eBackend> backend,
                                          std::unique_ptr<E2eBackend> reference, double tolerance) {
  return std::make_unique<E2eCase>(p, std::move(backend), std::move(reference), tolerance);
}

}  // namespace gq
