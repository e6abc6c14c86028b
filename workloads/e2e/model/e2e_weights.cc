#include "workloads/e2e/model/e2e_weights.h"

#include <cmath>

#include "workloads/e2e/model/e2e_init.h"

namespace gq {
namespace {

constexpr uint64_t kWeightSeed = 0x6770757175616C31ull;  // "gpuqual1": fixed, so runs compare

uint64_t SeedOf(E2eWeight which, int layer, int part) {
  return Mix64(kWeightSeed ^ Mix64((uint64_t(which) << 40) ^ (uint64_t(uint32_t(layer)) << 8) ^ uint64_t(part)));
}

float MatmulScale(double fan_in) { return static_cast<float>(std::sqrt(3.0 / fan_in)); }

}  // namespace

E2eTensorPlan PlanWeight(const E2eProblem& p, int r, E2eWeight which, int layer) {
  const ModelConfig& m = p.model;
  const int64_t hidden = m.hidden, d = m.head_dim;
  const int64_t hq = p.heads_local() * d, hkv = p.kv_heads_local() * d;
  const int64_t f = p.ffn_local(), v = p.vocab_local();
  E2eTensorPlan t;
  // Appends the run of `rows` rows of `width` elements of the full tensor `part`, from its row
  // `first_row`.
  auto run_of = [&](int part, int64_t first_row, int64_t rows, int64_t width, float scale, float offset) {
    const int64_t dest = t.fills.empty() ? 0 : t.fills.back().dest + t.fills.back().count;
    t.fills.push_back({dest, rows * width, SeedOf(which, layer, part), uint64_t(first_row * width), scale, offset});
  };
  auto run = [&](int part, int64_t first_row, int64_t rows, float scale, float offset) {
    run_of(part, first_row, rows, t.cols, scale, offset);
  };
  switch (which) {
    case E2eWeight::kEmbed:
      t = {m.vocab, hidden, {}};
      run(0, 0, m.vocab, 1.0f, 0.0f);
      break;
    case E2eWeight::kAttnNorm:
    case E2eWeight::kMlpNorm:
    case E2eWeight::kFinalNorm:
      t = {1, hidden, {}};
      run(0, 0, 1, 0.1f, 1.0f);
      break;
    case E2eWeight::kQkv:
      t = {hq + 2 * hkv, hidden, {}};
      run(0, r * hq, hq, MatmulScale(hidden), 0);
      run(1, r * hkv, hkv, MatmulScale(hidden), 0);
      run(2, r * hkv, hkv, MatmulScale(hidden), 0);
      break;
    case E2eWeight::kQkvBias:  // one element per row of kQkv
      t = {1, hq + 2 * hkv, {}};
      run_of(0, r * hq, hq, 1, 0.1f, 0);
      run_of(1, r * hkv, hkv, 1, 0.1f, 0);
      run_of(2, r * hkv, hkv, 1, 0.1f, 0);
      break;
    case E2eWeight::kOut:
      t = {hq, hidden, {}};
      run(0, r * hq, hq, MatmulScale(double(m.heads) * d), 0);
      break;
    case E2eWeight::kGateUp:
      t = {2 * f, hidden, {}};
      run(0, r * f, f, MatmulScale(hidden), 0);
      run(1, r * f, f, MatmulScale(hidden), 0);
      break;
    case E2eWeight::kDown:
      t = {f, hidden, {}};
      run(0, r * f, f, MatmulScale(m.ffn), 0);
      break;
    case E2eWeight::kLmHead:
      t = {v, hidden, {}};
      run(0, r * v, v, MatmulScale(hidden), 0);
      break;
  }
  return t;
}

double RankWeightElements(const E2eProblem& p) {
  double n = 0;
  for (E2eWeight w : {E2eWeight::kEmbed, E2eWeight::kFinalNorm, E2eWeight::kLmHead}) {
    n += double(PlanWeight(p, 0, w, 0).elements());
  }
  for (E2eWeight w : {E2eWeight::kAttnNorm, E2eWeight::kMlpNorm, E2eWeight::kQkv, E2eWeight::kOut,
                      E2eWeight::kGateUp, E2eWeight::kDown}) {
    n += double(PlanWeight(p, 0, w, 0).elements()) * p.model.layers;
  }
  if (p.model.qkv_bias) n += double(PlanWeight(p, 0, E2eWeight::kQkvBias, 0).elements()) * p.model.layers;
  return n;
}

}  // namespace gq
