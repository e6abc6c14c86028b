#pragma once
// Input values of the collective workloads and the exact output each element must hold (the
// data check of nccl-tests, with formulas of our own). Header-only and usable on host and device
// (__host__ __device__ under nvcc), so the fill and check kernels and the host checker compute
// the very same values.
//
// Rank r's input element i (its index in r's send buffer) is the integer
//   f(r, i) = [(r + i) mod m == 0] * (g(i) + h(r))
//   g(i) = H(i, s1) mod (2 a_g + 1) - a_g,   h(r) = H(r, s2) mod (2 a_h + 1) - a_h
// (without the "- a" for unsigned dtypes), H a 64-bit integer hash. With k(i) the number of
// ranks r < n with (r + i) mod m == 0, the reductions over ranks are known in closed form:
//   sum: k(i) g(i) + (m == 1 ? sum_r h(r) : 0)      (a_h = 0 whenever m > 1)
//   max: m == 1: g(i) + max_r h(r);  m > 1: the max of g(i) (if k(i) > 0) and 0 (if k(i) < n)
//   min: likewise with min.
// Exactness: every integer of magnitude <= L is exact in the dtype (L = 2^8 bf16, 2^11 fp16,
// 2^24 fp32, 2^53 fp64: their significand widths). Any partial sum at one index, in any order
// (NCCL's ring, tree or NVLS reductions, MPI's), is a sum of active terms, so it is bounded by
// k(i) (a_g + a_h); keeping that <= L makes every sum exact and the check exact, with no
// tolerance. Integer dtypes wrap modulo 2^bits in every order alike, so they need no bound: the
// expected value is wrapped the same way.
// Pattern (ChooseValuePattern): a_g = a_h = 8 for integers, all_gather, max and min. For float
// sums a = min(8, floor(L / 2n)): a >= 1 -> m = 1, a_g = a_h = a; else if n <= L -> m = 1,
// a_g = 1, a_h = 0; else (bf16 beyond 256 ranks, fp16 beyond 2048) m = ceil(n / L), a_g = 1,
// a_h = 0, so at most L ranks contribute to any element.
#include <cstdint>

#include "harness/system/comm_types.h"
#include "workloads/allreduce/collective_problem.h"

#include "harness/host_device.h"

namespace gq {

struct ValuePattern {
  int64_t ranks = 1;                                 // n
  int64_t stride = 1;                                // m
  int32_t index_amp = 8;                             // a_g
  int32_t rank_amp = 8;                              // a_h (0 whenever stride > 1)
  bool non_negative = false;                         // unsigned dtype: g, h in [0, 2a]
  int64_t rank_sum = 0, rank_max = 0, rank_min = 0;  // of h(r) over r < n
};

// What one rank's output must hold: the collective, its op, dtype and pattern, the rank, and
// the call's count (CollectiveLayout::count).
struct CheckSpec {
  CollectiveKind kind = CollectiveKind::kAllReduce;
  CommOp op = CommOp::kSum;
  Dtype dtype = Dtype::kFp32;
  ValuePattern pattern;
  int64_t rank = 0;
  int64_t count = 0;
};

GQ_HOST_DEVICE inline uint32_t PatternHash(uint64_t x, uint64_t salt) {
  x = (x + salt) * 0x9e3779b97f4a7c15ull;  // Fibonacci hashing constant (2^64 / golden ratio)
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return static_cast<uint32_t>(x);
}

GQ_HOST_DEVICE inline int64_t PatternTerm(uint64_t x, uint64_t salt, int32_t amp,
                                          bool non_negative) {
  const int64_t v = PatternHash(x, salt) % static_cast<uint32_t>(2 * amp + 1);
  return non_negative ? v : v - amp;
}

GQ_HOST_DEVICE inline int64_t IndexTerm(const ValuePattern& p, int64_t i) {
  return PatternTerm(static_cast<uint64_t>(i), 0x51ed27f4a1b3c5d7ull, p.index_amp, p.non_negative);
}

GQ_HOST_DEVICE inline int64_t RankTerm(const ValuePattern& p, int64_t r) {
  return PatternTerm(static_cast<uint64_t>(r), 0x2545f4914f6cdd1dull, p.rank_amp, p.non_negative);
}

// f(r, i).
GQ_HOST_DEVICE inline int64_t InputValue(const ValuePattern& p, int64_t r, int64_t i) {
  if (p.stride > 1 && (r + i) % p.stride != 0) return 0;
  return IndexTerm(p, i) + RankTerm(p, r);
}

// k(i): ranks r < n with (r + i) mod m == 0, i.e. r = c, c + m, ... with c = (-i) mod m.
GQ_HOST_DEVICE inline int64_t ActiveRanks(const ValuePattern& p, int64_t i) {
  if (p.stride == 1) return p.ranks;
  const int64_t c = (p.stride - i % p.stride) % p.stride;
  return c < p.ranks ? (p.ranks - 1 - c) / p.stride + 1 : 0;
}

// The reduction over ranks of f(., i), before wrapping to the dtype.
GQ_HOST_DEVICE inline int64_t ReducedValue(const ValuePattern& p, CommOp op, int64_t i) {
  const int64_t g = IndexTerm(p, i);
  if (p.stride == 1) {
    if (op == CommOp::kSum) return p.ranks * g + p.rank_sum;
    return g + (op == CommOp::kMax ? p.rank_max : p.rank_min);
  }
  const int64_t k = ActiveRanks(p, i);
  if (op == CommOp::kSum) return k * g;
  if (k == 0) return 0;
  if (k == p.ranks) return g;
  if (op == CommOp::kMax) return g > 0 ? g : 0;
  return g < 0 ? g : 0;
}

// Two's-complement wrap of an exact integer to an integer dtype (floats are left as they are).
GQ_HOST_DEVICE inline int64_t WrapToDtype(Dtype dtype, int64_t v) {
  switch (dtype) {
    case Dtype::kInt8:
      return static_cast<int8_t>(static_cast<uint8_t>(v));
    case Dtype::kUint8:
      return static_cast<uint8_t>(v);
    case Dtype::kInt32:
      return static_cast<int32_t>(static_cast<uint32_t>(v));
    default:
      return v;
  }
}

// The value output element k of this rank must hold (k indexes the output region: recv for
// allreduce and all_gather; the rank's count-element result for reduce_scatter).
GQ_HOST_DEVICE inline int64_t ExpectedOutput(const CheckSpec& s, int64_t k) {
  int64_t v = 0;
  switch (s.kind) {
    case CollectiveKind::kAllReduce:
      v = ReducedValue(s.pattern, s.op, k);
      break;
    case CollectiveKind::kAllGather:
      v = InputValue(s.pattern, k / s.count, k % s.count);
      break;
    case CollectiveKind::kReduceScatter:
      v = ReducedValue(s.pattern, s.op, s.rank * s.count + k);
      break;
  }
  return WrapToDtype(s.dtype, v);
}

// The pattern for `ranks` ranks (rules above; defined in collective_check.cc, host only).
ValuePattern ChooseValuePattern(CollectiveKind kind, Dtype dtype, CommOp op, int64_t ranks);

}  // namespace gq
