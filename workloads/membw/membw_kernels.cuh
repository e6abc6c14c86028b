#pragma once
// Launchers of the membw kernels (kernels and index math in membw_kernels.cu).
//
// Arrays are counted in 16-byte vectors (n = bytes / 16) and must be 16-byte aligned; a pointer
// may be device memory, pinned host memory mapped into the device address space, or a peer
// GPU's memory with peer access enabled. Launchers check their preconditions
// (std::invalid_argument), launch on `stream` and check the launch; they never synchronise.
#include <cuda_runtime.h>

#include <cstdint>

namespace gq {

enum class MembwKernel { kCopy, kCopyPair, kRead, kWrite, kTriad };

struct MembwLaunch {
  int blocks = 0;
  int threads = 0;
};

// The grid for `kernel` on `device` over n vectors: kMembwThreads threads per block and, per SM,
// as many blocks as can be resident at once (cudaOccupancyMaxActiveBlocksPerMultiprocessor), so
// the whole grid is one wave and every SM streams until the end; at most enough blocks for one
// vector per thread; for kCopyPair an even count >= 2 (half the blocks per direction).
MembwLaunch PlanMembwLaunch(MembwKernel kernel, int device, int64_t n);

// dst[v] = src[v] for v < n.
void LaunchCopy(void* dst, const void* src, int64_t n, MembwLaunch launch, cudaStream_t stream);
// dst0[v] = src0[v] on the even blocks and dst1[v] = src1[v] on the odd ones, concurrently.
void LaunchCopyPair(void* dst0, const void* src0, void* dst1, const void* src1, int64_t n,
                    MembwLaunch launch, cudaStream_t stream);
// partial[b] = sum over block b's vectors of their two 64-bit words, modulo 2^64; `partial` holds
// launch.blocks values. The sum of the partials is SourceWordSum's sum of src (membw_verify.h).
void LaunchRead(const void* src, int64_t n, unsigned long long* partial, MembwLaunch launch,
                cudaStream_t stream);
// 32-bit word w of dst = WrittenWord(key, w).
void LaunchWrite(void* dst, int64_t n, uint32_t key, MembwLaunch launch, cudaStream_t stream);
// a[i] = b[i] + s * c[i] over floats (n vectors = 4n floats).
void LaunchTriad(float* a, const float* b, const float* c, float s, int64_t n, MembwLaunch launch,
                 cudaStream_t stream);

// Fills of the patterns in membw_pattern.h over `count` elements made of consecutive slots of
// `per_slot` elements, each slot with its own seed: element e of slot k = e / per_slot holds
//   words: SourceWord(ArraySeed(seed, k, array), e % per_slot)
//   x:     TriadInput(ArraySeed(seed, k, array), e % per_slot)
// One launch fills every rotation slot of an array (per_slot = count: a single buffer).
void FillSourceSlots(uint32_t* words, int64_t count, int64_t per_slot, uint64_t seed,
                     uint64_t array, cudaStream_t stream);
void FillTriadSlots(float* x, int64_t count, int64_t per_slot, uint64_t seed, uint64_t array,
                    cudaStream_t stream);

}  // namespace gq
