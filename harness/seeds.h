#pragma once
// Seeds of the random inputs every workload makes (DESIGN.md §3: seeded, never zeros).
// SeedFromText gives a stable seed from a case id; Mix64 derives independent seeds and
// counter-based values from it, on the host and in kernels alike.
#include <cstdint>
#include <string>

#include "harness/host_device.h"

namespace gq {

// 64-bit FNV-1a of `text` (Fowler-Noll-Vo; offset basis 14695981039346656037, prime
// 1099511628211): a stable seed from a case id.
uint64_t SeedFromText(const std::string& text);

// SplitMix64 finaliser (Steele, Lea, Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014; constants from Vigna's splitmix64.c): a bijective 64-bit mix that derives
// independent seeds, e.g. Mix64(seed + stream_number).
GQ_HOST_DEVICE inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace gq
