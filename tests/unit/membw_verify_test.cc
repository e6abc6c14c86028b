// Tests of workloads/membw/membw_verify.* and membw_pattern.h: the patterns never hold zeros or
// the sentinel, triad values are exact, and every check catches one corrupted element.
#include "workloads/membw/membw_verify.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "workloads/membw/membw_pattern.h"

namespace gq {
namespace {

constexpr uint64_t kSeed = 0x1234abcdull;
// The 32-bit word of four sentinel bytes (0x5A5A5A5A).
constexpr uint32_t kSentinelWord = static_cast<uint32_t>(kSentinelByte) * 0x01010101u;

std::vector<uint32_t> SourceWords(int64_t count, uint64_t seed) {
  std::vector<uint32_t> words(static_cast<size_t>(count));
  for (int64_t w = 0; w < count; ++w) words[w] = SourceWord(seed, static_cast<uint64_t>(w));
  return words;
}

TEST(MembwPatternTest, NoZerosNoSentinelAndExactTriad) {
  const uint32_t key = WriteKey(ArraySeed(kSeed, 0, 2));
  EXPECT_EQ(key % 2, 0u);
  for (uint64_t i = 0; i < 100000; ++i) {
    const uint32_t s = SourceWord(kSeed, i);
    const uint32_t w = WrittenWord(key, i);
    EXPECT_NE(s, 0u);
    EXPECT_NE(w, 0u);
    EXPECT_NE(s, kSentinelWord);
    EXPECT_NE(w, kSentinelWord);
    const float b = TriadInput(kSeed, i), c = TriadInput(kSeed + 1, i);
    ASSERT_GE(b, 1.0f / 256);
    ASSERT_LE(b, 4096.0f);
    ASSERT_EQ(std::ldexp(b, 8), std::floor(std::ldexp(b, 8)));  // a multiple of 2^-8
    // In float (with or without a fused multiply-add) the triad equals the exact value.
    const float a = b + kTriadScalar * c;
    ASSERT_EQ(static_cast<double>(a), static_cast<double>(b) + 3.0 * static_cast<double>(c));
    ASSERT_EQ(std::fma(kTriadScalar, c, b), a);
  }
  // Slots and arrays get distinct data.
  EXPECT_NE(ArraySeed(kSeed, 0, 0), ArraySeed(kSeed, 1, 0));
  EXPECT_NE(ArraySeed(kSeed, 0, 0), ArraySeed(kSeed, 0, 1));
  float sentinel;
  std::memset(&sentinel, kSentinelByte, sizeof(sentinel));
  EXPECT_GT(sentinel, 16384.0f);  // above any triad result
}

TEST(MembwVerifyTest, SourceCheckCatchesOneCorruptedWord) {
  std::vector<uint32_t> words = SourceWords(4099, kSeed);
  VerifyResult ok = CheckSourceWords(words.data(), 4099, kSeed);
  EXPECT_TRUE(ok.passed) << ok.detail;
  EXPECT_EQ(ok.max_rel_err, 0);
  EXPECT_EQ(ok.tolerance, 0);
  words[4098] ^= 0x100;  // the last word, one bit
  VerifyResult bad = CheckSourceWords(words.data(), 4099, kSeed);
  EXPECT_FALSE(bad.passed);
  EXPECT_GT(bad.max_rel_err, 0);
  EXPECT_NE(bad.detail.find("1 of 4099"), std::string::npos) << bad.detail;
  EXPECT_NE(bad.detail.find("first at 4098"), std::string::npos) << bad.detail;
  // A buffer of another seed (a copy of the wrong slot) fails everywhere.
  EXPECT_FALSE(CheckSourceWords(SourceWords(64, kSeed + 1).data(), 64, kSeed).passed);
}

TEST(MembwVerifyTest, WriteTriadAndReadChecksCatchCorruption) {
  const uint32_t key = WriteKey(ArraySeed(kSeed, 0, 2));
  std::vector<uint32_t> written(1000);
  for (uint64_t w = 0; w < written.size(); ++w) written[w] = WrittenWord(key, w);
  EXPECT_TRUE(CheckWrittenWords(written.data(), 1000, key).passed);
  std::memset(&written[17], kSentinelByte, 4);  // an element the kernel skipped
  EXPECT_FALSE(CheckWrittenWords(written.data(), 1000, key).passed);

  const uint64_t sb = ArraySeed(kSeed, 0, 0), sc = ArraySeed(kSeed, 0, 1);
  std::vector<float> a(1000);
  for (uint64_t i = 0; i < a.size(); ++i)
    a[i] = TriadInput(sb, i) + kTriadScalar * TriadInput(sc, i);
  EXPECT_TRUE(CheckTriad(a.data(), 1000, sb, sc).passed);
  a[500] = std::nextafter(a[500], 1e9f);  // one ulp off
  VerifyResult triad = CheckTriad(a.data(), 1000, sb, sc);
  EXPECT_FALSE(triad.passed);
  EXPECT_GT(triad.max_rel_err, 0);
  EXPECT_LT(triad.max_rel_err, 1e-6);
  a[500] = NAN;
  EXPECT_FALSE(CheckTriad(a.data(), 1000, sb, sc).passed);

  const std::vector<uint32_t> src = SourceWords(778, kSeed);
  uint64_t sum = 0;  // the buffer as little-endian 64-bit words
  for (size_t i = 0; i < src.size(); i += 2) sum += src[i] | uint64_t{src[i + 1]} << 32;
  EXPECT_EQ(SourceWordSum(kSeed, 778), sum);
  EXPECT_TRUE(CheckReadSum(sum, 778, kSeed).passed);
  VerifyResult read = CheckReadSum(sum + 1, 778, kSeed);
  EXPECT_FALSE(read.passed);
  EXPECT_GT(read.max_rel_err, 0);
}

}  // namespace
}  // namespace gq
