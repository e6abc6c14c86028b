// E2eGraphCaptureMismatch (contract in e2e_kernels_host.h): every e2e launcher, as one small
// prefill step then one decode step, enqueued on a stream directly and then captured into a CUDA
// graph and replayed; the outputs of the two runs must be the same bytes. Capture mode Global
// makes any call that would break capture (a synchronisation, an allocation) fail the capture.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_resources.cuh"
#include "tests/support/e2e_kernel_buffers.cuh"
#include "tests/support/e2e_kernels_host.h"
#include "workloads/e2e/cuda/e2e_kernels.cuh"

namespace gq {
namespace {

using e2e_internal::CopyIn;
using e2e_internal::DeviceArray;
using e2e_internal::Download;
using e2e_internal::Stream;

using Bf16Array = DeviceArray<__nv_bfloat16>;

constexpr int kBatch = 3, kMaxSeq = 16, kLen = 5, kHidden = 64, kVocab = 100, kFfn = 96;
constexpr E2eAttnShape kShape = {4, 2, 32, kMaxSeq};
constexpr int kQkvWidth = (4 + 2 * 2) * 32;

struct StepBuffers {
  Bf16Array table{size_t(kVocab) * kHidden}, gamma{kHidden}, delta{size_t(2) * kLen * kHidden};
  Bf16Array x{size_t(2) * kLen * kHidden}, h{size_t(2) * kLen * kHidden};
  Bf16Array qkv{size_t(2) * kLen * kQkvWidth}, bias{kQkvWidth};
  Bf16Array q{size_t(2) * kLen * 4 * 32}, k_out{size_t(2) * kLen * 2 * 32},
      v_out{size_t(2) * kLen * 2 * 32};
  Bf16Array k_cache{size_t(kBatch) * kMaxSeq * 2 * 32}, v_cache{size_t(kBatch) * kMaxSeq * 2 * 32};
  Bf16Array gate_up{size_t(2) * kLen * 2 * kFfn}, act{size_t(2) * kLen * kFfn};
  Bf16Array last{size_t(2) * kHidden};
  DeviceArray<float> logits{size_t(2) * kVocab};
  DeviceArray<E2eArgmax> best{2};
  DeviceArray<int> tokens{size_t(kBatch) * kMaxSeq}, pos{kBatch}, kv_len{kBatch};
};

// Zeroes every buffer, then a deterministic logits pattern (the one input no launcher makes).
void Reset(const StepBuffers& b, cudaStream_t stream) {
  const auto zero = [stream](const auto& a) {
    if (a.size() > 0) {
      GQ_CUDA_CHECK(cudaMemsetAsync(a.get(), 0, a.size() * sizeof(*a.get()), stream));
    }
  };
  zero(b.table), zero(b.gamma), zero(b.delta), zero(b.x), zero(b.h), zero(b.qkv), zero(b.bias);
  zero(b.q), zero(b.k_out), zero(b.v_out), zero(b.k_cache), zero(b.v_cache), zero(b.gate_up);
  zero(b.act), zero(b.last), zero(b.best), zero(b.tokens), zero(b.pos), zero(b.kv_len);
  std::vector<float> logits(b.logits.size());
  for (size_t i = 0; i < logits.size(); ++i) logits[i] = float((i * 37) % 101) - 50.0f;
  CopyIn(b.logits, logits, stream);  // synchronises the stream
}

// A prefill step over sequences 1 and 2 (kLen rows each), then a decode step of the same two
// sequences at the positions the prefill's sampling wrote.
void Enqueue(const StepBuffers& b, cudaStream_t stream) {
  LaunchInitBf16(b.table.get(), int64_t(b.table.size()), 1, 0.5f, 0.0f, stream);
  LaunchInitBf16(b.gamma.get(), kHidden, 2, 0.1f, 1.0f, stream);
  LaunchInitBf16(b.delta.get(), int64_t(b.delta.size()), 3, 1.0f, 0.0f, stream);
  LaunchInitBf16(b.qkv.get(), int64_t(b.qkv.size()), 4, 1.0f, 0.0f, stream);
  LaunchInitBf16(b.bias.get(), kQkvWidth, 5, 0.1f, 0.0f, stream);
  LaunchInitBf16(b.gate_up.get(), int64_t(b.gate_up.size()), 6, 4.0f, 0.0f, stream);
  LaunchFillPrompt(b.tokens.get(), kBatch, kMaxSeq, kLen, kVocab, 7, stream);
  const E2eRows prefill = {1, 2, kLen, nullptr};
  LaunchEmbed(b.table.get(), kHidden, b.tokens.get(), kMaxSeq, prefill, b.x.get(), stream);
  LaunchAddRmsNorm(b.x.get(), b.delta.get(), b.gamma.get(), prefill.tokens(), kHidden, 1e-5f,
                   b.h.get(), stream);
  LaunchRopeStore(b.qkv.get(), b.bias.get(), prefill, kShape, 10000.0f, b.q.get(), b.k_cache.get(),
                  b.v_cache.get(), b.k_out.get(), b.v_out.get(), stream);
  LaunchSiluMul(b.gate_up.get(), prefill.tokens(), kFfn, b.act.get(), stream);
  LaunchSelectLastRows(b.h.get(), prefill, kHidden, b.last.get(), stream);
  LaunchArgmaxRows(b.logits.get(), 2, kVocab, 0, b.best.get(), stream);
  LaunchFinishSample(b.best.get(), 1, prefill, b.tokens.get(), kMaxSeq, b.pos.get(), b.kv_len.get(),
                     stream);
  const E2eRows decode = {1, 2, 1, b.pos.get()};
  LaunchEmbed(b.table.get(), kHidden, b.tokens.get(), kMaxSeq, decode, b.x.get(), stream);
  LaunchRopeStore(b.qkv.get(), nullptr, decode, kShape, 10000.0f, b.q.get(), b.k_cache.get(),
                  b.v_cache.get(), nullptr, nullptr, stream);
  LaunchFinishSample(b.best.get(), 1, decode, b.tokens.get(), kMaxSeq, b.pos.get(), b.kv_len.get(),
                     stream);
}

// Every buffer's bytes, named.
std::vector<std::pair<std::string, std::vector<unsigned char>>> Snapshot(const StepBuffers& b,
                                                                         cudaStream_t stream) {
  std::vector<std::pair<std::string, std::vector<unsigned char>>> out;
  const auto add = [&](const char* name, const auto& a) {
    const auto values = Download(a, stream);
    std::vector<unsigned char> bytes(values.size() * sizeof(values[0]));
    if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
    out.emplace_back(name, std::move(bytes));
  };
  add("table", b.table), add("gamma", b.gamma), add("x", b.x), add("h", b.h), add("q", b.q);
  add("k_out", b.k_out), add("v_out", b.v_out), add("k_cache", b.k_cache);
  add("v_cache", b.v_cache), add("act", b.act), add("last", b.last), add("best", b.best);
  add("tokens", b.tokens), add("pos", b.pos), add("kv_len", b.kv_len);
  return out;
}

}  // namespace

std::string E2eGraphCaptureMismatch() {
  Stream stream;
  StepBuffers buffers;
  Reset(buffers, stream.get());
  Enqueue(buffers, stream.get());
  const auto direct = Snapshot(buffers, stream.get());

  Reset(buffers, stream.get());
  cudaGraph_t ended = nullptr;
  GQ_CUDA_CHECK(cudaStreamBeginCapture(stream.get(), cudaStreamCaptureModeGlobal));
  try {
    Enqueue(buffers, stream.get());
  } catch (...) {
    cudaStreamEndCapture(stream.get(), &ended);
    CudaGraph discarded(0, ended);
    throw;
  }
  GQ_CUDA_CHECK(cudaStreamEndCapture(stream.get(), &ended));
  const CudaGraph graph(0, ended);
  cudaGraphExec_t instantiated = nullptr;
  GQ_CUDA_CHECK(cudaGraphInstantiate(&instantiated, graph.get(), 0));
  const CudaGraphExec exec(0, instantiated);
  GQ_CUDA_CHECK(cudaGraphLaunch(exec.get(), stream.get()));
  GQ_CUDA_CHECK(cudaStreamSynchronize(stream.get()));
  const auto replayed = Snapshot(buffers, stream.get());

  std::string mismatch;
  for (size_t i = 0; i < direct.size(); ++i) {
    if (direct[i].second != replayed[i].second) mismatch += direct[i].first + " ";
  }
  return mismatch.empty() ? "" : "differ after graph replay: " + mismatch;
}

}  // namespace gq
