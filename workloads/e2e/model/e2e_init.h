#pragma once
// Seeded random values of the e2e workload, identical on the host and the device, so the cpu
// reference and a GPU run hold the same weights and prompts bit for bit (weights are rounded to
// bf16 on both sides). Counter-based: element i of a tensor depends on (seed, i) only, so any
// slice (a tensor-parallel shard) can be made without the rest.
#include <cstdint>
#include <cstring>

#include "harness/host_device.h"
#include "harness/seeds.h"

namespace gq {

// Uniform in [-1, 1): the top 24 bits of the mix, exactly representable in float.
GQ_HOST_DEVICE inline float E2eUniform(uint64_t seed, uint64_t index) {
  const uint64_t bits = Mix64(seed ^ Mix64(index)) >> 40;  // 24 bits
  return float(int64_t(bits) - (int64_t(1) << 23)) * (1.0f / float(1 << 23));
}

// Round to the nearest bf16 (ties to even), returned as float; NaN stays NaN.
GQ_HOST_DEVICE inline float RoundToBf16(float x) {
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  if ((u & 0x7F800000u) == 0x7F800000u && (u & 0x007FFFFFu) != 0) return x;  // NaN
  u += 0x7FFFu + ((u >> 16) & 1u);
  u &= 0xFFFF0000u;
  float r;
  memcpy(&r, &u, sizeof r);
  return r;
}

// A weight: offset + scale * uniform, rounded to bf16. In double the product of two floats is
// exact, so whether a compiler fuses the multiply and add (nvcc does by default, some host
// compilers too) the sum is rounded once and host and device agree bit for bit.
GQ_HOST_DEVICE inline float E2eInitValue(uint64_t seed, uint64_t index, float scale, float offset) {
  const double v = double(offset) + double(scale) * double(E2eUniform(seed, index));
  return RoundToBf16(float(v));
}

// A prompt token of sequence b at position p, uniform over [0, vocab).
GQ_HOST_DEVICE inline int E2ePromptToken(uint64_t seed, int b, int p, int vocab) {
  const uint64_t h = Mix64(seed ^ Mix64((uint64_t(uint32_t(b)) << 32) | uint32_t(p)));
  return int(h % uint64_t(vocab));
}

}  // namespace gq
