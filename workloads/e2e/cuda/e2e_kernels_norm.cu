// Residual add + RMSNorm and SiLU-and-multiply kernels of the e2e workload (launchers declared
// in e2e_kernels.cuh, host twins AddRmsNormCpu and SiluMulCpu in e2e_cpu_ops.h). bf16 in and
// out, fp32 math.
//
//   add_rms_norm_kernel   block t = row t of x, delta, h [T, hidden]. Pass 1: each thread takes
//                         packs j, j + blockDim.x, ... of the row, x' = bf16(x + delta) stored
//                         back (when delta is set), and sums x'^2 (x' as stored, fp32);
//                         BlockSum gives r = 1 / sqrt(sum / hidden + eps). Pass 2: the same
//                         thread re-reads its own packs of x (its own writes, so no barrier is
//                         needed beyond BlockSum's) and stores h = x * r * gamma. Streaming the
//                         row twice (the second read mostly hits L1/L2) lets any hidden run
//                         with up to 1024 threads and no shared row buffer.
//   silu_mul_kernel       grid-stride over the T * ffn / kN packs of out: pack e is row
//                         t = e / (ffn / kN), columns c = (e % (ffn / kN)) kN .. + kN - 1;
//                         out[t, c] = g / (1 + exp(-g)) * u with g = gate_up[t, c],
//                         u = gate_up[t, ffn + c] (expf, not the fast __expf).
// Packs are kN = 8 bf16 (16 bytes) when the width (hidden, ffn) is a multiple of 8 and every
// pointer is 16-byte aligned, else kN = 1.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <climits>
#include <cstdint>

#include "harness/gpu/cuda_check.h"
#include "workloads/e2e/cuda/e2e_kernel_util.cuh"
#include "workloads/e2e/cuda/e2e_kernels.cuh"

namespace gq {
namespace {

using e2e_internal::Aligned16;
using e2e_internal::BlockSum;
using e2e_internal::E2eRequire;
using e2e_internal::LoadFloats;
using e2e_internal::RoundBf16;
using e2e_internal::RowThreads;
using e2e_internal::StoreFloats;

constexpr int kNormMaxThreads = 1024;
constexpr int kSiluThreads = 256;
constexpr int64_t kSiluMaxBlocks = 8192;

// x is read after this thread wrote it, so it is not __restrict__.
template <int kN>
__global__ void add_rms_norm_kernel(__nv_bfloat16* x, const __nv_bfloat16* __restrict__ delta,
                                    const __nv_bfloat16* __restrict__ gamma, int hidden, float eps,
                                    __nv_bfloat16* __restrict__ h) {
  const int64_t base = static_cast<int64_t>(blockIdx.x) * hidden;
  const int packs = hidden / kN;
  float sum_sq = 0.0f;
  for (int v = threadIdx.x; v < packs; v += blockDim.x) {
    float a[kN];
    LoadFloats(x + base + v * kN, a);
    if (delta != nullptr) {
      float d[kN];
      LoadFloats(delta + base + v * kN, d);
#pragma unroll
      for (int k = 0; k < kN; ++k) a[k] = RoundBf16(a[k] + d[k]);
      StoreFloats(x + base + v * kN, a);
    }
#pragma unroll
    for (int k = 0; k < kN; ++k) sum_sq += a[k] * a[k];
  }
  const float inv_rms = 1.0f / sqrtf(BlockSum(sum_sq) / static_cast<float>(hidden) + eps);
  for (int v = threadIdx.x; v < packs; v += blockDim.x) {
    float a[kN], g[kN];
    LoadFloats(x + base + v * kN, a);
    LoadFloats(gamma + v * kN, g);
#pragma unroll
    for (int k = 0; k < kN; ++k) a[k] = a[k] * inv_rms * g[k];
    StoreFloats(h + base + v * kN, a);
  }
}

template <int kN>
__global__ void silu_mul_kernel(const __nv_bfloat16* __restrict__ gate_up, int ffn, int64_t packs,
                                __nv_bfloat16* __restrict__ out) {
  const int row_packs = ffn / kN;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; e < packs;
       e += stride) {
    const int64_t t = e / row_packs;
    const int c = static_cast<int>(e % row_packs) * kN;
    const __nv_bfloat16* gate = gate_up + t * 2 * ffn + c;
    float g[kN], u[kN], o[kN];
    LoadFloats(gate, g);
    LoadFloats(gate + ffn, u);
#pragma unroll
    for (int k = 0; k < kN; ++k) o[k] = g[k] / (1.0f + expf(-g[k])) * u[k];
    StoreFloats(out + t * ffn + c, o);
  }
}

}  // namespace

void LaunchAddRmsNorm(__nv_bfloat16* x, const __nv_bfloat16* delta, const __nv_bfloat16* gamma,
                      int64_t T, int hidden, float eps, __nv_bfloat16* h, cudaStream_t stream) {
  const char* op = "LaunchAddRmsNorm";
  E2eRequire(x != nullptr && gamma != nullptr && h != nullptr, op, "null pointer");
  E2eRequire(T > 0 && hidden > 0, op, "needs T > 0 and hidden > 0");
  E2eRequire(T <= INT_MAX, op, "more than 2^31 - 1 rows");
  const unsigned blocks = static_cast<unsigned>(T);
  if (hidden % 8 == 0 && Aligned16(x) && Aligned16(delta) && Aligned16(gamma) && Aligned16(h)) {
    add_rms_norm_kernel<8><<<blocks, RowThreads(hidden / 8, kNormMaxThreads), 0, stream>>>(
        x, delta, gamma, hidden, eps, h);
  } else {
    add_rms_norm_kernel<1><<<blocks, RowThreads(hidden, kNormMaxThreads), 0, stream>>>(
        x, delta, gamma, hidden, eps, h);
  }
  GQ_CUDA_CHECK(cudaGetLastError());
}

void LaunchSiluMul(const __nv_bfloat16* gate_up, int64_t T, int ffn, __nv_bfloat16* out,
                   cudaStream_t stream) {
  const char* op = "LaunchSiluMul";
  E2eRequire(gate_up != nullptr && out != nullptr, op, "null pointer");
  E2eRequire(T > 0 && ffn > 0, op, "needs T > 0 and ffn > 0");
  const bool vec = ffn % 8 == 0 && Aligned16(gate_up) && Aligned16(out);
  const int64_t packs = T * (vec ? ffn / 8 : ffn);
  const int blocks = static_cast<int>(
      std::min<int64_t>((packs + kSiluThreads - 1) / kSiluThreads, kSiluMaxBlocks));
  if (vec) {
    silu_mul_kernel<8><<<blocks, kSiluThreads, 0, stream>>>(gate_up, ffn, packs, out);
  } else {
    silu_mul_kernel<1><<<blocks, kSiluThreads, 0, stream>>>(gate_up, ffn, packs, out);
  }
  GQ_CUDA_CHECK(cudaGetLastError());
}

}  // namespace gq
