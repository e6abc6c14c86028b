#pragma once
// The data membw moves: pure functions of (seed, index), the same on the host and in kernels, so
// a check recomputes what every element must hold without trusting any copy of it. No CUDA
// headers: kernels get __host__ __device__ through GQ_HOST_DEVICE when compiled by nvcc.
//
//   SourceWord(seed, w)   the w-th 32-bit word of a source buffer: the high half of
//                         SplitMix64(seed + (w + 1) * 0x9e3779b97f4a7c15) (Steele, Lea, Flood
//                         2014; Vigna's splitmix64.c constants) with bit 0 set: odd, never 0.
//   WrittenWord(key, w)   what the write op stores in word w: ((w << 1) | 1) ^ key, key even:
//                         odd, never 0, and cheap enough (3 integer ops) that the write kernel
//                         stays bound by memory rather than by the pattern.
//   TriadInput(seed, i)   element i of a triad input: (1 + r) * 2^-8 with r the top 20 bits of the
//                         SplitMix64 output, so in [2^-8, 4096] and a multiple of 2^-8. With
//                         s = kTriadScalar = 3, b + s*c is a multiple of 2^-8 below 2^14, i.e. an
//                         integer below 2^22 times 2^-8: exact in float (24-bit significand) with
//                         or without a fused multiply-add, so triad is checked for equality.
//   kSentinelByte         every destination starts as bytes 0x5A: the word 0x5A5A5A5A is even
//                         (never a SourceWord or WrittenWord) and the float ~1.5e16 is far above
//                         any triad result, so an element a kernel skips shows up in the check.
#include <cstdint>

#if defined(__CUDACC__)
#define GQ_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define GQ_HOST_DEVICE inline
#endif

namespace gq {

constexpr float kTriadScalar = 3.0f;
constexpr int kSentinelByte = 0x5A;

GQ_HOST_DEVICE uint64_t MembwSplitMix64(uint64_t seed, uint64_t index) {
  uint64_t z = seed + (index + 1) * 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Seed of one array of a case: `array` 0 = the source (or triad's b), 1 = triad's c or a second
// source (d2h side of bidir), 2 = the write key; `slot` = the rotation copy (membw_cuda.cu).
// Distinct per slot, so a kernel that touched the wrong copy fails its check.
GQ_HOST_DEVICE uint64_t ArraySeed(uint64_t seed, uint64_t slot, uint64_t array) {
  return MembwSplitMix64(seed, 1000 + 4 * slot + array);
}

GQ_HOST_DEVICE uint32_t SourceWord(uint64_t seed, uint64_t w) {
  return static_cast<uint32_t>(MembwSplitMix64(seed, w) >> 32) | 1u;
}

// The even key of WrittenWord, from an ArraySeed(..., 2).
GQ_HOST_DEVICE uint32_t WriteKey(uint64_t array_seed) {
  return static_cast<uint32_t>(array_seed) & ~1u;
}

GQ_HOST_DEVICE uint32_t WrittenWord(uint32_t key, uint64_t w) {
  return ((static_cast<uint32_t>(w) << 1) | 1u) ^ key;
}

GQ_HOST_DEVICE float TriadInput(uint64_t seed, uint64_t i) {
  const uint32_t r = static_cast<uint32_t>(MembwSplitMix64(seed, i) >> 44);  // 20 bits
  return static_cast<float>(1u + r) * 0.00390625f;                           // 2^-8
}

}  // namespace gq
