// Host versions of the e2e workload's elementwise and row ops (contracts in e2e_cpu_ops.h):
// init, prompt fill, embedding, residual add + RMSNorm, RoPE + KV-cache store, SiLU-and-multiply
// and last-row selection. Attention is in e2e_cpu_attention.cc, sampling in e2e_cpu_sample.cc.
#include "workloads/e2e/cpu/e2e_cpu_ops.h"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "workloads/e2e/model/e2e_init.h"
#include "workloads/e2e/model/e2e_model.h"  // E2eRopeInvFreq

namespace gq {
namespace {

void Require(bool ok, const char* op, const char* what) {
  if (!ok) throw std::invalid_argument(std::string(op) + ": " + what);
}

void RequireRows(const E2eRows& rows, const char* op) {
  Require(rows.seqs > 0 && rows.len > 0, op, "rows need seqs > 0 and len > 0");
  Require(rows.first_seq >= 0, op, "rows need first_seq >= 0");
}

int CheckedPos(const E2eRows& rows, int64_t t, int max_seq, const char* op) {
  const int p = E2eRowPos(rows, t);
  Require(p >= 0 && p < max_seq, op, "a row's position is outside [0, max_seq)");
  return p;
}

}  // namespace

void InitTensorCpu(float* w, int64_t n, uint64_t seed, float scale, float offset) {
  InitTensorCpuFrom(w, n, seed, 0, scale, offset);
}

void InitTensorCpuFrom(float* w, int64_t n, uint64_t seed, uint64_t first, float scale, float offset) {
  Require(n > 0 && w != nullptr, "InitTensorCpu", "needs n > 0 and a tensor");
  for (int64_t i = 0; i < n; ++i)
    w[i] = E2eInitValue(seed, first + static_cast<uint64_t>(i), scale, offset);
}

void FillPromptCpu(int* tokens, int batch, int max_seq, int len, int vocab, uint64_t seed) {
  Require(tokens != nullptr && batch > 0 && vocab > 0, "FillPromptCpu",
          "needs tokens, batch > 0 and vocab > 0");
  Require(len > 0 && len <= max_seq, "FillPromptCpu", "needs 0 < len <= max_seq");
  for (int b = 0; b < batch; ++b) {
    for (int p = 0; p < len; ++p) {
      tokens[int64_t(b) * max_seq + p] = E2ePromptToken(seed, b, p, vocab);
    }
  }
}

void EmbedCpu(const float* table, int hidden, const int* tokens, int max_seq, const E2eRows& rows,
              float* x) {
  Require(table != nullptr && tokens != nullptr && x != nullptr, "EmbedCpu", "null pointer");
  Require(hidden > 0 && max_seq > 0, "EmbedCpu", "needs hidden > 0 and max_seq > 0");
  RequireRows(rows, "EmbedCpu");
  for (int64_t t = 0; t < rows.tokens(); ++t) {
    const int b = E2eRowSeq(rows, t);
    const int p = CheckedPos(rows, t, max_seq, "EmbedCpu");
    const int token = tokens[int64_t(b) * max_seq + p];
    Require(token >= 0, "EmbedCpu", "negative token id");
    std::memcpy(x + t * hidden, table + int64_t(token) * hidden, sizeof(float) * hidden);
  }
}

void AddRmsNormCpu(float* x, const float* delta, const float* gamma, int64_t T, int hidden,
                   float eps, float* h) {
  Require(x != nullptr && gamma != nullptr && h != nullptr, "AddRmsNormCpu", "null pointer");
  Require(T > 0 && hidden > 0, "AddRmsNormCpu", "needs T > 0 and hidden > 0");
  for (int64_t t = 0; t < T; ++t) {
    float* xr = x + t * hidden;
    float* hr = h + t * hidden;
    double sum_sq = 0;
    for (int i = 0; i < hidden; ++i) {
      if (delta != nullptr) xr[i] += delta[t * hidden + i];
      sum_sq += double(xr[i]) * xr[i];
    }
    const float inv_rms = static_cast<float>(1.0 / std::sqrt(sum_sq / hidden + eps));
    for (int i = 0; i < hidden; ++i) hr[i] = xr[i] * inv_rms * gamma[i];
  }
}

void RopeStoreCpu(const float* qkv, const float* bias, const E2eRows& rows, const E2eAttnShape& s,
                  float theta, float* q, float* k_cache, float* v_cache, float* k_out,
                  float* v_out) {
  const char* op = "RopeStoreCpu";
  Require(qkv != nullptr && q != nullptr && k_cache != nullptr && v_cache != nullptr, op,
          "null pointer");
  Require(s.heads > 0 && s.kv_heads > 0 && s.max_seq > 0, op,
          "needs heads, kv_heads and max_seq > 0");
  Require(s.head_dim > 0 && s.head_dim % 2 == 0, op, "needs an even head_dim > 0");
  Require(theta > 0, op, "needs theta > 0");
  RequireRows(rows, op);
  const int D = s.head_dim, half = D / 2, H = s.heads, G = s.kv_heads;
  const int64_t width = int64_t(H + 2 * G) * D;
  std::vector<float> freq(half);
  for (int i = 0; i < half; ++i) freq[i] = E2eRopeInvFreq(theta, D, i);
  std::vector<float> x(D), c(half), sn(half);
  for (int64_t t = 0; t < rows.tokens(); ++t) {
    const int b = E2eRowSeq(rows, t);
    const int p = CheckedPos(rows, t, s.max_seq, op);
    for (int i = 0; i < half; ++i) {
      const float angle = float(p) * freq[i];
      c[i] = static_cast<float>(std::cos(double(angle)));
      sn[i] = static_cast<float>(std::sin(double(angle)));
    }
    for (int head = 0; head < H + 2 * G; ++head) {
      const float* in = qkv + t * width + int64_t(head) * D;
      for (int d = 0; d < D; ++d)
        x[d] = in[d] + (bias != nullptr ? bias[int64_t(head) * D + d] : 0.0f);
      if (head < H + G) {  // q or k: rotate each (i, i + D/2) pair
        for (int i = 0; i < half; ++i) {
          const float lo = x[i], hi = x[i + half];
          x[i] = lo * c[i] - hi * sn[i];
          x[i + half] = hi * c[i] + lo * sn[i];
        }
      }
      if (head < H) {
        std::memcpy(q + (t * H + head) * D, x.data(), sizeof(float) * D);
        continue;
      }
      const bool is_k = head < H + G;
      const int g = is_k ? head - H : head - H - G;
      float* cache = is_k ? k_cache : v_cache;
      float* dense = is_k ? k_out : v_out;
      std::memcpy(cache + ((int64_t(b) * s.max_seq + p) * G + g) * D, x.data(), sizeof(float) * D);
      if (dense != nullptr) std::memcpy(dense + (t * G + g) * D, x.data(), sizeof(float) * D);
    }
  }
}

void SiluMulCpu(const float* gate_up, int64_t T, int ffn, float* out) {
  Require(gate_up != nullptr && out != nullptr, "SiluMulCpu", "null pointer");
  Require(T > 0 && ffn > 0, "SiluMulCpu", "needs T > 0 and ffn > 0");
  for (int64_t t = 0; t < T; ++t) {
    const float* gate = gate_up + t * 2 * ffn;
    const float* up = gate + ffn;
    for (int i = 0; i < ffn; ++i) {
      const float g = gate[i];
      out[t * ffn + i] = g / (1.0f + std::exp(-g)) * up[i];
    }
  }
}

void SelectLastRowsCpu(const float* h, const E2eRows& rows, int hidden, float* out) {
  Require(h != nullptr && out != nullptr, "SelectLastRowsCpu", "null pointer");
  Require(hidden > 0, "SelectLastRowsCpu", "needs hidden > 0");
  RequireRows(rows, "SelectLastRowsCpu");
  for (int s = 0; s < rows.seqs; ++s) {
    const int64_t row = int64_t(s) * rows.len + rows.len - 1;
    std::memcpy(out + int64_t(s) * hidden, h + row * hidden, sizeof(float) * hidden);
  }
}

}  // namespace gq
