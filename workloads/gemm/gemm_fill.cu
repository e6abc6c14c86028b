// fill_uniform_kernel: out[i] = Convert<T>(u_i) for 0 <= i < count, where
//   r_i = SplitMix64(seed + (i + 1) * 0x9e3779b97f4a7c15)   (Steele, Lea, Flood 2014; Vigna's
//         splitmix64.c constants): the i-th output of a SplitMix64 stream started at `seed`
//   u_i = (2 * (r_i >> (64 - b)) + 1 - 2^b) * 2^-b,  b = 24 (float types) or 52 (double)
// The numerator is an odd integer in (-2^b, 2^b), exact in float (b = 24) or double (b = 52), so
// u_i is an exact, never-zero value uniform on (-1, 1). One thread per element in a grid-stride
// loop over the flat index i (the matrix layout does not matter to a fill).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <stdexcept>
#include <type_traits>

#include "harness/gpu/cuda_check.h"
#include "workloads/gemm/gemm_fill.cuh"

namespace gq {
namespace {

constexpr int kFillThreads = 256;
constexpr int64_t kFillMaxBlocks = 65535;

__device__ __forceinline__ uint64_t SplitMix64(uint64_t state) {
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

template <typename T>
__device__ __forceinline__ T ConvertFromFloat(float v) {
  if constexpr (std::is_same_v<T, float>) {
    return v;
  } else if constexpr (std::is_same_v<T, __nv_bfloat16>) {
    return __float2bfloat16_rn(v);
  } else if constexpr (std::is_same_v<T, __half>) {
    return __float2half_rn(v);
  } else {
    static_assert(std::is_same_v<T, __nv_fp8_e4m3>, "unsupported fill type");
    return __nv_fp8_e4m3(v);  // round to nearest even, saturating to the largest finite value
  }
}

template <typename T>
__global__ void fill_uniform_kernel(T* __restrict__ out, int64_t count, uint64_t seed) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += stride) {
    const uint64_t r = SplitMix64(seed + static_cast<uint64_t>(i + 1) * 0x9e3779b97f4a7c15ull);
    if constexpr (std::is_same_v<T, double>) {
      const int64_t odd = 2 * static_cast<int64_t>(r >> 12) + 1 - (int64_t{1} << 52);
      out[i] = static_cast<double>(odd) * 0x1p-52;
    } else {
      const int32_t odd = 2 * static_cast<int32_t>(r >> 40) + 1 - (int32_t{1} << 24);
      out[i] = ConvertFromFloat<T>(static_cast<float>(odd) * 0x1p-24f);
    }
  }
}

}  // namespace

template <typename T>
void FillUniform(T* out, int64_t count, uint64_t seed, cudaStream_t stream) {
  if (count < 0) throw std::invalid_argument("FillUniform: negative count");
  if (count == 0) return;
  if (out == nullptr) throw std::invalid_argument("FillUniform: null output");
  const int64_t blocks_needed = (count + kFillThreads - 1) / kFillThreads;
  const int blocks =
      static_cast<int>(blocks_needed < kFillMaxBlocks ? blocks_needed : kFillMaxBlocks);
  fill_uniform_kernel<T><<<blocks, kFillThreads, 0, stream>>>(out, count, seed);
  GQ_CUDA_CHECK_LAUNCH();
}

template void FillUniform<float>(float*, int64_t, uint64_t, cudaStream_t);
template void FillUniform<double>(double*, int64_t, uint64_t, cudaStream_t);
template void FillUniform<__nv_bfloat16>(__nv_bfloat16*, int64_t, uint64_t, cudaStream_t);
template void FillUniform<__half>(__half*, int64_t, uint64_t, cudaStream_t);
template void FillUniform<__nv_fp8_e4m3>(__nv_fp8_e4m3*, int64_t, uint64_t, cudaStream_t);

}  // namespace gq
