// Tests of the e2e workload's host ops (workloads/e2e/cpu/e2e_cpu_ops.h) against hand-computed
// values, independent naive formulas written here, and the properties the ops must have (RoPE
// keeps pair norms and makes q . k depend on the position difference only, RMSNorm output has
// RMS = gamma, argmax ties and NaN, sampling with pos aliasing).
#include "workloads/e2e/cpu/e2e_cpu_ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "workloads/e2e/model/e2e_init.h"
#include "workloads/e2e/model/e2e_model.h"  // E2eRopeInvFreq

namespace gq {
namespace {

std::vector<float> Init(int64_t n, uint64_t seed, float scale = 1.0f, float offset = 0.0f) {
  std::vector<float> w(static_cast<size_t>(n));
  InitTensorCpu(w.data(), n, seed, scale, offset);
  return w;
}

TEST(E2eCpuOpsTest, InitIsDeterministicInRangeBf16AndShardConsistent) {
  const std::vector<float> w = Init(100000, 42, 0.5f, 0.25f);
  EXPECT_EQ(w, Init(100000, 42, 0.5f, 0.25f));
  EXPECT_NE(w, Init(100000, 43, 0.5f, 0.25f));
  const std::vector<float> head = Init(10, 42, 0.5f, 0.25f);
  double sum = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    EXPECT_EQ(w[i], E2eInitValue(42, i, 0.5f, 0.25f));
    EXPECT_EQ(w[i], RoundToBf16(w[i])) << i;
    // offset + scale [-1, 1), then one bf16 rounding (relative 2^-9).
    ASSERT_GE(w[i], (0.25f - 0.5f) * (1 + 1.0f / 256)) << i;
    ASSERT_LE(w[i], (0.25f + 0.5f) * (1 + 1.0f / 256)) << i;
    if (i < head.size()) {
      EXPECT_EQ(head[i], w[i]);
    }
    sum += w[i];
  }
  EXPECT_NEAR(sum / w.size(), 0.25, 0.01);  // uniform: mean = offset (sd of the mean ~ 0.001)
  EXPECT_THROW(InitTensorCpu(nullptr, 5, 1, 1, 0), std::invalid_argument);
  // A run [first, first + n) of the tensor, as a shard fills it.
  std::vector<float> run(7);
  InitTensorCpuFrom(run.data(), 7, 42, 99990, 0.5f, 0.25f);
  EXPECT_EQ(run, std::vector<float>(w.begin() + 99990, w.begin() + 99997));
}

TEST(E2eCpuOpsTest, PromptTokensInRangeAndOnlyTheirPositions) {
  const int batch = 3, max_seq = 10, len = 6, vocab = 50;
  std::vector<int> tokens(batch * max_seq, -7);
  FillPromptCpu(tokens.data(), batch, max_seq, len, vocab, 5);
  int distinct_from_first = 0;
  for (int b = 0; b < batch; ++b) {
    for (int p = 0; p < max_seq; ++p) {
      const int token = tokens[b * max_seq + p];
      if (p >= len) {
        EXPECT_EQ(token, -7);
        continue;
      }
      EXPECT_EQ(token, E2ePromptToken(5, b, p, vocab));
      EXPECT_GE(token, 0);
      EXPECT_LT(token, vocab);
      distinct_from_first += token != tokens[0];
    }
  }
  EXPECT_GT(distinct_from_first, 0);
  EXPECT_THROW(FillPromptCpu(tokens.data(), batch, max_seq, max_seq + 1, vocab, 5),
               std::invalid_argument);
}

TEST(E2eCpuOpsTest, EmbedPicksTheTokenRowsForPrefillAndDecode) {
  const int vocab = 10, hidden = 4, max_seq = 5;
  std::vector<float> table(vocab * hidden);
  for (int v = 0; v < vocab; ++v) {
    for (int i = 0; i < hidden; ++i) table[v * hidden + i] = 100.0f * v + i;
  }
  std::vector<int> tokens(3 * max_seq);
  for (int i = 0; i < 3 * max_seq; ++i) tokens[i] = (7 * i + 3) % vocab;
  // Prefill: sequences 1 and 2, positions 0 .. 2.
  std::vector<float> x(6 * hidden, -1.0f);
  EmbedCpu(table.data(), hidden, tokens.data(), max_seq, E2eRows{1, 2, 3, nullptr}, x.data());
  for (int t = 0; t < 6; ++t) {
    const int token = tokens[(1 + t / 3) * max_seq + t % 3];
    for (int i = 0; i < hidden; ++i) EXPECT_EQ(x[t * hidden + i], 100.0f * token + i) << t;
  }
  // Decode: sequences 1 and 2 at pos[1] = 4, pos[2] = 2 (pos[0] belongs to another sequence).
  const int pos[3] = {99, 4, 2};
  EmbedCpu(table.data(), hidden, tokens.data(), max_seq, E2eRows{1, 2, 1, pos}, x.data());
  const int expect[2] = {tokens[1 * max_seq + 4], tokens[2 * max_seq + 2]};
  for (int t = 0; t < 2; ++t) {
    for (int i = 0; i < hidden; ++i) EXPECT_EQ(x[t * hidden + i], 100.0f * expect[t] + i);
  }
  const int bad_pos[3] = {0, 5, 0};
  EXPECT_THROW(
      EmbedCpu(table.data(), hidden, tokens.data(), max_seq, E2eRows{1, 1, 1, bad_pos}, x.data()),
      std::invalid_argument);
}

TEST(E2eCpuOpsTest, RmsNormHandValues) {
  std::vector<float> x = {3, 4}, h(2);
  const std::vector<float> gamma = {1, 2};
  AddRmsNormCpu(x.data(), nullptr, gamma.data(), 1, 2, 0.0f, h.data());
  const double rms = std::sqrt(12.5);  // (9 + 16) / 2
  EXPECT_NEAR(h[0], 3 / rms, 1e-6);
  EXPECT_NEAR(h[1], 2 * 4 / rms, 1e-6);
  EXPECT_EQ(x, (std::vector<float>{3, 4}));
}

TEST(E2eCpuOpsTest, AddRmsNormUpdatesXAndScalesToGamma) {
  const int T = 5, hidden = 256;
  std::vector<float> x = Init(T * hidden, 1, 2.0f), delta = Init(T * hidden, 2, 0.5f);
  const std::vector<float> x0 = x;
  const std::vector<float> gamma(hidden, 1.5f);
  std::vector<float> h(T * hidden);
  AddRmsNormCpu(x.data(), delta.data(), gamma.data(), T, hidden, 1e-6f, h.data());
  for (int t = 0; t < T; ++t) {
    double ss = 0, ss_h = 0;
    for (int i = 0; i < hidden; ++i) {
      const int e = t * hidden + i;
      EXPECT_EQ(x[e], x0[e] + delta[e]);
      ss += double(x[e]) * x[e];
      ss_h += double(h[e]) * h[e];
    }
    EXPECT_NEAR(std::sqrt(ss_h / hidden), 1.5, 1e-4) << t;  // RMS of h = gamma
    const double inv = 1 / std::sqrt(ss / hidden + 1e-6);
    for (int i = 0; i < hidden; ++i) {
      EXPECT_NEAR(h[t * hidden + i], x[t * hidden + i] * inv * 1.5, 1e-5);
    }
  }
}

// A decode step: one row per sequence, at pos[b].
E2eRows Decode(int seqs, const int* pos, int first_seq = 0) { return {first_seq, seqs, 1, pos}; }

double Dot(const float* a, const float* b, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += double(a[i]) * b[i];
  return s;
}

struct RopeOut {
  std::vector<float> q, k_cache, v_cache, k_out, v_out;
};

RopeOut RunRope(const std::vector<float>& qkv, const float* bias, const E2eRows& rows,
                const E2eAttnShape& s, int batch, float theta = 10000.0f) {
  const int64_t T = rows.tokens();
  RopeOut o;
  o.q.assign(T * s.heads * s.head_dim, -1);
  o.k_cache.assign(int64_t(batch) * s.max_seq * s.kv_heads * s.head_dim, 999);
  o.v_cache = o.k_cache;
  o.k_out.assign(T * s.kv_heads * s.head_dim, -1);
  o.v_out = o.k_out;
  RopeStoreCpu(qkv.data(), bias, rows, s, theta, o.q.data(), o.k_cache.data(), o.v_cache.data(),
               o.k_out.data(), o.v_out.data());
  return o;
}

TEST(E2eCpuOpsTest, RopeHandValues) {
  // One q head, one kv head, D = 4: f_0 = 1, f_1 = 10000^(-1/2) = 0.01; position 3.
  const E2eAttnShape s = {1, 1, 4, 8};
  const std::vector<float> qkv = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const int pos[1] = {3};
  const RopeOut o = RunRope(qkv, nullptr, Decode(1, pos), s, 1);
  const double c0 = std::cos(3.0), s0 = std::sin(3.0), c1 = std::cos(0.03), s1 = std::sin(0.03);
  EXPECT_NEAR(o.q[0], 1 * c0 - 3 * s0, 1e-5);
  EXPECT_NEAR(o.q[1], 2 * c1 - 4 * s1, 1e-5);
  EXPECT_NEAR(o.q[2], 3 * c0 + 1 * s0, 1e-5);
  EXPECT_NEAR(o.q[3], 4 * c1 + 2 * s1, 1e-5);
  EXPECT_NEAR(o.k_out[0], 5 * c0 - 7 * s0, 1e-5);
  EXPECT_NEAR(o.k_out[3], 8 * c1 + 6 * s1, 1e-5);
  EXPECT_EQ(o.v_out, (std::vector<float>{9, 10, 11, 12}));
  // Correctly rounded to float: within half a float ulp (2^-27 at 0.13).
  EXPECT_NEAR(E2eRopeInvFreq(500000.0f, 128, 10), std::pow(500000.0, -20.0 / 128), 7.5e-9);
}

TEST(E2eCpuOpsTest, RopeAtPositionZeroIsIdentityPlusBias) {
  const E2eAttnShape s = {4, 2, 16, 4};
  const int width = (4 + 2 * 2) * 16;
  const std::vector<float> qkv = Init(width, 3), bias = Init(width, 4, 0.25f);
  const int pos[1] = {0};
  for (const bool with_bias : {false, true}) {
    const RopeOut o = RunRope(qkv, with_bias ? bias.data() : nullptr, Decode(1, pos), s, 1);
    const auto in = [&](int e) { return qkv[e] + (with_bias ? bias[e] : 0.0f); };
    for (int e = 0; e < 4 * 16; ++e) EXPECT_FLOAT_EQ(o.q[e], in(e));
    for (int e = 0; e < 2 * 16; ++e) {
      EXPECT_FLOAT_EQ(o.k_out[e], in(64 + e));
      EXPECT_EQ(o.v_out[e], in(96 + e));
      EXPECT_EQ(o.k_cache[e], o.k_out[e]);  // cache row (0, 0) is the first
      EXPECT_EQ(o.v_cache[e], o.v_out[e]);
    }
  }
}

TEST(E2eCpuOpsTest, RopeKeepsPairNormsAndDependsOnPositionDifference) {
  const E2eAttnShape s = {2, 1, 64, 2000};
  const int D = 64, width = 4 * D;
  // Four sequences, identical rows, at positions 5, 2, 1013, 1010 (differences 3 and 3).
  const std::vector<float> row = Init(width, 5);
  std::vector<float> qkv;
  for (int t = 0; t < 4; ++t) qkv.insert(qkv.end(), row.begin(), row.end());
  const int pos[4] = {5, 2, 1013, 1010};
  const RopeOut o = RunRope(qkv, nullptr, Decode(4, pos), s, 4);
  for (int t = 0; t < 4; ++t) {
    for (int head = 0; head < 3; ++head) {  // q heads 0, 1, then the k head
      const float* out = head < 2 ? &o.q[(t * 2 + head) * D] : &o.k_out[t * D];
      const float* in = &row[head * D];
      for (int i = 0; i < D / 2; ++i) {
        const double before = double(in[i]) * in[i] + double(in[i + D / 2]) * in[i + D / 2];
        const double after = double(out[i]) * out[i] + double(out[i + D / 2]) * out[i + D / 2];
        EXPECT_NEAR(after, before, 1e-5 * (1 + before)) << t << " " << head << " " << i;
      }
    }
  }
  for (int head = 0; head < 2; ++head) {
    const double near = Dot(&o.q[(0 * 2 + head) * D], &o.k_out[1 * D], D);  // 5 vs 2
    const double far = Dot(&o.q[(2 * 2 + head) * D], &o.k_out[3 * D], D);   // 1013 vs 1010
    EXPECT_NEAR(near, far, 1e-4 * (1 + std::fabs(near)));
    const double same = Dot(&o.q[(0 * 2 + head) * D], &o.k_out[0 * D], D);  // 5 vs 5
    EXPECT_GT(std::fabs(same - near), 1e-3);  // and it does depend on the difference
  }
}

TEST(E2eCpuOpsTest, RopeStoresCacheRowsForPrefillAndDecode) {
  const E2eAttnShape s = {2, 2, 8, 6};
  const int D = 8, G = 2, width = (2 + 2 * G) * D, batch = 3;
  const std::vector<float> bias = Init(width, 7, 0.5f);
  // Prefill of sequences 1 and 2, 3 rows each: cache rows (b, p), p < 3.
  const std::vector<float> qkv = Init(6 * width, 6);
  const RopeOut o = RunRope(qkv, bias.data(), E2eRows{1, 2, 3, nullptr}, s, batch);
  const auto at = [&](int b, int p, int g) { return ((b * 6 + p) * G + g) * D; };
  for (int b = 0; b < batch; ++b) {
    for (int p = 0; p < 6; ++p) {
      for (int g = 0; g < G; ++g) {
        const bool written = b >= 1 && p < 3;
        const int t = (b - 1) * 3 + p;
        for (int d = 0; d < D; ++d) {
          if (!written) {
            EXPECT_EQ(o.k_cache[at(b, p, g) + d], 999);
            EXPECT_EQ(o.v_cache[at(b, p, g) + d], 999);
            continue;
          }
          const int e = (2 + G + g) * D + d;  // v head g of the row
          EXPECT_EQ(o.v_cache[at(b, p, g) + d], qkv[t * width + e] + bias[e]);
          EXPECT_EQ(o.v_out[(t * G + g) * D + d], o.v_cache[at(b, p, g) + d]);
          EXPECT_EQ(o.k_out[(t * G + g) * D + d], o.k_cache[at(b, p, g) + d]);
        }
      }
    }
  }
  // Decode of sequences 1 and 2 at positions 4 and 2; null k_out / v_out are allowed.
  const int pos[3] = {-5, 4, 2};
  std::vector<float> q(2 * 2 * D), k_cache(batch * 6 * G * D, 999), v_cache = k_cache;
  RopeStoreCpu(qkv.data(), nullptr, Decode(2, pos, 1), s, 10000.0f, q.data(), k_cache.data(),
               v_cache.data(), nullptr, nullptr);
  int written = 0;
  for (size_t e = 0; e < v_cache.size(); ++e) written += v_cache[e] != 999;
  EXPECT_EQ(written, 2 * G * D);
  for (int g = 0; g < G; ++g) {
    for (int d = 0; d < D; ++d) {
      EXPECT_EQ(v_cache[at(1, 4, g) + d], qkv[0 * width + (4 + g) * D + d]);
      EXPECT_EQ(v_cache[at(2, 2, g) + d], qkv[1 * width + (4 + g) * D + d]);
    }
  }
  EXPECT_THROW(RunRope(qkv, nullptr, E2eRows{0, 1, 7, nullptr}, s, 1), std::invalid_argument);
}

TEST(E2eCpuOpsTest, SiluMulMatchesFormula) {
  const int T = 3, ffn = 5;
  std::vector<float> gate_up = Init(T * 2 * ffn, 8, 6.0f);
  gate_up[0] = 0, gate_up[1] = 1, gate_up[2] = -100, gate_up[3] = 100;
  gate_up[ffn] = gate_up[ffn + 1] = gate_up[ffn + 2] = gate_up[ffn + 3] = 2;
  std::vector<float> out(T * ffn);
  SiluMulCpu(gate_up.data(), T, ffn, out.data());
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_NEAR(out[1], 2 * 0.7310585786, 1e-6);
  EXPECT_NEAR(out[2], 0.0, 1e-30);
  EXPECT_NEAR(out[3], 200.0, 1e-4);
  for (int t = 0; t < T; ++t) {
    for (int i = 0; i < ffn; ++i) {
      const double g = gate_up[t * 2 * ffn + i], u = gate_up[t * 2 * ffn + ffn + i];
      EXPECT_NEAR(out[t * ffn + i], g / (1 + std::exp(-g)) * u, 1e-5 * (1 + std::fabs(g * u)));
    }
  }
}

TEST(E2eCpuOpsTest, SelectLastRowsTakesEachSequencesLastRow) {
  const int hidden = 3;
  std::vector<float> h(12 * hidden);
  for (size_t e = 0; e < h.size(); ++e) h[e] = float(e);
  std::vector<float> out(3 * hidden);
  SelectLastRowsCpu(h.data(), E2eRows{2, 3, 4, nullptr}, hidden, out.data());
  for (int s = 0; s < 3; ++s) {
    for (int i = 0; i < hidden; ++i)
      EXPECT_EQ(out[s * hidden + i], float((4 * s + 3) * hidden + i));
  }
  std::vector<float> all(12 * hidden);
  SelectLastRowsCpu(h.data(), E2eRows{0, 12, 1, nullptr}, hidden, all.data());
  EXPECT_EQ(all, h);
}

}  // namespace
}  // namespace gq
