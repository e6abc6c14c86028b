// fp16/bf16 <-> float on the host (contract in float16.h). Bit layouts from IEEE 754-2008 §3.6
// (binary16, binary32); bf16 is binary32 truncated to its upper half.
#include "harness/float16.h"

#include <bit>
#include <cmath>

namespace gq {
namespace {

constexpr uint32_t kF32AbsMask = 0x7fffffffu;
constexpr uint32_t kF32Inf = 0x7f800000u;
constexpr uint32_t kF32HalfOverflow = 0x477ff000u;   // 65520: halfway between 65504 and 2^16
constexpr uint32_t kF32HalfMinNormal = 0x38800000u;  // 2^-14, the smallest normal fp16

}  // namespace

uint16_t FloatToHalfBits(float value) {
  const uint32_t x = std::bit_cast<uint32_t>(value);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t abs = x & kF32AbsMask;
  if (abs > kF32Inf) return static_cast<uint16_t>(sign | 0x7e00u);  // NaN
  // 65520 and above round (ties to even, 65504 having an odd mantissa) to infinity.
  if (abs >= kF32HalfOverflow) return static_cast<uint16_t>(sign | 0x7c00u);
  if (abs < kF32HalfMinNormal) {
    // Subnormal (or zero): a multiple of 2^-24. Scaling by 2^24 is exact; nearbyint rounds to
    // nearest even in the default rounding mode. 1024 becomes the smallest normal, correctly.
    const float scaled = std::bit_cast<float>(abs) * 16777216.0f;
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(scaled)));
  }
  const uint32_t exponent = (abs >> 23) - 127 + 15;
  const uint32_t mantissa = abs & 0x7fffffu;
  uint32_t half = (exponent << 10) | (mantissa >> 13);
  const uint32_t rest = mantissa & 0x1fffu;                        // the 13 bits dropped
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;  // may carry into the exponent
  return static_cast<uint16_t>(sign | half);
}

float HalfBitsToFloat(uint16_t bits) {
  const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1fu;
  const uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0) {
    const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;  // exact
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 0x1f) return std::bit_cast<float>(sign | kF32Inf | (mantissa << 13));
  return std::bit_cast<float>(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
}

uint16_t FloatToBf16Bits(float value) {
  const uint32_t x = std::bit_cast<uint32_t>(value);
  if ((x & kF32AbsMask) > kF32Inf) return static_cast<uint16_t>((x >> 16) | 0x40u);  // quiet NaN
  // Round to nearest even on the 16 bits dropped (overflow carries into infinity).
  return static_cast<uint16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

float Bf16BitsToFloat(uint16_t bits) {
  return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16);
}

}  // namespace gq
