// The CUDA backend of the e2e workload (contract in e2e_cuda_backend.h): the ops of
// e2e_backend.h issued on every shard, NCCL between shards, the decode step as a CUDA graph.
#include "workloads/e2e/cuda/e2e_cuda_backend.h"

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_dtype.cuh"
#include "harness/gpu/cuda_resources.cuh"
#include "workloads/attention/attention_decode.cuh"
#include "workloads/attention/attention_flash_fwd.cuh"
#include "workloads/e2e/cuda/e2e_cuda_shard.cuh"
#include "workloads/e2e/cuda/e2e_cuda_weights.cuh"
#include "workloads/e2e/cuda/e2e_kernels.cuh"
#if GQ_WITH_NCCL
#include <nccl.h>
#endif

namespace gq {
namespace {

class E2eCudaBackend final : public E2eBackend {
 public:
  E2eCudaBackend(const E2eProblem& p, std::vector<std::unique_ptr<E2eShard>> shards, std::vector<void*> comms,
                 std::string comm_mode)
      : p_(p), shards_(std::move(shards)), comms_(std::move(comms)), comm_mode_(std::move(comm_mode)) {
    for (int i = 0; i <= p.output_len; ++i) marks_.push_back(MakeTimingEvent(shards_[0]->device));
  }

  ~E2eCudaBackend() override {
    for (auto& s : shards_) {
      cudaSetDevice(s->device);
      cudaStreamSynchronize(s->stream);
    }
  }  // then the graph and the events are released on their devices

  void Embed(const E2eStep& st) override {
    Each([&](E2eShard& s) {
      LaunchEmbed(s.B(s.embed), p_.model.hidden, s.tokens.as<int>(), p_.max_seq(), Rows(s, st), s.B(s.x), s.stream);
    });
  }

  void Norm(E2eNorm which, int layer, const E2eStep& st, bool add_delta) override {
    Each([&](E2eShard& s) {
      const DeviceBuffer& gamma = which == E2eNorm::kFinal       ? s.final_norm
                                  : which == E2eNorm::kAttention ? s.layers[size_t(layer)].attn_norm
                                                                 : s.layers[size_t(layer)].mlp_norm;
      LaunchAddRmsNorm(s.B(s.x), add_delta ? s.B(s.delta) : nullptr, s.B(gamma), st.tokens(), p_.model.hidden,
                       p_.model.rms_eps, s.B(s.h), s.stream);
    });
  }

  void Linear(E2eLinear which, int layer, const E2eStep& st) override {
    const int hidden = p_.model.hidden, d = p_.model.head_dim;
    const int hq = p_.heads_local() * d, hkv = p_.kv_heads_local() * d, f = p_.ffn_local();
    const int rows = static_cast<int>(st.tokens());
    Each([&](E2eShard& s) {
      E2eLinearPlans& lin = *s.linear;
      switch (which) {
        case E2eLinear::kQkv:
          return lin.Run(s.h.get(), L(s, layer).qkv.get(), s.qkv.get(), rows, hq + 2 * hkv, hidden, true, false, s.stream);
        case E2eLinear::kOut:
          return lin.Run(s.attn.get(), L(s, layer).out.get(), s.delta.get(), rows, hidden, hq, false, false, s.stream);
        case E2eLinear::kGateUp:
          return lin.Run(s.h.get(), L(s, layer).gate_up.get(), s.gate_up.get(), rows, 2 * f, hidden, true, false, s.stream);
        case E2eLinear::kDown:
          return lin.Run(s.act.get(), L(s, layer).down.get(), s.delta.get(), rows, hidden, f, false, false, s.stream);
        case E2eLinear::kLmHead:
          return lin.Run(s.last.get(), s.lm_head.get(), s.logits.get(), st.seqs, p_.vocab_local(), hidden, true, true, s.stream);
      }
    });
  }

  void RopeStore(int layer, const E2eStep& st) override {
    Each([&](E2eShard& s) {
      E2eShardLayer& l = L(s, layer);
      LaunchRopeStore(s.B(s.qkv), l.qkv_bias.get() ? s.B(l.qkv_bias) : nullptr, Rows(s, st), s.shape,
                      static_cast<float>(p_.model.rope_theta), s.B(s.q), s.B(l.k_cache), s.B(l.v_cache),
                      st.decode ? nullptr : s.B(s.k), st.decode ? nullptr : s.B(s.v), s.stream);
    });
  }

  void Attention(int layer, const E2eStep& st) override {
    Each([&](E2eShard& s) {
      if (st.decode) {  // one query row per sequence over its kv_len[b] cache rows
        FlashDecodeArgs a;
        a.q = s.q.get();
        a.k = L(s, layer).k_cache.get();
        a.v = L(s, layer).v_cache.get();
        a.o = s.attn.get();
        a.kv_lens = s.kv_len.as<int>();
        a.batch = st.seqs;
        a.heads = s.shape.heads;
        a.kv_heads = s.shape.kv_heads;
        a.seq_q = 1;
        a.seq_kv = s.shape.max_seq;
        a.head_dim = s.shape.head_dim;
        a.causal = false;  // the one row sees all kv_len keys
        a.splits = s.decode_splits;
        a.workspace = s.decode_workspace.as<float>();
        LaunchFlashDecode(a, s.stream);
      } else {  // causal attention within each prompt, on the step's contiguous k, v
        FlashFwdArgs a;
        a.q = s.q.get();
        a.k = s.k.get();
        a.v = s.v.get();
        a.o = s.attn.get();
        a.batch = st.seqs;
        a.heads = s.shape.heads;
        a.kv_heads = s.shape.kv_heads;
        a.seq_q = a.seq_kv = st.len;
        a.head_dim = s.shape.head_dim;
        a.causal = true;
        LaunchFlashFwd(a, s.stream);
      }
    });
  }

  void SiluMul(const E2eStep& st) override {
    Each([&](E2eShard& s) { LaunchSiluMul(s.B(s.gate_up), st.tokens(), p_.ffn_local(), s.B(s.act), s.stream); });
  }

  void AllReduceDelta(const E2eStep& st) override {
    if (p_.tp == 1) return;
#if GQ_WITH_NCCL
    const size_t count = size_t(st.tokens()) * p_.model.hidden;
    NcclGroup([&](size_t i, E2eShard& s) {
      GQ_NCCL_CHECK(ncclAllReduce(s.delta.get(), s.delta.get(), count, NcclDataType(p_.dtype), ncclSum,
                                  static_cast<ncclComm_t>(comms_[i]), s.stream));
    });
#endif
  }

  void SelectLast(const E2eStep& st) override {
    Each([&](E2eShard& s) {
      bf16* rows = s.B(s.last) + size_t(st.first_seq) * p_.model.hidden;  // last is [batch, hidden]
      LaunchSelectLastRows(s.B(s.h), Rows(s, st), p_.model.hidden, rows, s.stream);
    });
  }

  void Sample(const E2eStep& st) override {
    Each([&](E2eShard& s) {
      LaunchArgmaxRows(s.logits.as<float>(), st.seqs, p_.vocab_local(), VocabOffset(s), s.best.as<E2eArgmax>(), s.stream);
    });
#if GQ_WITH_NCCL
    if (p_.tp > 1) {  // each E2eArgmax is two 32-bit words
      NcclGroup([&](size_t i, E2eShard& s) {
        GQ_NCCL_CHECK(ncclAllGather(s.best.get(), s.gathered.get(), size_t(st.seqs) * 2, ncclInt32,
                                    static_cast<ncclComm_t>(comms_[i]), s.stream));
      });
    }
#endif
    Each([&](E2eShard& s) {
      const auto* pairs = (p_.tp > 1 ? s.gathered : s.best).as<E2eArgmax>();
      LaunchFinishSample(pairs, p_.tp, Rows(s, st), s.tokens.as<int>(), p_.max_seq(), s.pos.as<int>(),
                         s.kv_len.as<int>(), s.stream);
    });
  }

  void SetPositions(int position) override {
    Each([&](E2eShard& s) { LaunchSetPositions(s.pos.as<int>(), s.kv_len.as<int>(), p_.batch, position, s.stream); });
  }

  void CaptureDecode(const std::function<void()>& issue_step) override {
    step_ = issue_step;
    // One eager pass first: every GEMM shape of the step gets its autotuned plan outside the
    // capture (the caller re-runs prefill before any timed or verified decode).
    step_();
    SynchronizeAll();
    E2eShard& s0 = *shards_[0];
    GQ_CUDA_CHECK(cudaSetDevice(s0.device));
    cudaError_t status = cudaStreamBeginCapture(s0.stream, cudaStreamCaptureModeThreadLocal);
    if (status == cudaSuccess) {
      // Everything between Begin and End may throw; the capture is ended below in every case, so
      // no stream is left in capture mode.
      std::string error;
      try {
        for (size_t i = 1; i < shards_.size(); ++i) {  // fork the other shards into the capture
          GQ_CUDA_CHECK(cudaEventRecord(s0.fork.get(), s0.stream));
          GQ_CUDA_CHECK(cudaStreamWaitEvent(shards_[i]->stream, s0.fork.get(), 0));
        }
        step_();
        for (size_t i = 1; i < shards_.size(); ++i) {  // and join them back
          E2eShard& s = *shards_[i];
          GQ_CUDA_CHECK(cudaSetDevice(s.device));
          GQ_CUDA_CHECK(cudaEventRecord(s.join.get(), s.stream));
          GQ_CUDA_CHECK(cudaSetDevice(s0.device));
          GQ_CUDA_CHECK(cudaStreamWaitEvent(s0.stream, s.join.get(), 0));
        }
      } catch (const std::exception& e) {
        error = e.what();
      }
      GQ_CUDA_CHECK(cudaSetDevice(s0.device));
      cudaGraph_t ended = nullptr;
      status = cudaStreamEndCapture(s0.stream, &ended);
      const CudaGraph graph(s0.device, ended);
      if (error.empty() && status == cudaSuccess) {
        cudaGraphExec_t exec = nullptr;
        status = cudaGraphInstantiate(&exec, graph.get(), 0);
        if (status == cudaSuccess) exec_ = CudaGraphExec(s0.device, exec);
      }
      if (!error.empty()) {
        graph_state_ = "eager: capture failed (" + error + ")";
      } else if (status != cudaSuccess) {
        graph_state_ = std::string("eager: capture failed (") + cudaGetErrorString(status) + ")";
      }
    } else {
      graph_state_ = std::string("eager: cannot begin capture (") + cudaGetErrorString(status) + ")";
    }
    if (!exec_) {
      cudaGetLastError();  // a failed capture's error is not sticky: clear it
    } else {
      graph_state_ = "captured: one CUDA graph per decode step over " + std::to_string(shards_.size()) + " GPU(s)";
    }
  }

  // The graph runs on the first shard's stream; with several shards, it first waits for the
  // others' streams (their prefill or last ops) and they then wait for it.
  void ReplayDecode() override {
    if (!exec_) return step_();
    E2eShard& s0 = *shards_[0];
    for (size_t i = 1; i < shards_.size(); ++i) {
      E2eShard& s = *shards_[i];
      GQ_CUDA_CHECK(cudaSetDevice(s.device));
      GQ_CUDA_CHECK(cudaEventRecord(s.join.get(), s.stream));
      GQ_CUDA_CHECK(cudaSetDevice(s0.device));
      GQ_CUDA_CHECK(cudaStreamWaitEvent(s0.stream, s.join.get(), 0));
    }
    GQ_CUDA_CHECK(cudaSetDevice(s0.device));
    GQ_CUDA_CHECK(cudaGraphLaunch(exec_.get(), s0.stream));
    if (shards_.size() > 1) {
      GQ_CUDA_CHECK(cudaEventRecord(s0.fork.get(), s0.stream));
      for (size_t i = 1; i < shards_.size(); ++i) {
        GQ_CUDA_CHECK(cudaStreamWaitEvent(shards_[i]->stream, s0.fork.get(), 0));
      }
    }
  }
  std::string GraphState() const override { return graph_state_; }
  Dtype ComputeDtype() const override { return p_.dtype; }

  // The runner's stream is on the first shard's GPU; an event is recorded on a stream of its
  // own device, and waited on from any device.
  void BeginIteration(void* stream) override {
    auto* outer = static_cast<cudaStream_t>(stream);
    E2eShard& s0 = *shards_[0];
    GQ_CUDA_CHECK(cudaSetDevice(s0.device));
    GQ_CUDA_CHECK(cudaEventRecord(s0.fork.get(), outer));
    for (auto& s : shards_) {
      GQ_CUDA_CHECK(cudaSetDevice(s->device));
      GQ_CUDA_CHECK(cudaStreamWaitEvent(s->stream, s0.fork.get(), 0));
    }
    GQ_CUDA_CHECK(cudaSetDevice(s0.device));
  }
  void EndIteration(void* stream) override {
    auto* outer = static_cast<cudaStream_t>(stream);
    for (auto& s : shards_) {
      GQ_CUDA_CHECK(cudaSetDevice(s->device));
      GQ_CUDA_CHECK(cudaEventRecord(s->join.get(), s->stream));
      GQ_CUDA_CHECK(cudaStreamWaitEvent(outer, s->join.get(), 0));
    }
    GQ_CUDA_CHECK(cudaSetDevice(shards_[0]->device));
  }
  void Mark(int index) override {
    GQ_CUDA_CHECK(cudaSetDevice(shards_[0]->device));
    GQ_CUDA_CHECK(cudaEventRecord(marks_.at(size_t(index)).get(), shards_[0]->stream));
  }
  std::vector<double> MarkSeconds(int count) override {
    std::vector<double> out;
    GQ_CUDA_CHECK(cudaSetDevice(shards_[0]->device));
    for (int i = 0; i < count && size_t(i) < marks_.size(); ++i) {
      float ms = 0;
      if (cudaEventElapsedTime(&ms, marks_[0].get(), marks_[size_t(i)].get()) != cudaSuccess) {
        cudaGetLastError();  // not recorded yet
        return {};
      }
      out.push_back(ms * 1e-3);
    }
    return out;
  }
  void Synchronize() override { SynchronizeAll(); }

  int shards() const override { return static_cast<int>(shards_.size()); }
  std::vector<float> ReadLogits(int shard, int seqs) override {
    E2eShard& s = *shards_.at(size_t(shard));
    std::vector<float> out(size_t(seqs) * p_.vocab_local());
    CopyOnStream(s, out.data(), s.logits.get(), out.size() * sizeof(float), cudaMemcpyDeviceToHost);
    return out;
  }
  int VocabOffset(int shard) const override { return VocabOffset(*shards_.at(size_t(shard))); }
  std::vector<int> ReadTokens() override {
    E2eShard& s = *shards_[0];
    std::vector<int> out(s.tokens.bytes() / sizeof(int));
    CopyOnStream(s, out.data(), s.tokens.get(), s.tokens.bytes(), cudaMemcpyDeviceToHost);
    return out;
  }
  void WriteTokens(const std::vector<int>& tokens) override {
    for (auto& s : shards_) {
      if (tokens.size() * sizeof(int) != s->tokens.bytes()) throw std::invalid_argument("e2e cuda: token table size mismatch");
      CopyOnStream(*s, s->tokens.get(), tokens.data(), s->tokens.bytes(), cudaMemcpyHostToDevice);
    }
  }
  void FillPrompt() override {
    Each([&](E2eShard& s) {
      LaunchFillPrompt(s.tokens.as<int>(), p_.batch, p_.max_seq(), p_.input_len, p_.model.vocab, kE2ePromptSeed, s.stream);
    });
  }
  std::map<std::string, std::string> Details() const override {
    std::map<std::string, std::string> d = shards_[0]->linear->Describe();
    d["attention"] = "prefill: flash_attention_fwd_kernel (FlashAttention-2); decode: flash_decode split-KV, " +
                     std::to_string(shards_[0]->decode_splits) + " splits";
    d["activations"] = "bf16 (fp32 accumulate), fp32 logits";
    d["tensor_parallel"] = std::to_string(p_.tp) + (p_.tp > 1 ? " (" + comm_mode_ + ")" : "");
    return d;
  }

 private:
  template <typename F>
  void Each(F&& f) {
    for (auto& s : shards_) {
      GQ_CUDA_CHECK(cudaSetDevice(s->device));
      f(*s);
    }
    if (shards_.size() > 1) GQ_CUDA_CHECK(cudaSetDevice(shards_[0]->device));
  }
  // A copy between the host and shard s ordered after the work queued on s.stream (the shards'
  // streams do not synchronise with the legacy default stream), complete on return.
  static void CopyOnStream(E2eShard& s, void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
    GQ_CUDA_CHECK(cudaSetDevice(s.device));
    GQ_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, kind, s.stream));
    GQ_CUDA_CHECK(cudaStreamSynchronize(s.stream));
  }
#if GQ_WITH_NCCL
  // f(i, shard i) for every shard inside one ncclGroupStart/End (one thread drives every GPU);
  // the group is closed even when f throws, or every later NCCL call of the thread would wait.
  template <typename F>
  void NcclGroup(F&& f) {
    GQ_NCCL_CHECK(ncclGroupStart());
    try {
      for (size_t i = 0; i < shards_.size(); ++i) f(i, *shards_[i]);
    } catch (...) {
      ncclGroupEnd();
      throw;
    }
    GQ_NCCL_CHECK(ncclGroupEnd());
  }
#endif
  void SynchronizeAll() {
    for (auto& s : shards_) {
      GQ_CUDA_CHECK(cudaSetDevice(s->device));
      GQ_CUDA_CHECK(cudaStreamSynchronize(s->stream));
    }
    GQ_CUDA_CHECK(cudaSetDevice(shards_[0]->device));
  }
  E2eShardLayer& L(E2eShard& s, int layer) { return s.layers[size_t(layer)]; }
  int VocabOffset(const E2eShard& s) const { return s.rank * p_.vocab_local(); }
  E2eRows Rows(const E2eShard& s, const E2eStep& st) const {
    return {st.first_seq, st.seqs, st.len, st.decode ? s.pos.as<int>() : nullptr};
  }

  E2eProblem p_;
  std::vector<std::unique_ptr<E2eShard>> shards_;
  std::vector<void*> comms_;  // ncclComm_t per shard (tp > 1)
  std::string comm_mode_;
  std::function<void()> step_;
  CudaGraphExec exec_;
  std::string graph_state_ = "not captured";
  std::vector<CudaEvent> marks_;
};

}  // namespace

std::unique_ptr<E2eBackend> MakeE2eCudaBackendOn(const E2eProblem& p, std::vector<std::unique_ptr<E2eShard>> shards,
                                                 std::vector<void*> comms, std::string comm_mode) {
  return std::make_unique<E2eCudaBackend>(p, std::move(shards), std::move(comms), std::move(comm_mode));
}

}  // namespace gq
