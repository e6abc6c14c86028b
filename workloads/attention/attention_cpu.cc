#include "workloads/attention/attention_cpu.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "harness/errors.h"
#include "harness/seeds.h"
#include "workloads/attention/attention_reference.h"

namespace gq {
namespace {

// Odd multiples of 1/128 in (-1, 1): 8 significant bits at most, exact in bf16 and fp16, never 0.
std::vector<float> RandomInputs(double count, uint64_t seed) {
  std::vector<float> values(static_cast<size_t>(count));
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> u(0, 127);
  for (float& x : values) x = static_cast<float>(2 * u(rng) + 1 - 128) / 128.0f;
  return values;
}

class AttentionCpuCase final : public PreparedCase {
 public:
  explicit AttentionCpuCase(const AttentionProblem& problem) : p_(problem) {
    try {
      q_ = RandomInputs(p_.QElements(), Mix64(p_.seed + 1));
      k_ = RandomInputs(p_.KvElements(), Mix64(p_.seed + 2));
      v_ = RandomInputs(p_.KvElements(), Mix64(p_.seed + 3));
      o_.assign(static_cast<size_t>(p_.QElements()), std::numeric_limits<float>::quiet_NaN());
    } catch (const std::bad_alloc&) {
      char text[96];
      std::snprintf(text, sizeof(text), "needs %.1f GiB of host memory",
                    4.0 * (2 * p_.QElements() + 2 * p_.KvElements()) / double(1ull << 30));
      throw CaseSkipped(text);
    }
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const double rows = double(p_.batch) * p_.heads * p_.seq_q;
    threads_ = static_cast<int>(std::min<double>(hw, rows));
  }

  void Run(void* /*stream*/) override {
    const int64_t rows = p_.batch * p_.heads * p_.seq_q;
    if (threads_ <= 1) {
      RunRows(0, rows);
    } else {
      std::vector<std::thread> pool;
      pool.reserve(static_cast<size_t>(threads_));
      for (int t = 0; t < threads_; ++t) {
        const int64_t begin = rows * t / threads_, end = rows * (t + 1) / threads_;
        pool.emplace_back([this, begin, end] { RunRows(begin, end); });
      }
      for (std::thread& th : pool) th.join();
    }
  }

  // The inputs are exact in the case's dtype but held and computed in float32, which the work
  // (4-byte elements, fp32 compute) and the verification's tolerance say (the dtype axis names
  // the inputs' precision here).
  Work GetWork() const override {
    AttentionProblem held = p_;
    held.dtype = Dtype::kFp32;
    return AttentionWork(held);
  }

  VerifyResult Verify() override {
    // Poison the output first so that a row Run fails to write shows up (DESIGN.md §3).
    std::fill(o_.begin(), o_.end(), std::numeric_limits<float>::quiet_NaN());
    Run(nullptr);
    HostSource source(p_, q_, k_, v_, o_);
    return VerifyAttention(p_, source, Mix64(p_.seed + 4), kAttentionFloat32Tolerance);
  }

  std::map<std::string, std::string> Details() const override {
    return {{"kernel", "cpu exact attention, float32"}, {"threads", std::to_string(threads_)}};
  }

 private:
  // Reads the host tensors in the layout of attention_problem.h.
  class HostSource final : public AttentionTensorSource {
   public:
    HostSource(const AttentionProblem& p, const std::vector<float>& q, const std::vector<float>& k,
               const std::vector<float>& v, const std::vector<float>& o)
        : p_(p), q_(q), k_(k), v_(v), o_(o) {}
    void KvHead(int64_t b, int64_t g, std::vector<float>* k, std::vector<float>* v) override {
      const int64_t dim = p_.head_dim;
      k->resize(static_cast<size_t>(p_.seq_kv * dim));
      v->resize(k->size());
      for (int64_t j = 0; j < p_.seq_kv; ++j) {
        const int64_t at = AttentionKvIndex(p_, b, j, g);
        std::copy_n(k_.begin() + at, dim, k->begin() + j * dim);
        std::copy_n(v_.begin() + at, dim, v->begin() + j * dim);
      }
    }
    void QRow(int64_t b, int64_t i, int64_t h, float* q) override {
      std::copy_n(q_.begin() + AttentionQIndex(p_, b, i, h), p_.head_dim, q);
    }
    void ORow(int64_t b, int64_t i, int64_t h, float* o) override {
      std::copy_n(o_.begin() + AttentionQIndex(p_, b, i, h), p_.head_dim, o);
    }

   private:
    const AttentionProblem& p_;
    const std::vector<float>&q_, &k_, &v_, &o_;
  };

  // Rows are numbered r = (b * heads + h) * seq_q + i.
  void RunRows(int64_t begin, int64_t end) {
    const int64_t dim = p_.head_dim;
    const float scale = 1.0f / std::sqrt(static_cast<float>(dim));
    std::vector<float> scores(static_cast<size_t>(p_.seq_kv));
    std::vector<float> acc(static_cast<size_t>(dim));
    for (int64_t r = begin; r < end; ++r) {
      const int64_t i = r % p_.seq_q;
      const int64_t h = (r / p_.seq_q) % p_.heads;
      const int64_t b = r / (p_.seq_q * p_.heads);
      const int64_t g = p_.kv_head_of(h);
      const float* q = q_.data() + AttentionQIndex(p_, b, i, h);
      float* o = o_.data() + AttentionQIndex(p_, b, i, h);
      const int64_t visible = p_.VisibleKeys(i);
      if (visible == 0) {
        std::fill(o, o + dim, 0.0f);
        continue;
      }
      float row_max = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < visible; ++j) {
        const float* k = k_.data() + AttentionKvIndex(p_, b, j, g);
        float dot = 0;
        for (int64_t d = 0; d < dim; ++d) dot += q[d] * k[d];
        scores[j] = dot * scale;
        row_max = std::max(row_max, scores[j]);
      }
      float sum = 0;
      std::fill(acc.begin(), acc.end(), 0.0f);
      for (int64_t j = 0; j < visible; ++j) {
        const float w = std::exp(scores[j] - row_max);
        sum += w;
        const float* v = v_.data() + AttentionKvIndex(p_, b, j, g);
        for (int64_t d = 0; d < dim; ++d) acc[d] += w * v[d];
      }
      for (int64_t d = 0; d < dim; ++d) o[d] = acc[d] / sum;
    }
  }

  AttentionProblem p_;
  std::vector<float> q_, k_, v_, o_;
  int threads_ = 1;
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareAttentionCpu(const AttentionProblem& problem) {
  const double flops = AttentionWork(problem).flops;
  if (flops > kAttentionCpuMaxFlops) {
    char text[192];
    std::snprintf(text, sizeof(text),
                  "the cpu backend runs attention up to %.1f GFLOP per iteration to keep runs "
                  "bounded; this case needs %.1f GFLOP (use smaller batch, heads or seq)",
                  kAttentionCpuMaxFlops * 1e-9, flops * 1e-9);
    throw CaseSkipped(text);
  }
  return std::make_unique<AttentionCpuCase>(problem);
}

}  // namespace gq
