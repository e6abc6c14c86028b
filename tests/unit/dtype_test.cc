// Tests for harness/dtype.*: the table's spellings, sizes and peak keys, and parsing.
#include "harness/dtype.h"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "harness/errors.h"

namespace gq {
namespace {

constexpr Dtype kAll[] = {Dtype::kFp64, Dtype::kFp32,    Dtype::kTf32,  Dtype::kBf16,
                          Dtype::kFp16, Dtype::kFp8E4m3, Dtype::kInt64, Dtype::kInt32,
                          Dtype::kInt8, Dtype::kUint8};

TEST(DtypeTest, SpellingsSizesAndPeakKeys) {
  EXPECT_STREQ(DtypeName(Dtype::kBf16), "bf16");
  EXPECT_STREQ(DtypeName(Dtype::kFp8E4m3), "fp8_e4m3");
  EXPECT_STREQ(DtypeName(Dtype::kUint8), "uint8");
  EXPECT_EQ(DtypeBytes(Dtype::kFp64), 8u);
  EXPECT_EQ(DtypeBytes(Dtype::kTf32), 4u);  // fp32 data
  EXPECT_EQ(DtypeBytes(Dtype::kBf16), 2u);
  EXPECT_EQ(DtypeBytes(Dtype::kFp8E4m3), 1u);
  EXPECT_EQ(DtypeBytes(Dtype::kInt64), 8u);
  EXPECT_EQ(DtypeBytes(Dtype::kInt8), 1u);
  EXPECT_TRUE(DtypeIsFloat(Dtype::kFp16));
  EXPECT_FALSE(DtypeIsFloat(Dtype::kInt32));
  // The peak tables (harness/system/device_specs.cc) name fp8 without its format.
  EXPECT_STREQ(DtypePeakKey(Dtype::kFp8E4m3), "fp8");
  EXPECT_STREQ(DtypePeakKey(Dtype::kTf32), "tf32");
  EXPECT_STREQ(DtypePeakKey(Dtype::kBf16), "bf16");
}

TEST(DtypeTest, EveryDtypeParsesFromItsName) {
  for (Dtype d : kAll) EXPECT_EQ(ParseDtype("t", DtypeName(d), kAll), d) << DtypeName(d);
  const std::vector<std::string> names = DtypeNames(kAll);
  ASSERT_EQ(names.size(), std::size(kAll));
  EXPECT_EQ(names.front(), "fp64");
  EXPECT_EQ(names.back(), "uint8");
}

TEST(DtypeTest, UnknownOrUnofferedNameNamesTheInputAndTheChoices) {
  constexpr Dtype kTwo[] = {Dtype::kBf16, Dtype::kFp16};
  try {
    ParseDtype("attention", "fp32", kTwo);  // a dtype, but not one of the choices
    FAIL() << "fp32 is not among the choices";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "attention: unknown dtype 'fp32' (choices: bf16, fp16)");
  }
  EXPECT_THROW(ParseDtype("gemm", "BF16", kAll), UsageError);
  EXPECT_THROW(ParseDtype("gemm", "", kAll), UsageError);
}

}  // namespace
}  // namespace gq
