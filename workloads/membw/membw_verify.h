#pragma once
// Checks of what a membw op left in memory, on host copies of it (both backends use them). Every
// check is exact (tolerance 0): the expected value of each element is recomputed from the
// patterns in membw_pattern.h, never read from another buffer. max_rel_err is the largest
// |got - expected| / |expected| over the elements checked (0 when all match); the detail names the
// first mismatch.
#include <cstdint>
#include <string>

#include "harness/workload.h"

namespace gq {

// copy, h2d, d2h, d2d: words[w] == SourceWord(seed, w) for every w < count.
VerifyResult CheckSourceWords(const uint32_t* words, int64_t count, uint64_t seed);
// write: words[w] == WrittenWord(key, w).
VerifyResult CheckWrittenWords(const uint32_t* words, int64_t count, uint32_t key);
// triad: a[i] == TriadInput(seed_b, i) + kTriadScalar * TriadInput(seed_c, i), bit for bit.
VerifyResult CheckTriad(const float* a, int64_t count, uint64_t seed_b, uint64_t seed_c);
// read: the sum of the buffer read as 64-bit little-endian words, modulo 2^64: word pair i
// contributes SourceWord(seed, 2i) + 2^32 SourceWord(seed, 2i + 1). Order-free, so any reduction
// order in a kernel or thread pool gives the same value; one 64-bit add per 8 bytes keeps the
// read loops bound by memory, not by the adds. `count` (32-bit words) is even.
uint64_t SourceWordSum(uint64_t seed, int64_t count);
VerifyResult CheckReadSum(uint64_t got, int64_t count, uint64_t seed);

}  // namespace gq
