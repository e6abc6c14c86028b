// RoPE + bias + KV-cache store kernel of the e2e workload (launcher declared in e2e_kernels.cuh,
// host twin RopeStoreCpu in e2e_cpu_ops.h).
//
// Shapes: qkv [T, (H + 2 Hkv) D] (per row: H q heads, Hkv k heads, Hkv v heads), bias
// [(H + 2 Hkv) D] or null, q [T, H, D], caches [batch, max_seq, Hkv, D], k_out / v_out
// [T, Hkv, D] or null.
//
//   rope_store_kernel   block t = token row t at (b, p). First the block fills shared cos / sin
//                       tables for i < D / 2: angle = p * f_i in fp32 (f_i from
//                       E2eRopeInvFreq on the host, passed by value, so the frequencies are the
//                       host's), sincosf (full-range accurate, not __sincosf). Then thread j
//                       takes pairs j, j + blockDim.x, ... of the row's (H + 2 Hkv) D / 2 pairs:
//                       pair j is head = j / (D/2), i = j % (D/2), elements lo = head D + i and
//                       hi = lo + D/2; x = qkv + bias in fp32; q and k heads are rotated,
//                         lo' = x_lo c_i - x_hi s_i,   hi' = x_hi c_i + x_lo s_i,
//                       v heads are not. q head h goes to q[t, h]; kv head g (k: head - H,
//                       v: head - H - Hkv) to cache element ((b max_seq + p) Hkv + g) D + i
//                       (skipped when p is outside [0, max_seq)) and to k_out / v_out[t, g].
//                       Consecutive threads touch consecutive i: each warp access is two
//                       contiguous runs of bf16.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <climits>
#include <cstdint>

#include "harness/gpu/cuda_check.h"
#include "workloads/e2e/cuda/e2e_kernel_util.cuh"
#include "workloads/e2e/cuda/e2e_kernels.cuh"
#include "workloads/e2e/model/e2e_model.h"  // E2eRopeInvFreq
#include "workloads/e2e/model/e2e_rows.h"   // E2eRowSeq, E2eRowPos

namespace gq {
namespace {

using e2e_internal::E2eRequire;
using e2e_internal::RowThreads;

constexpr int kMaxHeadDim = 256;
constexpr int kRopeMaxThreads = 256;

// The rotary frequencies f_i, i < D / 2, as a kernel argument (512 bytes at most).
struct RopeFreqs {
  float f[kMaxHeadDim / 2];
};

__global__ void rope_store_kernel(const __nv_bfloat16* __restrict__ qkv,
                                  const __nv_bfloat16* __restrict__ bias, E2eRows rows,
                                  E2eAttnShape s, RopeFreqs freqs, __nv_bfloat16* __restrict__ q,
                                  __nv_bfloat16* __restrict__ k_cache,
                                  __nv_bfloat16* __restrict__ v_cache,
                                  __nv_bfloat16* __restrict__ k_out,
                                  __nv_bfloat16* __restrict__ v_out) {
  __shared__ float cos_table[kMaxHeadDim / 2];
  __shared__ float sin_table[kMaxHeadDim / 2];
  const int64_t t = blockIdx.x;
  const int b = E2eRowSeq(rows, t), p = E2eRowPos(rows, t);
  const int D = s.head_dim, half = D / 2, H = s.heads, G = s.kv_heads;
  for (int i = threadIdx.x; i < half; i += blockDim.x) {
    sincosf(static_cast<float>(p) * freqs.f[i], &sin_table[i], &cos_table[i]);
  }
  __syncthreads();
  const bool to_cache = p >= 0 && p < s.max_seq;
  const int pairs = (H + 2 * G) * half;
  const __nv_bfloat16* in = qkv + t * (H + 2 * G) * D;
  for (int j = threadIdx.x; j < pairs; j += blockDim.x) {
    const int head = j / half, i = j % half;
    const int lo_at = head * D + i, hi_at = lo_at + half;
    float lo = __bfloat162float(in[lo_at]), hi = __bfloat162float(in[hi_at]);
    if (bias != nullptr) {
      lo += __bfloat162float(bias[lo_at]);
      hi += __bfloat162float(bias[hi_at]);
    }
    if (head < H + G) {
      const float c = cos_table[i], sn = sin_table[i];
      const float rotated_lo = lo * c - hi * sn;
      hi = hi * c + lo * sn;
      lo = rotated_lo;
    }
    const __nv_bfloat16 out_lo = __float2bfloat16_rn(lo), out_hi = __float2bfloat16_rn(hi);
    if (head < H) {
      __nv_bfloat16* dst = q + (t * H + head) * D;
      dst[i] = out_lo;
      dst[i + half] = out_hi;
      continue;
    }
    const bool is_k = head < H + G;
    const int g = is_k ? head - H : head - H - G;
    __nv_bfloat16* cache = is_k ? k_cache : v_cache;
    __nv_bfloat16* dense = is_k ? k_out : v_out;
    if (to_cache) {
      __nv_bfloat16* dst = cache + ((static_cast<int64_t>(b) * s.max_seq + p) * G + g) * D;
      dst[i] = out_lo;
      dst[i + half] = out_hi;
    }
    if (dense != nullptr) {
      __nv_bfloat16* dst = dense + (t * G + g) * D;
      dst[i] = out_lo;
      dst[i + half] = out_hi;
    }
  }
}

}  // namespace

void LaunchRopeStore(const __nv_bfloat16* qkv, const __nv_bfloat16* bias, const E2eRows& rows,
                     const E2eAttnShape& s, float theta, __nv_bfloat16* q, __nv_bfloat16* k_cache,
                     __nv_bfloat16* v_cache, __nv_bfloat16* k_out, __nv_bfloat16* v_out,
                     cudaStream_t stream) {
  const char* op = "LaunchRopeStore";
  E2eRequire(qkv != nullptr && q != nullptr && k_cache != nullptr && v_cache != nullptr, op,
             "null pointer");
  E2eRequire(s.heads > 0 && s.kv_heads > 0 && s.max_seq > 0, op,
             "needs heads, kv_heads and max_seq > 0");
  E2eRequire(s.head_dim > 0 && s.head_dim % 2 == 0 && s.head_dim <= kMaxHeadDim, op,
             "needs an even head_dim in [2, 256]");
  E2eRequire(theta > 0, op, "needs theta > 0");
  E2eRequire(rows.seqs > 0 && rows.len > 0 && rows.first_seq >= 0, op,
             "rows need seqs > 0, len > 0 and first_seq >= 0");
  E2eRequire(rows.tokens() <= INT_MAX, op, "more than 2^31 - 1 rows");
  E2eRequire(int64_t(s.heads + 2 * s.kv_heads) * s.head_dim <= INT_MAX, op, "rows too wide");
  RopeFreqs freqs{};
  for (int i = 0; i < s.head_dim / 2; ++i) freqs.f[i] = E2eRopeInvFreq(theta, s.head_dim, i);
  const int pairs = (s.heads + 2 * s.kv_heads) * (s.head_dim / 2);
  rope_store_kernel<<<static_cast<unsigned>(rows.tokens()), RowThreads(pairs, kRopeMaxThreads), 0,
                      stream>>>(qkv, bias, rows, s, freqs, q, k_cache, v_cache, k_out, v_out);
  GQ_CUDA_CHECK(cudaGetLastError());
}

}  // namespace gq
