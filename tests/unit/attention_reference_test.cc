// Tests of the attention reference (workloads/attention/attention_reference.cc) against a naive
// softmax(Q K^T / sqrt(D) + mask) V written here independently, of the causal mask and GQA
// mapping and FLOP formulas (attention_problem.cc), and that VerifyAttention catches a wrong or
// unwritten output element.
#include "workloads/attention/attention_reference.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "workloads/attention/attention_problem.h"

namespace gq {
namespace {

AttentionProblem Problem(int64_t batch, int64_t heads, int64_t kv_heads, int64_t seq_q,
                         int64_t seq_kv, int64_t dim, bool causal) {
  AttentionProblem p;
  p.batch = batch;
  p.heads = heads;
  p.kv_heads = kv_heads;
  p.seq_q = seq_q;
  p.seq_kv = seq_kv;
  p.head_dim = dim;
  p.causal = causal;
  return p;
}

std::vector<float> Random(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> x(n);
  for (float& v : x) v = u(rng);
  return x;
}

// The naive method: the full score matrix of one (b, h) with the mask written as the definition
// (key j masked iff j > i + Skv - Sq), softmax without max-subtraction, then P V. Rows with no
// visible key are 0. Q, K, V are [S, D] row-major for this head.
std::vector<double> NaiveAttention(const std::vector<float>& q, const std::vector<float>& k,
                                   const std::vector<float>& v, int64_t sq, int64_t skv,
                                   int64_t dim, bool causal) {
  std::vector<double> out(static_cast<size_t>(sq * dim), 0.0);
  for (int64_t i = 0; i < sq; ++i) {
    std::vector<double> weight(static_cast<size_t>(skv), 0.0);
    double total = 0;
    for (int64_t j = 0; j < skv; ++j) {
      if (causal && j > i + (skv - sq)) continue;
      double dot = 0;
      for (int64_t d = 0; d < dim; ++d) dot += double(q[i * dim + d]) * k[j * dim + d];
      weight[j] = std::exp(dot / std::sqrt(double(dim)));
      total += weight[j];
    }
    if (total == 0) continue;
    for (int64_t j = 0; j < skv; ++j) {
      for (int64_t d = 0; d < dim; ++d) out[i * dim + d] += weight[j] / total * v[j * dim + d];
    }
  }
  return out;
}

using Shape = std::tuple<int, int, int, bool>;  // seq_q, seq_kv, head_dim, causal

class AttentionRowReferenceTest : public testing::TestWithParam<Shape> {};

TEST_P(AttentionRowReferenceTest, MatchesNaiveSoftmaxQKtV) {
  const auto [sq, skv, dim, causal] = GetParam();
  const AttentionProblem p = Problem(1, 1, 1, sq, skv, dim, causal);
  const auto q = Random(size_t(sq) * dim, 1), k = Random(size_t(skv) * dim, 2),
             v = Random(size_t(skv) * dim, 3);
  const std::vector<double> want = NaiveAttention(q, k, v, sq, skv, dim, causal);
  std::vector<double> got(dim), bound(dim);
  for (int i = 0; i < sq; ++i) {
    AttentionRowReference(&q[size_t(i) * dim], k.data(), v.data(), p.VisibleKeys(i), dim,
                          1.0 / std::sqrt(double(dim)), got.data(), bound.data());
    for (int d = 0; d < dim; ++d) {
      EXPECT_NEAR(got[d], want[size_t(i) * dim + d], 1e-12) << "row " << i << " col " << d;
      EXPECT_GE(bound[d], std::fabs(got[d]) - 1e-15);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, AttentionRowReferenceTest,
                         testing::Values(Shape{1, 1, 8, false}, Shape{1, 1, 8, true},
                                         Shape{5, 9, 16, false}, Shape{5, 9, 16, true},
                                         Shape{9, 5, 16, true}, Shape{17, 17, 32, true},
                                         Shape{33, 70, 8, false}, Shape{33, 70, 8, true},
                                         Shape{70, 33, 8, true}));

TEST(AttentionProblemTest, CausalMaskIsBottomRightAligned) {
  const AttentionProblem wide = Problem(1, 1, 1, 3, 5, 8, true);  // Sq < Skv
  EXPECT_EQ(wide.VisibleKeys(0), 3);
  EXPECT_EQ(wide.VisibleKeys(1), 4);
  EXPECT_EQ(wide.VisibleKeys(2), 5);
  const AttentionProblem tall = Problem(1, 1, 1, 5, 3, 8, true);  // Sq > Skv
  for (int i = 0; i < 5; ++i) EXPECT_EQ(tall.VisibleKeys(i), std::max(0, i - 1)) << i;
  const AttentionProblem square = Problem(1, 1, 1, 4, 4, 8, true);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(square.VisibleKeys(i), i + 1);
  const AttentionProblem full = Problem(1, 1, 1, 3, 5, 8, false);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(full.VisibleKeys(i), 5);
}

TEST(AttentionProblemTest, GroupedQueryHeadsMapToTheirKvHead) {
  const AttentionProblem gqa = Problem(1, 8, 2, 4, 4, 8, false);
  EXPECT_EQ(gqa.group(), 4);
  for (int h = 0; h < 8; ++h) EXPECT_EQ(gqa.kv_head_of(h), h / 4) << h;
  const AttentionProblem mqa = Problem(1, 8, 1, 4, 4, 8, false);
  for (int h = 0; h < 8; ++h) EXPECT_EQ(mqa.kv_head_of(h), 0);
  const AttentionProblem mha = Problem(1, 8, 8, 4, 4, 8, false);
  for (int h = 0; h < 8; ++h) EXPECT_EQ(mha.kv_head_of(h), h);
  // Layout offsets: Q(b, i, h) and K(b, j, g) rows.
  const AttentionProblem p = Problem(2, 8, 2, 3, 5, 16, false);
  EXPECT_EQ(AttentionQIndex(p, 1, 2, 7), ((1 * 3 + 2) * 8 + 7) * 16);
  EXPECT_EQ(AttentionKvIndex(p, 1, 4, 1), ((1 * 5 + 4) * 2 + 1) * 16);
}

TEST(AttentionProblemTest, FlopsCountUnmaskedPairs) {
  // Non-causal: 4 B H Sq Skv D.
  AttentionProblem p = Problem(8, 16, 16, 2048, 2048, 128, false);
  EXPECT_DOUBLE_EQ(AttentionWork(p).flops, 4.0 * 8 * 16 * 2048 * 2048 * 128);
  // Causal square: S (S + 1) / 2 pairs.
  p.causal = true;
  EXPECT_DOUBLE_EQ(AttentionWork(p).flops, 4.0 * 8 * 16 * 128 * (2048.0 * 2049 / 2));
  // The closed forms equal a count of VisibleKeys, for Sq < Skv, Sq > Skv and Sq = Skv.
  for (auto [sq, skv] :
       {std::pair{3, 5}, std::pair{5, 3}, std::pair{7, 7}, std::pair{1, 100}, std::pair{100, 1}}) {
    const AttentionProblem c = Problem(2, 3, 1, sq, skv, 8, true);
    double pairs = 0;
    for (int i = 0; i < sq; ++i) pairs += double(c.VisibleKeys(i));
    EXPECT_DOUBLE_EQ(c.UnmaskedPairs(), pairs) << sq << "x" << skv;
    EXPECT_DOUBLE_EQ(AttentionWork(c).flops, 4.0 * 2 * 3 * 8 * pairs);
  }
  // Bytes: Q and O (B Sq H D) plus K and V (B Skv Hkv D), 2 bytes each.
  const AttentionProblem g = Problem(2, 8, 2, 16, 64, 64, false);
  EXPECT_DOUBLE_EQ(AttentionWork(g).bytes, 2.0 * (2 * 2 * 16 * 8 * 64 + 2 * 2 * 64 * 2 * 64));
  EXPECT_EQ(AttentionWork(g).compute_dtype, "bf16");
}

TEST(AttentionReferenceTest, TolerancesPerDtype) {
  EXPECT_DOUBLE_EQ(AttentionTolerance(Dtype::kBf16), 2e-2);
  EXPECT_DOUBLE_EQ(AttentionTolerance(Dtype::kFp16), 5e-3);
}

TEST(AttentionReferenceTest, SamplePlanCoversEdgesDeterministically) {
  const AttentionProblem p = Problem(3, 8, 2, 300, 300, 64, true);
  const auto plan = AttentionSamplePlan(p, 42);
  ASSERT_FALSE(plan.empty());
  EXPECT_EQ(plan.front().b, 0);
  EXPECT_EQ(plan.front().h, 0);
  EXPECT_EQ(plan.back().b, 2);
  EXPECT_EQ(plan.back().h, 7);
  for (const auto* s : {&plan.front(), &plan.back()}) {  // edge pairs: the edge rows
    for (int64_t i : {0, 15, 16, 63, 64, 127, 128, 299}) {
      EXPECT_TRUE(std::count(s->rows.begin(), s->rows.end(), i)) << "b " << s->b << " h " << s->h << " row " << i;
    }
  }
  for (size_t n = 0; n < plan.size(); ++n) {
    ASSERT_FALSE(plan[n].rows.empty());
    for (size_t r = 1; r < plan[n].rows.size(); ++r) EXPECT_LT(plan[n].rows[r - 1], plan[n].rows[r]);
    if (n > 0) EXPECT_LT(std::make_pair(plan[n - 1].b, plan[n - 1].h), std::make_pair(plan[n].b, plan[n].h));
  }
  const auto again = AttentionSamplePlan(p, 42);
  ASSERT_EQ(again.size(), plan.size());
  for (size_t n = 0; n < plan.size(); ++n) EXPECT_EQ(again[n].rows, plan[n].rows);
  // A single-row problem samples that row.
  const auto tiny = AttentionSamplePlan(Problem(1, 1, 1, 1, 1, 8, false), 1);
  ASSERT_EQ(tiny.size(), 1u);
  EXPECT_EQ(tiny[0].rows, std::vector<int64_t>{0});
}

// Host tensors (layout of attention_problem.h) whose output is the naive attention, rounded to
// float, so that one element can be corrupted.
class FakeSource final : public AttentionTensorSource {
 public:
  explicit FakeSource(const AttentionProblem& p) : p_(p) {
    q_ = Random(size_t(p.QElements()), 7);
    k_ = Random(size_t(p.KvElements()), 8);
    v_ = Random(size_t(p.KvElements()), 9);
    o_.assign(q_.size(), 0.0f);
    const int64_t dim = p.head_dim;
    for (int64_t b = 0; b < p.batch; ++b) {
      for (int64_t h = 0; h < p.heads; ++h) {
        std::vector<float> q(size_t(p.seq_q * dim)), k, v;
        for (int64_t i = 0; i < p.seq_q; ++i) {
          std::copy_n(q_.begin() + AttentionQIndex(p, b, i, h), dim, q.begin() + i * dim);
        }
        KvHead(b, p.kv_head_of(h), &k, &v);
        const auto out = NaiveAttention(q, k, v, p.seq_q, p.seq_kv, dim, p.causal);
        for (int64_t i = 0; i < p.seq_q; ++i) {
          for (int64_t d = 0; d < dim; ++d) {
            o_[AttentionQIndex(p, b, i, h) + d] = static_cast<float>(out[i * dim + d]);
          }
        }
      }
    }
  }
  void KvHead(int64_t b, int64_t g, std::vector<float>* k, std::vector<float>* v) override {
    k->resize(size_t(p_.seq_kv * p_.head_dim));
    v->resize(k->size());
    for (int64_t j = 0; j < p_.seq_kv; ++j) {
      std::copy_n(k_.begin() + AttentionKvIndex(p_, b, j, g), p_.head_dim,
                  k->begin() + j * p_.head_dim);
      std::copy_n(v_.begin() + AttentionKvIndex(p_, b, j, g), p_.head_dim,
                  v->begin() + j * p_.head_dim);
    }
  }
  void QRow(int64_t b, int64_t i, int64_t h, float* q) override {
    std::copy_n(q_.begin() + AttentionQIndex(p_, b, i, h), p_.head_dim, q);
  }
  void ORow(int64_t b, int64_t i, int64_t h, float* o) override {
    std::copy_n(o_.begin() + AttentionQIndex(p_, b, i, h), p_.head_dim, o);
  }
  float& O(int64_t b, int64_t i, int64_t h, int64_t d) {
    return o_[AttentionQIndex(p_, b, i, h) + d];
  }

 private:
  AttentionProblem p_;
  std::vector<float> q_, k_, v_, o_;
};

TEST(AttentionVerifyTest, PassesCorrectAndCatchesOneWrongElement) {
  const AttentionProblem p = Problem(2, 4, 2, 20, 24, 16, true);
  {
    FakeSource source(p);
    const VerifyResult r = VerifyAttention(p, source, 5);
    EXPECT_TRUE(r.passed) << r.detail;
    EXPECT_LT(r.max_rel_err, 1e-6) << r.detail;
  }
  {
    FakeSource source(p);
    source.O(0, 0, 0, 3) += 0.25f;  // row 0 of (b 0, h 0) is always sampled
    const VerifyResult r = VerifyAttention(p, source, 5);
    EXPECT_FALSE(r.passed) << r.detail;
    EXPECT_NE(r.detail.find("b=0,i=0,h=0,d=3"), std::string::npos) << r.detail;
  }
  {
    FakeSource source(p);
    source.O(1, 19, 3, 15) = std::numeric_limits<float>::quiet_NaN();  // last row of the last head
    const VerifyResult r = VerifyAttention(p, source, 5);
    EXPECT_FALSE(r.passed);
    EXPECT_NE(r.detail.find("non-finite"), std::string::npos) << r.detail;
  }
}

// Every (batch, head, 64-row) tile holds a checked row while the budget allows, so one wrong tile
// (the tiles one faulty SM computed) is always caught; beyond the budget, that many tiles drawn.
TEST(AttentionVerifyTest, EveryTileOfEveryHeadIsChecked) {
  const AttentionProblem p = Problem(2, 3, 3, 200, 40, 16, false);  // 2 x 3 x 4 tiles
  ASSERT_EQ(AttentionTileCoverage(p), std::make_pair(int64_t{24}, int64_t{24}));
  std::set<std::tuple<int64_t, int64_t, int64_t>> tiles;
  for (const AttentionSample& s : AttentionSamplePlan(p, 3)) {
    for (int64_t i : s.rows) tiles.insert({s.b, s.h, i / kAttentionVerifyTile});
  }
  EXPECT_EQ(tiles.size(), 24u);
  for (int64_t b = 0; b < p.batch; ++b) {
    for (int64_t h = 0; h < p.heads; ++h) {
      for (int64_t first = 0; first < p.seq_q; first += kAttentionVerifyTile) {
        FakeSource source(p);
        for (int64_t i = first; i < std::min(p.seq_q, first + kAttentionVerifyTile); ++i) source.O(b, i, h, 0) += 0.5f;
        const VerifyResult r = VerifyAttention(p, source, 3);
        EXPECT_FALSE(r.passed) << "tile b " << b << " h " << h << " rows " << first << ": " << r.detail;
        EXPECT_NE(r.detail.find("one in every (batch, head, 64-row) tile)"), std::string::npos) << r.detail;
      }
    }
  }
  // 16k keys of 128 dims: the budget covers 512 rows, drawn from distinct tiles.
  const AttentionProblem big = Problem(8, 16, 8, 16384, 16384, 128, true);
  EXPECT_EQ(AttentionTileCoverage(big), std::make_pair(int64_t{512}, int64_t{8 * 16 * 256}));
  // 2k keys of 128 dims, the quick suite's b8 h16: every one of the 4096 tiles.
  EXPECT_EQ(AttentionTileCoverage(Problem(8, 16, 8, 2048, 2048, 128, false)),
            std::make_pair(int64_t{4096}, int64_t{4096}));
  std::set<std::tuple<int64_t, int64_t, int64_t>> drawn;
  std::size_t rows = 0;
  for (const AttentionSample& s : AttentionSamplePlan(big, 9)) {
    rows += s.rows.size();
    for (int64_t i : s.rows) drawn.insert({s.b, s.h, i / kAttentionVerifyTile});
  }
  EXPECT_GE(drawn.size(), 512u);
  EXPECT_LE(rows, 4 * 16 + 512u);  // the edge rows and the coverage rows, nothing more
  // Short rows: the row cap; a row beyond the budget (2^24 keys x 128): the edge rows alone.
  EXPECT_EQ(AttentionTileCoverage(Problem(256, 64, 64, 1, 8, 8, false)).first, kAttentionVerifyMaxRows);
  const AttentionProblem huge = Problem(1, 2, 1, 300, int64_t{1} << 24, 128, false);
  EXPECT_EQ(AttentionTileCoverage(huge).first, 0);
  std::size_t edge_rows = 0;
  for (const AttentionSample& s : AttentionSamplePlan(huge, 4)) edge_rows += s.rows.size();
  EXPECT_EQ(edge_rows, 2 * 16u);  // both heads are edge pairs: 16 rows each
}

TEST(AttentionVerifyTest, RowsWithoutKeysMustBeZero) {
  // Causal with Sq > Skv: rows 0 .. Sq - Skv - 1 attend no key.
  const AttentionProblem p = Problem(1, 1, 1, 6, 2, 8, true);
  FakeSource source(p);
  EXPECT_TRUE(VerifyAttention(p, source, 1).passed);
  source.O(0, 1, 0, 0) = 1e-3f;
  EXPECT_FALSE(VerifyAttention(p, source, 1).passed);
}

}  // namespace
}  // namespace gq
