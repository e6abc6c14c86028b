#include "workloads/membw/membw_verify.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "workloads/membw/membw_pattern.h"

namespace gq {
namespace {

std::string Hex(uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof(text), "0x%08" PRIx32, v);
  return text;
}

std::string FloatText(float v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", static_cast<double>(v));
  return text;
}

double RelErr(double got, double expected) {
  const double diff = std::fabs(got - expected);
  if (std::isnan(diff)) return INFINITY;
  return expected != 0 ? diff / std::fabs(expected) : diff;
}

// Compares got(i) with expected(i) for i < count; T is uint32_t (words) or float (bitwise).
template <typename T, typename Got, typename Expected>
VerifyResult CheckAll(int64_t count, const char* what, Got got, Expected expected,
                      std::string (*format)(T)) {
  VerifyResult result;
  result.tolerance = 0;
  int64_t mismatches = 0;
  int64_t first = -1;
  T first_got{}, first_expected{};
  for (int64_t i = 0; i < count; ++i) {
    const T g = got(i);
    const T e = expected(i);
    if (std::memcmp(&g, &e, sizeof(T)) == 0) continue;
    if (mismatches++ == 0) {
      first = i;
      first_got = g;
      first_expected = e;
    }
    const double err = RelErr(static_cast<double>(g), static_cast<double>(e));
    if (err > result.max_rel_err) result.max_rel_err = err;
  }
  result.passed = mismatches == 0;
  if (result.passed) {
    result.detail = std::to_string(count) + " " + what + ", all equal";
  } else {
    result.detail = std::to_string(mismatches) + " of " + std::to_string(count) + " " + what +
                    " differ; first at " + std::to_string(first) + ": " + format(first_got) +
                    ", expected " + format(first_expected);
  }
  return result;
}

}  // namespace

VerifyResult CheckSourceWords(const uint32_t* words, int64_t count, uint64_t seed) {
  return CheckAll<uint32_t>(
      count, "words vs the source pattern", [&](int64_t w) { return words[w]; },
      [&](int64_t w) { return SourceWord(seed, static_cast<uint64_t>(w)); }, Hex);
}

VerifyResult CheckWrittenWords(const uint32_t* words, int64_t count, uint32_t key) {
  return CheckAll<uint32_t>(
      count, "words vs the written pattern", [&](int64_t w) { return words[w]; },
      [&](int64_t w) { return WrittenWord(key, static_cast<uint64_t>(w)); }, Hex);
}

VerifyResult CheckTriad(const float* a, int64_t count, uint64_t seed_b, uint64_t seed_c) {
  return CheckAll<float>(
      count, "elements of a vs b + 3c", [&](int64_t i) { return a[i]; },
      [&](int64_t i) {
        const uint64_t u = static_cast<uint64_t>(i);
        return TriadInput(seed_b, u) + kTriadScalar * TriadInput(seed_c, u);
      },
      FloatText);
}

uint64_t SourceWordSum(uint64_t seed, int64_t count) {
  uint64_t sum = 0;
  for (uint64_t w = 0; w + 1 < static_cast<uint64_t>(count); w += 2) {
    sum += SourceWord(seed, w) | static_cast<uint64_t>(SourceWord(seed, w + 1)) << 32;
  }
  return sum;
}

VerifyResult CheckReadSum(uint64_t got, int64_t count, uint64_t seed) {
  const uint64_t expected = SourceWordSum(seed, count);
  VerifyResult result;
  result.tolerance = 0;
  result.passed = got == expected;
  if (!result.passed) {
    // Sums that differ only below double precision still count as an error.
    result.max_rel_err = std::fmax(RelErr(static_cast<double>(got), static_cast<double>(expected)),
                                   std::ldexp(1.0, -64));
  }
  char text[160];
  std::snprintf(text, sizeof(text),
                "sum of %" PRId64 " 64-bit words mod 2^64: 0x%016" PRIx64
                ", expected 0x%016" PRIx64,
                count / 2, got, expected);
  result.detail = text;
  return result;
}

}  // namespace gq
