#include "workloads/e2e/e2e_verify.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "workloads/e2e/e2e_forward.h"

namespace gq {
namespace {

std::string Sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2e", v);
  return buf;
}

// Rows whose argmax is the same in a and b (b may be a column slice, as above).
int SameArgmax(const float* a, const float* b, int rows, int cols, int b_cols, int b_offset) {
  int same = 0;
  for (int r = 0; r < rows; ++r) {
    const float* ar = a + size_t(r) * cols;
    const float* br = b + size_t(r) * b_cols + b_offset;
    same += std::max_element(ar, ar + cols) - ar == std::max_element(br, br + cols) - br;
  }
  return same;
}

}  // namespace

int E2eVerifySteps(int output_len) { return std::min(4, std::max(1, output_len - 1)); }

double MaxRowRelativeL2(const float* a, const float* b, int rows, int cols, int b_cols, int b_offset) {
  double worst = 0;
  for (int r = 0; r < rows; ++r) {
    double diff = 0, norm = 0;
    for (int c = 0; c < cols; ++c) {
      const double x = a[size_t(r) * cols + c], y = b[size_t(r) * b_cols + b_offset + c];
      if (!std::isfinite(x) || !std::isfinite(y)) return std::numeric_limits<double>::infinity();
      diff += (x - y) * (x - y);
      norm += y * y;
    }
    worst = std::max(worst, norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff));
  }
  return worst;
}

VerifyResult VerifyE2e(E2eBackend& m, const E2eProblem& p, E2eBackend* reference, double tolerance) {
  const int k = E2eVerifySteps(p.output_len);
  const int full_len = p.input_len + k;
  const int b = p.batch, vl = p.vocab_local();

  // 1. Cached decode vs a full forward.
  Prefill(m, p, p.input_len);
  for (int i = 0; i < k; ++i) m.ReplayDecode();
  m.Synchronize();
  std::vector<std::vector<float>> decoded;
  for (int s = 0; s < m.shards(); ++s) decoded.push_back(m.ReadLogits(s, b));
  const std::vector<int> tokens = m.ReadTokens();
  Prefill(m, p, full_len);
  m.Synchronize();
  double err = 0;
  int agree = 0;
  for (int s = 0; s < m.shards(); ++s) {
    const std::vector<float> full = m.ReadLogits(s, b);
    err = std::max(err, MaxRowRelativeL2(decoded[size_t(s)].data(), full.data(), b, vl, vl, 0));
    if (s == 0) agree = SameArgmax(decoded[0].data(), full.data(), b, vl, vl, 0);
  }
  VerifyResult v;
  v.tolerance = tolerance;
  v.max_rel_err = err;
  v.detail = "logits after " + std::to_string(k) + " cached decode step(s) vs a full forward over " +
             std::to_string(full_len) + " tokens: max relative L2 " + Sci(err) + " over " +
             std::to_string(b) + " sequence(s), argmax same in " + std::to_string(agree) + "/" +
             std::to_string(b) + " (shard 0)";

  // 2. Against the reference backend on the same tokens.
  if (reference != nullptr) {
    reference->WriteTokens(tokens);
    Prefill(*reference, p, full_len);
    reference->Synchronize();
    const std::vector<float> ref = reference->ReadLogits(0, b);
    double ref_err = 0;
    for (int s = 0; s < m.shards(); ++s) {
      ref_err = std::max(ref_err, MaxRowRelativeL2(decoded[size_t(s)].data(), ref.data(), b, vl,
                                                   p.model.vocab, m.VocabOffset(s)));
    }
    v.max_rel_err = std::max(v.max_rel_err, ref_err);
    v.detail += "; cached decode vs the cpu fp32 reference: max relative L2 " + Sci(ref_err);
  }
  v.passed = v.max_rel_err <= tolerance;
  return v;
}

}  // namespace gq
