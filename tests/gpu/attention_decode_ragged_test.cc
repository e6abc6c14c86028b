// GPU test of the split-KV decode kernel (workloads/attention/attention_decode.cu) with a
// different key count per sequence (kv_lens, as the e2e decode step passes them): each sequence
// must attend exactly its first kv_lens[b] cache rows, not the whole cache and not another
// sequence's count. Checked against the float64 row reference (attention_reference.h) on every
// output row; the output is poisoned first so an unwritten row cannot pass. Skips itself when no
// CUDA device is visible.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/float16.h"
#include "workloads/attention/attention_reference.h"
#if GQ_WITH_CUDA
#include <cuda_runtime.h>

#include "workloads/attention/attention_decode.cuh"
#endif

namespace gq {
namespace {

#if GQ_WITH_CUDA
#define GQ_TEST_CUDA(call) ASSERT_EQ((call), cudaSuccess) << #call

// bf16 values of seeded uniform draws in [-1, 1): the host copy holds exactly what the GPU reads.
std::vector<uint16_t> RandomBf16(size_t n, uint32_t seed, std::vector<float>* values) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<uint16_t> bits(n);
  values->resize(n);
  for (size_t i = 0; i < n; ++i) {
    bits[i] = FloatToBf16Bits(u(rng));
    (*values)[i] = Bf16BitsToFloat(bits[i]);
  }
  return bits;
}

struct Ragged {
  int batch, heads, kv_heads, max_seq, head_dim;
  std::vector<int> kv_lens;  // one per sequence, each in [1, max_seq]
};

void ExpectRaggedDecodeMatches(const Ragged& r) {
  const int B = r.batch, H = r.heads, Hkv = r.kv_heads, S = r.max_seq, D = r.head_dim;
  const size_t q_n = size_t(B) * H * D, kv_n = size_t(B) * S * Hkv * D;
  std::vector<float> q, k, v;
  const std::vector<uint16_t> q_bits = RandomBf16(q_n, 1, &q), k_bits = RandomBf16(kv_n, 2, &k),
                              v_bits = RandomBf16(kv_n, 3, &v);
  int sms = 0;
  GQ_TEST_CUDA(cudaSetDevice(0));
  GQ_TEST_CUDA(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
  FlashDecodeArgs a;
  a.batch = B;
  a.heads = H;
  a.kv_heads = Hkv;
  a.seq_q = 1;
  a.seq_kv = S;
  a.head_dim = D;
  a.causal = false;
  a.dtype = Dtype::kBf16;
  a.splits = FlashDecodeSplits(B, H, Hkv, 1, S, sms);
  void *dq = nullptr, *dk = nullptr, *dv = nullptr, *dout = nullptr, *dws = nullptr, *dlens = nullptr;
  GQ_TEST_CUDA(cudaMalloc(&dq, q_n * 2));
  GQ_TEST_CUDA(cudaMalloc(&dk, kv_n * 2));
  GQ_TEST_CUDA(cudaMalloc(&dv, kv_n * 2));
  GQ_TEST_CUDA(cudaMalloc(&dout, q_n * 2));
  GQ_TEST_CUDA(cudaMalloc(&dws, FlashDecodeWorkspaceBytes(B, H, 1, D, a.splits)));
  GQ_TEST_CUDA(cudaMalloc(&dlens, sizeof(int) * B));
  GQ_TEST_CUDA(cudaMemcpy(dq, q_bits.data(), q_n * 2, cudaMemcpyHostToDevice));
  GQ_TEST_CUDA(cudaMemcpy(dk, k_bits.data(), kv_n * 2, cudaMemcpyHostToDevice));
  GQ_TEST_CUDA(cudaMemcpy(dv, v_bits.data(), kv_n * 2, cudaMemcpyHostToDevice));
  GQ_TEST_CUDA(cudaMemcpy(dlens, r.kv_lens.data(), sizeof(int) * B, cudaMemcpyHostToDevice));
  GQ_TEST_CUDA(cudaMemset(dout, 0xFF, q_n * 2));  // bf16 0xFFFF is a NaN: unwritten rows fail
  a.q = dq;
  a.k = dk;
  a.v = dv;
  a.o = dout;
  a.kv_lens = static_cast<const int*>(dlens);
  a.workspace = static_cast<float*>(dws);
  ConfigureFlashDecode(a.dtype, D);
  LaunchFlashDecode(a, nullptr);
  GQ_TEST_CUDA(cudaDeviceSynchronize());
  std::vector<uint16_t> out_bits(q_n);
  GQ_TEST_CUDA(cudaMemcpy(out_bits.data(), dout, q_n * 2, cudaMemcpyDeviceToHost));
  for (void* p : {dq, dk, dv, dout, dws, dlens}) cudaFree(p);

  // Reference per (b, h): keys and values of kv head h / (H / Hkv), rows [0, kv_lens[b]).
  const double scale = 1.0 / std::sqrt(double(D)), tolerance = AttentionTolerance(Dtype::kBf16);
  std::vector<double> ref(D), bound(D);
  std::vector<float> kh, vh;
  double worst = 0;
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < H; ++h) {
      const int g = h / (H / Hkv), len = r.kv_lens[size_t(b)];
      kh.assign(size_t(len) * D, 0);
      vh.assign(size_t(len) * D, 0);
      for (int j = 0; j < len; ++j) {
        for (int d = 0; d < D; ++d) {
          const size_t at = ((size_t(b) * S + j) * Hkv + g) * D + d;
          kh[size_t(j) * D + d] = k[at];
          vh[size_t(j) * D + d] = v[at];
        }
      }
      AttentionRowReference(q.data() + (size_t(b) * H + h) * D, kh.data(), vh.data(), len, D, scale,
                            ref.data(), bound.data());
      for (int d = 0; d < D; ++d) {
        const double o = Bf16BitsToFloat(out_bits[(size_t(b) * H + h) * D + d]);
        ASSERT_TRUE(std::isfinite(o)) << "b " << b << " h " << h << " d " << d << " not written";
        worst = std::max(worst, std::abs(o - ref[size_t(d)]) / std::max(bound[size_t(d)], 1e-30));
      }
    }
  }
  EXPECT_LE(worst, tolerance) << "worst normalised error over " << B << " sequences";
}

TEST(AttentionDecodeRaggedTest, EverySequenceAttendsItsOwnKeyCount) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  // Lengths of 1, of a tile and one more, across split boundaries, and the whole cache; half of
  // a long cache (a kernel that ignored kv_lens would attend all 4096 rows there).
  ExpectRaggedDecodeMatches({6, 8, 2, 1000, 128, {1, 64, 65, 300, 999, 1000}});
  ExpectRaggedDecodeMatches({3, 4, 4, 257, 64, {257, 2, 130}});
  ExpectRaggedDecodeMatches({2, 8, 1, 4096, 128, {4096, 2048}});
}
#else
TEST(AttentionDecodeRaggedTest, EverySequenceAttendsItsOwnKeyCount) { GTEST_SKIP() << "no CUDA backend"; }
#endif

}  // namespace
}  // namespace gq
