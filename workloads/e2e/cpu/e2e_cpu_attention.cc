// AttentionOverCacheCpu (contract in e2e_cpu_ops.h): causal attention of one step's query rows
// over the KV cache, item = (row t, query head h), items numbered t * H + h and split into
// contiguous ranges, one per std::thread worker.
//
// Per item, with (b, p) the row's sequence and position and g = h / (H / Hkv):
//   s_j = (q[t, h, :] . k_cache[b, j, g, :]) / sqrt(D)           j = 0 .. p   (fp32 dot)
//   w_j = exp(s_j - max_j s_j)
//   out[t, h, d] = (sum_j w_j v_cache[b, j, g, d]) / sum_j w_j    (sums in double)
#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "workloads/e2e/cpu/e2e_cpu_ops.h"

namespace gq {
namespace {

constexpr int64_t kItemsPerWorker = 64;

void Require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("AttentionOverCacheCpu: ") + what);
}

void AttendItems(const float* q, const float* k_cache, const float* v_cache, const E2eRows& rows,
                 const E2eAttnShape& s, float* out, int64_t begin, int64_t end) {
  const int D = s.head_dim, H = s.heads, G = s.kv_heads, group = H / G;
  const float scale = static_cast<float>(1.0 / std::sqrt(double(D)));
  std::vector<float> score(s.max_seq);
  std::vector<double> acc(D);
  for (int64_t item = begin; item < end; ++item) {
    const int64_t t = item / H;
    const int h = static_cast<int>(item % H), g = h / group;
    const int b = E2eRowSeq(rows, t), p = E2eRowPos(rows, t);
    const float* qv = q + item * D;
    const int64_t seq_base = int64_t(b) * s.max_seq;
    float max_score = -INFINITY;
    for (int j = 0; j <= p; ++j) {
      const float* kv = k_cache + ((seq_base + j) * G + g) * D;
      float dot = 0;
      for (int d = 0; d < D; ++d) dot += qv[d] * kv[d];
      score[j] = dot * scale;
      max_score = std::max(max_score, score[j]);
    }
    std::fill(acc.begin(), acc.end(), 0.0);
    double sum = 0;
    for (int j = 0; j <= p; ++j) {
      const double w = std::exp(double(score[j]) - max_score);
      sum += w;
      const float* vv = v_cache + ((seq_base + j) * G + g) * D;
      for (int d = 0; d < D; ++d) acc[d] += w * vv[d];
    }
    for (int d = 0; d < D; ++d) out[item * D + d] = static_cast<float>(acc[d] / sum);
  }
}

}  // namespace

void AttentionOverCacheCpu(const float* q, const float* k_cache, const float* v_cache,
                           const E2eRows& rows, const E2eAttnShape& s, float* out) {
  Require(q != nullptr && k_cache != nullptr && v_cache != nullptr && out != nullptr,
          "null pointer");
  Require(s.heads > 0 && s.kv_heads > 0 && s.head_dim > 0 && s.max_seq > 0,
          "needs heads, kv_heads, head_dim and max_seq > 0");
  Require(s.heads % s.kv_heads == 0, "heads must be a multiple of kv_heads");
  Require(rows.seqs > 0 && rows.len > 0 && rows.first_seq >= 0,
          "rows need seqs > 0, len > 0 and first_seq >= 0");
  // Positions are checked here, before any worker starts (a worker cannot throw).
  for (int64_t t = 0; t < rows.tokens(); ++t) {
    const int p = E2eRowPos(rows, t);
    Require(p >= 0 && p < s.max_seq, "a row's position is outside [0, max_seq)");
  }
  const int64_t items = rows.tokens() * s.heads;
  const int64_t hw = std::max(1u, std::thread::hardware_concurrency());
  const int64_t workers =
      std::max<int64_t>(1, std::min(hw, (items + kItemsPerWorker - 1) / kItemsPerWorker));
  if (workers == 1) {
    AttendItems(q, k_cache, v_cache, rows, s, out, 0, items);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(workers));
  try {
    for (int64_t w = 0; w < workers; ++w) {
      const int64_t begin = items * w / workers, end = items * (w + 1) / workers;
      pool.emplace_back(AttendItems, q, k_cache, v_cache, std::cref(rows), std::cref(s), out, begin,
                        end);
    }
  } catch (...) {  // a thread could not start: finish the started ones before passing it on
    for (std::thread& th : pool) th.join();
    throw;
  }
  for (std::thread& th : pool) th.join();
}

}  // namespace gq
