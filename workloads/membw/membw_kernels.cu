// Kernels of the membw workload (launchers declared in membw_kernels.cuh).
//
// Every streaming kernel works on 16-byte vectors (uint4, or float4 for triad): one LDG.128 /
// STG.128 per access, the widest a thread can issue, so a warp moves 512 contiguous bytes per
// instruction. Index math, for T = gridDim.x * blockDim.x threads and t = blockIdx.x *
// blockDim.x + threadIdx.x: thread t handles vectors t, t + T, t + 2T, ... (grid-stride, so
// neighbouring threads touch neighbouring vectors and every warp access is coalesced), kUnroll at a
// time: the loads of v, v + T, ..., v + (kUnroll - 1) T are all issued before the first use, so
// kUnroll requests per thread are in flight. Little's law sizes it: ~3.35 TB/s x ~0.7 us of
// latency = ~2.3 MB outstanding on an H100, ~18 KB per SM, against 2048 threads x 4 x 16 B =
// 128 KB per SM at full occupancy. The grid is one wave of resident blocks (PlanMembwLaunch).
//   copy_kernel       dst[v] = src[v]
//   copy_pair_kernel  even blocks: dst0 = src0, odd blocks: dst1 = src1, each half grid-striding
//                     with t' = (blockIdx.x / 2) * blockDim.x + threadIdx.x, T' = T / 2
//   read_kernel       per-thread sum (mod 2^64) of each vector read as two 64-bit words, then a
//                     warp-shuffle and shared-memory tree per block; thread 0 stores the block's
//                     total in partial[blockIdx.x] (the store keeps the loads from being
//                     optimised away, and is checked)
//   write_kernel      word w = 4 v + j of vector v gets WrittenWord(key, w)
//   triad_kernel      a[v] = b[v] + s * c[v] per float4 lane
//   fill_*_kernel     one element e per thread, grid-stride: slot k = e / per_slot gets the
//                     pattern of ArraySeed(seed, k, array) at index e % per_slot
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "harness/gpu/cuda_check.h"
#include "workloads/membw/membw_kernels.cuh"
#include "workloads/membw/membw_pattern.h"

namespace gq {
namespace {

constexpr int kMembwThreads = 256;
constexpr int kUnroll = 4;
constexpr int kFillThreads = 256;
constexpr int64_t kFillMaxBlocks = 65535;

__device__ __forceinline__ void CopyVectors(uint4* __restrict__ dst, const uint4* __restrict__ src,
                                            int64_t n, int64_t t, int64_t stride) {
  int64_t v = t;
  for (; v + (kUnroll - 1) * stride < n; v += kUnroll * stride) {
    uint4 r[kUnroll];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) r[k] = src[v + k * stride];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) dst[v + k * stride] = r[k];
  }
  for (; v < n; v += stride) dst[v] = src[v];
}

__global__ void copy_kernel(uint4* __restrict__ dst, const uint4* __restrict__ src, int64_t n) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  CopyVectors(dst, src, n, static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x, stride);
}

__global__ void copy_pair_kernel(uint4* __restrict__ dst0, const uint4* __restrict__ src0,
                                 uint4* __restrict__ dst1, const uint4* __restrict__ src1,
                                 int64_t n) {
  const int64_t stride = static_cast<int64_t>(gridDim.x / 2) * blockDim.x;
  const int64_t t = static_cast<int64_t>(blockIdx.x / 2) * blockDim.x + threadIdx.x;
  if (blockIdx.x % 2 == 0) {
    CopyVectors(dst0, src0, n, t, stride);
  } else {
    CopyVectors(dst1, src1, n, t, stride);
  }
}

// The vector as two little-endian 64-bit words, summed (membw_verify.h, SourceWordSum).
__device__ __forceinline__ unsigned long long WordSum(const uint4& r) {
  return (static_cast<unsigned long long>(r.y) << 32 | r.x) +
         (static_cast<unsigned long long>(r.w) << 32 | r.z);
}

__global__ void read_kernel(const uint4* __restrict__ src, int64_t n,
                            unsigned long long* __restrict__ partial) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  int64_t v = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  unsigned long long sum = 0;
  for (; v + (kUnroll - 1) * stride < n; v += kUnroll * stride) {
    uint4 r[kUnroll];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) r[k] = src[v + k * stride];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) sum += WordSum(r[k]);
  }
  for (; v < n; v += stride) sum += WordSum(src[v]);
  // Block reduction: within each warp by shuffles, then the warp totals by warp 0.
  for (int offset = 16; offset > 0; offset /= 2) sum += __shfl_down_sync(0xffffffffu, sum, offset);
  __shared__ unsigned long long warp_sums[kMembwThreads / 32];
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) warp_sums[warp] = sum;
  __syncthreads();
  if (warp == 0) {
    sum = lane < static_cast<int>(blockDim.x / 32) ? warp_sums[lane] : 0;
    for (int offset = 16; offset > 0; offset /= 2) {
      sum += __shfl_down_sync(0xffffffffu, sum, offset);
    }
    if (lane == 0) partial[blockIdx.x] = sum;
  }
}

__global__ void write_kernel(uint4* __restrict__ dst, int64_t n, uint32_t key) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t v = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; v < n;
       v += stride) {
    const uint64_t w = 4 * static_cast<uint64_t>(v);
    dst[v] = make_uint4(WrittenWord(key, w), WrittenWord(key, w + 1), WrittenWord(key, w + 2),
                        WrittenWord(key, w + 3));
  }
}

__device__ __forceinline__ float4 Triad(const float4& b, const float4& c, float s) {
  return make_float4(b.x + s * c.x, b.y + s * c.y, b.z + s * c.z, b.w + s * c.w);
}

__global__ void triad_kernel(float4* __restrict__ a, const float4* __restrict__ b,
                             const float4* __restrict__ c, float s, int64_t n) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  int64_t v = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  for (; v + (kUnroll - 1) * stride < n; v += kUnroll * stride) {
    float4 rb[kUnroll], rc[kUnroll];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) {
      rb[k] = b[v + k * stride];
      rc[k] = c[v + k * stride];
    }
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) a[v + k * stride] = Triad(rb[k], rc[k], s);
  }
  for (; v < n; v += stride) a[v] = Triad(b[v], c[v], s);
}

__global__ void fill_source_kernel(uint32_t* __restrict__ words, int64_t count, int64_t per_slot,
                                   uint64_t seed, uint64_t array) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; e < count;
       e += stride) {
    const uint64_t slot_seed = ArraySeed(seed, static_cast<uint64_t>(e / per_slot), array);
    words[e] = SourceWord(slot_seed, static_cast<uint64_t>(e % per_slot));
  }
}

__global__ void fill_triad_kernel(float* __restrict__ x, int64_t count, int64_t per_slot,
                                  uint64_t seed, uint64_t array) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; e < count;
       e += stride) {
    const uint64_t slot_seed = ArraySeed(seed, static_cast<uint64_t>(e / per_slot), array);
    x[e] = TriadInput(slot_seed, static_cast<uint64_t>(e % per_slot));
  }
}

const void* KernelSymbol(MembwKernel kernel) {
  switch (kernel) {
    case MembwKernel::kCopy:
      return reinterpret_cast<const void*>(copy_kernel);
    case MembwKernel::kCopyPair:
      return reinterpret_cast<const void*>(copy_pair_kernel);
    case MembwKernel::kRead:
      return reinterpret_cast<const void*>(read_kernel);
    case MembwKernel::kWrite:
      return reinterpret_cast<const void*>(write_kernel);
    case MembwKernel::kTriad:
      return reinterpret_cast<const void*>(triad_kernel);
  }
  throw std::invalid_argument("unknown membw kernel");
}

void CheckAligned(const void* p, const char* what) {
  if (p == nullptr || reinterpret_cast<uintptr_t>(p) % 16 != 0) {
    throw std::invalid_argument(std::string("membw: ") + what + " is null or not 16-byte aligned");
  }
}

void CheckShape(int64_t n, const MembwLaunch& launch, int block_multiple) {
  if (n < 1) throw std::invalid_argument("membw: no vectors to move");
  if (launch.threads != kMembwThreads || launch.blocks < block_multiple ||
      launch.blocks % block_multiple != 0) {
    throw std::invalid_argument("membw: launch shape not from PlanMembwLaunch");
  }
}

int FillBlocks(int64_t count) {
  return static_cast<int>(
      std::min<int64_t>((count + kFillThreads - 1) / kFillThreads, kFillMaxBlocks));
}

}  // namespace

MembwLaunch PlanMembwLaunch(MembwKernel kernel, int device, int64_t n) {
  int sms = 0, resident = 0, current = 0;
  GQ_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
  // The occupancy query answers for the current device: make it `device` for the query.
  GQ_CUDA_CHECK(cudaGetDevice(&current));
  GQ_CUDA_CHECK(cudaSetDevice(device));
  const cudaError_t status = cudaOccupancyMaxActiveBlocksPerMultiprocessor(
      &resident, KernelSymbol(kernel), kMembwThreads, 0);
  GQ_CUDA_CHECK(cudaSetDevice(current));
  GQ_CUDA_CHECK(status);
  const int64_t wave = static_cast<int64_t>(sms) * std::max(1, resident);
  const int64_t needed = std::max<int64_t>(1, (n + kMembwThreads - 1) / kMembwThreads);
  int64_t blocks = std::min(wave, needed);
  if (kernel == MembwKernel::kCopyPair) blocks = std::max<int64_t>(2, blocks + blocks % 2);
  return {static_cast<int>(blocks), kMembwThreads};
}

void LaunchCopy(void* dst, const void* src, int64_t n, MembwLaunch launch, cudaStream_t stream) {
  CheckAligned(dst, "copy destination");
  CheckAligned(src, "copy source");
  CheckShape(n, launch, 1);
  copy_kernel<<<launch.blocks, launch.threads, 0, stream>>>(static_cast<uint4*>(dst),
                                                            static_cast<const uint4*>(src), n);
  GQ_CUDA_CHECK_LAUNCH();
}

void LaunchCopyPair(void* dst0, const void* src0, void* dst1, const void* src1, int64_t n,
                    MembwLaunch launch, cudaStream_t stream) {
  CheckAligned(dst0, "first destination");
  CheckAligned(src0, "first source");
  CheckAligned(dst1, "second destination");
  CheckAligned(src1, "second source");
  CheckShape(n, launch, 2);
  copy_pair_kernel<<<launch.blocks, launch.threads, 0, stream>>>(
      static_cast<uint4*>(dst0), static_cast<const uint4*>(src0), static_cast<uint4*>(dst1),
      static_cast<const uint4*>(src1), n);
  GQ_CUDA_CHECK_LAUNCH();
}

void LaunchRead(const void* src, int64_t n, unsigned long long* partial, MembwLaunch launch,
                cudaStream_t stream) {
  CheckAligned(src, "read source");
  if (partial == nullptr) throw std::invalid_argument("membw: null partial sums");
  CheckShape(n, launch, 1);
  read_kernel<<<launch.blocks, launch.threads, 0, stream>>>(static_cast<const uint4*>(src), n,
                                                            partial);
  GQ_CUDA_CHECK_LAUNCH();
}

void LaunchWrite(void* dst, int64_t n, uint32_t key, MembwLaunch launch, cudaStream_t stream) {
  CheckAligned(dst, "write destination");
  CheckShape(n, launch, 1);
  write_kernel<<<launch.blocks, launch.threads, 0, stream>>>(static_cast<uint4*>(dst), n, key);
  GQ_CUDA_CHECK_LAUNCH();
}

void LaunchTriad(float* a, const float* b, const float* c, float s, int64_t n, MembwLaunch launch,
                 cudaStream_t stream) {
  CheckAligned(a, "triad a");
  CheckAligned(b, "triad b");
  CheckAligned(c, "triad c");
  CheckShape(n, launch, 1);
  triad_kernel<<<launch.blocks, launch.threads, 0, stream>>>(
      reinterpret_cast<float4*>(a), reinterpret_cast<const float4*>(b),
      reinterpret_cast<const float4*>(c), s, n);
  GQ_CUDA_CHECK_LAUNCH();
}

void FillSourceSlots(uint32_t* words, int64_t count, int64_t per_slot, uint64_t seed,
                     uint64_t array, cudaStream_t stream) {
  if (words == nullptr || count < 1 || per_slot < 1) {
    throw std::invalid_argument("membw: empty fill");
  }
  fill_source_kernel<<<FillBlocks(count), kFillThreads, 0, stream>>>(words, count, per_slot, seed,
                                                                     array);
  GQ_CUDA_CHECK_LAUNCH();
}

void FillTriadSlots(float* x, int64_t count, int64_t per_slot, uint64_t seed, uint64_t array,
                    cudaStream_t stream) {
  if (x == nullptr || count < 1 || per_slot < 1) throw std::invalid_argument("membw: empty fill");
  fill_triad_kernel<<<FillBlocks(count), kFillThreads, 0, stream>>>(x, count, per_slot, seed,
                                                                    array);
  GQ_CUDA_CHECK_LAUNCH();
}

}  // namespace gq
