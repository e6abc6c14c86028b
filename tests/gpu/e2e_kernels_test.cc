// GPU tests of the e2e workload's kernels (workloads/e2e/cuda/e2e_kernels_*.cu, reached through
// the host-callable runs of tests/support/e2e_kernels_host.h) on cuda:0: each against its host
// twin in e2e_cpu_ops.h on the same bf16-representable inputs (made with InitTensorCpu), on the
// vectorised path (widths that are multiples of 8, hidden 4096, 1000 rows) and the scalar one
// (odd widths), prefill and decode row maps, and a CUDA-graph capture of all of them.
// Tolerances: exact where the kernel only moves or picks values (init, prompt, embed, last rows,
// argmax, sampling, v cache rows) or rounds one fp32 sum the host also computes in fp32 (x after
// the residual add); |gpu - cpu| <= 1e-2 |cpu| + 1e-5 for RMSNorm, RoPE and SiLU, whose outputs
// are rounded to bf16 (relative 2^-9) after fp32 math in a different order. Each test skips
// itself when no CUDA device is visible.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "harness/device.h"
#include "workloads/e2e/cpu/e2e_cpu_ops.h"
#include "workloads/e2e/model/e2e_init.h"
#if GQ_WITH_CUDA
#include "tests/support/e2e_kernels_host.h"
#endif

namespace gq {
namespace {

#if GQ_WITH_CUDA
std::vector<float> Init(int64_t n, uint64_t seed, float scale = 1.0f, float offset = 0.0f) {
  std::vector<float> w(static_cast<size_t>(n));
  InitTensorCpu(w.data(), n, seed, scale, offset);
  return w;
}

std::vector<float> Bf16(std::vector<float> v) {
  for (float& x : v) x = RoundToBf16(x);
  return v;
}

// bf16 output rounding (relative 2^-9) on top of fp32 math in another order.
void ExpectClose(const std::vector<float>& gpu, const std::vector<float>& cpu, const char* what) {
  ASSERT_EQ(gpu.size(), cpu.size()) << what;
  int64_t bad = 0;
  for (size_t e = 0; e < gpu.size(); ++e) {
    if (!(std::fabs(gpu[e] - cpu[e]) <= 1e-2f * std::fabs(cpu[e]) + 1e-5f)) {
      if (++bad <= 5)
        ADD_FAILURE() << what << "[" << e << "]: gpu " << gpu[e] << ", cpu " << cpu[e];
    }
  }
  EXPECT_EQ(bad, 0) << what;
}

void ExpectSame(const std::vector<float>& gpu, const std::vector<float>& cpu, const char* what) {
  ASSERT_EQ(gpu.size(), cpu.size()) << what;
  int64_t bad = 0;
  for (size_t e = 0; e < gpu.size(); ++e) {
    if (gpu[e] != cpu[e] && !(std::isnan(gpu[e]) && std::isnan(cpu[e]))) {
      if (++bad <= 5)
        ADD_FAILURE() << what << "[" << e << "]: gpu " << gpu[e] << ", cpu " << cpu[e];
    }
  }
  EXPECT_EQ(bad, 0) << what;
}
#endif

#define GQ_SKIP_WITHOUT_GPU() \
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible"

TEST(E2eKernelsTest, InitIsBitIdenticalToHost) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  for (const int64_t n : {int64_t(1), int64_t(1000), int64_t(3000017)}) {
    ExpectSame(E2eInitBf16OnDevice(n, 11, 0.02f, 0.0f), Init(n, 11, 0.02f), "init");
    ExpectSame(E2eInitBf16OnDevice(n, 12, 0.1f, 1.0f), Init(n, 12, 0.1f, 1.0f), "init offset");
  }
  // Past 2^31 elements (4 GiB of bf16): the 64-bit grid-stride index.
  const int64_t n = (int64_t(1) << 31) + 4099, first = n - 8192;
  const std::vector<float> tail = E2eInitBf16OnDevice(n, 13, 0.5f, -0.25f, first);
  ASSERT_EQ(tail.size(), 8192u);
  for (int64_t i = 0; i < 8192; ++i) {
    ASSERT_EQ(tail[i], E2eInitValue(13, uint64_t(first + i), 0.5f, -0.25f)) << first + i;
  }
#endif
}

TEST(E2eKernelsTest, PromptMatchesHostAndLeavesOtherPositions) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  const int batch = 5, max_seq = 33, len = 17, vocab = 32000;
  std::vector<int> cpu(batch * max_seq, -1);
  FillPromptCpu(cpu.data(), batch, max_seq, len, vocab, 21);
  EXPECT_EQ(
      E2eFillPromptOnDevice(std::vector<int>(batch * max_seq, -1), batch, max_seq, len, vocab, 21),
      cpu);
#endif
}

TEST(E2eKernelsTest, EmbedMatchesHostForPrefillAndDecode) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  const int batch = 4, max_seq = 300, vocab = 1000;
  std::vector<int> tokens(batch * max_seq, 0);
  FillPromptCpu(tokens.data(), batch, max_seq, 260, vocab, 22);
  const std::vector<int> pos = {17, 299, 0, 140};
  for (const int hidden : {4096, 100, 7}) {  // 16-byte packs, then single elements
    const std::vector<float> table = Init(int64_t(vocab) * hidden, 23, 0.5f);
    const E2eRows prefill = {1, 3, 250, nullptr};  // 750 rows
    std::vector<float> cpu(prefill.tokens() * hidden);
    EmbedCpu(table.data(), hidden, tokens.data(), max_seq, prefill, cpu.data());
    ExpectSame(E2eEmbedOnDevice(table, hidden, tokens, max_seq, prefill, {}), cpu, "prefill");
    E2eRows decode = {0, 4, 1, pos.data()};
    cpu.assign(4 * hidden, 0);
    EmbedCpu(table.data(), hidden, tokens.data(), max_seq, decode, cpu.data());
    ExpectSame(E2eEmbedOnDevice(table, hidden, tokens, max_seq, decode, pos), cpu, "decode");
  }
#endif
}

TEST(E2eKernelsTest, AddRmsNormMatchesHost) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  struct Case {
    int64_t T;
    int hidden;
    bool delta;
  };
  for (const Case& c : {Case{1000, 4096, true}, Case{3, 16384, false}, Case{2, 16392, true},
                        Case{7, 100, true}, Case{5, 33, false}, Case{1, 8, true}}) {
    const int64_t n = c.T * c.hidden;
    const std::vector<float> x = Init(n, 31, 2.0f), gamma = Init(c.hidden, 32, 0.2f, 1.0f);
    const std::vector<float> delta = c.delta ? Init(n, 33, 1.0f) : std::vector<float>();
    const E2eNormResult gpu = E2eAddRmsNormOnDevice(x, delta, gamma, c.T, c.hidden, 1e-5f);
    // The host sum in fp32, rounded as the kernel stores it: exact.
    std::vector<float> cpu_x = x, unused(n);
    AddRmsNormCpu(cpu_x.data(), c.delta ? delta.data() : nullptr, gamma.data(), c.T, c.hidden,
                  1e-5f, unused.data());
    cpu_x = Bf16(cpu_x);
    ExpectSame(gpu.x, cpu_x, "x");
    // The norm of the stored (rounded) x, as the kernel computes it.
    std::vector<float> cpu_h(n), rounded = cpu_x;
    AddRmsNormCpu(rounded.data(), nullptr, gamma.data(), c.T, c.hidden, 1e-5f, cpu_h.data());
    ExpectClose(gpu.h, cpu_h, "h");
  }
#endif
}

struct RopeCase {
  int batch;
  E2eRows rows;  // rows.pos unused: decode cases take `pos`
  std::vector<int> pos;
  E2eAttnShape shape;
  bool bias, dense;
};

#if GQ_WITH_CUDA
void ExpectRopeMatches(const RopeCase& c, float theta) {
  E2eRows rows = c.rows;
  rows.pos = c.pos.empty() ? nullptr : c.pos.data();
  const E2eAttnShape& s = c.shape;
  const int64_t T = rows.tokens(), width = int64_t(s.heads + 2 * s.kv_heads) * s.head_dim;
  const int64_t cache = int64_t(c.batch) * s.max_seq * s.kv_heads * s.head_dim;
  const std::vector<float> qkv = Init(T * width, 41, 2.0f);
  const std::vector<float> bias = c.bias ? Init(width, 42, 0.5f) : std::vector<float>();
  const std::vector<float> k0 = Init(cache, 43), v0 = Init(cache, 44);
  const E2eRopeResult gpu =
      E2eRopeStoreOnDevice(qkv, bias, c.rows, c.pos, s, theta, k0, v0, c.dense);
  std::vector<float> q(T * s.heads * s.head_dim), k_cache = k0, v_cache = v0;
  std::vector<float> k_out(T * s.kv_heads * s.head_dim), v_out(k_out.size());
  RopeStoreCpu(qkv.data(), c.bias ? bias.data() : nullptr, rows, s, theta, q.data(), k_cache.data(),
               v_cache.data(), k_out.data(), v_out.data());
  ExpectClose(gpu.q, q, "q");
  ExpectClose(gpu.k_cache, k_cache, "k_cache");
  // v is qkv + bias in fp32 on both sides, then one bf16 rounding: exact; so are the untouched
  // cache rows (k0, v0 are bf16).
  ExpectSame(gpu.v_cache, Bf16(v_cache), "v_cache");
  // Rows the step must not write keep their bytes: the host run into NaN caches marks them.
  std::vector<float> k_mark(cache, std::numeric_limits<float>::quiet_NaN()), v_mark = k_mark;
  RopeStoreCpu(qkv.data(), c.bias ? bias.data() : nullptr, rows, s, theta, q.data(), k_mark.data(),
               v_mark.data(), nullptr, nullptr);
  for (int64_t e = 0; e < cache; ++e) {
    if (std::isnan(k_mark[e])) {
      ASSERT_EQ(gpu.k_cache[e], k0[e]) << e;
    }
  }
  if (c.dense) {
    ExpectClose(gpu.k_out, k_out, "k_out");
    ExpectSame(gpu.v_out, Bf16(v_out), "v_out");
  } else {
    EXPECT_TRUE(gpu.k_out.empty() && gpu.v_out.empty());
  }
}
#endif

TEST(E2eKernelsTest, RopeStoreMatchesHost) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  const std::vector<RopeCase> cases = {
      // Prefill of sequences 1 .. 4, 250 rows each (1000 rows), Llama-8B-like heads.
      {5, {1, 4, 250, nullptr}, {}, {32, 8, 128, 256}, true, true},
      {2, {0, 2, 33, nullptr}, {}, {4, 2, 64, 40}, false, false},
      // Decode rows at scattered positions, up to 99999 (large angles), with and without bias.
      {4, {0, 4, 1, nullptr}, {99999, 0, 4097, 77777}, {2, 1, 64, 100000}, true, true},
      {6, {2, 3, 1, nullptr}, {-1, -1, 5, 0, 63, 1}, {8, 8, 256, 64}, false, true},
      {1, {0, 1, 3, nullptr}, {}, {1, 1, 2, 3}, true, true},  // head_dim 2
  };
  for (const RopeCase& c : cases) ExpectRopeMatches(c, 10000.0f);
  ExpectRopeMatches(cases[2], 500000.0f);  // Llama 3's theta
#endif
}

TEST(E2eKernelsTest, SiluMulMatchesHost) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  for (const auto& [T, ffn] : {std::pair<int64_t, int>{1000, 3584}, {1, 14336}, {9, 100}, {4, 5}}) {
    const std::vector<float> gate_up = Init(T * 2 * ffn, 51, 8.0f);  // silu over [-8, 8)
    std::vector<float> cpu(T * ffn);
    SiluMulCpu(gate_up.data(), T, ffn, cpu.data());
    ExpectClose(E2eSiluMulOnDevice(gate_up, T, ffn), cpu, "silu_mul");
  }
#endif
}

TEST(E2eKernelsTest, SelectLastRowsMatchesHost) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  for (const auto& [rows, hidden] : {std::pair<E2eRows, int>{{0, 5, 200, nullptr}, 4096},
                                     {{3, 4, 7, nullptr}, 36},
                                     {{0, 1000, 1, nullptr}, 4096}}) {
    const std::vector<float> h = Init(rows.tokens() * hidden, 61);
    std::vector<float> cpu(int64_t(rows.seqs) * hidden);
    SelectLastRowsCpu(h.data(), rows, hidden, cpu.data());
    ExpectSame(E2eSelectLastRowsOnDevice(h, rows, hidden), cpu, "last rows");
  }
#endif
}

TEST(E2eKernelsTest, ArgmaxMatchesHostWithTiesAndNan) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // bf16-valued logits: many values repeat, so the maximum is often tied.
  for (const auto& [rows, vocab] :
       {std::pair<int, int>{6, 128256}, {5, 32001}, {1, 1 << 24}, {3, 1}, {300, 1000}}) {
    std::vector<float> logits = Init(int64_t(rows) * vocab, 71, 4.0f);
    if (rows >= 3 && vocab >= 8) {
      for (int c = 0; c < vocab; ++c) logits[c] = nan;         // row 0: all NaN
      logits[vocab + 5] = logits[vocab + vocab - 1] = 100.0f;  // row 1: planted tie
      logits[2 * vocab] = nan;                                 // row 2: NaN first
      logits[2 * vocab + vocab - 1] = 50.0f;                   //        max last
    }
    std::vector<E2eArgmax> cpu(rows);
    ArgmaxRowsCpu(logits.data(), rows, vocab, 7 * vocab, cpu.data());
    const std::vector<E2eArgmax> gpu = E2eArgmaxRowsOnDevice(logits, rows, vocab, 7 * vocab);
    ASSERT_EQ(gpu.size(), cpu.size());
    for (int r = 0; r < rows; ++r) {
      EXPECT_EQ(gpu[r].value, cpu[r].value) << vocab << " row " << r;
      EXPECT_EQ(gpu[r].index, cpu[r].index) << vocab << " row " << r;
    }
  }
#endif
}

TEST(E2eKernelsTest, FinishSampleMatchesHostForPrefillAndDecode) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  const int batch = 3000, max_seq = 64, ranks = 4, seqs = 2990, first = 7;
  std::vector<E2eArgmax> gathered(ranks * seqs);
  for (int r = 0; r < ranks; ++r) {
    for (int s = 0; s < seqs; ++s) {
      // Few distinct values (ties across ranks), some NaN.
      const int k = (s * 7 + r * 3) % 11;
      gathered[r * seqs + s] = {k == 10 ? std::numeric_limits<float>::quiet_NaN() : float(k % 4),
                                r * 1000 + (s * 13 + r) % 1000};
    }
  }
  const std::vector<int> tokens(batch * max_seq, -1), kv_len(batch, -3);
  std::vector<int> pos(batch);
  for (int b = 0; b < batch; ++b) pos[b] = (b * 37) % max_seq;  // some at max_seq - 1
  for (const bool decode : {false, true}) {
    const E2eRows rows = {first, seqs, decode ? 1 : 20, nullptr};
    std::vector<int> cpu_tokens = tokens, cpu_pos = pos, cpu_kv_len = kv_len;
    E2eRows cpu_rows = rows;
    cpu_rows.pos = decode ? cpu_pos.data() : nullptr;  // aliases pos, as the device run does
    FinishSampleCpu(gathered.data(), ranks, cpu_rows, cpu_tokens.data(), max_seq, cpu_pos.data(),
                    cpu_kv_len.data());
    const E2eSampleResult gpu =
        E2eFinishSampleOnDevice(gathered, ranks, rows, tokens, max_seq, pos, kv_len, decode);
    EXPECT_EQ(gpu.tokens, cpu_tokens) << decode;
    EXPECT_EQ(gpu.pos, cpu_pos) << decode;
    EXPECT_EQ(gpu.kv_len, cpu_kv_len) << decode;
  }
#endif
}

TEST(E2eKernelsTest, AllLaunchersCaptureIntoACudaGraph) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  EXPECT_EQ(E2eGraphCaptureMismatch(), "");
#endif
}

TEST(E2eKernelsTest, LaunchersRejectBadSizes) {
  GQ_SKIP_WITHOUT_GPU();
#if GQ_WITH_CUDA
  EXPECT_THROW(E2eSiluMulOnDevice({}, 0, 8), std::invalid_argument);
  EXPECT_THROW(E2eAddRmsNormOnDevice({}, {}, {}, 0, 16, 1e-5f), std::invalid_argument);
  EXPECT_THROW(E2eInitBf16OnDevice(0, 1, 1, 0), std::invalid_argument);
  const E2eRows one = {0, 1, 1, nullptr};
  for (const int head_dim : {3, 258}) {  // odd, then wider than 256
    const int width = 3 * head_dim;
    EXPECT_THROW(
        E2eRopeStoreOnDevice(std::vector<float>(width), {}, one, {}, {1, 1, head_dim, 1}, 10000.0f,
                             std::vector<float>(head_dim), std::vector<float>(head_dim), false),
        std::invalid_argument)
        << head_dim;
  }
  EXPECT_THROW(E2eArgmaxRowsOnDevice({1.0f}, 1, 0, 0), std::invalid_argument);
#endif
}

}  // namespace
}  // namespace gq
