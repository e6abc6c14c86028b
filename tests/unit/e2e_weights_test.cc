#include "workloads/e2e/model/e2e_weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "workloads/e2e/model/e2e_init.h"

namespace gq {
namespace {

E2eProblem Tiny(int tp) {
  E2eProblem p;
  p.model = ModelPreset("tiny");
  p.model.qkv_bias = true;
  p.tp = tp;
  return p;
}

std::vector<float> Values(const E2eTensorPlan& plan) {
  std::vector<float> w(size_t(plan.elements()), -99.0f);
  for (const E2eFill& f : plan.fills) {
    for (int64_t i = 0; i < f.count; ++i) w[size_t(f.dest + i)] = E2eInitValue(f.seed, f.first_index + i, f.scale, f.offset);
  }
  return w;
}

const E2eWeight kAll[] = {E2eWeight::kEmbed, E2eWeight::kAttnNorm, E2eWeight::kMlpNorm, E2eWeight::kQkv,
                          E2eWeight::kQkvBias, E2eWeight::kOut, E2eWeight::kGateUp, E2eWeight::kDown,
                          E2eWeight::kFinalNorm, E2eWeight::kLmHead};

TEST(E2eWeightsTest, FillsCoverEveryTensorExactly) {
  for (int tp : {1, 2}) {
    for (E2eWeight w : kAll) {
      const E2eTensorPlan plan = PlanWeight(Tiny(tp), tp - 1, w, 1);
      int64_t next = 0;
      for (const E2eFill& f : plan.fills) {
        EXPECT_EQ(f.dest, next);
        next += f.count;
      }
      EXPECT_EQ(next, plan.elements()) << int(w);
    }
  }
}

// Rank r's shard of tp = 2 holds exactly the rows of the tp = 1 tensor it should.
TEST(E2eWeightsTest, ShardsAreSlicesOfTheWholeModel) {
  const E2eProblem one = Tiny(1), two = Tiny(2);
  const int hidden = 256, d = 64, hq = 4 * d, hkv = 2 * d, f = 512;
  const std::vector<float> qkv = Values(PlanWeight(one, 0, E2eWeight::kQkv, 0));
  const std::vector<float> qkv1 = Values(PlanWeight(two, 1, E2eWeight::kQkv, 0));
  // Rank 1: q rows [hq/2, hq), k rows [hkv/2, hkv), v rows likewise.
  auto row = [&](const std::vector<float>& w, int r) { return std::vector<float>(w.begin() + r * hidden, w.begin() + (r + 1) * hidden); };
  EXPECT_EQ(row(qkv1, 0), row(qkv, hq / 2));
  EXPECT_EQ(row(qkv1, hq / 2), row(qkv, hq + hkv / 2));
  EXPECT_EQ(row(qkv1, hq / 2 + hkv / 2), row(qkv, hq + hkv + hkv / 2));
  const std::vector<float> gu = Values(PlanWeight(one, 0, E2eWeight::kGateUp, 3));
  const std::vector<float> gu1 = Values(PlanWeight(two, 1, E2eWeight::kGateUp, 3));
  EXPECT_EQ(row(gu1, 0), row(gu, f / 2));            // gate
  EXPECT_EQ(row(gu1, f / 2), row(gu, f + f / 2));    // up
  const std::vector<float> out = Values(PlanWeight(one, 0, E2eWeight::kOut, 0));
  const std::vector<float> out1 = Values(PlanWeight(two, 1, E2eWeight::kOut, 0));
  EXPECT_EQ(row(out1, 5), row(out, hq / 2 + 5));
  const std::vector<float> bias = Values(PlanWeight(one, 0, E2eWeight::kQkvBias, 0));
  const std::vector<float> bias1 = Values(PlanWeight(two, 1, E2eWeight::kQkvBias, 0));
  EXPECT_EQ(bias1[0], bias[hq / 2]);
  EXPECT_EQ(bias1[hq / 2], bias[hq + hkv / 2]);
}

TEST(E2eWeightsTest, ValuesAreSeededScaledAndDistinctPerTensor) {
  const E2eProblem p = Tiny(1);
  const std::vector<float> a = Values(PlanWeight(p, 0, E2eWeight::kQkv, 0));
  const std::vector<float> b = Values(PlanWeight(p, 0, E2eWeight::kQkv, 1));
  EXPECT_NE(a, b);  // another layer, another tensor
  EXPECT_EQ(a, Values(PlanWeight(p, 0, E2eWeight::kQkv, 0)));
  double sq = 0;
  for (float v : a) {
    EXPECT_LE(std::abs(v), std::sqrt(3.0 / 256) * 1.01);
    sq += double(v) * v;
  }
  EXPECT_NEAR(std::sqrt(sq / a.size()), 1 / std::sqrt(256.0), 0.05 / std::sqrt(256.0));  // std 1/sqrt(fan_in)
  for (float g : Values(PlanWeight(p, 0, E2eWeight::kAttnNorm, 0))) EXPECT_NEAR(g, 1.0f, 0.1f + 1.0f / 256);  // + bf16 rounding
  EXPECT_LT(RankWeightElements(Tiny(2)), RankWeightElements(Tiny(1)));  // all but embedding and norms split
}

}  // namespace
}  // namespace gq
