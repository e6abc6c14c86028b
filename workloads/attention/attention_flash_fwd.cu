// flash_attention_fwd_kernel: O = softmax(Q K^T / sqrt(D) + mask) V, the FlashAttention-2 forward
// pass (Dao 2023, "FlashAttention-2: Faster Attention with Better Parallelism and Work
// Partitioning", Algorithm 1) on mma.sync tensor cores. Contract in attention_flash_fwd.cuh.
//
// Shapes (BSHD, attention_problem.h): Q, O [B, Sq, H, D]; K, V [B, Skv, Hkv, D]; row strides
// H * D (Q, O) and Hkv * D (K, V) elements. Query head h reads kv head h / (H / Hkv).
//
// Grid (ceil(Sq / BM), H, B), 128 threads (4 warps). Block (m, h, b) owns query rows
// [m * BM, m * BM + BM) of head h in batch b; warp w owns the 16-row slabs s * 64 + w * 16
// (s < BM / 64), so each K/V fragment read from shared memory feeds BM / 64 mma row slabs.
// For each key tile [n * BN, n * BN + BN), n from the last needed tile down to 0:
//   S = Q K^T                      (fp32; A = Q from smem by ldmatrix, B = K rows by ldmatrix)
//   mask: key j >= Skv, or causal and j > i + (Skv - Sq), becomes -inf (bottom-right diagonal)
//   m_new = max(m, rowmax(S) * c), c = log2(e) / sqrt(D)   (online softmax in base 2)
//   P = exp2(S * c - m_new), l = l * exp2(m - m_new) + rowsum(P), O = O * exp2(m - m_new)
//   O += P V                       (P rounded to bf16/fp16 in registers: the S accumulator
//                                   fragment is the A fragment of P V; V by ldmatrix.trans)
// then O / l (0 for a row that attends no key), staged through the warp's own Q smem rows and
// written with 16-byte stores. The S x S score matrix never leaves registers.
// Shared memory: Q [BM][D + 8], K [BN][D + 8], V [BN][D + 8] (T elements; the 16-byte row pad
// makes the 8 rows of each ldmatrix phase hit distinct bank groups). K and V are single-buffered
// and their cp.async loads interleave with compute as in FlashAttention-2: the V tile loads while
// S and the softmax are computed, the next K tile while P V is computed.
// Causal blocks are scheduled longest first (m reversed) so the short ones fill the tail.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "harness/gpu/cuda_check.h"
#include "workloads/attention/attention_flash_fwd.cuh"
#include "workloads/attention/attention_flash_tile.cuh"
#include "workloads/attention/attention_mma.cuh"

namespace gq {
namespace {

using namespace attention_mma;
using namespace attention_flash;

template <typename T, int kHeadDim, int kBlockM, int kBlockN>
__global__ void __launch_bounds__(kThreads) flash_attention_fwd_kernel(const FlashFwdParams p) {
  using Tile = FlashTile<kHeadDim, kBlockM, kBlockN>;
  constexpr int kPitch = Tile::kPitch;
  constexpr int kSlabs = Tile::kSlabs;
  extern __shared__ __align__(16) unsigned char smem_bytes[];
  T* sq = reinterpret_cast<T*>(smem_bytes);
  T* sk = sq + kBlockM * kPitch;
  T* sv = sk + kBlockN * kPitch;

  const int tid = threadIdx.x;
  const int warp = tid / 32;
  const int lane = tid % 32;
  const int m_block = p.causal ? int(gridDim.x) - 1 - int(blockIdx.x) : int(blockIdx.x);
  const int h = blockIdx.y;
  const int b = blockIdx.z;
  const int m0 = m_block * kBlockM;
  const int diag = p.seq_kv - p.seq_q;  // causal: row i sees keys j <= i + diag

  const int64_t kv_col = int64_t(h / p.group) * kHeadDim;
  const T* q =
      static_cast<const T*>(p.q) + int64_t(b) * p.seq_q * p.q_row_stride + int64_t(h) * kHeadDim;
  const T* k = static_cast<const T*>(p.k) + int64_t(b) * p.seq_kv * p.kv_row_stride + kv_col;
  const T* v = static_cast<const T*>(p.v) + int64_t(b) * p.seq_kv * p.kv_row_stride + kv_col;
  T* o = static_cast<T*>(p.o) + int64_t(b) * p.seq_q * p.q_row_stride + int64_t(h) * kHeadDim;

  // Keys [0, n_end) can be visible to some row of this block.
  int n_end = p.seq_kv;
  if (p.causal) n_end = min(n_end, m0 + kBlockM + diag);
  if (n_end <= 0) {  // no row of the block attends any key: O = 0
    for (int c = tid; c < kBlockM * Tile::kChunksPerRow; c += kThreads) {
      const int row = m0 + c / Tile::kChunksPerRow;
      if (row < p.seq_q) {
        *reinterpret_cast<uint4*>(o + row * p.q_row_stride + (c % Tile::kChunksPerRow) * 8) =
            make_uint4(0, 0, 0, 0);
      }
    }
    return;
  }
  const int n_tiles = (n_end + kBlockN - 1) / kBlockN;

  LoadTileAsync<T, kBlockM, kHeadDim, kPitch>(sq, q, p.q_row_stride, m0, p.seq_q, tid);
  LoadTileAsync<T, kBlockN, kHeadDim, kPitch>(sk, k, p.kv_row_stride, (n_tiles - 1) * kBlockN,
                                              p.seq_kv, tid);
  CpAsyncCommit();

  float acc_o[kSlabs][Tile::kDTiles][4];
  float row_max[kSlabs][2];  // running max of S * scale_log2, rows g and g + 8 of each slab
  float row_sum[kSlabs][2];  // this thread's part of the running sum (quad-reduced at the end)
#pragma unroll
  for (int s = 0; s < kSlabs; ++s) {
#pragma unroll
    for (int dt = 0; dt < Tile::kDTiles; ++dt) {
#pragma unroll
      for (int e = 0; e < 4; ++e) acc_o[s][dt][e] = 0.f;
    }
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      row_max[s][r] = -INFINITY;
      row_sum[s][r] = 0.f;
    }
  }

  // ldmatrix row addresses (see attention_mma.cuh): A tiles of Q and .trans B tiles of V take
  // row lane % 16, column (lane / 16) * 8; B tiles of K (two n8 tiles per x4) take key row
  // lane % 8 + (lane / 16) * 8, column ((lane / 8) % 2) * 8.
  const int a_row = lane % 16;
  const int a_col = (lane / 16) * 8;
  const int kb_row = lane % 8 + (lane / 16) * 8;
  const int kb_col = ((lane / 8) % 2) * 8;
  const uint32_t sq_addr = SmemAddress(sq);
  const uint32_t sk_addr = SmemAddress(sk);
  const uint32_t sv_addr = SmemAddress(sv);

  for (int n = n_tiles - 1; n >= 0; --n) {
    CpAsyncWait<0>();  // K[n] (and Q) landed
    __syncthreads();   // ... for every thread; every warp is done reading V[n + 1]
    LoadTileAsync<T, kBlockN, kHeadDim, kPitch>(sv, v, p.kv_row_stride, n * kBlockN, p.seq_kv, tid);
    CpAsyncCommit();

    // S = Q K[n]^T
    float acc_s[kSlabs][Tile::kNTiles][4];
#pragma unroll
    for (int s = 0; s < kSlabs; ++s) {
#pragma unroll
      for (int nt = 0; nt < Tile::kNTiles; ++nt) {
#pragma unroll
        for (int e = 0; e < 4; ++e) acc_s[s][nt][e] = 0.f;
      }
    }
    // Unrolled by 2, not fully: full unrolling lets the scheduler hoist enough ldmatrix results
    // to spill at D = 128 (255 registers).
#pragma unroll 2
    for (int ks = 0; ks < Tile::kQkSteps; ++ks) {
      uint32_t a[kSlabs][4];
#pragma unroll
      for (int s = 0; s < kSlabs; ++s) {
        const int row = (s * kWarps + warp) * 16 + a_row;
        Ldmatrix4(sq_addr + (row * kPitch + ks * 16 + a_col) * 2, a[s][0], a[s][1], a[s][2],
                  a[s][3]);
      }
#pragma unroll
      for (int nt = 0; nt < Tile::kNTiles; nt += 2) {
        uint32_t b0, b1, b2, b3;
        Ldmatrix4(sk_addr + ((nt * 8 + kb_row) * kPitch + ks * 16 + kb_col) * 2, b0, b1, b2, b3);
#pragma unroll
        for (int s = 0; s < kSlabs; ++s) {
          Mma16816<T>(acc_s[s][nt], a[s], b0, b1);
          Mma16816<T>(acc_s[s][nt + 1], a[s], b2, b3);
        }
      }
    }

    // Mask keys past the end and, causal, right of the diagonal (only tiles that have some).
    const int n0 = n * kBlockN;
    if (n0 + kBlockN > p.seq_kv || (p.causal && n0 + kBlockN - 1 > m0 + diag)) {
#pragma unroll
      for (int s = 0; s < kSlabs; ++s) {
#pragma unroll
        for (int nt = 0; nt < Tile::kNTiles; ++nt) {
#pragma unroll
          for (int e = 0; e < 4; ++e) {
            const int row = m0 + (s * kWarps + warp) * 16 + lane / 4 + (e / 2) * 8;
            const int col = n0 + nt * 8 + (lane % 4) * 2 + (e % 2);
            if (col >= p.seq_kv || (p.causal && col > row + diag)) acc_s[s][nt][e] = -INFINITY;
          }
        }
      }
    }

    // Online softmax. The 4 threads of a quad hold the columns of the same two rows.
#pragma unroll
    for (int s = 0; s < kSlabs; ++s) {
#pragma unroll
      for (int r = 0; r < 2; ++r) {
        float mx = -INFINITY;
#pragma unroll
        for (int nt = 0; nt < Tile::kNTiles; ++nt) {
          mx = fmaxf(mx, fmaxf(acc_s[s][nt][2 * r], acc_s[s][nt][2 * r + 1]));
        }
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
        const float m_new = fmaxf(row_max[s][r], mx * p.scale_log2);
        // A row with every key so far masked keeps m = -inf; subtracting 0 instead keeps
        // exp2(-inf - m) = 0 rather than NaN.
        const float m_use = m_new == -INFINITY ? 0.f : m_new;
        const float alpha = Exp2(row_max[s][r] - m_use);
        row_max[s][r] = m_new;
        float sum = 0.f;
#pragma unroll
        for (int nt = 0; nt < Tile::kNTiles; ++nt) {
#pragma unroll
          for (int e = 0; e < 2; ++e) {
            float& x = acc_s[s][nt][2 * r + e];
            x = Exp2(fmaf(x, p.scale_log2, -m_use));
            sum += x;
          }
        }
        row_sum[s][r] = row_sum[s][r] * alpha + sum;
#pragma unroll
        for (int dt = 0; dt < Tile::kDTiles; ++dt) {
          acc_o[s][dt][2 * r] *= alpha;
          acc_o[s][dt][2 * r + 1] *= alpha;
        }
      }
    }

    CpAsyncWait<0>();  // V[n] landed
    __syncthreads();   // ... for every thread; every warp is done reading K[n]
    if (n > 0) {
      LoadTileAsync<T, kBlockN, kHeadDim, kPitch>(sk, k, p.kv_row_stride, (n - 1) * kBlockN,
                                                  p.seq_kv, tid);
      CpAsyncCommit();
    }

    // O += P V[n]; the S fragments of n8 tiles 2kk and 2kk + 1 form the A fragment of k-step kk.
#pragma unroll
    for (int kk = 0; kk < Tile::kPvSteps; ++kk) {
      uint32_t a[kSlabs][4];
#pragma unroll
      for (int s = 0; s < kSlabs; ++s) {
        a[s][0] = PackFloat2<T>(acc_s[s][2 * kk][0], acc_s[s][2 * kk][1]);
        a[s][1] = PackFloat2<T>(acc_s[s][2 * kk][2], acc_s[s][2 * kk][3]);
        a[s][2] = PackFloat2<T>(acc_s[s][2 * kk + 1][0], acc_s[s][2 * kk + 1][1]);
        a[s][3] = PackFloat2<T>(acc_s[s][2 * kk + 1][2], acc_s[s][2 * kk + 1][3]);
      }
#pragma unroll
      for (int dt = 0; dt < Tile::kDTiles; dt += 2) {
        uint32_t b0, b1, b2, b3;
        Ldmatrix4Trans(sv_addr + ((kk * 16 + a_row) * kPitch + dt * 8 + a_col) * 2, b0, b1, b2, b3);
#pragma unroll
        for (int s = 0; s < kSlabs; ++s) {
          Mma16816<T>(acc_o[s][dt], a[s], b0, b1);
          Mma16816<T>(acc_o[s][dt + 1], a[s], b2, b3);
        }
      }
    }
  }

  // Epilogue: O / l into the warp's own Q rows (only this warp reads them), then 16-byte stores.
  __syncwarp();
#pragma unroll
  for (int s = 0; s < kSlabs; ++s) {
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      float l = row_sum[s][r];
      l += __shfl_xor_sync(0xffffffffu, l, 1);
      l += __shfl_xor_sync(0xffffffffu, l, 2);
      const float inv = l > 0.f ? 1.f / l : 0.f;
      const int row = (s * kWarps + warp) * 16 + lane / 4 + r * 8;
#pragma unroll
      for (int dt = 0; dt < Tile::kDTiles; ++dt) {
        *reinterpret_cast<uint32_t*>(sq + row * kPitch + dt * 8 + (lane % 4) * 2) =
            PackFloat2<T>(acc_o[s][dt][2 * r] * inv, acc_o[s][dt][2 * r + 1] * inv);
      }
    }
  }
  __syncwarp();
#pragma unroll
  for (int s = 0; s < kSlabs; ++s) {
    const int slab_row = (s * kWarps + warp) * 16;
#pragma unroll
    for (int c = lane; c < 16 * Tile::kChunksPerRow; c += 32) {
      const int r = c / Tile::kChunksPerRow;
      const int col = (c % Tile::kChunksPerRow) * 8;
      const int row = m0 + slab_row + r;
      if (row < p.seq_q) {
        *reinterpret_cast<uint4*>(o + row * p.q_row_stride + col) =
            *reinterpret_cast<const uint4*>(sq + (slab_row + r) * kPitch + col);
      }
    }
  }
}

// Calls f.template operator()<T, D, BM, BN>() for the instantiation serving (dtype, head_dim).
// Tiles: BM = 128 query rows (2 slabs per warp) where the O and S accumulators fit in 255
// registers without spills on sm_80 and sm_90 (D <= 128), else 64; BN = 64 keys per step.
template <typename F>
void DispatchFlashFwd(Dtype dtype, int64_t head_dim, F&& f) {
  auto by_dim = [&]<typename T>() {
    switch (head_dim) {
      case 64:
        return f.template operator()<T, 64, 128, 64>();
      case 96:
        return f.template operator()<T, 96, 128, 64>();
      case 128:
        return f.template operator()<T, 128, 128, 64>();
      case 256:
        return f.template operator()<T, 256, 64, 64>();
      default:
        throw std::invalid_argument("flash attention: unsupported head_dim " +
                                    std::to_string(head_dim) + " (supported: 64, 96, 128, 256)");
    }
  };
  if (dtype == Dtype::kBf16) return by_dim.template operator()<__nv_bfloat16>();
  return by_dim.template operator()<__half>();
}

}  // namespace

bool FlashFwdSupportsHeadDim(int64_t head_dim) {
  return head_dim == 64 || head_dim == 96 || head_dim == 128 || head_dim == 256;
}

const char* FlashFwdTileName(int64_t head_dim) { return head_dim == 256 ? "64x64" : "128x64"; }

size_t FlashFwdSmemBytes(Dtype dtype, int64_t head_dim) {
  size_t bytes = 0;
  DispatchFlashFwd(dtype, head_dim, [&]<typename T, int D, int BM, int BN>() {
    bytes = FlashTile<D, BM, BN>::kSmemBytes;
  });
  return bytes;
}

void ConfigureFlashFwd(Dtype dtype, int64_t head_dim) {
  DispatchFlashFwd(dtype, head_dim, [&]<typename T, int D, int BM, int BN>() {
    GQ_CUDA_CHECK(cudaFuncSetAttribute(flash_attention_fwd_kernel<T, D, BM, BN>,
                                       cudaFuncAttributeMaxDynamicSharedMemorySize,
                                       static_cast<int>(FlashTile<D, BM, BN>::kSmemBytes)));
  });
}

void LaunchFlashFwd(const FlashFwdArgs& a, cudaStream_t stream) {
  if (a.batch < 1 || a.heads < 1 || a.kv_heads < 1 || a.seq_q < 1 || a.seq_kv < 1 ||
      a.heads % a.kv_heads != 0 || a.batch > 65535 || a.heads > 65535) {
    throw std::invalid_argument(
        "LaunchFlashFwd: bad sizes (need >= 1, kv_heads | heads, batch "
        "and heads <= 65535)");
  }
  if (a.q == nullptr || a.k == nullptr || a.v == nullptr || a.o == nullptr) {
    throw std::invalid_argument("LaunchFlashFwd: null tensor");
  }
  for (const void* ptr : {a.q, a.k, a.v, static_cast<const void*>(a.o)}) {
    if (reinterpret_cast<uintptr_t>(ptr) % 16 != 0) {
      throw std::invalid_argument("LaunchFlashFwd: tensors must be 16-byte aligned");
    }
  }
  DispatchFlashFwd(a.dtype, a.head_dim, [&]<typename T, int D, int BM, int BN>() {
    FlashFwdParams p;
    p.q = a.q;
    p.k = a.k;
    p.v = a.v;
    p.o = a.o;
    p.seq_q = a.seq_q;
    p.seq_kv = a.seq_kv;
    p.group = a.heads / a.kv_heads;
    p.q_row_stride = int64_t(a.heads) * D;
    p.kv_row_stride = int64_t(a.kv_heads) * D;
    p.scale_log2 = static_cast<float>(1.4426950408889634 / std::sqrt(double(D)));
    p.causal = a.causal ? 1 : 0;
    const dim3 grid((a.seq_q + BM - 1) / BM, a.heads, a.batch);
    flash_attention_fwd_kernel<T, D, BM, BN>
        <<<grid, kThreads, FlashTile<D, BM, BN>::kSmemBytes, stream>>>(p);
    GQ_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace gq
