// flash_decode_combine_kernel: the second step of split-KV decode attention (Flash-Decoding,
// Dao, Haziza, Massa, Sizov 2023; first step and layouts in attention_decode.cu). Each split s
// left a normalised partial output O_s and its base-2 log-sum-exp lse_s for every query row
// (b, h, i) in the workspace (o_part [B * H * Sq][splits][D], lse [B * H * Sq][splits]); the row's
// output is their softmax-weighted mean
//   O = sum_s 2^(lse_s - M) O_s / sum_s 2^(lse_s - M),  M = max_s lse_s
// (0 when every split is empty, lse = -inf: a row that attends no key), written to O
// [B, Sq, H, D] at ((b * Sq + i) * H + h) * D. Grid ceil(B * H * Sq / 4), 128 threads: one warp
// per row, D / 32 consecutive columns per lane.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <stdexcept>
#include <string>

#include "harness/gpu/cuda_check.h"
#include "workloads/attention/attention_decode_params.cuh"
#include "workloads/attention/attention_mma.cuh"

namespace gq::attention_decode {
namespace {

using namespace attention_mma;
constexpr int kThreads = kDecodeThreads;

template <typename T, int kHeadDim>
__global__ void __launch_bounds__(kThreads)
    flash_decode_combine_kernel(const DecodeParams p, int64_t out_rows) {
  constexpr int kCols = kHeadDim / 32;
  const int64_t row = int64_t(blockIdx.x) * (kThreads / 32) + threadIdx.x / 32;
  if (row >= out_rows) return;
  const int lane = threadIdx.x % 32;
  const int i = static_cast<int>(row % p.seq_q);
  const int64_t bh = row / p.seq_q;
  const int h = static_cast<int>(bh % p.heads);
  const int64_t b = bh / p.heads;
  const float* lse = p.lse + row * p.splits;
  float top = -INFINITY;
  for (int s = 0; s < p.splits; ++s) top = fmaxf(top, lse[s]);
  float acc[kCols];
#pragma unroll
  for (int c = 0; c < kCols; ++c) acc[c] = 0.f;
  float weight_sum = 0.f;
  if (top != -INFINITY) {  // else the row attends no key: O = 0
    for (int s = 0; s < p.splits; ++s) {
      const float w = Exp2(lse[s] - top);  // 0 for an empty split (lse = -inf)
      weight_sum += w;
      const float* part = p.o_part + (row * p.splits + s) * kHeadDim + lane * kCols;
#pragma unroll
      for (int c = 0; c < kCols; ++c) acc[c] = fmaf(w, part[c], acc[c]);
    }
  }
  const float inv = weight_sum > 0.f ? 1.f / weight_sum : 0.f;
  T* out = static_cast<T*>(p.o) + ((b * p.seq_q + i) * p.heads + h) * kHeadDim + lane * kCols;
#pragma unroll
  for (int c = 0; c < kCols; c += 2) {
    *reinterpret_cast<uint32_t*>(out + c) = PackFloat2<T>(acc[c] * inv, acc[c + 1] * inv);
  }
}

template <typename T>
void LaunchTyped(const DecodeParams& p, int head_dim, int64_t out_rows, dim3 grid,
                 cudaStream_t stream) {
  switch (head_dim) {
    case 64:
      flash_decode_combine_kernel<T, 64><<<grid, kThreads, 0, stream>>>(p, out_rows);
      break;
    case 128:
      flash_decode_combine_kernel<T, 128><<<grid, kThreads, 0, stream>>>(p, out_rows);
      break;
    case 256:
      flash_decode_combine_kernel<T, 256><<<grid, kThreads, 0, stream>>>(p, out_rows);
      break;
    default:
      throw std::invalid_argument("LaunchDecodeCombine: unsupported head_dim " +
                                  std::to_string(head_dim));
  }
}

}  // namespace

void LaunchDecodeCombine(const DecodeParams& p, Dtype dtype, int head_dim,
                         int64_t out_rows, cudaStream_t stream) {
  const int64_t blocks = (out_rows + kThreads / 32 - 1) / (kThreads / 32);
  if (blocks > 0x7fffffff) throw std::invalid_argument("LaunchDecodeCombine: too many rows");
  const dim3 grid(static_cast<unsigned>(blocks));
  if (dtype == Dtype::kBf16) {
    LaunchTyped<__nv_bfloat16>(p, head_dim, out_rows, grid, stream);
  } else {
    LaunchTyped<__half>(p, head_dim, out_rows, grid, stream);
  }
  GQ_CUDA_CHECK_LAUNCH();
}

}  // namespace gq::attention_decode
