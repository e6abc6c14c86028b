#include "harness/axis.h"

#include <gtest/gtest.h>

#include "harness/errors.h"

namespace gq {
namespace {

std::vector<AxisSpec> Axes() {
  return {{"dtype", AxisKind::kString, {"bf16"}, {"bf16", "fp16", "fp32"}, ""},
          {"m", AxisKind::kInt, {"64", "128"}, {}, ""},
          {"causal", AxisKind::kBool, {"false"}, {}, ""}};
}

TEST(AxisTest, DefaultsExpandInDeclarationOrderLastAxisFastest) {
  auto cases = ExpandCases("w", Axes(), {});
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].Id(), "w/dtype=bf16/m=64/causal=false");
  EXPECT_EQ(cases[1].Id(), "w/dtype=bf16/m=128/causal=false");
}

TEST(AxisTest, OverridesFormCartesianProduct) {
  auto cases = ExpandCases("w", Axes(), {{"dtype", {"fp16", "fp32"}}, {"causal", {"1", "off"}}});
  ASSERT_EQ(cases.size(), 8u);
  EXPECT_EQ(cases[0].Id(), "w/dtype=fp16/m=64/causal=true");
  EXPECT_EQ(cases[1].Id(), "w/dtype=fp16/m=64/causal=false");
  EXPECT_EQ(cases[2].Id(), "w/dtype=fp16/m=128/causal=true");
  EXPECT_EQ(cases[7].Id(), "w/dtype=fp32/m=128/causal=false");
}

TEST(AxisTest, ValuesAreNormalisedAndDeduplicated) {
  auto cases = ExpandCases("w", Axes(), {{"m", {"1K", "1024", "2k"}}});
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].Get("m"), "1024");
  EXPECT_EQ(cases[1].GetInt("m"), 2048);
  EXPECT_FALSE(cases[0].GetBool("causal"));
}

TEST(AxisTest, UnknownAxisIsUsageErrorNamingTheAxes) {
  try {
    ExpandCases("w", Axes(), {{"bogus", {"1"}}});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("has no axis 'bogus' (axes: dtype, m, causal)"), std::string::npos);
  }
}

TEST(AxisTest, BadValuesAreUsageErrors) {
  EXPECT_THROW(ExpandCases("w", Axes(), {{"dtype", {"int4"}}}), UsageError);
  EXPECT_THROW(ExpandCases("w", Axes(), {{"m", {"12x"}}}), UsageError);
  EXPECT_THROW(ExpandCases("w", Axes(), {{"causal", {"maybe"}}}), UsageError);
  EXPECT_THROW(ParseIntValue("m", "99999999999999999999"), UsageError);
  EXPECT_THROW(ParseIntValue("m", "9223372036854775807G"), UsageError);
  EXPECT_THROW(ParseIntValue("m", ""), UsageError);
}

TEST(AxisTest, ParseIntValueSuffixes) {
  EXPECT_EQ(ParseIntValue("size", "8"), 8);
  EXPECT_EQ(ParseIntValue("size", "64K"), 65536);
  EXPECT_EQ(ParseIntValue("size", "1M"), 1 << 20);
  EXPECT_EQ(ParseIntValue("size", "8G"), int64_t{8} << 30);
  EXPECT_EQ(ParseIntValue("size", "-3"), -3);
}

TEST(AxisTest, ParseAxisAssignment) {
  auto [axis, values] = ParseAxisAssignment("m=1024,2048");
  EXPECT_EQ(axis, "m");
  EXPECT_EQ(values, (std::vector<std::string>{"1024", "2048"}));
  EXPECT_THROW(ParseAxisAssignment("m"), UsageError);
  EXPECT_THROW(ParseAxisAssignment("=1"), UsageError);
  EXPECT_THROW(ParseAxisAssignment("m="), UsageError);
  EXPECT_THROW(ParseAxisAssignment("m=1,,2"), UsageError);
}

TEST(AxisTest, CaseSpecAccessorsThrowForMissingAxis) {
  CaseSpec spec{"w", {{"m", "4"}}};
  EXPECT_THROW(spec.Get("n"), std::out_of_range);
}

}  // namespace
}  // namespace gq
