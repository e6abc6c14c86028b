#pragma once
// Pieces shared by the e2e kernel files (e2e_kernels_*.cu), not an interface of the workload:
//   Bf16Pack<kN>      kN consecutive bf16 values as one aligned access; kN = 8 is 16 bytes, one
//                     LDG.128 / STG.128, the widest a thread issues
//   LoadFloats / StoreFloats   a pack to / from fp32 registers (stores round to nearest even)
//   BlockSum          the sum of one float per thread over the block, returned to every thread
//   E2eRequire        a launcher's precondition: throws std::invalid_argument("<op>: <what>")
//   Aligned16, RowThreads   host helpers for choosing the vectorised path and the block size
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace gq::e2e_internal {

template <int kN>
struct alignas(2 * kN) Bf16Pack {
  __nv_bfloat16 v[kN];
};

// p must be aligned to 2 * kN bytes.
template <int kN>
__device__ __forceinline__ void LoadFloats(const __nv_bfloat16* p, float (&out)[kN]) {
  const Bf16Pack<kN> pack = *reinterpret_cast<const Bf16Pack<kN>*>(p);
#pragma unroll
  for (int k = 0; k < kN; ++k) out[k] = __bfloat162float(pack.v[k]);
}

template <int kN>
__device__ __forceinline__ void StoreFloats(__nv_bfloat16* p, const float (&in)[kN]) {
  Bf16Pack<kN> pack;
#pragma unroll
  for (int k = 0; k < kN; ++k) pack.v[k] = __float2bfloat16_rn(in[k]);
  *reinterpret_cast<Bf16Pack<kN>*>(p) = pack;
}

// The float that a bf16 store of x would hold.
__device__ __forceinline__ float RoundBf16(float x) {
  return __bfloat162float(__float2bfloat16_rn(x));
}

// Sum over the block: a butterfly within each warp, the warp totals through shared memory, then
// a butterfly over those. blockDim.x must be a multiple of 32 (at most 1024) and every thread
// must call it; usable once per kernel (its shared array is not reset).
__device__ __forceinline__ float BlockSum(float v) {
  __shared__ float warp_sums[32];
  for (int offset = 16; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) warp_sums[warp] = v;
  __syncthreads();
  v = lane < static_cast<int>(blockDim.x / 32) ? warp_sums[lane] : 0.0f;
  for (int offset = 16; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

inline void E2eRequire(bool ok, const char* op, const char* what) {
  if (!ok) throw std::invalid_argument(std::string(op) + ": " + what);
}

// True for null (an absent optional operand) and 16-byte aligned pointers.
inline bool Aligned16(const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; }

// Threads for a block looping over `work` items: work rounded up to a warp, within [32, limit].
inline int RowThreads(int64_t work, int limit) {
  const int64_t rounded = (work + 31) / 32 * 32;
  return static_cast<int>(rounded < 32 ? 32 : rounded > limit ? limit : rounded);
}

}  // namespace gq::e2e_internal
