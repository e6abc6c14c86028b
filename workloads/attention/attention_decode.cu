// Split-KV decode attention ("Flash-Decoding", Dao, Haziza, Massa, Sizov 2023): the key range of
// every sequence is cut into `splits` chunks processed by different blocks, each producing a
// partial output and its log-sum-exp, and a second kernel combines them:
//   O_i = sum_s 2^(lse_s - M) O_s / sum_s 2^(lse_s - M),  M = max_s lse_s
// Contract and layouts in attention_decode.cuh. Decode reads the whole KV cache for a few query
// rows, so it is memory-bound: CUDA cores, 16-byte cp.async loads, no tensor cores.
//
// flash_decode_split_kernel: grid (splits, Hkv * row_groups, B), 128 threads. The G = H / Hkv
// query heads sharing kv head g and the Sq query positions form G * Sq rows r = (h - g G) Sq + i,
// taken 16 per block (row group), so a K/V tile read once serves every head of the group.
// Per tile of 64 keys of the block's chunk [s * chunk, min(s * chunk + chunk, len_b)):
//   K, V tile -> smem (cp.async, rows past the chunk zero-filled)
//   S[r][t] = q_r . k_t * log2(e) / sqrt(D)        thread (t = tid % 64, rows tid / 64 + 2k)
//   masked keys (past the chunk; causal: t > i + len_b - Sq) -> -inf
//   online softmax per row (warp w owns rows w + 4k): m, l, P = 2^(S - m), alpha = 2^(m_old - m)
//   O[r][c, c + 1] = O * alpha + sum_t P[r][t] V[t][c, c + 1]    (thread: 2 columns, D/16 rows)
// Output: O_s = O / l and lse_s = m + log2(l) (base 2; -inf and O_s = 0 for an empty chunk) into
// the workspace: o_part [B * H * Sq][splits][D] floats, then lse [B * H * Sq][splits].
// The combine kernel is in attention_decode_combine.cu.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "harness/gpu/cuda_check.h"
#include "workloads/attention/attention_decode.cuh"
#include "workloads/attention/attention_decode_params.cuh"
#include "workloads/attention/attention_mma.cuh"

namespace gq {
namespace {

using namespace attention_mma;
using attention_decode::DecodeParams;
using attention_decode::kDecodeThreads;

constexpr int kThreads = kDecodeThreads;
constexpr int kRows = 16;  // query rows per block
constexpr int kKeys = 64;  // keys per tile
constexpr int kMinKeysPerSplit = 256;
constexpr int kMaxSplits = 64;

template <int kHeadDim>
struct DecodeSmem {
  static constexpr int kPitch = kHeadDim + 8;  // K/V rows, T elements (odd 16-byte multiple)
  static constexpr size_t kKvBytes = size_t(kKeys) * kPitch * 2;
  static constexpr size_t kQOffset = 2 * kKvBytes;
  static constexpr size_t kSOffset = kQOffset + size_t(kRows) * kHeadDim * 4;
  static constexpr size_t kAlphaOffset = kSOffset + size_t(kRows) * kKeys * 4;
  static constexpr size_t kBytes = kAlphaOffset + 3 * kRows * 4;  // alpha, m, l
  static constexpr int kColThreads = kHeadDim / 2;  // PV: threads per row (2 columns each)
  static constexpr int kRowGroups = kThreads / kColThreads;
  static constexpr int kPvRows = kRows / kRowGroups;  // PV rows per thread
  static_assert(kThreads % kColThreads == 0 && kRows % kRowGroups == 0, "PV thread mapping");
};

template <typename T, int kHeadDim>
__global__ void __launch_bounds__(kThreads) flash_decode_split_kernel(const DecodeParams p) {
  using Smem = DecodeSmem<kHeadDim>;
  constexpr int kPitch = Smem::kPitch;
  extern __shared__ __align__(16) unsigned char smem[];
  T* k_s = reinterpret_cast<T*>(smem);
  T* v_s = reinterpret_cast<T*>(smem + Smem::kKvBytes);
  float* q_s = reinterpret_cast<float*>(smem + Smem::kQOffset);  // [kRows][kHeadDim]
  float* s_s = reinterpret_cast<float*>(smem + Smem::kSOffset);  // [kRows][kKeys]
  float* alpha_s = reinterpret_cast<float*>(smem + Smem::kAlphaOffset);
  float* m_s = alpha_s + kRows;
  float* l_s = m_s + kRows;

  const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
  const int split = blockIdx.x;
  const int g = blockIdx.y / p.row_groups;
  const int row0 = (blockIdx.y % p.row_groups) * kRows;  // first row of the group handled here
  const int b = blockIdx.z;
  const int rows = min(kRows, p.group * p.seq_q - row0);  // valid rows of this block
  const int len = p.kv_lens == nullptr ? p.seq_kv : min(max(p.kv_lens[b], 0), p.seq_kv);
  const int key_begin = split * p.chunk;
  const int key_end = min(key_begin + p.chunk, len);
  const int diag = len - p.seq_q;

  // Q rows (scaled by log2(e) / sqrt(D)) as floats; rows past the group are 0.
  constexpr int kQChunks = kRows * kHeadDim / 8;
  for (int c = tid; c < kQChunks; c += kThreads) {
    const int r = c / (kHeadDim / 8), d = (c % (kHeadDim / 8)) * 8;
    float x[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    if (r < rows) {
      const int row = row0 + r, h = g * p.group + row / p.seq_q, i = row % p.seq_q;
      const T* src =
          static_cast<const T*>(p.q) + ((int64_t(b) * p.seq_q + i) * p.heads + h) * kHeadDim + d;
      const uint4 raw = *reinterpret_cast<const uint4*>(src);
      const uint32_t words[4] = {raw.x, raw.y, raw.z, raw.w};
#pragma unroll
      for (int w = 0; w < 4; ++w) {
        const float2 f = UnpackFloat2<T>(words[w]);
        x[2 * w] = f.x * p.scale_log2;
        x[2 * w + 1] = f.y * p.scale_log2;
      }
    }
#pragma unroll
    for (int e = 0; e < 8; ++e) q_s[r * kHeadDim + d + e] = x[e];
  }

  const int64_t kv_row_stride = int64_t(p.kv_heads) * kHeadDim;
  const T* k_base =
      static_cast<const T*>(p.k) + int64_t(b) * p.seq_kv * kv_row_stride + int64_t(g) * kHeadDim;
  const T* v_base =
      static_cast<const T*>(p.v) + int64_t(b) * p.seq_kv * kv_row_stride + int64_t(g) * kHeadDim;

  float m_run[kRows / 4], l_run[kRows / 4];  // softmax state of rows warp + 4k (warp-uniform)
#pragma unroll
  for (int k = 0; k < kRows / 4; ++k) {
    m_run[k] = -INFINITY;
    l_run[k] = 0.f;
  }
  float acc[Smem::kPvRows][2];
#pragma unroll
  for (int k = 0; k < Smem::kPvRows; ++k) acc[k][0] = acc[k][1] = 0.f;
  const int pv_col = (tid % Smem::kColThreads) * 2;
  const int pv_row = tid / Smem::kColThreads;

  for (int t0 = key_begin; t0 < key_end; t0 += kKeys) {
    __syncthreads();  // the previous tile's K, V and P are no longer read
    constexpr int kKvChunks = kKeys * kHeadDim / 8;
    for (int c = tid; c < kKvChunks; c += kThreads) {
      const int t = c / (kHeadDim / 8), d = (c % (kHeadDim / 8)) * 8;
      const bool valid = t0 + t < key_end;
      const int64_t at = valid ? (t0 + t) * kv_row_stride + d : 0;
      CpAsync16(SmemAddress(k_s + t * kPitch + d), k_base + at, valid);
      CpAsync16(SmemAddress(v_s + t * kPitch + d), v_base + at, valid);
    }
    CpAsyncCommit();
    CpAsyncWait<0>();
    __syncthreads();

    {  // Scores: key t, rows tid / 64 + 2k (the row test is warp-uniform).
      const int t = tid % kKeys, r_first = tid / kKeys;
      float s[kRows / 2];
#pragma unroll
      for (int k = 0; k < kRows / 2; ++k) s[k] = 0.f;
#pragma unroll 4
      for (int d = 0; d < kHeadDim; d += 8) {
        const uint4 raw = *reinterpret_cast<const uint4*>(k_s + t * kPitch + d);
        const float2 k01 = UnpackFloat2<T>(raw.x), k23 = UnpackFloat2<T>(raw.y);
        const float2 k45 = UnpackFloat2<T>(raw.z), k67 = UnpackFloat2<T>(raw.w);
#pragma unroll
        for (int k = 0; k < kRows / 2; ++k) {
          const int r = r_first + 2 * k;
          if (r < rows) {
            const float4 qa = *reinterpret_cast<const float4*>(q_s + r * kHeadDim + d);
            const float4 qb = *reinterpret_cast<const float4*>(q_s + r * kHeadDim + d + 4);
            s[k] += qa.x * k01.x + qa.y * k01.y + qa.z * k23.x + qa.w * k23.y + qb.x * k45.x +
                    qb.y * k45.y + qb.z * k67.x + qb.w * k67.y;
          }
        }
      }
      const int key = t0 + t;
#pragma unroll
      for (int k = 0; k < kRows / 2; ++k) {
        const int r = r_first + 2 * k;
        const int i = (row0 + r) % p.seq_q;
        const bool visible = key < key_end && (!p.causal || key <= i + diag);
        s_s[r * kKeys + t] = visible ? s[k] : -INFINITY;
      }
    }
    __syncthreads();

    // Online softmax: warp w owns rows w + 4k; lanes hold keys lane and lane + 32.
#pragma unroll
    for (int k = 0; k < kRows / 4; ++k) {
      const int r = warp + 4 * k;
      if (r >= rows) continue;
      const float x0 = s_s[r * kKeys + lane], x1 = s_s[r * kKeys + lane + 32];
      float mx = fmaxf(x0, x1);
#pragma unroll
      for (int off = 16; off > 0; off /= 2) mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, off));
      const float m_new = fmaxf(m_run[k], mx);
      const float m_use = m_new == -INFINITY ? 0.f : m_new;  // all masked so far: keep P = 0
      const float p0 = Exp2(x0 - m_use), p1 = Exp2(x1 - m_use);
      float sum = p0 + p1;
#pragma unroll
      for (int off = 16; off > 0; off /= 2) sum += __shfl_xor_sync(0xffffffffu, sum, off);
      const float alpha = Exp2(m_run[k] - m_use);
      l_run[k] = l_run[k] * alpha + sum;
      m_run[k] = m_new;
      s_s[r * kKeys + lane] = p0;
      s_s[r * kKeys + lane + 32] = p1;
      if (lane == 0) alpha_s[r] = alpha;
    }
    __syncthreads();

    // O = O * alpha + P V for this thread's 2 columns and rows pv_row + kRowGroups k.
#pragma unroll
    for (int k = 0; k < Smem::kPvRows; ++k) {
      const int r = pv_row + Smem::kRowGroups * k;
      if (r < rows) {
        acc[k][0] *= alpha_s[r];
        acc[k][1] *= alpha_s[r];
      }
    }
#pragma unroll 8
    for (int t = 0; t < kKeys; ++t) {
      const float2 v2 =
          UnpackFloat2<T>(*reinterpret_cast<const uint32_t*>(v_s + t * kPitch + pv_col));
#pragma unroll
      for (int k = 0; k < Smem::kPvRows; ++k) {
        const int r = pv_row + Smem::kRowGroups * k;
        if (r < rows) {
          const float pr = s_s[r * kKeys + t];
          acc[k][0] = fmaf(pr, v2.x, acc[k][0]);
          acc[k][1] = fmaf(pr, v2.y, acc[k][1]);
        }
      }
    }
  }

  // Hand each row's m and l to the PV threads, then write O_s = O / l and lse_s.
  if (lane == 0) {
#pragma unroll
    for (int k = 0; k < kRows / 4; ++k) {
      m_s[warp + 4 * k] = m_run[k];
      l_s[warp + 4 * k] = l_run[k];
    }
  }
  __syncthreads();
#pragma unroll
  for (int k = 0; k < Smem::kPvRows; ++k) {
    const int r = pv_row + Smem::kRowGroups * k;
    if (r >= rows) continue;
    const int row = row0 + r, h = g * p.group + row / p.seq_q, i = row % p.seq_q;
    const int64_t out_row = (int64_t(b) * p.heads + h) * p.seq_q + i;  // (b, h, i)
    const float l = l_s[r];
    const float inv = l > 0.f ? 1.f / l : 0.f;
    float* dst = p.o_part + (out_row * p.splits + split) * kHeadDim + pv_col;
    *reinterpret_cast<float2*>(dst) = make_float2(acc[k][0] * inv, acc[k][1] * inv);
    if (pv_col == 0) p.lse[out_row * p.splits + split] = l > 0.f ? m_s[r] + __log2f(l) : -INFINITY;
  }
}

template <typename F>
void DispatchDecode(Dtype dtype, int64_t head_dim, F&& f) {
  auto by_dim = [&]<typename T>() {
    switch (head_dim) {
      case 64:
        return f.template operator()<T, 64>();
      case 128:
        return f.template operator()<T, 128>();
      case 256:
        return f.template operator()<T, 256>();
      default:
        throw std::invalid_argument("flash decode: unsupported head_dim " +
                                    std::to_string(head_dim) + " (supported: 64, 128, 256)");
    }
  };
  if (dtype == Dtype::kBf16) return by_dim.template operator()<__nv_bfloat16>();
  return by_dim.template operator()<__half>();
}

int RowGroups(int heads, int kv_heads, int seq_q) {
  return ((heads / kv_heads) * seq_q + kRows - 1) / kRows;
}

}  // namespace

bool FlashDecodeSupportsHeadDim(int64_t head_dim) {
  return head_dim == 64 || head_dim == 128 || head_dim == 256;
}

int FlashDecodeSplits(int batch, int heads, int kv_heads, int seq_q, int seq_kv, int sm_count) {
  const int64_t blocks = int64_t(batch) * kv_heads * RowGroups(heads, kv_heads, seq_q);
  const int64_t want = (2 * int64_t(sm_count) + blocks - 1) / blocks;
  const int64_t most = std::max<int64_t>(1, (seq_kv + kMinKeysPerSplit - 1) / kMinKeysPerSplit);
  return static_cast<int>(std::clamp<int64_t>(want, 1, std::min<int64_t>(most, kMaxSplits)));
}

size_t FlashDecodeWorkspaceBytes(int batch, int heads, int seq_q, int head_dim, int splits) {
  const size_t rows = size_t(batch) * heads * seq_q * splits;
  return rows * (size_t(head_dim) + 1) * sizeof(float);
}

size_t FlashDecodeSmemBytes(Dtype dtype, int64_t head_dim) {
  size_t bytes = 0;
  DispatchDecode(dtype, head_dim, [&]<typename T, int D>() { bytes = DecodeSmem<D>::kBytes; });
  return bytes;
}

void ConfigureFlashDecode(Dtype dtype, int64_t head_dim) {
  DispatchDecode(dtype, head_dim, [&]<typename T, int D>() {
    GQ_CUDA_CHECK(cudaFuncSetAttribute(flash_decode_split_kernel<T, D>,
                                       cudaFuncAttributeMaxDynamicSharedMemorySize,
                                       static_cast<int>(DecodeSmem<D>::kBytes)));
  });
}

void LaunchFlashDecode(const FlashDecodeArgs& a, cudaStream_t stream) {
  if (a.batch < 1 || a.heads < 1 || a.kv_heads < 1 || a.seq_q < 1 || a.seq_kv < 1 ||
      a.heads % a.kv_heads != 0 || a.splits < 1 || a.batch > 65535) {
    throw std::invalid_argument(
        "LaunchFlashDecode: bad sizes (need >= 1, kv_heads | heads, "
        "batch <= 65535)");
  }
  if (a.q == nullptr || a.k == nullptr || a.v == nullptr || a.o == nullptr ||
      a.workspace == nullptr) {
    throw std::invalid_argument("LaunchFlashDecode: null tensor or workspace");
  }
  const int row_groups = RowGroups(a.heads, a.kv_heads, a.seq_q);
  if (int64_t(a.kv_heads) * row_groups > 65535) {
    throw std::invalid_argument("LaunchFlashDecode: kv_heads x row groups > 65535");
  }
  // Chunks are whole tiles; the number of splits that are not empty for seq_kv.
  const int per_split = (a.seq_kv + a.splits - 1) / a.splits;
  const int chunk = (per_split + kKeys - 1) / kKeys * kKeys;
  const int splits = (a.seq_kv + chunk - 1) / chunk;
  DispatchDecode(a.dtype, a.head_dim, [&]<typename T, int D>() {
    DecodeParams p;
    p.q = a.q;
    p.k = a.k;
    p.v = a.v;
    p.o = a.o;
    p.kv_lens = a.kv_lens;
    p.o_part = a.workspace;
    p.lse = a.workspace + size_t(a.batch) * a.heads * a.seq_q * splits * D;
    p.heads = a.heads;
    p.kv_heads = a.kv_heads;
    p.seq_q = a.seq_q;
    p.seq_kv = a.seq_kv;
    p.group = a.heads / a.kv_heads;
    p.row_groups = row_groups;
    p.chunk = chunk;
    p.splits = splits;
    p.scale_log2 = static_cast<float>(1.4426950408889634 / std::sqrt(double(D)));
    p.causal = a.causal ? 1 : 0;
    const dim3 grid(splits, a.kv_heads * row_groups, a.batch);
    flash_decode_split_kernel<T, D><<<grid, kThreads, DecodeSmem<D>::kBytes, stream>>>(p);
    GQ_CUDA_CHECK_LAUNCH();
    attention_decode::LaunchDecodeCombine(p, a.dtype, D, int64_t(a.batch) * a.heads * a.seq_q,
                                          stream);
  });
}

}  // namespace gq
