// harness/numbers.h and the JSON accessors built on it: one rule for numbers from flags and files.
#include "harness/numbers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "harness/errors.h"
#include "harness/json_fields.h"

namespace gq {
namespace {

std::string Error(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(NumbersTest, FiniteAndInRangeOrTheInputIsNamed) {
  EXPECT_EQ(CheckNumber("--max-time", 2.5, {0, 86400, true}), 2.5);
  EXPECT_EQ(Error([] { CheckNumber("--max-time", std::nan(""), {0, 86400, true}); }),
            "--max-time: must be a number in (0, 86400] (got nan)");
  EXPECT_EQ(Error([] { CheckNumber("--max-time", 0, {0, 86400, true}); }), "--max-time: must be a number in (0, 86400] (got 0)");
  EXPECT_EQ(Error([] { CheckNumber("--warmup", std::numeric_limits<double>::infinity(), {0, 86400}); }),
            "--warmup: must be a number in [0, 86400] (got inf)");
  EXPECT_EQ(Error([] { CheckNumber("--price-per-hour", -0.5, {0, 1e6, true}); }),
            "--price-per-hour: must be a number in (0, 1000000] (got -0.5)");
  EXPECT_EQ(CheckInteger("--min-samples", 10, 1, 1000000), 10);
  EXPECT_EQ(Error([] { CheckInteger("n", 4294967301.0, 1, 1000000); }), "n: must be an integer in [1, 1000000] (got 4294967301)");
  EXPECT_EQ(Error([] { CheckInteger("n", 2.5, 1, 10); }), "n: must be an integer in [1, 10] (got 2.5)");
}

TEST(NumbersTest, TextMustBeTheWholeNumber) {
  EXPECT_EQ(ParseNumber("--tolerance-for gemm=3", "3", {0, 100}), 3.0);
  EXPECT_EQ(Error([] { ParseNumber("--tolerance-for gemm=5x", "5x", {0, 100}); }), "--tolerance-for gemm=5x: '5x' is not a number");
  EXPECT_EQ(Error([] { ParseNumber("--threshold g=:0.9", "", {0, 1.5, true}); }), "--threshold g=:0.9: '' is not a number");
  EXPECT_EQ(Error([] { ParseNumber("--threshold g=inf:0.9", "inf", {0, 1.5, true}); }),
            "--threshold g=inf:0.9: must be a number in (0, 1.5] (got inf)");
}

TEST(NumbersTest, JsonFieldsUseTheSameRule) {
  const auto j = nlohmann::ordered_json::parse(
      R"({"measure": {"max_time_s": null, "min_samples": 4294967301, "big": 18446744073709551615, "ok": 3}})");
  JsonFields m = JsonFields(j, "s.json", "").Obj("measure");
  EXPECT_EQ(Error([&] { m.NumIn("max_time_s", {0, 86400, true}); }), "s.json: measure.max_time_s: must be a number in (0, 86400]");
  EXPECT_EQ(Error([&] { m.IntIn("min_samples", 1, 1000000); }),
            "s.json: measure.min_samples: must be an integer in [1, 1000000] (got 4294967301)");
  EXPECT_EQ(Error([&] { m.Int("big"); }),
            "s.json: measure.big: must be an integer in [-9007199254740992, 9007199254740992] (got 18446744073709551615)");
  EXPECT_EQ(m.IntIn("ok", 1, 10), 3);
}

}  // namespace
}  // namespace gq
