#include "workloads/attention/attention_reference.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>

namespace gq {

void AttentionRowReference(const float* q, const float* k, const float* v, int64_t visible,
                           int64_t head_dim, double scale, double* out, double* bound) {
  std::fill(out, out + head_dim, 0.0);
  std::fill(bound, bound + head_dim, 0.0);
  if (visible <= 0) return;
  std::vector<double> score(static_cast<size_t>(visible));
  double max_score = -std::numeric_limits<double>::infinity();
  for (int64_t j = 0; j < visible; ++j) {
    double dot = 0;
    for (int64_t d = 0; d < head_dim; ++d) dot += double(q[d]) * double(k[j * head_dim + d]);
    score[j] = scale * dot;
    max_score = std::max(max_score, score[j]);
  }
  double sum = 0;
  for (double& s : score) {
    s = std::exp(s - max_score);  // shifted by the row max: no overflow, same softmax
    sum += s;
  }
  for (int64_t j = 0; j < visible; ++j) {
    const double p = score[j] / sum;
    for (int64_t d = 0; d < head_dim; ++d) {
      const double pv = p * double(v[j * head_dim + d]);
      out[d] += pv;
      bound[d] += std::fabs(pv);
    }
  }
}

// Bounds on err = |O - ref| / sum_j P_j |V_jd| (see the header), u = unit roundoff of the dtype
// (2^-8 for bf16, 2^-11 for fp16). The inputs are exact in both the backend and the reference,
// so the error comes from the backend's arithmetic:
// - P rounded to the input dtype before the P V product (FlashAttention-2 and cuDNN feed the
//   tensor cores with bf16/fp16 P): each term P_j V_jd is off by <= u |P_j V_jd|, so <= u in err.
// - O rounded to the output dtype: <= u |O| <= u sum |P_j V_jd|, so <= u in err.
// - fp32 scores, exp2 approximation (2 ulp) and fp32 accumulation: ~1e-6.
// Total about 2u: 7.8e-3 for bf16, 9.8e-4 for fp16. Tolerances 2e-2 and 5e-3 leave ~2.5x and ~5x
// margin for the accumulation order; an indexing or masking error is O(1).
double AttentionTolerance(Dtype dtype) {
  return dtype == Dtype::kBf16 ? 2e-2 : 5e-3;
}

std::pair<int64_t, int64_t> AttentionTileCoverage(const AttentionProblem& p) {
  const int64_t tiles = p.batch * p.heads * ((p.seq_q + kAttentionVerifyTile - 1) / kAttentionVerifyTile);
  const int64_t per_row = std::max<int64_t>(1, p.seq_kv * p.head_dim);
  return {std::min({tiles, kAttentionVerifyTerms / per_row, kAttentionVerifyMaxRows}), tiles};
}

namespace {

// One seeded row in each of `count` (b, h, tile) tiles: all of them when count covers them, else
// `count` distinct ones (Floyd's sampling without replacement).
void AddCoverageRows(const AttentionProblem& p, std::mt19937_64& rng,
                     std::map<std::pair<int64_t, int64_t>, std::set<int64_t>>& chosen) {
  const int64_t tiles_per_head = (p.seq_q + kAttentionVerifyTile - 1) / kAttentionVerifyTile;
  const auto [count, tiles] = AttentionTileCoverage(p);
  std::set<int64_t> picked;
  if (count == tiles) {
    for (int64_t t = 0; t < tiles; ++t) picked.insert(t);
  } else {
    for (int64_t j = tiles - count; j < tiles; ++j) {
      const int64_t t = std::uniform_int_distribution<int64_t>(0, j)(rng);
      if (!picked.insert(t).second) picked.insert(j);
    }
  }
  for (int64_t t : picked) {
    const int64_t tile = t % tiles_per_head, bh = t / tiles_per_head;
    const int64_t first = tile * kAttentionVerifyTile;
    const int64_t last = std::min(p.seq_q, first + kAttentionVerifyTile) - 1;
    chosen[{bh / p.heads, bh % p.heads}].insert(std::uniform_int_distribution<int64_t>(first, last)(rng));
  }
}

}  // namespace

std::vector<AttentionSample> AttentionSamplePlan(const AttentionProblem& p, uint64_t seed,
                                                 int rows_per_head) {
  std::mt19937_64 rng(seed);
  std::vector<std::pair<int64_t, int64_t>> pairs = {{0, 0}, {p.batch - 1, p.heads - 1}};
  std::uniform_int_distribution<int64_t> pick_b(0, p.batch - 1), pick_h(0, p.heads - 1);
  for (int n = 0; n < 2; ++n) pairs.emplace_back(pick_b(rng), pick_h(rng));
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

  std::map<std::pair<int64_t, int64_t>, std::set<int64_t>> chosen;  // (b, h) -> rows
  std::uniform_int_distribution<int64_t> pick_i(0, p.seq_q - 1);
  for (const auto& [b, h] : pairs) {
    std::set<int64_t>& rows = chosen[{b, h}];
    // Edges first: off-by-one indexing and tile-boundary masking show at the edges.
    for (int64_t i : {int64_t{0}, p.seq_q - 1, int64_t{15}, int64_t{16}, int64_t{63}, int64_t{64},
                      int64_t{127}, int64_t{128}, p.seq_q - p.seq_kv, p.seq_q - p.seq_kv - 1}) {
      if (i >= 0 && i < p.seq_q && static_cast<int>(rows.size()) < rows_per_head) rows.insert(i);
    }
    for (int tries = 0; static_cast<int>(rows.size()) < rows_per_head &&
                        static_cast<int64_t>(rows.size()) < p.seq_q && tries < 4 * rows_per_head;
         ++tries) {
      rows.insert(pick_i(rng));
    }
  }
  AddCoverageRows(p, rng, chosen);
  std::vector<AttentionSample> plan;
  for (const auto& [pair, rows] : chosen) {
    plan.push_back({pair.first, pair.second, std::vector<int64_t>(rows.begin(), rows.end())});
  }
  return plan;
}

VerifyResult VerifyAttention(const AttentionProblem& p, AttentionTensorSource& source,
                             uint64_t seed, double tolerance) {
  const auto plan = AttentionSamplePlan(p, seed);
  const int64_t dim = p.head_dim;
  const double scale = 1.0 / std::sqrt(static_cast<double>(dim));
  VerifyResult result;
  result.tolerance = tolerance >= 0 ? tolerance : AttentionTolerance(p.dtype);
  double worst = -1;  // below any error, so the first element is always recorded
  int64_t worst_b = 0, worst_h = 0, worst_i = 0, worst_d = 0;
  double worst_got = 0, worst_want = 0;
  bool non_finite = false;
  int64_t checked = 0, rows_checked = 0;

  std::vector<float> k, v, q(static_cast<size_t>(dim)), o(static_cast<size_t>(dim));
  std::vector<double> ref(static_cast<size_t>(dim)), bound(static_cast<size_t>(dim));
  int64_t loaded_b = -1, loaded_g = -1;
  for (const AttentionSample& sample : plan) {
    const int64_t g = p.kv_head_of(sample.h);
    if (sample.b != loaded_b || g != loaded_g) {
      source.KvHead(sample.b, g, &k, &v);
      loaded_b = sample.b;
      loaded_g = g;
    }
    for (int64_t i : sample.rows) {
      source.QRow(sample.b, i, sample.h, q.data());
      source.ORow(sample.b, i, sample.h, o.data());
      AttentionRowReference(q.data(), k.data(), v.data(), p.VisibleKeys(i), dim, scale, ref.data(),
                            bound.data());
      ++rows_checked;
      for (int64_t d = 0; d < dim; ++d) {
        const double got = o[d];
        double err;
        if (!std::isfinite(got)) {
          err = std::numeric_limits<double>::infinity();
          non_finite = true;
        } else if (bound[d] > 0) {
          err = std::fabs(got - ref[d]) / bound[d];
        } else {
          err = got == ref[d] ? 0 : std::numeric_limits<double>::infinity();
        }
        ++checked;
        if (err > worst) {
          worst = err;
          worst_b = sample.b;
          worst_h = sample.h;
          worst_i = i;
          worst_d = d;
          worst_got = got;
          worst_want = ref[d];
        }
      }
    }
  }
  result.max_rel_err = worst < 0 ? 0 : worst;
  result.passed = !non_finite && worst <= result.tolerance;
  char where[192];
  std::snprintf(where, sizeof(where), "; worst O(b=%lld,i=%lld,h=%lld,d=%lld) = %.9g, float64 %.9g",
                static_cast<long long>(worst_b), static_cast<long long>(worst_i),
                static_cast<long long>(worst_h), static_cast<long long>(worst_d), worst_got,
                worst_want);
  const auto [covered, tiles] = AttentionTileCoverage(p);
  std::string coverage;
  if (covered == tiles) {
    coverage = "one in every (batch, head, 64-row) tile";
  } else if (covered > 0) {
    coverage = "one in each of " + std::to_string(covered) + " of the " + std::to_string(tiles) +
               " (batch, head, 64-row) tiles";
  } else {
    coverage = "edge rows only: one row of seq_kv x head_dim is beyond the coverage budget";
  }
  result.detail = std::to_string(checked) + " elements of " + std::to_string(rows_checked) + " sampled query rows (" +
                  coverage + ") vs float64 attention, error / sum_j P_j|V_jd|" + where;
  if (non_finite) result.detail += " (non-finite output)";
  return result;
}

}  // namespace gq
