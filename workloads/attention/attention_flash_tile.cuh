#pragma once
// Building blocks of flash_attention_fwd_kernel (attention_flash_fwd.cu): the tile shape, the
// kernel's parameter block and the cp.async tile loader. Include only from .cu files.
#include <cstddef>
#include <cstdint>

#include "workloads/attention/attention_mma.cuh"

namespace gq::attention_flash {

constexpr int kWarps = 4;
constexpr int kThreads = 32 * kWarps;

template <int kHeadDim, int kBlockM, int kBlockN>
struct FlashTile {
  static constexpr int kSlabs = kBlockM / (16 * kWarps);  // 16-row mma slabs per warp
  static constexpr int kPitch = kHeadDim + 8;             // smem row pitch in elements
  static constexpr int kChunksPerRow = kHeadDim / 8;      // 16-byte chunks per row
  static constexpr int kNTiles = kBlockN / 8;             // n8 tiles of S per slab
  static constexpr int kDTiles = kHeadDim / 8;            // n8 tiles of O per slab
  static constexpr int kQkSteps = kHeadDim / 16;          // k16 steps of Q K^T
  static constexpr int kPvSteps = kBlockN / 16;           // k16 steps of P V
  static constexpr size_t kSmemBytes = size_t(kBlockM + 2 * kBlockN) * kPitch * 2;
  static_assert(kSlabs >= 1 && kBlockM == 16 * kWarps * kSlabs, "BM: multiple of 64");
  static_assert(kHeadDim % 32 == 0 && kBlockN % 16 == 0, "D: multiple of 32, BN: of 16");
  static_assert((kPitch * 2 / 16) % 2 == 1, "row pitch: an odd number of 16-byte chunks");
};

struct FlashFwdParams {
  const void* q;
  const void* k;
  const void* v;
  void* o;
  int seq_q, seq_kv, group;  // group = H / Hkv
  int64_t q_row_stride, kv_row_stride;
  float scale_log2;  // log2(e) / sqrt(D)
  int causal;
};

// cp.async of rows [row0, row0 + kRows) (kHeadDim elements each) of a tensor whose row r starts
// at base + r * row_stride into smem rows of kPitch elements; rows >= seq are zero-filled.
// Where the 16-byte chunks of a row divide the 128 threads, each thread keeps one column and
// steps down the rows with one pointer (few registers held across the main loop).
template <typename T, int kRows, int kHeadDim, int kPitch>
__device__ __forceinline__ void LoadTileAsync(T* smem, const T* base, int64_t row_stride, int row0,
                                              int seq, int tid) {
  constexpr int kChunksPerRow = kHeadDim / 8;
  if constexpr (kThreads % kChunksPerRow == 0) {
    constexpr int kRowStep = kThreads / kChunksPerRow;
    static_assert(kRows % kRowStep == 0, "whole passes");
    const int r = tid / kChunksPerRow;
    const int col = (tid % kChunksPerRow) * 8;
    const T* src = base + (row0 + r) * row_stride + col;
    const int64_t step = kRowStep * row_stride;
    const uint32_t dst = attention_mma::SmemAddress(smem + r * kPitch + col);
#pragma unroll
    for (int i = 0; i < kRows / kRowStep; ++i) {
      const bool valid = row0 + r + i * kRowStep < seq;
      attention_mma::CpAsync16(dst + i * kRowStep * kPitch * 2, valid ? src : base, valid);
      src += step;
    }
  } else {
    constexpr int kChunks = kRows * kChunksPerRow;
    static_assert(kChunks % kThreads == 0, "whole chunks per thread");
#pragma unroll
    for (int c = tid; c < kChunks; c += kThreads) {
      const int r = c / kChunksPerRow;
      const int col = (c % kChunksPerRow) * 8;
      const int row = row0 + r;
      const bool valid = row < seq;
      const T* src = valid ? base + row * row_stride + col : base;
      attention_mma::CpAsync16(attention_mma::SmemAddress(smem + r * kPitch + col), src, valid);
    }
  }
}

}  // namespace gq::attention_flash
