// Tests of AttentionOverCacheCpu (workloads/e2e/cpu/e2e_cpu_attention.cc) against a straightforward
// double-precision attention written here: GQA (two query heads per kv head), decode rows at
// different positions, causal prefill rows of sequences that do not start at 0, and enough items
// to run on several workers; plus the closed form for equal keys (the mean of the values).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "workloads/e2e/cpu/e2e_cpu_ops.h"

namespace gq {
namespace {

std::vector<float> Init(int64_t n, uint64_t seed, float scale = 1.0f) {
  std::vector<float> w(static_cast<size_t>(n));
  InitTensorCpu(w.data(), n, seed, scale, 0.0f);
  return w;
}

// out[t, h] for row t at (b, p): softmax over j <= p of q . k[b, j, h / group] / sqrt(D), times v.
std::vector<double> NaiveAttention(const std::vector<float>& q, const std::vector<float>& k,
                                   const std::vector<float>& v, const std::vector<int>& seq,
                                   const std::vector<int>& pos, const E2eAttnShape& s) {
  const int H = s.heads, G = s.kv_heads, D = s.head_dim, group = H / G;
  std::vector<double> out(seq.size() * H * D, 0.0);
  for (size_t t = 0; t < seq.size(); ++t) {
    for (int h = 0; h < H; ++h) {
      const int g = h / group;
      std::vector<double> score(pos[t] + 1);
      for (int j = 0; j <= pos[t]; ++j) {
        double dot = 0;
        for (int d = 0; d < D; ++d) {
          dot += double(q[(t * H + h) * D + d]) * k[((seq[t] * s.max_seq + j) * G + g) * D + d];
        }
        score[j] = dot / std::sqrt(double(D));
      }
      const double m = *std::max_element(score.begin(), score.end());
      double sum = 0;
      for (double& x : score) sum += (x = std::exp(x - m));
      for (int j = 0; j <= pos[t]; ++j) {
        for (int d = 0; d < D; ++d) {
          out[(t * H + h) * D + d] +=
              score[j] / sum * v[((seq[t] * s.max_seq + j) * G + g) * D + d];
        }
      }
    }
  }
  return out;
}

void ExpectMatchesNaive(const E2eRows& rows, const E2eAttnShape& s, int batch, uint64_t seed) {
  const int64_t T = rows.tokens();
  const int64_t cache = int64_t(batch) * s.max_seq * s.kv_heads * s.head_dim;
  const std::vector<float> q = Init(T * s.heads * s.head_dim, seed, 2.0f);
  const std::vector<float> k = Init(cache, seed + 1, 2.0f), v = Init(cache, seed + 2);
  std::vector<int> seq(T), pos(T);
  for (int64_t t = 0; t < T; ++t) {
    seq[t] = rows.first_seq + int(t / rows.len);
    pos[t] = rows.pos != nullptr ? rows.pos[seq[t]] : int(t % rows.len);
  }
  std::vector<float> out(q.size(), -1.0f);
  AttentionOverCacheCpu(q.data(), k.data(), v.data(), rows, s, out.data());
  const std::vector<double> expect = NaiveAttention(q, k, v, seq, pos, s);
  for (size_t e = 0; e < out.size(); ++e) ASSERT_NEAR(out[e], expect[e], 1e-5) << e;
}

TEST(E2eCpuAttentionTest, DecodeRowsAtDifferentPositionsWithGqa) {
  const int pos[3] = {0, 7, 19};
  ExpectMatchesNaive(E2eRows{0, 3, 1, pos}, E2eAttnShape{4, 2, 16, 20}, 3, 1);
  const int later[4] = {50, 3, 11, 0};  // sequences 1 .. 3 only
  ExpectMatchesNaive(E2eRows{1, 3, 1, later}, E2eAttnShape{8, 4, 32, 16}, 4, 2);
}

TEST(E2eCpuAttentionTest, PrefillRowsAreCausal) {
  ExpectMatchesNaive(E2eRows{1, 2, 6, nullptr}, E2eAttnShape{4, 2, 16, 8}, 3, 3);
  ExpectMatchesNaive(E2eRows{0, 1, 1, nullptr}, E2eAttnShape{2, 2, 8, 1}, 1, 4);
}

TEST(E2eCpuAttentionTest, ManyItemsOnSeveralWorkers) {
  // 4 x 32 rows x 8 heads = 1024 items: up to 16 workers of 64.
  ExpectMatchesNaive(E2eRows{0, 4, 32, nullptr}, E2eAttnShape{8, 2, 64, 40}, 4, 5);
}

TEST(E2eCpuAttentionTest, EqualKeysAverageTheValues) {
  const E2eAttnShape s = {2, 1, 4, 6};
  const std::vector<float> q = Init(2 * 4, 9);
  const std::vector<float> k(6 * 4, 0.5f);
  std::vector<float> v(6 * 4);
  for (int j = 0; j < 6; ++j) {
    for (int d = 0; d < 4; ++d) v[j * 4 + d] = float(j * 10 + d);
  }
  const int pos[1] = {4};
  std::vector<float> out(2 * 4);
  AttentionOverCacheCpu(q.data(), k.data(), v.data(), E2eRows{0, 1, 1, pos}, s, out.data());
  for (int h = 0; h < 2; ++h) {
    for (int d = 0; d < 4; ++d) EXPECT_NEAR(out[h * 4 + d], 20.0 + d, 1e-5);  // mean of j = 0..4
  }
}

TEST(E2eCpuAttentionTest, RejectsBadShapes) {
  std::vector<float> buf(1024);
  const int pos[1] = {8};
  EXPECT_THROW(AttentionOverCacheCpu(buf.data(), buf.data(), buf.data(), E2eRows{0, 1, 1, pos},
                                     E2eAttnShape{2, 1, 4, 8}, buf.data()),
               std::invalid_argument);  // position 8 of max_seq 8
  EXPECT_THROW(AttentionOverCacheCpu(buf.data(), buf.data(), buf.data(), E2eRows{0, 1, 1, nullptr},
                                     E2eAttnShape{3, 2, 4, 8}, buf.data()),
               std::invalid_argument);  // 3 heads on 2 kv heads
}

}  // namespace
}  // namespace gq
