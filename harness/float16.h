#pragma once
// Host conversions between float and the 16-bit float formats, as raw bits (no CUDA headers):
//   fp16 (IEEE 754 binary16: 1 sign, 5 exponent, 10 mantissa bits)
//   bf16 (bfloat16: the upper 16 bits of a binary32: 1 sign, 8 exponent, 7 mantissa bits)
// Float -> 16 bits rounds to nearest, ties to even (the IEEE 754 default, as __float2half_rn and
// __float2bfloat16_rn do on the device); overflow gives infinity, NaN stays a quiet NaN.
// 16 bits -> float is exact.
#include <cstdint>

namespace gq {

uint16_t FloatToHalfBits(float value);
float HalfBitsToFloat(uint16_t bits);
uint16_t FloatToBf16Bits(float value);
float Bf16BitsToFloat(uint16_t bits);

}  // namespace gq
